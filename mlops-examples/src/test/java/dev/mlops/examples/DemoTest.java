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
    @DisplayName("runs the registry life cycle on the NOAA data, writes only into its output folder, and verifies")
    void runs() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = Demo.run(out, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(console).isTrue();
        assertThat(console)
                .contains("seattle-weather/1", "seattle-weather/2", "366 rows", "731 rows")
                .contains("returns seattle-weather/1 (same content, no duplicate)")
                .contains("temp-max/1", "temp-max/2", "rollback")
                .contains("alias.rollback", "version.register")
                .contains("store: ok (0 problems)", "audit chain: ok");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store", "data");
        }
        // running again starts from a fresh store and tells the same story
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(Demo.run(out, new PrintStream(again, true, StandardCharsets.UTF_8))).isTrue();
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("temp-max/2");
    }
}
