package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress of {@code register}, {@code datasets register}, {@code drift}, {@code report},
 * {@code verify} and {@code gc} on multi-MiB files, with stderr captured: when it is shown
 * (git's rules), what it says, and that stdout and exit codes do not change.
 */
@DisplayName("progress on stderr")
class ProgressCliTest {
    private static final String NL = System.lineSeparator();
    private static final int ROWS = 40_000;

    @TempDir
    static Path tmp;

    static Path model;
    static Path modelDir;
    static Path reference;
    static Path current;

    @BeforeAll
    static void files() throws IOException {
        Random random = new Random(42);
        byte[] weights = new byte[6 << 20];
        random.nextBytes(weights);
        model = Files.write(tmp.resolve("model.onnx"), weights);
        modelDir = Files.createDirectories(tmp.resolve("model-dir"));
        Files.write(modelDir.resolve("a.bin"), java.util.Arrays.copyOf(weights, 3 << 20));
        Files.createDirectories(modelDir.resolve("sub"));
        Files.write(modelDir.resolve("sub/b.bin"), java.util.Arrays.copyOfRange(weights, 1 << 20, 2 << 20));
        reference = csv("reference.csv", random, 0.0);
        current = csv("current.csv", random, 0.25);
    }

    /** Eight numeric columns (the first three shift in the current file) and one categorical: about 3 MiB. */
    private static Path csv(String name, Random random, double shift) throws IOException {
        Path file = tmp.resolve(name);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("x0,x1,x2,x3,x4,x5,x6,x7,kind\n");
            for (int r = 0; r < ROWS; r++) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < 8; c++) {
                    line.append(String.format(Locale.ROOT, "%.5f,", random.nextGaussian() + (c < 3 ? shift : 0)));
                }
                line.append("abcde".charAt(random.nextInt(5))).append('\n');
                w.write(line.toString());
            }
        }
        assertThat(Files.size(file)).isGreaterThan(2L << 20);
        return file;
    }

    private static List<String> driftArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("drift", "--reference", reference.toString(), "--current", current.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Nested
    @DisplayName("register")
    class Register {
        @TempDir
        Path dir;

        @Test
        @DisplayName("--progress counts the artifact's bytes up to its size; stdout is the usual result line")
        void file() {
            CliRunner cli = new CliRunner(dir.resolve("store"));
            CliRunner.Result r = cli.run("register", "rain", "--artifact", model.toString(), "--progress");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("registered rain/1  sha256 ").endsWith("(1 file, 6.0 MiB)" + NL);
            assertThat(r.err()).startsWith("\rstoring model.onnx  ")
                    .endsWith("\rstoring model.onnx  6.0 MiB / 6.0 MiB (100%), done" + NL)
                    .doesNotContain("mlops:");
            assertThat(r.err().split("\r", -1)).as("at least one update before the final line").hasSizeGreaterThanOrEqualTo(3);
        }

        @Test
        @DisplayName("a directory counts every file: the total is their sum")
        void directory() {
            CliRunner cli = new CliRunner(dir.resolve("store"));
            CliRunner.Result r = cli.run("--progress", "register", "rain", "--artifact", modelDir.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).endsWith("\rstoring model-dir/  4.0 MiB / 4.0 MiB (100%), done" + NL);
        }

        @Test
        @DisplayName("--json stays one JSON document on stdout while progress goes to stderr")
        void json() {
            CliRunner cli = new CliRunner(dir.resolve("store"));
            CliRunner.Result r = cli.run("register", "rain", "--artifact", model.toString(), "--progress", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.json().get("version").asInt()).isEqualTo(1);
            assertThat(r.err()).contains("(100%), done");
        }

        @Test
        @DisplayName("off by default when stderr is not a terminal, and with --quiet or --no-progress")
        void offByDefault() {
            CliRunner cli = new CliRunner(dir.resolve("store"));
            assertThat(cli.ok("register", "rain", "--artifact", model.toString()).out()).startsWith("registered rain/1");
            assertThat(cli.ok("register", "rain", "--artifact", model.toString(), "-q").out()).startsWith("registered rain/2");
            assertThat(cli.ok("--no-progress", "register", "rain", "--artifact", model.toString()).out())
                    .startsWith("registered rain/3");
        }

        @Test
        @DisplayName("a failure before any byte is stored prints the error alone")
        void failureBeforeUpload() {
            CliRunner cli = new CliRunner(dir.resolve("store"));
            CliRunner.Result r = cli.run("register", "rain", "--artifact", model.toString(), "--dataset", "nope/1", "--progress");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).startsWith("mlops: unknown dataset 'nope/1'").doesNotContain("storing");
        }
    }

    @Nested
    @DisplayName("stderr a terminal (as the command is told)")
    class Terminal {
        @TempDir
        Path dir;

        private CliRunner.Result register(String... extra) {
            List<String> args = new ArrayList<>(List.of("register", "rain", "--artifact", model.toString()));
            args.addAll(List.of(extra));
            CliRunner.Result r = new CliRunner(dir.resolve("store")).withTerminalStderr().run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("registered rain/");
            return r;
        }

        @Test
        @DisplayName("shown by default; --quiet hides it; --progress shows it despite --quiet; --no-progress hides it")
        void gitRules() {
            assertThat(register().err()).endsWith("(100%), done" + NL);
            assertThat(register("--quiet").err()).isEmpty();
            assertThat(register("-q").err()).isEmpty();
            assertThat(register("-q", "--progress").err()).endsWith("(100%), done" + NL);
            assertThat(register("--no-progress").err()).isEmpty();
        }

        @Test
        @DisplayName("of --progress and --no-progress the last one given wins, before or after the command")
        void lastWins() {
            List<String> store = List.of("--store", dir.resolve("store").toString());
            CliRunner cli = new CliRunner(null).withTerminalStderr();
            List<String> on = new ArrayList<>(store);
            on.addAll(List.of("--no-progress", "register", "rain", "--artifact", model.toString(), "--progress"));
            assertThat(cli.raw(on.toArray(String[]::new)).err()).endsWith("(100%), done" + NL);
            List<String> off = new ArrayList<>(store);
            off.addAll(List.of("--progress", "register", "rain", "--artifact", model.toString(), "--no-progress"));
            CliRunner.Result r = cli.raw(off.toArray(String[]::new));
            assertThat(r.exitCode()).isZero();
            assertThat(r.err()).isEmpty();
            List<String> sameLevel = new ArrayList<>(store);
            sameLevel.addAll(List.of("--progress", "--no-progress", "-q", "verify"));
            assertThat(cli.raw(sameLevel.toArray(String[]::new)).err()).isEmpty();
        }
    }

    @Nested
    @DisplayName("datasets register")
    class DatasetRegister {
        @TempDir
        Path dir;

        @Test
        @DisplayName("a CSV file: the catalog's reading pass, then the bytes stored")
        void csv() throws IOException {
            CliRunner cli = new CliRunner(dir.resolve("store"));
            CliRunner.Result r = cli.run("datasets", "register", "drifty", "--file", current.toString(), "--progress");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("registered drifty/1").contains(ROWS + " rows");
            String size = Text.bytes(Files.size(current));
            assertThat(r.err()).startsWith("\rreading current.csv for rows and types, done" + NL + "\rstoring current.csv  ")
                    .endsWith("\rstoring current.csv  " + size + " / " + size + " (100%), done" + NL);
            assertThat(cli.ok("datasets", "register", "drifty", "--file", current.toString()).out())
                    .as("no progress by default").startsWith("unchanged: ");
        }
    }

    @Nested
    @DisplayName("drift and report")
    class Drift {
        @Test
        @DisplayName("--progress: both passes over each file, a column count, and the same JSON on stdout as without")
        void drift() {
            CliRunner cli = new CliRunner(null);
            CliRunner.Result plain = cli.run(driftArgs("--json").toArray(String[]::new));
            assertThat(plain.exitCode()).as(plain.err()).isZero();
            assertThat(plain.err()).as("no progress by default: stderr is not a terminal").isEmpty();
            CliRunner.Result shown = cli.run(driftArgs("--json", "--progress").toArray(String[]::new));
            assertThat(shown.exitCode()).as(shown.err()).isZero();
            JsonNode report = shown.json();
            assertThat(CliRunner.withoutCreatedAt(report)).isEqualTo(CliRunner.withoutCreatedAt(plain.json()));
            assertThat(report.get("drift_share").asDouble()).isEqualTo(3.0 / 9);
            String rows = Progress.count(ROWS);
            assertThat(shown.err()).contains("\rreading reference.csv (pass 1 of 2: types)  ")
                    .contains("\rreading reference.csv (pass 2 of 2: values)  ")
                    .containsPattern("\rreading reference\\.csv  [0-9.]+ MiB, " + rows + " rows, done *" + NL)
                    .containsPattern("\rreading current\\.csv  [0-9.]+ MiB, " + rows + " rows, done *" + NL)
                    .endsWith("\rcomparing columns  9 / 9 (100%), done" + NL);
            assertThat(report.get("columns")).hasSize(9);
            CliRunner.Result quiet = cli.run(driftArgs("--json", "--quiet").toArray(String[]::new));
            assertThat(quiet.err()).isEmpty();
            assertThat(CliRunner.withoutCreatedAt(quiet.json())).isEqualTo(CliRunner.withoutCreatedAt(plain.json()));
        }

        @Test
        @DisplayName("one column, one thread: the count still ends at 1 / 1; the table is unchanged")
        void oneColumn() {
            CliRunner cli = new CliRunner(null);
            CliRunner.Result r = cli.run(driftArgs("--column", "x0", "--parallelism", "1", "--progress").toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).endsWith("\rcomparing columns  1 / 1 (100%), done" + NL);
            assertThat(r.out()).isEqualTo(cli.run(driftArgs("--column", "x0", "--parallelism", "1").toArray(String[]::new)).out());
        }

        @Test
        @DisplayName("report shows the same progress and writes the same files")
        void report() throws IOException {
            Path json = tmp.resolve("progress-report.json");
            CliRunner.Result r = new CliRunner(null).run("report", "--reference", reference.toString(), "--current",
                    current.toString(), "--json-file", json.toString(), "--progress");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).endsWith("\rcomparing columns  9 / 9 (100%), done" + NL);
            assertThat(r.out()).isEqualTo("wrote " + json + NL
                    + "dataset drift: no (3 of 9 columns drifted, share 0.33 < 0.50)" + NL);
        }

        @Test
        @DisplayName("a malformed file fails after progress began: the line is ended, the error stands alone")
        void failureWhileReading() throws IOException {
            List<String> lines = new ArrayList<>(Files.readAllLines(current));
            lines.add("1,2,3");
            Path broken = Files.write(tmp.resolve("broken.csv"), lines);
            CliRunner.Result r = new CliRunner(null).run("drift", "--reference", reference.toString(), "--current",
                    broken.toString(), "--progress");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            String[] errLines = r.err().split(NL);
            assertThat(errLines[errLines.length - 1]).startsWith("mlops: --current ").contains("has 3 fields");
            assertThat(errLines[errLines.length - 2]).contains("broken.csv (pass 1 of 2: types)").doesNotContain("done");
        }
    }

    @Nested
    @DisplayName("verify and gc")
    class Maintenance {
        @TempDir
        Path dir;

        @Test
        @DisplayName("a phase line each, ended when the work is; stdout unchanged")
        void phases() {
            CliRunner cli = new CliRunner(dir.resolve("store"));
            cli.ok("register", "rain", "--artifact", model.toString());
            CliRunner.Result verify = cli.run("verify", "--progress");
            assertThat(verify.exitCode()).isZero();
            assertThat(verify.out()).isEqualTo("ok: no problems found" + NL);
            assertThat(verify.err()).isEqualTo("\rverifying store\rverifying store, done" + NL);
            CliRunner.Result gc = cli.run("gc", "--progress", "--json");
            assertThat(gc.exitCode()).isZero();
            assertThat(gc.json().get("blobs_deleted").asInt()).isZero();
            assertThat(gc.err()).isEqualTo("\rcollecting unreferenced blobs\rcollecting unreferenced blobs, done" + NL);
            assertThat(cli.ok("verify").err()).isEmpty();
        }
    }
}
