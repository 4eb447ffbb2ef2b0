package dev.mlops.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.ModelService;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
            try (ModelService<float[], float[]> svc = mlops.serve(ModelRef.parse("rain@production"),
                    OnnxModelLoader.floatVector("x", "y").intraOpThreads(1)).build()) {
                float[] y = svc.predict(new float[] {1f, 2f, -0.5f});
                System.out.println("predicted " + y.length + " values");
            }
        }
    }

    @Test
    @DisplayName("writes nothing into the user's home directory")
    void writesNothingIntoHome(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path log = tmp.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + javaTmp, "-Duser.home=" + home, OnnxFootprintTest.class.getName())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_CACHE_HOME");
        pb.environment().remove("ORT_DISABLE_TELEMETRY");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished; output in " + log).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("predicted 2 values");

        assertThat(tree(home)).as("files the child wrote under its home directory").isEmpty();
        assertThat(tree(work)).as("files the child wrote into its working directory").isEmpty();
    }

    static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }
}
