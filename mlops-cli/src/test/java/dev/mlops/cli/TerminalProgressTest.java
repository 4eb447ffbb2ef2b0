package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real terminal test: {@code mlops} runs in a child JVM under util-linux {@code script}, so
 * its stderr is a pseudo-terminal and the default (no option) must show progress, found by
 * reading {@code /proc/self/fd/2}. Skipped, with a message, when {@code script} is not on the
 * PATH; on CI ({@code CI=true}) that is a failure, because {@code .ci/run} installs it (Debian
 * package bsdutils). Each child is bounded to {@value #TIMEOUT_SECONDS} seconds.
 */
@DisplayName("progress in a real terminal")
class TerminalProgressTest {
    static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path data;

    static WeatherYears years;
    static Path script;

    @BeforeAll
    static void files() {
        years = WeatherYears.writeTo(data);
    }

    /** Checked per test, so that a skip is reported (with its reason) for every test. */
    @BeforeEach
    void findScript() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "script")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("no 'script' command on the PATH, but CI=true: .ci/run must install Debian's bsdutils"
                    + " (apt-get install -y bsdutils) before the build");
        }
        Assumptions.assumeTrue(found.isPresent(), "skipped: no 'script' command (util-linux) on the PATH to give the"
                + " CLI a terminal; install Debian's bsdutils (apt-get install -y bsdutils) to run this test");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "skipped: no /proc (not Linux)");
        script = found.get();
    }

    /** Runs {@code mlops ARGS [shellSuffix]} on a pseudo-terminal; returns what the terminal showed. */
    private static String onTerminal(String args, String shellSuffix) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = quote(java) + " -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "
                + quote(System.getProperty("java.class.path")) + " " + MlopsCommand.class.getName() + " " + args
                + shellSuffix;
        Path transcript = Files.createTempFile(data, "terminal-", ".out");
        Process p = new ProcessBuilder(script.toString(), "-q", "-e", "-c", command, "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(transcript.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("mlops under script did not finish in " + TIMEOUT_SECONDS + " s; output so far: "
                    + Files.readString(transcript));
        }
        String shown = Files.readString(transcript, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code of mlops %s under script; terminal showed: %s", args, shown).isZero();
        return shown;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String drift(String... extra) {
        return Stream.concat(Stream.of("drift", "--reference", years.y2012().toString(), "--current", years.y2015().toString()),
                Stream.of(extra)).map(TerminalProgressTest::quote).collect(Collectors.joining(" "));
    }

    @Test
    @DisplayName("stderr a terminal: progress by default, redrawn with carriage returns, then the table")
    void progressByDefault() throws Exception {
        String shown = onTerminal(drift(), "");
        assertThat(shown).contains("\rreading weather-2012.csv (pass 1 of 2: types)  ")
                .containsPattern("\rreading weather-2015\\.csv  [0-9.]+ KiB, 365 rows, done")
                .contains("\rcomparing columns  5 / 5 (100%), done")
                .contains("dataset drift: YES (3 of 5 columns drifted");
        assertThat(shown.indexOf("comparing columns")).as("progress ends before the table starts")
                .isLessThan(shown.indexOf("COLUMN"));
    }

    @Test
    @DisplayName("--quiet on a terminal: no progress, the same table")
    void quiet() throws Exception {
        String shown = onTerminal(drift("--quiet"), "");
        assertThat(shown).doesNotContain("reading ", "comparing columns", "\r\r")
                .contains("dataset drift: YES (3 of 5 columns drifted");
    }

    @Test
    @DisplayName("stdout a terminal but stderr a file: no progress, because it is stderr that is tested")
    void stderrRedirected() throws Exception {
        Path err = data.resolve("stderr.txt");
        String shown = onTerminal(drift(), " 2>" + quote(err.toString()));
        assertThat(shown).contains("dataset drift: YES").doesNotContain("comparing columns");
        assertThat(Files.readString(err)).isEmpty();
        String forced = onTerminal(drift("--progress"), " 2>" + quote(err.toString()));
        assertThat(forced).doesNotContain("comparing columns");
        assertThat(Files.readString(err)).as("--progress writes to the file anyway")
                .endsWith("\rcomparing columns  5 / 5 (100%), done" + System.lineSeparator());
    }
}
