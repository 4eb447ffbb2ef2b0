package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link DoubleSort#sortedKeys} gives the keys of {@link Samples#sorted}'s copy, in its order and
 * with its ties (−0.0 ties with 0.0), whatever path it takes: short samples, already ascending
 * ones, the radix passes with an odd or even number of digits sorted, and the two-sample call
 * whose second sample may be sorted on another thread. And the Kolmogorov–Smirnov statistic
 * computed on keys equals, to the bit, the one computed on the sorted doubles as before.
 * Bounded by try count.
 */
class SortedKeysPropertiesTest {

    /** Any value but NaN (the callers reject NaN first), with the ones order gets wrong most easily. */
    @Provide
    Arbitrary<Double> value() {
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble).filter(v -> !Double.isNaN(v));
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MAX_VALUE, 1.0, -1.0);
        Arbitrary<Double> ties = Arbitraries.integers().between(-3, 3).map(Integer::doubleValue);
        Arbitrary<Double> narrow = Arbitraries.integers().between(0, 5).map(i -> 1.0 + i * Math.ulp(1.0));
        return Arbitraries.frequencyOf(Tuple.of(4, anyBits), Tuple.of(2, special), Tuple.of(2, ties),
                Tuple.of(1, narrow));
    }

    @Provide
    Arbitrary<double[]> values() {
        Arbitrary<Double> v = value();
        return Arbitraries.oneOf(v.list().ofMinSize(1).ofMaxSize(40),
                        v.list().ofMinSize(DoubleSort.RADIX_MIN).ofMaxSize(3 * DoubleSort.RADIX_MIN))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Property(tries = 200)
    void keysAreThoseOfTheSortedCopyInItsOrder(@ForAll("values") double[] values) {
        double[] before = values.clone();
        assertThat(DoubleSort.sortedKeys(values)).containsExactly(keysOf(Samples.sorted(values)));
        assertThat(bits(values)).containsExactly(bits(before)); // the input untouched
    }

    @Property(tries = 60)
    void ascendingSamplesGiveTheSameKeys(@ForAll("values") double[] values) {
        double[] ascending = values.clone();
        Arrays.sort(ascending); // −0.0 before 0.0: still ascending for the shortcut, still one key
        assertThat(DoubleSort.sortedKeys(ascending)).containsExactly(keysOf(Samples.sorted(values)));
    }

    @Property(tries = 100)
    void kolmogorovSmirnovOnKeysEqualsTheStatisticOnSortedDoubles(@ForAll("values") double[] reference,
                                                                 @ForAll("values") double[] current) {
        double expected = statisticOnDoubles(Samples.sorted(reference), Samples.sorted(current));
        double d = NumericalTests.kolmogorovSmirnov(reference, current).statistic();
        if (Math.max(reference.length, current.length) > 10_000) {
            assertThat(Double.doubleToRawLongBits(d)).isEqualTo(Double.doubleToRawLongBits(expected));
        } else { // the exact path reports D as h/lcm(n, m), from the same D
            long lcm = reference.length / Samples.gcd(reference.length, current.length) * (long) current.length;
            assertThat(d).isEqualTo((double) (long) Math.rint(expected * lcm) / lcm);
        }
    }

    @Example
    void bothSamplesLargeEnoughToBeSortedConcurrentlyGiveTheirOwnKeys() {
        int n = DoubleSort.CONCURRENT_MIN + 17;
        for (int round = 0; round < 3; round++) {
            double[] first = sample(new SplittableRandom(round), n);
            double[] second = sample(new SplittableRandom(100 + round), n + round);
            long[][] keys = DoubleSort.sortedKeys(first, second);
            assertThat(keys[0]).containsExactly(keysOf(Samples.sorted(first)));
            assertThat(keys[1]).containsExactly(keysOf(Samples.sorted(second)));
        }
    }

    @Example
    void sortsOnItsOwnThreadInsideWorkThatKeepsTheCoresBusy() throws Exception {
        int n = DoubleSort.CONCURRENT_MIN;
        double[] first = sample(new SplittableRandom(7), n);
        double[] second = sample(new SplittableRandom(8), n);
        String caller = Thread.currentThread().getName();
        long[][] keys = DoubleSort.alone(() -> DoubleSort.sortedKeys(first, second));
        assertThat(keys[0]).containsExactly(keysOf(Samples.sorted(first)));
        assertThat(keys[1]).containsExactly(keysOf(Samples.sorted(second)));
        assertThat(Thread.currentThread().getName()).isEqualTo(caller);
    }

    @Example
    void kolmogorovSmirnovOfLargeSamplesEqualsTheStatisticOnSortedDoubles() {
        double[] reference = sample(new SplittableRandom(1), DoubleSort.CONCURRENT_MIN + 3);
        double[] current = sample(new SplittableRandom(2), DoubleSort.CONCURRENT_MIN * 2);
        double expected = statisticOnDoubles(Samples.sorted(reference), Samples.sorted(current));
        assertThat(Double.doubleToRawLongBits(NumericalTests.kolmogorovSmirnov(reference, current).statistic()))
                .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    /** Normal-ish values with ties, ±0 and infinities, so every path of the merge is taken. */
    private static double[] sample(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(20);
            v[i] = kind == 0 ? -0.0 : kind == 1 ? 0.0 : kind == 2 ? r.nextInt(5) - 2.0
                    : kind == 3 ? Double.NEGATIVE_INFINITY : r.nextGaussian();
        }
        return v;
    }

    /** The statistic as computed before the keys: a merge of the two sorted copies. */
    private static double statisticOnDoubles(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        double maxS = Double.NEGATIVE_INFINITY;
        double minDiff = Double.POSITIVE_INFINITY;
        int i = 0;
        int j = 0;
        while (i < n1 || j < n2) {
            double v = (j >= n2 || (i < n1 && a[i] <= b[j])) ? a[i] : b[j];
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
        double minS = Math.max(0.0, Math.min(1.0, -minDiff));
        return minS > maxS ? minS : maxS;
    }

    /** Keys by their definition: the bits, all flipped for a negative value, the sign flipped otherwise. */
    private static long[] keysOf(double[] sorted) {
        long[] keys = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            long bits = Double.doubleToRawLongBits(sorted[i]);
            keys[i] = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
        }
        return keys;
    }

    private static long[] bits(double[] values) {
        long[] b = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Double.doubleToRawLongBits(values[i]);
        }
        return b;
    }
}
