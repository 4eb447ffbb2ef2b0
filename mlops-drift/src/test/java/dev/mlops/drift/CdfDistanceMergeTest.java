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
 * The Wasserstein and energy distances' walk over the merged order ({@link NumericalTests#cdfDistance})
 * gives, bit for bit, what the merge by runs of equal values gave: same terms, same order, same
 * compensated sum, whatever the ties, the overlap and the magnitudes. Bounded by try count.
 */
class CdfDistanceMergeTest {

    @Provide
    Arbitrary<double[]> sample() {
        Arbitrary<Double> ties = Arbitraries.integers().between(-3, 3).map(Integer::doubleValue);
        Arbitrary<Double> gaussian = Arbitraries.randomValue(r -> r.nextGaussian());
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e300, -1e300,
                Double.MAX_VALUE, 1.0 + Math.ulp(1.0));
        Arbitrary<Double> value = Arbitraries.frequencyOf(Tuple.of(3, ties), Tuple.of(4, gaussian), Tuple.of(1, special));
        return Arbitraries.oneOf(value.list().ofMinSize(1).ofMaxSize(12), value.list().ofMinSize(1).ofMaxSize(300))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Property(tries = 300)
    void distancesAreThoseOfTheMergeByRuns(@ForAll("sample") double[] first, @ForAll("sample") double[] second,
                                           @ForAll @IntRange(min = -2, max = 2) int shift) {
        double[] shifted = second.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += shift;
        }
        assertSameAsMergeByRuns(first, shifted);
    }

    @Example
    void largeSamplesWithFewAndManyDistinctValues() {
        SplittableRandom r = new SplittableRandom(11);
        for (int round = 0; round < 12; round++) {
            double[] a = new double[1 + r.nextInt(20_000)];
            double[] b = new double[1 + r.nextInt(20_000)];
            int distinct = round % 2 == 0 ? 4 : 1_000_000;
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(distinct) * 0.25;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(distinct) * 0.25 + (round % 3) * 0.125;
            }
            assertSameAsMergeByRuns(a, b);
        }
    }

    private static void assertSameAsMergeByRuns(double[] first, double[] second) {
        double[] a = Samples.sorted(first);
        double[] b = Samples.sorted(second);
        for (int p = 1; p <= 2; p++) {
            double expected = mergeByRuns(p, a, b);
            double actual = NumericalTests.cdfDistance(p, first, second);
            assertThat(Double.doubleToRawLongBits(actual)).as("p = %d: %s, expected %s", p, actual, expected)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }

    /** The walk as it was: one step per run of equal values, skipping the empty gaps. */
    private static double mergeByRuns(int p, double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        double sum = 0.0;
        double comp = 0.0;
        int i = 0;
        int j = 0;
        double prev = Math.min(a[0], b[0]);
        while (i < n || j < m) {
            double x = (j >= m || (i < n && a[i] <= b[j])) ? a[i] : b[j];
            double delta = x - prev;
            if (delta != 0.0) {
                double diff = Math.abs((double) i / n - (double) j / m);
                double term = (p == 1 ? diff : diff * diff) * delta;
                double t = sum + term;
                comp += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
                sum = t;
            }
            while (i < n && a[i] == x) {
                i++;
            }
            while (j < m && b[j] == x) {
                j++;
            }
            prev = x;
        }
        double total = sum + comp;
        return p == 1 ? total : Math.sqrt(total);
    }
}
