package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The README demo")
class DemoTest {
    @TempDir
    Path out;

    @Test
    @DisplayName("runs the whole life cycle on the NOAA data, writes only into its output folder, and verifies")
    void runs() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = Demo.run(out, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(console).isTrue();
        assertThat(console)
                .contains("seattle-weather/1: 366 rows")
                .contains("temp-max/1: linear SGD")
                .containsPattern("retrained temp-max/2 .*: held-out MAE [0-9.]+ C, the champion's [0-9.]+ C on the same"
                        + " days \\(gate: <= 2.5, at most 0.1 worse\\) -> PROMOTED")
                .contains("the service now serves temp-max/2")
                .containsPattern("temp-max/3 \\(trained on shuffled labels.*REFUSED")
                .containsPattern("max:mae: observed [0-9.]+, required <= 2.5")
                .containsPattern("non_inferiority:mae: observed -[0-9.]+, required change >= -0.1")
                .contains("rollback -> temp-max/1, the service serves temp-max/1")
                .contains("production -> temp-max/2 again, the service serves temp-max/2")
                .contains("window  1, 2014/01/01 to 2014/02/25: dataset drift", "window 13, 2015/11/04 to 2015/12/29")
                // the run triggered by window 2 trains on the data registered as that window closed
                .contains("temp-max/2: trained on [seattle-weather/3], retrained from temp-max/1")
                .contains("store: ok (0 problems)", "audit chain: ok");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("store", "data", "drift-report.html", "model-card.html", "model-card.md");
        }
        assertThat(Files.readString(out.resolve("drift-report.html"))).contains("<svg");
        assertThat(Files.readString(out.resolve("model-card.html"))).contains("temp-max/2", "alias.promote");
        // running again starts from a fresh store and tells the same story
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(Demo.run(out, new PrintStream(again, true, StandardCharsets.UTF_8))).isTrue();
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("temp-max/2");
    }
}
