package dev.mlops.onnx;

import dev.mlops.serving.ModelServiceBuilder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.ModelService;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.registry.tck.process.FootprintRun;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving an ONNX model must not write outside what the application chose. ONNX Runtime 1.29.0's
 * Linux build, for one, creates a telemetry device id and event database under
 * {@code ~/.cache/Microsoft/DeveloperTools} as soon as the environment exists; this test runs a
 * served model in a child JVM whose home directory is empty and checks that it stays empty.
 */
@DisplayName("Serving an ONNX model")
class OnnxFootprintTest {

    /** The child: serves the shipped linear model by alias and predicts once. */
    public static void main(String[] args) throws Exception {
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).actor("child").build()) {
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.onnx", OnnxModelLoaderTest.shippedLinearModel())).format("onnx").build());
            mlops.models().setAlias("rain", "production", 1);
            try (ModelService<float[], float[]> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"),
                    OnnxModelLoader.floatVector("x", "y").intraOpThreads(1)).build()) {
                float[] y = svc.predict(new float[] {1f, 2f, -0.5f});
                System.out.println("predicted " + y.length + " values");
            }
        }
    }

    @Test
    @DisplayName("writes nothing into the user's home directory or the working directory")
    void writesNothingIntoHome(@TempDir Path tmp) {
        FootprintRun run = FootprintRun.of(OnnxFootprintTest.class, tmp, 120);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("predicted 2 values");
        assertThat(FootprintRun.left(run.home())).as("written under the home directory").isEmpty();
        assertThat(FootprintRun.left(run.work())).as("written into the working directory").isEmpty();
    }
}
