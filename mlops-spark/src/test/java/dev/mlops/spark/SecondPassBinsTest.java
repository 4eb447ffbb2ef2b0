package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The second pass's summary crosses the shuffle as plain numbers, read back exactly. */
class SecondPassBinsTest {

    /** Two columns with counts, one without bins; moments with −0.0, subnormals, huge counts and infinities. */
    static SecondPass.Bins awkward() {
        SecondPass.Bins bins = new SecondPass.Bins(new double[][] {{0, 1, 2}, {}}, new double[][] {{0.5}, {1, 2}});
        bins.binCounts[0][1] = 7;
        bins.binCounts[0][0] = Long.MAX_VALUE;
        bins.cells[1][2] = 3;
        bins.addMoment(0, 1.25);
        bins.addMoment(0, -0.0);
        bins.addMoment(1, Double.MIN_VALUE);
        bins.finite[1] = Long.MAX_VALUE;
        bins.m2[1] = Double.POSITIVE_INFINITY;
        return bins;
    }

    static void assertSameBins(SecondPass.Bins back, SecondPass.Bins bins) {
        assertThat(back.binCounts).isDeepEqualTo(bins.binCounts);
        assertThat(back.cells).isDeepEqualTo(bins.cells);
        assertThat(back.finite).containsExactly(bins.finite);
        assertThat(Arrays.stream(back.mean).mapToLong(Double::doubleToRawLongBits).toArray())
                .containsExactly(Arrays.stream(bins.mean).mapToLong(Double::doubleToRawLongBits).toArray());
        assertThat(Arrays.stream(back.m2).mapToLong(Double::doubleToRawLongBits).toArray())
                .containsExactly(Arrays.stream(bins.m2).mapToLong(Double::doubleToRawLongBits).toArray());
    }

    @Test
    @DisplayName("a summary read back from its bytes equals it, and extra bytes are refused")
    void roundTrip() {
        SecondPass.Bins bins = awkward();
        assertSameBins(SecondPass.Bins.decode(bins.encode()), bins);
        byte[] longer = Arrays.copyOf(bins.encode(), bins.encode().length + 1);
        assertThatThrownBy(() -> SecondPass.Bins.decode(longer)).hasMessageContaining("bytes after its last column");
    }

    @Test
    @DisplayName("an empty summary, one without columns, and NaN moments read back")
    void emptyAndNaN() {
        SecondPass.Bins empty = new SecondPass.Bins(new double[][] {{0, 1}}, new double[][] {{}});
        assertSameBins(SecondPass.Bins.decode(empty.encode()), empty);
        SecondPass.Bins none = new SecondPass.Bins(new double[0][], new double[0][]);
        assertSameBins(SecondPass.Bins.decode(none.encode()), none);
        SecondPass.Bins nan = new SecondPass.Bins(new double[][] {{}}, new double[][] {{}});
        nan.mean[0] = Double.longBitsToDouble(0x7ff8_0000_0000_1234L);
        nan.m2[0] = Double.NEGATIVE_INFINITY;
        assertSameBins(SecondPass.Bins.decode(nan.encode()), nan);
    }

    @Test
    @DisplayName("truncated, trailing, other formats and lengths the bytes cannot back are refused by name")
    void refusesBadBytes() {
        byte[] good = awkward().encode();
        CodecAssertions.refusesTruncatedTrailingAndOtherFormats(good, SecondPass.Bins::decode, "second-pass summary");
        CodecAssertions.corruptionFailsCleanly(good, SecondPass.Bins::decode);
        byte[] columns = new SummaryBytes.Writer(0).writeByte(SecondPass.Bins.FORMAT).count(Integer.MAX_VALUE)
                .toByteArray();
        assertThatThrownBy(() -> SecondPass.Bins.decode(columns)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("second-pass summary: column count is 2147483647, but only 0 bytes remain");
        SummaryBytes.Writer w = new SummaryBytes.Writer(0).writeByte(SecondPass.Bins.FORMAT).count(1).count(1L << 40);
        for (int i = 0; i < 20; i++) {
            w.writeByte(0); // enough for the column count to pass, far too few for the bin counts
        }
        byte[] counts = w.toByteArray();
        assertThatThrownBy(() -> SecondPass.Bins.decode(counts))
                .hasMessageStartingWith("second-pass summary: bin counts of column 0 is 1099511627776, but only 20 bytes");
    }
}
