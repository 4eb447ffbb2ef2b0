package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The first pass's summary crosses the shuffle as plain numbers and text, read back exactly. */
@DisplayName("FirstPass.Counts as bytes")
class FirstPassCountsBytesTest {

    /** Column 0 keeps its value counts (NaN, ±0.0, ±Infinity among them); column 1 has too many values. */
    static FirstPass.Counts awkward() {
        FirstPass.Counts c = new FirstPass.Counts(3, 2, 8);
        c.rows = 1_000;
        for (double v : new double[] {Double.NaN, -0.0, 0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MAX_VALUE, 1.5}) {
            c.addNumber(0, v);
        }
        for (int i = 0; i < 500; i++) {
            c.addNumber(1, i * 0.37 - 40);
        }
        c.count[0] += Long.MAX_VALUE / 2; // huge counts
        c.values[0].get(0.0)[0] = Long.MAX_VALUE;
        for (String s : new String[] {null, "", "a", "a", "\u00e9t\u00e9", "\ud83d\ude00", "\ud800", "b\u0000"}) {
            c.addText(0, s);
        }
        c.categoryMissing[1] = Long.MAX_VALUE;
        return c;
    }

    static void assertSameCounts(FirstPass.Counts back, FirstPass.Counts c) {
        assertThat(back.rows).isEqualTo(c.rows);
        assertThat(back.count).containsExactly(c.count);
        assertThat(back.missing).containsExactly(c.missing);
        assertThat(back.negInf).containsExactly(c.negInf);
        assertThat(back.posInf).containsExactly(c.posInf);
        assertThat(bits(back.finiteMin)).containsExactly(bits(c.finiteMin));
        assertThat(bits(back.finiteMax)).containsExactly(bits(c.finiteMax));
        assertThat(bits(back.largest)).containsExactly(bits(c.largest));
        for (int i = 0; i < c.count.length; i++) {
            assertThat(valueCounts(back.values[i])).as("values of column %d", i).isEqualTo(valueCounts(c.values[i]));
            assertThat(back.sketches[i]).isEqualTo(c.sketches[i]);
        }
        assertThat(back.categoryMissing).containsExactly(c.categoryMissing);
        for (int i = 0; i < c.categories.length; i++) {
            assertThat(categoryCounts(back.categories[i])).isEqualTo(categoryCounts(c.categories[i]));
        }
    }

    static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** Raw bits of the keys, in the map's order (−0.0 before 0.0), and counts; null stays null. */
    static Map<Long, Long> valueCounts(TreeMap<Double, long[]> m) {
        if (m == null) {
            return null;
        }
        Map<Long, Long> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(Double.doubleToRawLongBits(k), v[0]));
        return out;
    }

    static Map<String, Long> categoryCounts(HashMap<String, long[]> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    @Test
    @DisplayName("a summary (NaN, ±0.0, ±Infinity, dropped value counts, any text, huge counts) reads back equal")
    void roundTrip() {
        FirstPass.Counts c = awkward();
        FirstPass.Counts back = FirstPass.Counts.decode(c.encode());
        assertSameCounts(back, c);
        assertThat(back.values[0]).containsKeys(-0.0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertThat(back.values[1]).isNull();
        assertThat(back.categories[0]).containsKeys("", "\ud800", "b\u0000");
        // and it merges as the original does
        FirstPass.Counts viaBytes = awkward().mergeFrom(back);
        FirstPass.Counts direct = awkward().mergeFrom(awkward());
        assertSameCounts(viaBytes, direct);
    }

    @Test
    @DisplayName("an empty summary, and one without columns, read back")
    void empty() {
        FirstPass.Counts empty = new FirstPass.Counts(2, 1, 8);
        assertSameCounts(FirstPass.Counts.decode(empty.encode()), empty);
        FirstPass.Counts none = new FirstPass.Counts(0, 0, 8);
        assertThat(FirstPass.Counts.decode(none.encode()).count).isEmpty();
    }

    @Test
    @DisplayName("truncated, trailing, other formats, bad sketches, disordered values and repeated categories are refused")
    void refusesBadBytes() {
        byte[] good = awkward().encode();
        CodecAssertions.refusesTruncatedTrailingAndOtherFormats(good, FirstPass.Counts::decode, "first-pass summary");
        CodecAssertions.corruptionFailsCleanly(good, FirstPass.Counts::decode);

        FirstPass.Counts twice = new FirstPass.Counts(0, 1, 8);
        twice.addText(0, "x");
        byte[] one = twice.encode();
        // the same category twice: its count of entries says 2, and the entry follows again
        byte[] header = Arrays.copyOf(one, 5); // format, 0, 1, rows 0, missing 0
        byte[] entry = Arrays.copyOfRange(one, 6, one.length); // after the entry count 1
        byte[] repeated = new byte[header.length + 1 + 2 * entry.length];
        System.arraycopy(header, 0, repeated, 0, header.length);
        repeated[header.length] = 2;
        System.arraycopy(entry, 0, repeated, header.length + 1, entry.length);
        System.arraycopy(entry, 0, repeated, header.length + 1 + entry.length, entry.length);
        assertThatThrownBy(() -> FirstPass.Counts.decode(repeated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first-pass summary: categories of categorical column 0: category x twice");

        FirstPass.Counts two = new FirstPass.Counts(1, 0, 8);
        two.addNumber(0, 1.0);
        two.addNumber(0, 2.0);
        byte[] b = two.encode();
        // the value counts follow format, 1, 0, rows, 4 counts and 3 doubles: swap the two values
        int at = 1 + 3 + 4 + 24 + 1;
        byte[] swapped = b.clone();
        System.arraycopy(b, at + 9, swapped, at, 8);
        System.arraycopy(b, at, swapped, at + 9, 8);
        assertThatThrownBy(() -> FirstPass.Counts.decode(swapped))
                .hasMessageContaining("value 1.0 is not above the one before, 2.0");
        byte[] badSketch = b.clone();
        badSketch[at + 18 + 1] = 9; // the sketch's own format byte, after its length
        assertThatThrownBy(() -> FirstPass.Counts.decode(badSketch))
                .hasMessageStartingWith("first-pass summary: sketch of numerical column 0: unknown sketch format 9");
    }
}
