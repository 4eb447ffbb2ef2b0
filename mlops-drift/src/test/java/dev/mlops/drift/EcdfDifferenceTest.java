package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link EcdfDifference#extremes} gives, bit for bit, the largest and smallest F1 − F2 of a plain
 * merge of the two sorted samples: whatever the ties (within a sample, across the samples, across
 * the point where the pooled sample is cut in two), the sizes, and the overlap. Bounded by try count.
 */
class EcdfDifferenceTest {

    /** Values from a few shapes: many ties, few ties, ±0, infinities, the ends of the key range. */
    @Provide
    Arbitrary<double[]> sample() {
        Arbitrary<Double> ties = Arbitraries.integers().between(-3, 3).map(Integer::doubleValue);
        Arbitrary<Double> gaussian = Arbitraries.randomValue(r -> r.nextGaussian());
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                -Double.MAX_VALUE, Double.MAX_VALUE, Double.MIN_VALUE);
        Arbitrary<Double> value = Arbitraries.frequencyOf(Tuple.of(3, ties), Tuple.of(4, gaussian), Tuple.of(1, special));
        return Arbitraries.oneOf(value.list().ofMinSize(1).ofMaxSize(12), value.list().ofMinSize(1).ofMaxSize(400))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Property(tries = 400)
    void extremesAreThoseOfThePlainMerge(@ForAll("sample") double[] first, @ForAll("sample") double[] second,
                                         @ForAll @IntRange(min = -2, max = 2) int shift) {
        double[] shifted = second.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += shift; // from overlapping to apart, in both orders
        }
        assertSameAsPlainMerge(first, shifted);
    }

    @Example
    void largeSamplesWithRunsOfTiesAcrossTheCut() {
        SplittableRandom r = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            int n1 = 1 + r.nextInt(30_000);
            int n2 = 1 + r.nextInt(30_000);
            int distinct = 1 + r.nextInt(round % 2 == 0 ? 5 : 100_000);
            double[] a = new double[n1];
            double[] b = new double[n2];
            for (int i = 0; i < n1; i++) {
                a[i] = r.nextInt(distinct);
            }
            for (int i = 0; i < n2; i++) {
                b[i] = r.nextInt(distinct) + (round % 3 == 0 ? 0.5 : 0.0);
            }
            assertSameAsPlainMerge(a, b);
        }
    }

    @Example
    void oneValueEverywhereAndSamplesApart() {
        assertSameAsPlainMerge(new double[] {1, 1, 1}, new double[] {1, 1});
        assertSameAsPlainMerge(new double[] {1}, new double[] {2});
        assertSameAsPlainMerge(new double[] {2}, new double[] {1});
        assertSameAsPlainMerge(new double[] {1, 2, 3}, new double[] {4, 5, 6, 7, 8});
        assertSameAsPlainMerge(new double[] {4, 5, 6, 7, 8}, new double[] {1, 2, 3});
        assertSameAsPlainMerge(new double[] {0.0, -0.0, 0.0}, new double[] {-0.0});
    }

    private static void assertSameAsPlainMerge(double[] first, double[] second) {
        long[] a = DoubleSort.sortedKeys(first);
        long[] b = DoubleSort.sortedKeys(second);
        double[] expected = plainMerge(a, b);
        double[] actual = EcdfDifference.extremes(a, b);
        assertThat(Double.doubleToRawLongBits(actual[0])).as("max of %s", actual[0])
                .isEqualTo(Double.doubleToRawLongBits(expected[0]));
        assertThat(Double.doubleToRawLongBits(actual[1])).as("min of %s", actual[1])
                .isEqualTo(Double.doubleToRawLongBits(expected[1]));
    }

    /** The merge Kolmogorov–Smirnov used before: the difference after every run of equal values. */
    private static double[] plainMerge(long[] a, long[] b) {
        int n1 = a.length;
        int n2 = b.length;
        double maxS = Double.NEGATIVE_INFINITY;
        double minDiff = Double.POSITIVE_INFINITY;
        int i = 0;
        int j = 0;
        while (i < n1 || j < n2) {
            long v = (j >= n2 || (i < n1 && Long.compareUnsigned(a[i], b[j]) <= 0)) ? a[i] : b[j];
            while (i < n1 && a[i] == v) {
                i++;
            }
            while (j < n2 && b[j] == v) {
                j++;
            }
            double diff = (double) i / n1 - (double) j / n2;
            maxS = Math.max(maxS, diff);
            minDiff = Math.min(minDiff, diff);
        }
        return new double[] {maxS, minDiff};
    }
}
