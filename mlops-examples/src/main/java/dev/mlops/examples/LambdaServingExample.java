package dev.mlops.examples;

import dev.mlops.serving.ModelServiceBuilder;
import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Wrapping a plain lambda as a model and serving it by alias, with a hot swap.
 *
 * <p>The model is a "feels like" temperature: version 1 answers the air temperature, version 2
 * applies the wind chill formula of Environment Canada. Each version's artifact is a one-line
 * JSON that names its formula (a real model would store weights there); the loader turns a
 * version into a {@code java.util.function.Function}. The service follows
 * {@code feels-like@production}: moving the alias ships version 2 to the running service,
 * rolling it back ships version 1 again, and {@link ModelService#metrics()} counts the calls
 * of each version.
 *
 * <pre>{@code
 * ModelLoader<Conditions, Double> loader = ModelLoader.ofFunction(ctx -> formula(ctx.version().params().get("formula")));
 * try (ModelService<Conditions, Double> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("feels-like@production"), loader).build()) {
 *     double t = svc.predict(new Conditions(-5, 30));      // follows the alias, no restart
 * }
 * }</pre>
 *
 * <p>Run: {@code java -cp mlops-examples/target/mlops-demo.jar dev.mlops.examples.LambdaServingExample}.
 * The registry is in memory ({@link InMemoryStore}); with {@code Mlops.open(directory)} the same
 * code runs over the filesystem store.
 */
public final class LambdaServingExample {

    /** The model's input: air temperature in °C and wind speed in km/h. */
    public record Conditions(double tempC, double windKmh) {
    }

    /**
     * What the example observed, for its test.
     *
     * @param answers one line per request: the version that answered and its answer
     * @param servedBy the versions that answered, in request order
     * @param swaps the versions the service swapped to, in order
     * @param metrics the service's metrics at the end
     */
    public record Result(List<String> answers, List<ModelRef.Version> servedBy, List<ModelRef.Version> swaps,
                         ServiceMetrics metrics) {
    }

    private LambdaServingExample() {
    }

    /**
     * Runs the example, printing to standard output.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for a swap
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    /**
     * Runs the example.
     *
     * @param out where to print the story
     * @return what happened
     * @throws InterruptedException if interrupted while waiting for a swap
     */
    public static Result run(PrintStream out) throws InterruptedException {
        List<String> answers = new ArrayList<>();
        List<ModelRef.Version> servedBy = new ArrayList<>();
        List<ModelRef.Version> swaps = new ArrayList<>();
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).actor("example").build()) {
            out.println("1. Register two versions of 'feels-like'");
            ModelVersion v1 = register(mlops, "air", "feels like = air temperature");
            ModelVersion v2 = register(mlops, "wind-chill", "feels like = wind chill (Environment Canada)");
            out.printf("   %s: %s%n   %s: %s%n", v1.ref(), v1.description(), v2.ref(), v2.description());
            mlops.models().setAlias("feels-like", "production", v1.number());
            out.println("   feels-like@production -> " + v1.ref());

            // The loader: a version in, a plain function out. Model.of / ofFunction do the wrapping.
            ModelLoader<Conditions, Double> loader =
                    ModelLoader.ofFunction(ctx -> formula(ctx.version().params().get("formula")));

            out.println("2. Serve feels-like@production");
            try (ModelService<Conditions, Double> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("feels-like@production"), loader)
                    .build()) {
                LinkedBlockingQueue<ModelRef.Version> swapped = new LinkedBlockingQueue<>();
                svc.onEvent(e -> {                       // ends with the service
                    if (e instanceof ServiceEvent.Swapped s) {
                        swapped.add(s.to());
                    }
                });
                Conditions cold = new Conditions(-5, 30);
                ask(svc, cold, out, answers, servedBy);

                out.println("3. Move the alias to " + v2.ref() + "; the running service follows (hot swap)");
                mlops.models().setAlias("feels-like", "production", v2.number());
                swaps.add(awaitSwap(swapped));
                ask(svc, cold, out, answers, servedBy);
                ask(svc, new Conditions(8, 10), out, answers, servedBy);

                out.println("4. Roll the alias back; version 1 serves again");
                mlops.models().rollback("feels-like", "production");
                swaps.add(awaitSwap(swapped));
                ask(svc, cold, out, answers, servedBy);

                out.println("5. Metrics per version");
                ServiceMetrics metrics = svc.metrics();
                for (VersionMetrics m : metrics.versions()) {
                    out.printf(Locale.ROOT, "   %-13s calls %d, errors %d, latency p50 %d ns, max %d ns%n", m.version(),
                            m.calls(), m.errors(), m.latency().p50Nanos(), m.latency().maxNanos());
                }
                return new Result(answers, servedBy, swaps, metrics);
            }
        }
    }

    private static ModelVersion register(Mlops mlops, String formula, String description) {
        String json = "{\"formula\":\"" + formula + "\"}";
        return mlops.models().register("feels-like", NewModelVersion.builder()
                .artifact(Artifact.bytes("model.json", json.getBytes(StandardCharsets.UTF_8)))
                .format("java-function").param("formula", formula).description(description).build());
    }

    /** The function a version names. */
    static Function<Conditions, Double> formula(String name) {
        return switch (name) {
            case "air" -> Conditions::tempC;
            case "wind-chill" -> LambdaServingExample::windChill;
            default -> throw new IllegalArgumentException("unknown formula '" + name + "'; expected air or wind-chill");
        };
    }

    /** Environment Canada's wind chill index; the air temperature where it is not defined. */
    static double windChill(Conditions c) {
        if (c.tempC() > 10 || c.windKmh() <= 4.8) {
            return c.tempC();
        }
        double v = Math.pow(c.windKmh(), 0.16);
        return 13.12 + 0.6215 * c.tempC() - 11.37 * v + 0.3965 * c.tempC() * v;
    }

    private static void ask(ModelService<Conditions, Double> svc, Conditions c, PrintStream out, List<String> answers,
                            List<ModelRef.Version> servedBy) {
        Prediction<Double> p = svc.predictDetailed(c);
        String line = String.format(Locale.ROOT, "%s: %.1f °C at %.0f km/h feels like %.1f °C", p.servedBy(), c.tempC(),
                c.windKmh(), p.output());
        out.println("   " + line);
        answers.add(line);
        servedBy.add(p.servedBy());
    }

    /** Waits for the service's worker to load and swap in the new version (a bounded wait, not a sleep). */
    private static ModelRef.Version awaitSwap(LinkedBlockingQueue<ModelRef.Version> swapped) throws InterruptedException {
        ModelRef.Version v = swapped.poll(30, TimeUnit.SECONDS);
        if (v == null) {
            throw new IllegalStateException("the service did not swap within 30 s");
        }
        return v;
    }
}
