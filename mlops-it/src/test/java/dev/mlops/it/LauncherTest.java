package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mlops} launcher script (mlops-cli/bin/mlops) runs the packaged CLI as a real
 * process, with the class-data archive the build made. Runs after mlops-cli is packaged, as in
 * {@code mvn verify}.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "mlops-cli", "bin", "mlops");
    private static final Path ARCHIVE = Path.of("..", "mlops-cli", "target", "mlops-cli.jsa");

    @TempDir
    Path tmp;

    @Test
    @DisplayName("bin/mlops runs the CLI: help, a registration and a listing, with the CLI's exit codes")
    void runsTheCli() throws Exception {
        assertThat(ARCHIVE).as("the class-data archive made at package time").isRegularFile();
        Result help = run(Map.of(), "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: mlops");
        Path artifact = Files.writeString(tmp.resolve("model.bin"), "weights");
        String store = tmp.resolve("store").toString();
        assertThat(run(Map.of(), "--store", store, "register", "rain", "--artifact", artifact.toString()).code()).isZero();
        Result list = run(Map.of(), "--store", store, "models", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("rain");
        assertThat(run(Map.of(), "--store", store, "models", "show", "snow").code()).isEqualTo(2);
    }

    @Test
    @DisplayName("the JVM the launcher starts maps the build's class-data archive, and stays quiet when it cannot")
    void usesTheClassDataArchive() throws Exception {
        Result shared = run(Map.of("MLOPS_JAVA_OPTS", "-Xlog:class+load=info"), "--store", tmp.resolve("none").toString(),
                "models", "list");
        assertThat(shared.out().lines().filter(l -> l.contains("dev.mlops.") && l.contains("source: shared objects file")))
                .as("dev.mlops classes loaded from the archive").isNotEmpty();
        // an archive this JVM cannot use (here: replaced by junk) is ignored without a word
        Path copy = tmp.resolve("bin");
        Files.createDirectories(copy);
        Files.copy(LAUNCHER, copy.resolve("mlops"));
        Files.copy(ARCHIVE.resolveSibling("mlops-cli.jar"), copy.resolve("mlops-cli.jar"));
        Files.writeString(copy.resolve("mlops-cli.jsa"), "not an archive");
        Result junk = run(copy.resolve("mlops"), Map.of(), "--help");
        assertThat(junk.code()).isZero();
        assertThat(junk.err()).isEmpty();
    }

    @Test
    @DisplayName("a help request answered from the recorded page prints what picocli prints for it")
    void recordedHelpIsPicocliHelp() throws Exception {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"}, new String[] {"models", "list", "--help"},
                new String[] {"help", "drift"}, new String[] {"alias", "set", "-h"})) {
            Result page = run(Map.of(), args);
            // any picocli.* property turns the recorded pages off; this one changes nothing else
            Result picocli = run(Map.of("MLOPS_JAVA_OPTS", "-Dpicocli.ansi=false"), args);
            assertThat(page.code()).as("%s", List.of(args)).isZero();
            assertThat(page.err()).as("%s", List.of(args)).isEmpty();
            assertThat(page.out()).as("%s", List.of(args)).startsWith("Usage: mlops").isEqualTo(picocli.out());
            assertThat(picocli.code()).isZero();
        }
        // and the page really was recorded: picocli never built a command to answer it
        Path classes = tmp.resolve("classes.log");
        assertThat(run(Map.of("MLOPS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "models", "--help").code()).isZero();
        assertThat(Files.readString(classes)).contains("dev.mlops.cli.HelpPages")
                .doesNotContain("picocli.CommandLine$Model$CommandSpec ");
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(LAUNCHER, env, args);
    }

    private Result run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = tmp.resolve("out-" + System.nanoTime());
        Path err = tmp.resolve("err-" + System.nanoTime());
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
