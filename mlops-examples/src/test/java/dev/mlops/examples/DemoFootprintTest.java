package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Runs the demo's {@code main} as the README does, in a child JVM whose home directory,
 * temporary directory and working directory are empty, and checks that it writes only into its
 * output folder.
 */
@DisplayName("The README demo, run as a program")
class DemoFootprintTest {

    @Test
    @DisplayName("leaves nothing outside its output folder")
    void leavesNothingOutsideItsOutputFolder(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path log = tmp.resolve("demo.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + javaTmp, "-Duser.home=" + home, Demo.class.getName(), "demo-output")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_CACHE_HOME");
        pb.environment().remove("ORT_DISABLE_TELEMETRY");
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("demo finished; output in " + log).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("audit chain: ok");

        assertThat(tree(home)).as("written under the home directory").isEmpty();
        assertThat(tree(javaTmp)).as("written under java.io.tmpdir").isEmpty();
        try (Stream<Path> s = Files.list(work)) {
            assertThat(s.map(f -> f.getFileName().toString())).as("written into the working directory")
                    .containsExactly("demo-output");
        }
        try (Stream<Path> s = Files.list(work.resolve("demo-output"))) {
            assertThat(s.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    "store", "data", "onnxruntime", "drift-report.html", "model-card.html", "model-card.md");
        }
        assertThat(output).contains(work.resolve("demo-output").resolve("drift-report.html").toString(),
                work.resolve("demo-output").resolve("model-card.html").toString());
    }

    static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }
}
