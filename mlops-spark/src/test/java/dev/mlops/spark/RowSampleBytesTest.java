package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A task's sampled rows cross between tasks and to the driver as our bytes, not as Java-serialized Rows. */
@DisplayName("RowSampling.Lowest as bytes")
class RowSampleBytesTest {

    static RowSampling.Lowest lowest(int size, long rows, int partition) {
        RowSampling.Lowest l = new RowSampling.Lowest(size, 2, 1);
        double[] numbers = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE};
        String[] texts = {null, "", "\ud800", "\u00e9t\u00e9", "a", "b\u0000"};
        for (int r = 0; r < numbers.length; r++) {
            l.offer(new RowSampling.Sampled(RowSampling.priority(9, partition, r), partition, r,
                    new double[] {numbers[r], -numbers[r]}, new String[] {texts[r]}));
        }
        l.rows = rows;
        return l;
    }

    /** The kept rows in the order of their places, each as place, priority, cells' raw bits and text. */
    static List<String> describe(RowSampling.Lowest l) {
        List<RowSampling.Sampled> kept = l.kept();
        kept.sort(Comparator.comparingInt(RowSampling.Sampled::partition).thenComparingLong(RowSampling.Sampled::position));
        List<String> out = new ArrayList<>();
        for (RowSampling.Sampled s : kept) {
            out.add(s.partition() + "/" + s.position() + "/" + s.priority() + "/"
                    + Long.toHexString(Double.doubleToRawLongBits(s.numbers()[0])) + "/"
                    + Long.toHexString(Double.doubleToRawLongBits(s.numbers()[1])) + "/" + s.texts()[0]);
        }
        return out;
    }

    @Test
    @DisplayName("kept rows (NaN, ±0.0, ±Infinity, any text), a huge row count and an empty sample read back")
    void roundTrip() {
        RowSampling.Lowest l = lowest(4, Long.MAX_VALUE, Integer.MAX_VALUE);
        RowSampling.Lowest back = RowSampling.Lowest.decode(l.encode());
        assertThat(describe(back)).hasSize(4).isEqualTo(describe(l));
        assertThat(back.rows).isEqualTo(Long.MAX_VALUE);
        // merged through bytes as Spark's tree merges them: the same rows as merged directly
        RowSampling.Lowest direct = lowest(4, 10, 0).merge(lowest(4, 20, 1));
        RowSampling.Lowest viaBytes = RowSampling.Lowest.decode(lowest(4, 10, 0).encode())
                .merge(RowSampling.Lowest.decode(lowest(4, 20, 1).encode()));
        assertThat(describe(viaBytes)).isEqualTo(describe(direct));
        assertThat(viaBytes.rows).isEqualTo(30);

        RowSampling.Lowest empty = new RowSampling.Lowest(7, 2, 1);
        RowSampling.Lowest emptyBack = RowSampling.Lowest.decode(empty.encode());
        assertThat(emptyBack.kept()).isEmpty();
        assertThat(emptyBack.encode()).isEqualTo(empty.encode());
        // wide but empty: the column counts need no bytes of their own beyond their varints
        RowSampling.Lowest wide = new RowSampling.Lowest(3, 1000, 1000);
        assertThat(RowSampling.Lowest.decode(wide.encode()).encode()).isEqualTo(wide.encode());
    }

    @Test
    @DisplayName("truncated, trailing, other formats, more rows than the size and other shapes are refused")
    void refusesBadBytes() {
        byte[] good = lowest(4, 6, 0).encode();
        CodecAssertions.refusesTruncatedTrailingAndOtherFormats(good, RowSampling.Lowest::decode, "row sample");
        CodecAssertions.corruptionFailsCleanly(good, RowSampling.Lowest::decode);
        byte[] overfull = new SummaryBytes.Writer(0).writeByte(RowSampling.Lowest.FORMAT).count(1).count(0).count(0)
                .count(0).count(2).fixedLong(1).count(0).count(0).fixedLong(2).count(0).count(1).toByteArray();
        assertThatThrownBy(() -> RowSampling.Lowest.decode(overfull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row sample: kept rows is 2, expected at most 1");
        byte[] hostile = new SummaryBytes.Writer(0).writeByte(RowSampling.Lowest.FORMAT).count(Integer.MAX_VALUE)
                .count(0).count(1000).count(0).count(Integer.MAX_VALUE).toByteArray();
        assertThatThrownBy(() -> RowSampling.Lowest.decode(hostile))
                .hasMessageStartingWith("row sample: kept rows is 2147483647, but only 0 bytes remain");
        byte[] negative = new SummaryBytes.Writer(0).writeByte(RowSampling.Lowest.FORMAT).count(1).count(0).count(0)
                .count(0).count(1).fixedLong(-1).count(0).count(0).toByteArray();
        assertThatThrownBy(() -> RowSampling.Lowest.decode(negative))
                .hasMessage("row sample: kept row 0 has priority -1, expected >= 0");
        assertThatThrownBy(() -> lowest(4, 1, 0).merge(new RowSampling.Lowest(4, 1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not merge");
    }
}
