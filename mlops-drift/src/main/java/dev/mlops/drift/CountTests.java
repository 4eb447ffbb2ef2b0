package dev.mlops.drift;

import java.util.function.DoubleBinaryOperator;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The categorical tests and the KS p-value from counts, for profiles and monitor windows: the
 * same formulas as {@link CategoricalTests} and {@link NumericalTests#kolmogorovSmirnov}, on bin
 * counts instead of samples. Bins where both counts are 0 are left out (a union of categories
 * never has such a bin). Package-private.
 */
final class CountTests {

    private CountTests() {
    }

    /** {@link CategoricalTests#chiSquareGoodnessOfFit} on counts. */
    static StatResult chiSquareGoodnessOfFit(long[] ref, long[] cur) {
        double nRef = sum(ref);
        double nCur = sum(cur);
        return goodnessOfFit(ref, cur, i -> ref[i] / nRef * nCur, (o, e) -> (o - e) * (o - e) / e);
    }

    /**
     * {@link CategoricalTests#gTest} on counts: f_exp = ref · (n_cur / n_ref) as Evidently
     * computes it, G = Σ 2·xlogy(O, O/E) as scipy.
     */
    static StatResult gTest(long[] ref, long[] cur) {
        double scale = (double) sum(cur) / sum(ref);
        return goodnessOfFit(ref, cur, i -> ref[i] * scale, (o, e) -> o == 0.0 ? 0.0 : 2.0 * o * Math.log(o / e));
    }

    /**
     * Σ term(O, E) over the k bins with a count on either side, against χ²_{k−1}: the current
     * counts O against the expected counts E from the reference shares. A bin the reference
     * lacks (E = 0, O &gt; 0) makes the statistic +∞ with p-value 0; k ≤ 1 gives 0 and 1.
     */
    private static StatResult goodnessOfFit(long[] ref, long[] cur, IntToDoubleFunction expectedCount,
            DoubleBinaryOperator term) {
        int k = 0;
        double stat = 0.0;
        boolean unseen = false;
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] == 0 && cur[i] == 0) {
                continue;
            }
            k++;
            double expected = expectedCount.applyAsDouble(i);
            if (expected == 0.0) {
                unseen = true;
                continue;
            }
            stat += term.applyAsDouble(cur[i], expected);
        }
        if (k <= 1) {
            return StatResult.test(0.0, 1.0);
        }
        if (unseen) {
            return StatResult.test(Double.POSITIVE_INFINITY, 0.0);
        }
        return StatResult.test(stat, ChiSquaredDistribution.of(k - 1).survivalProbability(stat));
    }

    /** {@link CategoricalTests#chiSquareIndependence(String[], String[])} (no Yates) on counts. */
    static StatResult chiSquareIndependence(long[] ref, long[] cur) {
        double nRef = sum(ref);
        double nCur = sum(cur);
        int k = 0;
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] != 0 || cur[i] != 0) {
                k++;
            }
        }
        int dof = k - 1;
        if (dof <= 0) {
            return StatResult.test(0.0, 1.0);
        }
        double total = nRef + nCur;
        double[] rows = {nRef, nCur};
        double stat = 0.0;
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] == 0 && cur[i] == 0) {
                continue;
            }
            double col = ref[i] + cur[i];
            double[] obs = {ref[i], cur[i]};
            for (int r = 0; r < 2; r++) {
                double expected = rows[r] * col / total;
                double d = obs[r] - expected;
                stat += d * d / expected;
            }
        }
        return StatResult.test(stat, ChiSquaredDistribution.of(dof).survivalProbability(stat));
    }

    /**
     * Two-proportion z-test on two non-empty bins; {@code success} is the bin of the greater
     * category, as {@link CategoricalTests#twoProportionZ(String[], String[])} chooses it.
     */
    static StatResult twoProportionZ(long refSuccess, long nRef, long curSuccess, long nCur) {
        return CategoricalTests.twoProportionZ(refSuccess, nRef, curSuccess, nCur);
    }

    /**
     * The two-sided KS p-value for statistic d and sample sizes n1, n2, chosen as scipy's
     * {@code ks_2samp(method='auto')} does: exact when max(n1, n2) ≤ 10,000 (d rounded to h/lcm),
     * else {@code kstwo.sf(d, round(n1·n2/(n1+n2)))}.
     *
     * @return {statistic (rounded as scipy reports it on the exact path), p-value}
     */
    static double[] ksPValue(double d, long n1, long n2) {
        double prob = Double.NaN;
        double stat = d;
        if (Math.max(n1, n2) <= 10_000) {
            long g = Samples.gcd(n1, n2);
            long lcm = (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            stat = (double) h / lcm;
            prob = h == 0 ? 1.0 : Kolmogorov.twoSampleExactSf((int) n1, (int) n2, g, h);
        }
        if (Double.isNaN(prob)) {
            double m = Math.max(n1, n2);
            double n = Math.min(n1, n2);
            double en = m * n / (m + n);
            prob = Kolmogorov.kolmogorovSf((int) Math.max(1, Math.rint(en)), d);
        }
        return new double[] {stat, Math.max(0.0, Math.min(1.0, prob))};
    }

    static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
