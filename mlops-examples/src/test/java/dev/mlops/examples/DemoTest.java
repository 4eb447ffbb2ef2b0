package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo story is what the demo prints: the README shows the whole output, and this
 * test runs the demo and compares, line for line (only the output folder and the latency, which
 * depend on the machine, are masked). The demo is deterministic (fixed data, seeds, count
 * windows, a clock that reads the data's dates, runs awaited before the next day), so a change
 * of story fails here until README.md and docs/gates.md tell the new one.
 */
@DisplayName("The README demo")
class DemoTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    /** Marks the block of README.md that holds the demo's output. */
    static final String MARKER = "<!-- the demo's output, compared with a run by DemoTest -->";

    @TempDir
    Path out;

    String run() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = Demo.run(out, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(console).isTrue();
        return normalize(console.replace(out.toString(), "demo-output"));
    }

    /** Line ends, and the p99 latencies, which differ from machine to machine. */
    static String normalize(String text) {
        return text.replace("\r\n", "\n").replaceAll("p99 latency \\d+ us", "p99 latency N us").strip();
    }

    static String readmeStory() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int at = readme.indexOf(MARKER);
        assertThat(at).as("README.md has the marker %s", MARKER).isNotNegative();
        int open = readme.indexOf("```text\n", at);
        int close = readme.indexOf("\n```", open + 8);
        return normalize(readme.substring(open + 8, close));
    }

    @Test
    @DisplayName("prints the story README.md tells, with the numbers docs/gates.md quotes, and runs the same again")
    void tellsTheReadmesStory() throws Exception {
        String console = run();
        // the key facts, so that a failure says which one changed
        assertThat(console)
                .contains("seattle-weather/1: 366 rows")
                .contains("retrain policy: dataset drift in 2 windows in a row, then no retraining for 365 days of data")
                // hysteresis: the first drifted window does not retrain, the second does
                .contains("window  1, 2014/01/01 to 2014/02/25, against the profile of temp-max/1: dataset drift")
                .contains("-> drift signal 1 of 2 needed in a row (hysteresis)")
                .containsPattern("window  2, 2014/02/26 to 2014/04/22, against the profile of temp-max/1: dataset drift.*\n"
                        + " +-> retrain: dataset drift")
                // the champion and the challenger on the same held-out days, and the gate's verdict
                .containsPattern("run 1: temp-max/2 \\(linear SGD, Tribuo; data \\[seattle-weather/3]\\): held-out MAE"
                        + " 2\\.147 C, the champion temp-max/1's 2\\.199 C on the same days .* -> PROMOTED")
                // the monitor follows the alias: from window 3 on it compares with v2's own profile
                .contains("drift monitor of temp-max@production: moved to temp-max/2; windows are compared with its"
                        + " profile from now on")
                .contains("window  3, 2014/04/23 to 2014/06/17, against the profile of temp-max/2")
                // cooldown in days of data, said when it holds a retraining back
                .containsPattern("window  4, .*\n +-> drift signal 2 in a row, but in the cooldown: 365 days after the"
                        + " trigger at 2014-04-22T00:00:00Z, until 2015-04-22T00:00:00Z")
                .containsPattern("window  9, 2015/03/25 to 2015/05/19, against the profile of temp-max/2: dataset drift.*\n"
                        + " +-> retrain: dataset drift")
                .containsPattern("run 2: temp-max/3 \\(linear SGD, Tribuo; data \\[seattle-weather/10]\\): held-out MAE"
                        + " 2\\.615 C, the champion temp-max/2's 2\\.667 C on the same days .* -> PROMOTED")
                .contains("window 10, 2015/05/20 to 2015/07/14, against the profile of temp-max/3")
                .contains("streamed 729 days of 2014-2015: 13 windows, 12 with dataset drift")
                // live error compared on the same days, not on different seasons
                .containsPattern("2014/04/23 to 2015/05/19, 392 days: temp-max/2 [0-9.]+ C \\(live\\), temp-max/1 [0-9.]+ C\n"
                        + " +2015/05/20 to 2015/12/30, 225 days: temp-max/3 [0-9.]+ C \\(live\\), temp-max/1 [0-9.]+ C,"
                        + " temp-max/2 [0-9.]+ C")
                .containsPattern("run 3: temp-max/4 \\(trained on shuffled labels \\(deliberately bad\\).*REFUSED:")
                .contains("rollback -> temp-max/2, the service serves temp-max/2")
                .contains("production -> temp-max/3 again, the service serves temp-max/3")
                .contains("temp-max/3: trained on [seattle-weather/10], retrained from temp-max/2")
                .contains("store: ok (0 problems)", "audit chain: ok");
        // the same story, line for line, as README.md prints it
        assertThat(console).isEqualTo(readmeStory());
        // docs/gates.md quotes the gate's numbers of this run
        String gates = Files.readString(ROOT.resolve("docs/gates.md"));
        Matcher m = Pattern.compile("held-out MAE is\\s+([0-9.]+) °C\\s+against\\s+the\\s+champion's\\s+([0-9.]+) °C").matcher(gates);
        assertThat(m.find()).as("docs/gates.md quotes the demo's numbers").isTrue();
        assertThat(console).contains("held-out MAE " + m.group(1) + " C, the champion temp-max/1's " + m.group(2) + " C");
        assertThat(m.find()).as("docs/gates.md quotes the second run's numbers").isTrue();
        assertThat(console).contains("held-out MAE " + m.group(1) + " C, the champion temp-max/2's " + m.group(2) + " C");
        Matcher bad = Pattern.compile("shuffled\\s+labels\\s+fails\\s+both\\s+checks\\s+\\(MAE\\s+([0-9.]+) °C,\\s+([0-9.]+)\\s+worse").matcher(gates);
        assertThat(bad.find()).as("docs/gates.md quotes the bad candidate's numbers").isTrue();
        assertThat(console).contains("max:mae: observed " + bad.group(1) + ", required <= 3",
                "non_inferiority:mae: observed -" + bad.group(2) + ", required change >= -0.1");

        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("store", "data", "drift-report.html", "model-card.html", "model-card.md");
        }
        assertThat(Files.readString(out.resolve("drift-report.html"))).contains("<svg");
        assertThat(Files.readString(out.resolve("model-card.html"))).contains("temp-max/3", "alias.promote");
        // running again starts from a fresh store and tells the same story, to the digit
        assertThat(run()).isEqualTo(console);
    }

    @Test
    @DisplayName("keeps the library's INFO lines out of the story: its logging config sets dev.mlops to WARN")
    void configuresItsOwnLogging() throws Exception {
        List<String> config = Files.readAllLines(ROOT.resolve("mlops-examples/src/main/resources/simplelogger.properties"));
        assertThat(config).contains("org.slf4j.simpleLogger.log.dev.mlops=warn", "org.slf4j.simpleLogger.logFile=System.err");
        assertThat(org.slf4j.LoggerFactory.getLogger("dev.mlops.serving.ServingService").isInfoEnabled()).isFalse();
        assertThat(org.slf4j.LoggerFactory.getLogger("dev.mlops.serving.ServingService").isWarnEnabled()).isTrue();
    }
}
