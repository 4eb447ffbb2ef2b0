package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import dev.mlops.api.drift.DriftReport;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A window buffer (its state and the rows not yet counted) crosses the shuffle as our bytes. */
@DisplayName("WindowCounting.Pending as bytes")
class WindowPendingBytesTest {
    static final DriftReport.Window WINDOW = new DriftReport.Window(Instant.parse("2026-12-06T00:00:00Z"),
            Instant.parse("2026-12-06T01:00:00Z"), 3);

    /** Columns x, y (numbers) and k (text), as SparkTestData has them, with awkward cells gathered. */
    static WindowCounting.Pending pending(WindowState state) {
        WindowCounting.Pending p = new WindowCounting.Pending();
        p.state = state;
        double[] x = new double[WindowCounting.CHUNK];
        double[] y = new double[WindowCounting.CHUNK];
        String[] k = new String[WindowCounting.CHUNK];
        double[] numbers = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        String[] texts = {null, "", "a", "\ud800", "\u00e9", "zz"};
        for (int r = 0; r < numbers.length; r++) {
            x[r] = numbers[r];
            y[r] = -numbers[r];
            k[r] = texts[r];
        }
        p.columns = new Object[] {x, y, k};
        p.rows = numbers.length;
        return p;
    }

    static void assertSamePending(WindowCounting.Pending back, WindowCounting.Pending p) {
        assertThat(back.rows).isEqualTo(p.rows);
        assertThat(back.columns).hasSameSizeAs(p.columns);
        for (int c = 0; c < p.columns.length; c++) {
            if (p.columns[c] instanceof double[] d) {
                assertThat(back.columns[c]).isInstanceOf(double[].class);
                assertThat(((double[]) back.columns[c]).length).isEqualTo(WindowCounting.CHUNK);
                for (int r = 0; r < p.rows; r++) {
                    assertThat(Double.doubleToRawLongBits(((double[]) back.columns[c])[r]))
                            .isEqualTo(Double.doubleToRawLongBits(d[r]));
                }
            } else {
                assertThat(Arrays.copyOf((String[]) back.columns[c], p.rows))
                        .containsExactly(Arrays.copyOf((String[]) p.columns[c], p.rows));
            }
        }
    }

    @Test
    @DisplayName("a buffer with a state and gathered rows, and one without either, read back equal")
    void roundTrip() {
        SparkTestData data = SparkTestData.of(500, 1, 0.0);
        ReferenceProfile profile = ReferenceProfile.of(data.frame(), ProfileOptions.defaults());
        WindowState state = WindowState.of(profile, data.frame(), WINDOW);
        WindowCounting.Pending p = pending(state);
        WindowCounting.Pending back = WindowCounting.Pending.decode(p.encode());
        assertSamePending(back, p);
        assertThat(back.state).isNull(); // read against the profile when next used
        assertThat(WindowState.fromJson(back.stateJson, profile)).isEqualTo(state);
        // the bean property Spark's encoder uses is the same bytes
        WindowCounting.Pending viaBean = new WindowCounting.Pending();
        viaBean.setBytes(p.getBytes());
        assertThat(viaBean.getBytes()).isEqualTo(p.encode());

        WindowCounting.Pending empty = pending(null);
        empty.rows = 0;
        WindowCounting.Pending emptyBack = WindowCounting.Pending.decode(empty.encode());
        assertThat(emptyBack.stateJson).isNull();
        assertSamePending(emptyBack, empty);
    }

    @Test
    @DisplayName("truncated, trailing, other formats, too many rows and unknown column kinds are refused")
    void refusesBadBytes() {
        byte[] good = pending(null).encode();
        CodecAssertions.refusesTruncatedTrailingAndOtherFormats(good, WindowCounting.Pending::decode, "window buffer");
        CodecAssertions.corruptionFailsCleanly(good, WindowCounting.Pending::decode);
        byte[] tooMany = new SummaryBytes.Writer(0).writeByte(WindowCounting.Pending.FORMAT).text(null)
                .count(WindowCounting.CHUNK + 1L).count(0).toByteArray();
        assertThatThrownBy(() -> WindowCounting.Pending.decode(tooMany))
                .hasMessage("window buffer: gathered rows is 4097, expected at most 4096");
        byte[] hostile = new SummaryBytes.Writer(0).writeByte(WindowCounting.Pending.FORMAT).text(null).count(4000)
                .count(1).writeByte(0).toByteArray();
        assertThatThrownBy(() -> WindowCounting.Pending.decode(hostile))
                .hasMessage("window buffer: column 0: 4000 numbers, but only 0 bytes remain");
        byte[] kind = new SummaryBytes.Writer(0).writeByte(WindowCounting.Pending.FORMAT).text(null).count(0).count(1)
                .writeByte(5).toByteArray();
        assertThatThrownBy(() -> WindowCounting.Pending.decode(kind))
                .hasMessage("window buffer: column 0 has kind 5, expected 0 (numbers) or 1 (text)");
    }
}
