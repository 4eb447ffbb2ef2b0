package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The quantile sketch: exact while small, within its stated rank error after compaction,
 * mergeable (Must-show 2: merge(a, b) equals the sketch of a ++ b within the stated error),
 * serializable, deterministic. Properties run with fixed seeds and a fixed try count.
 */
class QuantileSketchTest {

    /** Sorted copy and exact share of values ≤ x (inclusive) or &lt; x. */
    private static double exactRank(double[] sorted, double x, boolean inclusive) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (inclusive ? sorted[mid] <= x : sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / sorted.length;
    }

    /** Largest rank error of the sketch over every value of the data and both rank kinds. */
    private static double maxRankError(QuantileSketch s, double[] data) {
        double[] sorted = data.clone();
        Arrays.sort(sorted);
        double err = 0;
        for (double x : sorted) {
            err = Math.max(err, Math.abs(s.rank(x, true) - exactRank(sorted, x, true)));
            err = Math.max(err, Math.abs(s.rank(x, false) - exactRank(sorted, x, false)));
        }
        return err;
    }

    /** Largest difference of the rank functions of two sketches at the given points. */
    private static double maxRankDifference(QuantileSketch a, QuantileSketch b, double[] points) {
        double d = 0;
        for (double x : points) {
            d = Math.max(d, Math.abs(a.rank(x, true) - b.rank(x, true)));
            d = Math.max(d, Math.abs(a.rank(x, false) - b.rank(x, false)));
        }
        return d;
    }

    @Provide
    Arbitrary<double[]> stream() {
        Arbitrary<Double> continuous = Arbitraries.doubles().between(-1e3, 1e3);
        Arbitrary<Double> discrete = Arbitraries.integers().between(0, 30).map(Integer::doubleValue);
        return Arbitraries.oneOf(continuous.list().ofMinSize(0).ofMaxSize(3000),
                        discrete.list().ofMinSize(0).ofMaxSize(3000))
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Provide
    Arbitrary<Integer> smallK() {
        return Arbitraries.of(8, 16, 32, 64, 200);
    }

    /** Must-show 2: the merge of two sketches and the sketch of the concatenation agree within ε_merge + ε_concat. */
    @Property(tries = 300, seed = "20240603")
    void mergeEqualsSketchOfConcatenationWithinTheStatedError(@ForAll("stream") double[] a, @ForAll("stream") double[] b,
            @ForAll("smallK") int k) {
        QuantileSketch sa = QuantileSketch.of(a, k);
        QuantileSketch sb = QuantileSketch.of(b, k);
        QuantileSketch merged = sa.copy();
        merged.merge(sb);
        double[] ab = concat(a, b);
        QuantileSketch whole = QuantileSketch.of(ab, k);

        assertThat(merged.n()).isEqualTo(ab.length);
        assertThat(sa.n()).isEqualTo(a.length); // the argument is unchanged by merge into a copy
        if (ab.length == 0) {
            assertThat(merged.isEmpty()).isTrue();
            return;
        }
        assertThat(merged.min()).isEqualTo(whole.min());
        assertThat(merged.max()).isEqualTo(whole.max());
        double bound = merged.normalizedRankError() + whole.normalizedRankError();
        assertThat(maxRankDifference(merged, whole, ab)).isLessThanOrEqualTo(bound + 1e-12);
        if (merged.isExact() && whole.isExact()) {
            assertThat(maxRankDifference(merged, whole, ab)).isLessThanOrEqualTo(1e-15);
        }
    }

    /** Each sketch alone keeps its stated bound against the exact ranks. */
    @Property(tries = 200, seed = "777")
    void ranksAreWithinTheStatedBoundOfTheExactRanks(@ForAll("stream") double[] a, @ForAll("smallK") int k) {
        QuantileSketch s = QuantileSketch.of(a, k);
        if (a.length == 0) {
            return;
        }
        assertThat(maxRankError(s, a)).isLessThanOrEqualTo(s.normalizedRankError() + 1e-12);
    }

    /** Merging is order-independent within the bound: merge(a, b) vs merge(b, a). */
    @Property(tries = 150, seed = "4242")
    void mergeIsSymmetricWithinTheBound(@ForAll("stream") double[] a, @ForAll("stream") double[] b) {
        QuantileSketch ab = QuantileSketch.of(a, 32);
        ab.merge(QuantileSketch.of(b, 32));
        QuantileSketch ba = QuantileSketch.of(b, 32);
        ba.merge(QuantileSketch.of(a, 32));
        double[] all = concat(a, b);
        assertThat(ab.n()).isEqualTo(ba.n());
        assertThat(maxRankDifference(ab, ba, all)).isLessThanOrEqualTo(ab.normalizedRankError() + ba.normalizedRankError() + 1e-12);
    }

    @Property(tries = 100, seed = "99")
    void bytesRoundTripToAnEqualSketchThatContinuesIdentically(@ForAll("stream") double[] a, @ForAll("stream") double[] b) {
        QuantileSketch s = QuantileSketch.of(a, 16);
        QuantileSketch back = QuantileSketch.fromBase64(s.toBase64());
        assertThat(back).isEqualTo(s);
        for (double v : b) {
            s.update(v);
            back.update(v);
        }
        assertThat(back.toBytes()).isEqualTo(s.toBytes());
    }

    @Test
    void smallSketchIsExact() {
        double[] v = {5, 1, 3, 3, 2, -0.0, 0.0};
        QuantileSketch s = QuantileSketch.of(v, 200);
        assertThat(s.isExact()).isTrue();
        assertThat(s.normalizedRankError()).isZero();
        assertThat(s.rank(3, true)).isEqualTo(6.0 / 7);
        assertThat(s.rank(3, false)).isEqualTo(4.0 / 7);
        assertThat(s.rank(0.0, true)).isEqualTo(2.0 / 7); // -0.0 and 0.0 are one value
        assertThat(s.quantile(0.5)).isEqualTo(2.0);
        assertThat(s.quantile(0.0)).isEqualTo(0.0);
        assertThat(s.quantile(1.0)).isEqualTo(5.0);
        assertThat(s.min()).isEqualTo(0.0);
        assertThat(s.max()).isEqualTo(5.0);
        double[] ks = QuantileSketch.kolmogorovSmirnov(s, QuantileSketch.of(new double[] {10, 11}, 200));
        assertThat(ks).containsExactly(1.0, 0.0);
    }

    @Test
    void largeSketchStaysWithinTheBoundAndSmall() {
        Random r = new Random(7);
        double[] v = new double[200_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * 3 + (i % 3 == 0 ? 10 : 0);
        }
        QuantileSketch s = QuantileSketch.of(v, 200);
        assertThat(s.isExact()).isFalse();
        assertThat(s.normalizedRankError()).isCloseTo(0.0133, org.assertj.core.api.Assertions.within(1e-4));
        assertThat(maxRankError(s, v)).isLessThanOrEqualTo(s.normalizedRankError());
        assertThat(s.retained()).isLessThan(800);
        assertThat(s.toBytes().length).isLessThan(8 * 800 + 100);
    }

    @Test
    void sketchKsIsWithinItsBoundOfTheExactKs() {
        Random r = new Random(11);
        double[] a = new double[30_000];
        double[] b = new double[20_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian() * 1.1 + 0.05;
        }
        double exact = NumericalTests.kolmogorovSmirnov(a, b).statistic();
        double[] est = QuantileSketch.kolmogorovSmirnov(QuantileSketch.of(a, 200), QuantileSketch.of(b, 200));
        assertThat(est[1]).isGreaterThan(0);
        assertThat(Math.abs(est[0] - exact)).isLessThanOrEqualTo(est[1]);
    }

    @Test
    void sameInputGivesTheSameBytes() {
        Random r = new Random(3);
        double[] v = new double[10_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        assertThat(QuantileSketch.of(v, 64).toBytes()).isEqualTo(QuantileSketch.of(v, 64).toBytes());
    }

    @Test
    void rejectsBadInput() {
        QuantileSketch s = QuantileSketch.create();
        assertThatThrownBy(() -> s.update(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> QuantileSketch.create(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be");
        assertThatThrownBy(() -> s.merge(QuantileSketch.create(16))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuantileSketch.fromBytes(new byte[] {1, 0, 0})).isInstanceOf(IllegalArgumentException.class);
        byte[] bytes = QuantileSketch.of(new double[] {1, 2}, 8).toBytes();
        assertThatThrownBy(() -> QuantileSketch.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(s.quantile(0.5)).isNaN();
        assertThat(s.rank(1, true)).isZero();
        s.update(Double.POSITIVE_INFINITY);
        s.update(Double.NEGATIVE_INFINITY);
        assertThat(s.rank(0, true)).isEqualTo(0.5);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] ab = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        return ab;
    }

}
