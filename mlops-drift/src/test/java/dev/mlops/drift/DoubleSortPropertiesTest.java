package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The radix sort of doubles gives {@code Arrays.sort}'s order to the bit: every bit pattern
 * (NaN payloads of either sign, ±0, ±∞, subnormals, ties), empty and one-value arrays, arrays
 * below and above the radix threshold, and sub-ranges. Compared as raw bits, so −0.0 against 0.0
 * and one NaN payload against another count as differences. Bounded by try count.
 */
class DoubleSortPropertiesTest {

    private static final int TRIES = 300;

    /** A double from any bit pattern, or one of the values sorting gets wrong most easily. */
    @Provide
    Arbitrary<Double> value() {
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble);
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NaN, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0);
        Arbitrary<Double> nanPayload = Arbitraries.longs().between(1, 0x000F_FFFF_FFFF_FFFFL)
                .flatMap(p -> Arbitraries.of(0L, Long.MIN_VALUE).map(sign -> sign | 0x7FF0_0000_0000_0000L | p))
                .map(Double::longBitsToDouble);
        Arbitrary<Double> subnormal = Arbitraries.longs().between(1, 0x000F_FFFF_FFFF_FFFFL)
                .flatMap(m -> Arbitraries.of(0L, Long.MIN_VALUE).map(sign -> sign | m))
                .map(Double::longBitsToDouble);
        Arbitrary<Double> ties = Arbitraries.integers().between(-3, 3).map(Integer::doubleValue);
        return Arbitraries.frequencyOf(Tuple.of(4, anyBits), Tuple.of(2, special), Tuple.of(1, nanPayload),
                Tuple.of(1, subnormal), Tuple.of(2, ties));
    }

    /** Short arrays (Arrays.sort's own path) and long ones (the radix passes). */
    @Provide
    Arbitrary<double[]> values() {
        Arbitrary<Double> v = value();
        return Arbitraries.oneOf(v.list().ofMinSize(0).ofMaxSize(40), v.list().ofMinSize(DoubleSort.RADIX_MIN)
                        .ofMaxSize(3 * DoubleSort.RADIX_MIN))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Long arrays of one sign and a narrow range, where the upper digit passes are skipped. */
    @Provide
    Arbitrary<double[]> narrow() {
        Arbitrary<Double> v = Arbitraries.oneOf(Arbitraries.doubles().between(1.0, 1.0001).ofScale(12),
                Arbitraries.integers().between(0, 5).map(i -> 1.0 + i * Math.ulp(1.0)),
                Arbitraries.just(-0.0), Arbitraries.just(0.0), Arbitraries.just(Double.NaN));
        return v.list().ofMinSize(DoubleSort.RADIX_MIN).ofMaxSize(2 * DoubleSort.RADIX_MIN)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Property(tries = TRIES)
    void sortsAsArraysSortToTheBit(@ForAll("values") double[] values) {
        assertSameBits(values);
    }

    @Property(tries = 100)
    void sortsNarrowSamplesAsArraysSortToTheBit(@ForAll("narrow") double[] values) {
        assertSameBits(values);
    }

    @Property(tries = 100)
    void sortsOnlyTheRange(@ForAll("values") double[] values, @ForAll("value") double fill) {
        double[] padded = new double[values.length + 7];
        Arrays.fill(padded, fill);
        System.arraycopy(values, 0, padded, 3, values.length);
        double[] expected = padded.clone();
        Arrays.sort(expected, 3, 3 + values.length);
        DoubleSort.sort(padded, 3, 3 + values.length);
        assertThat(bits(padded)).containsExactly(bits(expected));
    }

    @Property(tries = 100)
    void samplesSortedIsTheSortedCopyWithoutNegativeZero(@ForAll("values") double[] values) {
        double[] expected = values.clone();
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0.0) {
                expected[i] = 0.0;
            }
        }
        Arrays.sort(expected);
        double[] before = values.clone();
        assertThat(bits(Samples.sorted(values))).containsExactly(bits(expected));
        assertThat(bits(values)).containsExactly(bits(before)); // a copy, the input untouched
        // already sorted input takes the shortcut and still gives the same copy
        assertThat(bits(Samples.sorted(expected))).containsExactly(bits(expected));
    }

    @Property(tries = 100)
    void sortedPresentDropsNaNAndNegativeZero(@ForAll("values") double[] values) {
        double[] expected = Arrays.stream(values).filter(x -> !Double.isNaN(x)).map(x -> x == 0.0 ? 0.0 : x)
                .sorted().toArray();
        assertThat(bits(Samples.sortedPresent(values))).containsExactly(bits(expected));
    }

    /**
     * Columns for a whole report: NaN, ±0, ±∞, subnormals and ties, but no magnitude near
     * {@code Double.MAX_VALUE}, whose range overflows the chart's bin edges (a report of such a
     * column throws "there must be at least one bin", with either sort: a separate defect).
     */
    @Provide
    Arbitrary<double[]> columns() {
        Arbitrary<Double> v = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.doubles().between(-1e6, 1e6).ofScale(6)),
                Tuple.of(2, Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, -Double.MIN_VALUE)),
                Tuple.of(2, Arbitraries.integers().between(-3, 3).map(Integer::doubleValue)));
        return Arbitraries.oneOf(v.list().ofMinSize(1).ofMaxSize(40),
                        v.list().ofMinSize(DoubleSort.RADIX_MIN).ofMaxSize(2 * DoubleSort.RADIX_MIN))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Property(tries = 60)
    void reportSummariesFromTheSortedCopyEqualThoseOfTheRawColumn(@ForAll("columns") double[] reference,
                                                                 @ForAll("columns") double[] current) {
        Schema schema = new Schema(List.of(new Field("x", FieldType.DOUBLE)));
        DriftReport report = DriftAnalysis.builder().build().compare(
                Frame.ofColumns(schema, List.of(reference.clone())), Frame.ofColumns(schema, List.of(current.clone())));
        ColumnDrift column = report.columns().get(0);
        assertThat(column.referenceStats()).contains(Summaries.numeric(reference));
        assertThat(column.currentStats()).contains(Summaries.numeric(current));
    }

    @Example
    void emptyAndSingleValues() {
        assertSameBits(new double[0]);
        assertSameBits(new double[] {Double.NaN});
        assertSameBits(new double[] {-0.0});
        assertThat(Samples.sorted(new double[0])).isEmpty();
        assertThat(Samples.sortedPresent(new double[] {Double.NaN})).isEmpty();
    }

    @Example
    void reusesItsBuffersAcrossSizes() {
        // a long sort, then a shorter one on the same thread's larger buffers, then a longer one
        for (int n : new int[] {5000, 1500, 9000}) {
            double[] v = new double[n];
            java.util.SplittableRandom r = new java.util.SplittableRandom(n);
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt(10) == 0 ? -0.0 : r.nextDouble() - 0.5;
            }
            assertSameBits(v);
        }
    }

    private static void assertSameBits(double[] values) {
        double[] expected = values.clone();
        Arrays.sort(expected);
        double[] actual = values.clone();
        DoubleSort.sort(actual);
        assertThat(bits(actual)).containsExactly(bits(expected));
    }

    private static long[] bits(double[] values) {
        long[] b = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Double.doubleToRawLongBits(values[i]);
        }
        return b;
    }
}
