package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The progress line: what it prints, how often, and how it ends; on a manual clock. */
@DisplayName("Progress")
class ProgressTest {
    private static final String NL = System.lineSeparator();

    private final StringWriter out = new StringWriter();
    private long now = 1_000_000_000L;
    private final Progress progress = Progress.to(new PrintWriter(out), () -> now);

    private void millis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private long redraws() {
        return out.toString().chars().filter(c -> c == '\r').count();
    }

    @Test
    @DisplayName("off: nothing is printed, whatever is called")
    void off() {
        Progress off = Progress.off();
        assertThat(off.enabled()).isFalse();
        try (Progress.Task t = off.bytes("storing model.onnx", 100)) {
            t.advance(50).label("x").total(200).set(10);
            t.done();
        }
        off.phase("verifying store").done("summary");
        off.count("comparing columns", 3).close();
        assertThat(off.bytes("a", 1)).isNotNull();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    @DisplayName("bytes: the first update draws at once, the end is ', done' and a newline")
    void bytesLine() {
        Progress.Task t = progress.bytes("storing model.onnx", 256L << 20);
        assertThat(out.toString()).as("nothing before the first update").isEmpty();
        t.advance(48L << 20);
        assertThat(out.toString()).isEqualTo("\rstoring model.onnx  48.0 MiB / 256.0 MiB (18%)");
        millis(Progress.REDRAW_INTERVAL_MILLIS);
        t.advance(208L << 20);
        t.done();
        assertThat(out.toString()).isEqualTo("\rstoring model.onnx  48.0 MiB / 256.0 MiB (18%)"
                + "\rstoring model.onnx  256.0 MiB / 256.0 MiB (100%)"
                + "\rstoring model.onnx  256.0 MiB / 256.0 MiB (100%), done" + NL);
        t.advance(1);
        t.done();
        t.close();
        assertThat(out.toString()).as("calls after done are ignored").endsWith("(100%), done" + NL)
                .containsOnlyOnce(", done");
    }

    @Test
    @DisplayName("counts with thousands separators; no total, no percentage; a zero total is 100%")
    void counts() {
        progress.count("comparing columns", 100).set(12);
        assertThat(out.toString()).isEqualTo("\rcomparing columns  12 / 100 (12%)");
        out.getBuffer().setLength(0);
        progress.count("reading rows", -1).set(120_000);
        assertThat(out.toString()).as("the open line is ended as done, then the next task draws")
                .isEqualTo(", done" + NL + "\rreading rows  120,000");
        out.getBuffer().setLength(0);
        progress.bytes("storing empty.bin", 0).done();
        assertThat(out.toString()).contains("\rstoring empty.bin  0 B / 0 B (100%), done" + NL);
    }

    @Test
    @DisplayName("redraws are throttled: 10,000 updates over one second draw at most 11 times")
    void throttled() {
        Progress.Task t = progress.bytes("storing big.bin", 10_000);
        for (int i = 0; i < 10_000; i++) {
            t.advance(1);
            now += TimeUnit.MICROSECONDS.toNanos(100);
        }
        assertThat(redraws()).isBetween(10L, 11L);
        t.advance(0);
        assertThat(redraws()).as("within the interval nothing is drawn").isBetween(10L, 11L);
        millis(Progress.REDRAW_INTERVAL_MILLIS);
        t.advance(0);
        assertThat(redraws()).isBetween(11L, 12L);
    }

    @Test
    @DisplayName("a shorter text is padded with spaces over the longer one it replaces")
    void padded() {
        Progress.Task t = progress.bytes("reading weather.csv (pass 1 of 2: types)", 2048);
        t.advance(1024);
        t.done("reading weather.csv  2.0 KiB, 366 rows");
        String longer = "reading weather.csv (pass 1 of 2: types)  1.0 KiB / 2.0 KiB (50%)";
        String shorter = "reading weather.csv  2.0 KiB, 366 rows, done";
        assertThat(out.toString()).isEqualTo("\r" + longer + "\r" + shorter
                + " ".repeat(longer.length() - shorter.length()) + NL);
    }

    @Test
    @DisplayName("a phase shows at once; the next task that draws ends it as done")
    void phases() {
        Progress.Task phase = progress.phase("reading weather.csv for rows and types");
        assertThat(out.toString()).isEqualTo("\rreading weather.csv for rows and types");
        Progress.Task upload = progress.bytes("storing weather.csv", 10);
        upload.advance(10);
        phase.done();
        upload.done();
        assertThat(out.toString()).isEqualTo("\rreading weather.csv for rows and types, done" + NL
                + "\rstoring weather.csv  10 B / 10 B (100%)"
                + "\rstoring weather.csv  10 B / 10 B (100%), done" + NL);
    }

    @Test
    @DisplayName("close without done (a failure) ends the open line without ', done', so the error starts a line")
    void closeOnFailure() {
        try (Progress.Task t = progress.bytes("storing model.onnx", 100)) {
            t.advance(40);
        }
        assertThat(out.toString()).isEqualTo("\rstoring model.onnx  40 B / 100 B (40%)" + NL);
        Progress.Task never = progress.bytes("storing other.onnx", 100);
        never.close();
        assertThat(out.toString()).as("a task that never drew prints nothing when closed")
                .isEqualTo("\rstoring model.onnx  40 B / 100 B (40%)" + NL);
    }

    @Test
    @DisplayName("control characters in labels (file names) cannot move the cursor or forge lines")
    void printableLabels() {
        progress.phase("storing evil\r\nmlops: fake.bin").done();
        assertThat(out.toString()).isEqualTo("\rstoring evil  mlops: fake.bin\rstoring evil  mlops: fake.bin, done" + NL);
    }
}
