package dev.mlops.examples;

import dev.mlops.serving.ModelServiceBuilder;
import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.onnx.OnnxModelLoader;
import dev.mlops.onnx.OnnxSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Serving an ONNX model by alias with {@code mlops-onnx}.
 *
 * <p>The model is {@code linear.onnx} (in this module's resources, see {@code models/README.md}):
 * {@code y = x W + b} with input {@code x} float {@code [batch, 3]} and output {@code y} float
 * {@code [batch, 2]}. The example registers it as {@code rain/1}, points {@code production} at it
 * and serves the alias through ONNX Runtime, one request and a batch (one runtime call). Then a
 * broken file is registered as {@code rain/2} and the alias moved to it: the new version fails
 * to load, the service reports it ({@link ServiceEvent.LoadFailed}) and keeps answering with
 * version 1, so a bad version never serves a request. Rolling the alias back ends the episode.
 *
 * <pre>{@code
 * ModelLoader<float[], float[]> loader = OnnxModelLoader.floatVector("x", "y").intraOpThreads(1);
 * try (ModelService<float[], float[]> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"), loader).build()) {
 *     float[] y = svc.predict(new float[] {1f, 2f, -0.5f});
 * }
 * }</pre>
 *
 * <p>Run: {@code java -cp mlops-examples/target/mlops-demo.jar dev.mlops.examples.OnnxServingExample}.
 */
public final class OnnxServingExample {

    /**
     * What the example observed, for its test.
     *
     * @param single the answer to {@code [1, 2, -0.5]}
     * @param batch the answers to the batch, in order
     * @param failure the load failure reported for the broken version
     * @param afterFailure the version that answered after the broken version was promoted
     * @param primaryCalls calls answered by version 1
     */
    public record Result(float[] single, List<float[]> batch, ServiceEvent.LoadFailed failure,
                         ModelRef.Version afterFailure, long primaryCalls) {
    }

    private OnnxServingExample() {
    }

    /**
     * Runs the example, printing to standard output.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the load failure
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    /**
     * Runs the example.
     *
     * @param out where to print the story
     * @return what happened
     * @throws InterruptedException if interrupted while waiting for the load failure
     */
    public static Result run(PrintStream out) throws InterruptedException {
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).actor("example").build()) {
            out.println("1. Register linear.onnx (y = x W + b, x [batch, 3], y [batch, 2]) and set production");
            byte[] model = resource("/models/linear.onnx");
            ModelVersion v1 = mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("linear.onnx", model)).format("onnx")
                    .signature(OnnxSignature.read(model)) // x float [batch, 3] -> y float [batch, 2]
                    .description("y = x W + b").build());
            mlops.models().setAlias("rain", "production", v1.number());
            out.printf("   %s, artifact sha256 %s..., rain@production -> %s%n", v1.ref(),
                    v1.artifact().digest().substring(0, 12), v1.ref());

            out.println("2. Serve rain@production through ONNX Runtime");
            OnnxModelLoader<float[], float[]> loader = OnnxModelLoader.floatVector("x", "y").intraOpThreads(1);
            try (ModelService<float[], float[]> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"), loader).build()) {
                float[] x = {1f, 2f, -0.5f};
                Prediction<float[]> p = svc.predictDetailed(x);
                out.printf("   %s: y(%s) = %s%n", p.servedBy(), Arrays.toString(x), Arrays.toString(p.output()));
                List<float[]> inputs = List.of(new float[] {0f, 0f, 0f}, new float[] {1f, 0f, 0f}, new float[] {0f, 1f, 1f});
                List<float[]> batch = svc.predictAll(inputs);       // one ONNX Runtime call for the three rows
                for (int i = 0; i < inputs.size(); i++) {
                    out.printf("   batch row %d: y(%s) = %s%n", i, Arrays.toString(inputs.get(i)),
                            Arrays.toString(batch.get(i)));
                }

                out.println("3. Register a broken file as rain/2 and promote it");
                LinkedBlockingQueue<ServiceEvent.LoadFailed> failures = new LinkedBlockingQueue<>();
                svc.onEvent(e -> {
                    if (e instanceof ServiceEvent.LoadFailed f) {
                        failures.add(f);
                    }
                });
                ModelVersion v2 = mlops.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("model.onnx", "not a model".getBytes(StandardCharsets.UTF_8)))
                        .format("onnx").description("a truncated upload").build());
                mlops.models().setAlias("rain", "production", v2.number());
                ServiceEvent.LoadFailed failure = failures.poll(30, TimeUnit.SECONDS);
                if (failure == null) {
                    throw new IllegalStateException("no load failure was reported within 30 s");
                }
                out.printf("   %s failed at stage '%s' (attempt %d): %s%n", failure.version(), failure.stage(),
                        failure.attempt(), firstLine(failure.message()));
                Prediction<float[]> still = svc.predictDetailed(x);
                out.printf("   requests are still answered by %s: y = %s%n", still.servedBy(),
                        Arrays.toString(still.output()));

                out.println("4. Roll the alias back to " + v1.ref());
                mlops.models().rollback("rain", "production");
                out.println("   rain@production -> " + mlops.models().resolve(ModelRef.parse("rain@production")).ref());
                long calls = svc.metrics().version(v1.ref()).orElseThrow().calls();
                out.printf("   %s answered %d calls, none failed%n", v1.ref(), calls);
                return new Result(p.output(), new ArrayList<>(batch), failure, still.servedBy(), calls);
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static byte[] resource(String name) {
        try (InputStream in = OnnxServingExample.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
