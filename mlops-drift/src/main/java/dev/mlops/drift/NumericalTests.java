package dev.mlops.drift;

import java.util.Objects;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Two-sample tests and distances for numerical samples, numerically equal to scipy 1.17.
 *
 * <p><b>Input rules</b> (the same for every function here):
 * <ul>
 *   <li>Both samples must be non-null and non-empty; the exception names the empty side
 *       ("reference" is the first argument, "current" the second).</li>
 *   <li>NaN is rejected with an {@link IllegalArgumentException} giving side and index: the
 *       column layer counts and removes missing values before calling.</li>
 *   <li>±Infinity: the rank-based tests ({@link #kolmogorovSmirnov}, {@link #cramerVonMises},
 *       {@link #andersonDarling}, {@link #mannWhitneyU}) only use the order of the values and
 *       accept infinities as the most extreme values; the moment- and distance-based functions
 *       ({@link #welchT}, {@link #eppsSingleton}, {@link #wasserstein},
 *       {@link #normalizedWasserstein}, {@link #energyDistance}) reject them, as their result would be NaN or infinite.</li>
 *   <li>The arrays are never modified; −0.0 and 0.0 are the same value.</li>
 * </ul>
 * Identical samples give statistic 0 and p-value 1 for every test except Anderson–Darling,
 * whose standardized statistic is then −(k−1)/σ (its minimum) with the capped p-value 0.25.
 *
 * <p>scipy is BSD-3-Clause licensed; the functions here are independent Java translations of
 * its algorithms, each naming the scipy code path it follows.
 */
public final class NumericalTests {

    private NumericalTests() {
    }

    /**
     * Two-sided two-sample Kolmogorov–Smirnov test, as {@code scipy.stats.ks_2samp(reference,
     * current)} ({@code method='auto'}).
     *
     * <p>Statistic: D = sup |F_ref(x) − F_cur(x)| of the two empirical CDFs. P-value: exact
     * whenever max(n, m) ≤ 10,000 (the lattice-path counts of Hodges, computed as scipy's
     * {@code _compute_prob_outside_square} for n = m and {@code _compute_outer_prob_inside_method}
     * otherwise; D is then reported as h/lcm(n, m) with h = round(D·lcm), exactly as scipy does);
     * if the exact computation leaves [0, 1], and always when max(n, m) &gt; 10,000, the
     * one-sample two-sided Kolmogorov distribution {@code kstwo.sf(D, round(n·m/(n+m)))}.
     * (Commons Math switches to the asymptotic distribution already when n·m ≥ 10,000.)
     *
     * @param reference reference sample (non-empty, no NaN; infinities allowed)
     * @param current   current sample (non-empty, no NaN; infinities allowed)
     * @return D and its p-value
     */
    public static StatResult kolmogorovSmirnov(double[] reference, double[] current) {
        Samples.ordered(reference, Samples.REFERENCE);
        Samples.ordered(current, Samples.CURRENT);
        // order keys (DoubleSort.sortedKeys): the same order and the same ties as the doubles
        long[][] keys = DoubleSort.sortedKeys(reference, current);
        long[] a = keys[0];
        long[] b = keys[1];
        int n1 = a.length;
        int n2 = b.length;
        double[] extremes = EcdfDifference.extremes(a, b);
        double maxS = extremes[0];
        double minDiff = extremes[1];
        double minS = Math.max(0.0, Math.min(1.0, -minDiff));
        double d = minS > maxS ? minS : maxS;
        long g = Samples.gcd(n1, n2);
        double prob = Double.NaN;
        if (Math.max(n1, n2) <= 10_000) {
            long lcm = (n1 / g) * (long) n2;
            long h = (long) Math.rint(d * lcm);
            d = (double) h / lcm;
            if (h == 0) {
                prob = 1.0;
            } else {
                prob = Kolmogorov.twoSampleExactSf(n1, n2, g, h);
            }
        }
        if (Double.isNaN(prob)) {
            double m = Math.max(n1, n2);
            double n = Math.min(n1, n2);
            double en = m * n / (m + n);
            prob = Kolmogorov.kolmogorovSf((int) Math.max(1, Math.rint(en)), d);
        }
        return StatResult.test(d, Math.max(0.0, Math.min(1.0, prob)));
    }

    /**
     * Two-sample Cramér–von Mises test, as {@code scipy.stats.cramervonmises_2samp(reference,
     * current)} ({@code method='auto'}).
     *
     * <p>Statistic (Anderson 1962): T = U/(n·m·N) − (4nm − 1)/(6N) with
     * U = n·Σ(r_i − i)² + m·Σ(s_j − j)² over the midranks r, s of each sorted sample in the pooled
     * sample of size N = n + m. P-value: exact (the frequency-table recursion of Xiao, Gordon and
     * Yakovlev 2006) when max(n, m) ≤ 20, otherwise the limiting one-sample distribution of the
     * normalized statistic (Csörgő and Faraway 1996, series summed until a term is below 1e-7,
     * p = 1 when the normalized statistic is below 0.003), as scipy.
     *
     * @param reference reference sample (at least 2 values, no NaN; infinities allowed)
     * @param current   current sample (at least 2 values, no NaN; infinities allowed)
     * @return T and its p-value
     */
    public static StatResult cramerVonMises(double[] reference, double[] current) {
        Samples.ordered(reference, Samples.REFERENCE);
        Samples.ordered(current, Samples.CURRENT);
        return CramerVonMises.test(reference, current);
    }

    /**
     * Two-sample Anderson–Darling test; see {@link #andersonDarlingKSample(double[]...)}.
     *
     * @param reference reference sample (non-empty, no NaN; infinities allowed)
     * @param current   current sample (non-empty, no NaN; infinities allowed)
     * @return the standardized statistic and its interpolated, capped p-value
     */
    public static StatResult andersonDarling(double[] reference, double[] current) {
        Samples.ordered(reference, Samples.REFERENCE);
        Samples.ordered(current, Samples.CURRENT);
        return AndersonDarling.test(new double[][] {reference, current});
    }

    /**
     * k-sample Anderson–Darling test with the midrank statistic A²akN (Scholz and Stephens 1987,
     * eq. 7), as {@code scipy.stats.anderson_ksamp(samples)} (default midrank variant, no
     * permutation method).
     *
     * <p>Statistic: the standardized T = (A²akN − (k − 1))/σ_N with σ_N² from Scholz and
     * Stephens' eq. 4, which is what scipy returns as {@code statistic}. P-value: scipy's rule,
     * reproduced exactly: the critical values c_i = b0_i + b1_i/√(k−1) + b2_i/(k−1) of Table 2
     * for significance levels 0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001; a least-squares
     * quadratic through (c_i, ln α_i) evaluated at T and exponentiated when T lies within
     * [min c, max c]; 0.25 below (scipy: "p-value capped") and 0.001 above ("p-value floored").
     * The p-value is therefore always within [0.001, 0.25]; a drift threshold above 0.25 always
     * flags drift and one at or below 0.001 never does.
     *
     * <p>Unlike scipy, a pooled sample with a single distinct value is accepted: the samples are
     * then identical, A²akN = 0, and T = −(k − 1)/σ_N with p = 0.25.
     *
     * @param samples at least two non-empty samples (no NaN; infinities allowed), at least 4
     *                values in total
     * @return the standardized statistic and its p-value
     */
    public static StatResult andersonDarlingKSample(double[]... samples) {
        Objects.requireNonNull(samples, "samples");
        if (samples.length < 2) {
            throw new IllegalArgumentException("Anderson-Darling needs at least 2 samples, got " + samples.length);
        }
        for (int i = 0; i < samples.length; i++) {
            Samples.ordered(samples[i], "sample " + (i + 1));
        }
        return AndersonDarling.test(samples);
    }

    /**
     * Two-sided Mann–Whitney U test, as {@code scipy.stats.mannwhitneyu(reference, current)}
     * (defaults: {@code use_continuity=True}, {@code method='auto'}).
     *
     * <p>Statistic: U of the reference sample, U1 = R1 − n(n+1)/2 with R1 the sum of its midranks
     * in the pooled sample (scipy's {@code statistic}); U2 = nm − U1. P-value from U = max(U1, U2):
     * exact (the null distribution of U, doubled) when min(n, m) ≤ 8 and the pooled sample has no
     * ties, as scipy's {@code method='auto'}; otherwise the normal approximation
     * 2·Φ(−(U − nm/2 − 0.5)/s) with the tie-corrected s² = nm/12·((N + 1) − Σ(t³ − t)/(N(N − 1))).
     * The p-value is symmetric in the two samples; the statistic is not (U1 becomes U2).
     *
     * @param reference reference sample (non-empty, no NaN; infinities allowed)
     * @param current   current sample (non-empty, no NaN; infinities allowed)
     * @return U1 and the two-sided p-value
     */
    public static StatResult mannWhitneyU(double[] reference, double[] current) {
        Samples.ordered(reference, Samples.REFERENCE);
        Samples.ordered(current, Samples.CURRENT);
        return MannWhitney.test(reference, current);
    }

    /**
     * Welch's unequal-variances t-test, as {@code scipy.stats.ttest_ind(reference, current,
     * equal_var=False)}.
     *
     * <p>t = (x̄ − ȳ)/√(s_x²/n + s_y²/m) with sample variances (ddof = 1), Welch–Satterthwaite
     * degrees of freedom ν = (s_x²/n + s_y²/m)² / ((s_x²/n)²/(n−1) + (s_y²/m)²/(m−1)), and the
     * two-sided p-value 2·P(T_ν ≥ |t|). When both samples are constant (zero variance, where
     * scipy gives NaN): equal means give t = 0, p = 1; different means give t = ±∞, p = 0.
     *
     * @param reference reference sample (at least 2 finite values)
     * @param current   current sample (at least 2 finite values)
     * @return t and the two-sided p-value
     */
    public static StatResult welchT(double[] reference, double[] current) {
        Samples.finite(reference, Samples.REFERENCE);
        Samples.finite(current, Samples.CURRENT);
        if (reference.length < 2 || current.length < 2) {
            String side = reference.length < 2 ? Samples.REFERENCE : Samples.CURRENT;
            throw new IllegalArgumentException(side
                    + " sample has 1 value: the t-test needs at least 2 in each sample for a variance");
        }
        double n1 = reference.length;
        double n2 = current.length;
        double m1 = mean(reference);
        double m2 = mean(current);
        double vn1 = variance(reference, m1, 1) / n1;
        double vn2 = variance(current, m2, 1) / n2;
        double diff = m1 - m2;
        double se2 = vn1 + vn2;
        if (se2 == 0.0) {
            if (diff == 0.0) {
                return StatResult.test(0.0, 1.0);
            }
            return StatResult.test(Math.copySign(Double.POSITIVE_INFINITY, diff), 0.0);
        }
        double df = se2 * se2 / (vn1 * vn1 / (n1 - 1) + vn2 * vn2 / (n2 - 1));
        double t = diff / Math.sqrt(se2);
        double p = 2 * TDistribution.of(df).survivalProbability(Math.abs(t));
        return StatResult.test(t, Math.max(0.0, Math.min(1.0, p)));
    }

    /**
     * Epps–Singleton two-sample test on the empirical characteristic function, as
     * {@code scipy.stats.epps_singleton_2samp(reference, current)} (default t = (0.4, 0.8)); the
     * test behind Evidently's {@code es}.
     *
     * <p>The characteristic function is evaluated at t/σ, σ the semi-interquartile range of the
     * pooled sample; W = N·dᵀ·Σ⁺·d compares the mean (cos, sin) vectors of the two samples through
     * the pseudo-inverse of their pooled covariance, with scipy's small-sample correction when
     * both samples have fewer than 25 values; p-value P(χ²_r ≥ W), r the rank of Σ⁺ (4 unless ties
     * leave fewer directions). Symmetric in the two samples. See {@link EppsSingleton}.
     *
     * @param reference reference sample (at least 5 finite values)
     * @param current   current sample (at least 5 finite values)
     * @return W and its p-value
     * @throws IllegalArgumentException if a sample has fewer than 5 values, the pooled
     *                                  interquartile range is 0 (as Evidently refuses), or both
     *                                  samples are constant
     */
    public static StatResult eppsSingleton(double[] reference, double[] current) {
        Samples.finite(reference, Samples.REFERENCE);
        Samples.finite(current, Samples.CURRENT);
        return EppsSingleton.test(reference, current);
    }

    /**
     * First Wasserstein distance between the two empirical distributions, as
     * {@code scipy.stats.wasserstein_distance(reference, current)}: ∫ |F_ref(x) − F_cur(x)| dx.
     * Symmetric, in the units of the data, 0 for identical samples.
     *
     * @param reference reference sample (non-empty, finite)
     * @param current   current sample (non-empty, finite)
     * @return the distance (no p-value)
     */
    public static StatResult wasserstein(double[] reference, double[] current) {
        Samples.finite(reference, Samples.REFERENCE);
        Samples.finite(current, Samples.CURRENT);
        return StatResult.distance(cdfDistance(1, reference, current));
    }

    /**
     * Wasserstein distance divided by max(std(reference), 0.001), as Evidently's
     * {@code wasserstein} (normed) stattest; std is the population standard deviation
     * ({@code numpy.std}, ddof = 0), which is what the shared reference vectors use. A constant
     * reference uses the 0.001 floor.
     *
     * @param reference reference sample (non-empty, finite)
     * @param current   current sample (non-empty, finite)
     * @return the normalized distance (no p-value)
     */
    public static StatResult normalizedWasserstein(double[] reference, double[] current) {
        Samples.finite(reference, Samples.REFERENCE);
        Samples.finite(current, Samples.CURRENT);
        double mean = mean(reference);
        double std = Math.sqrt(variance(reference, mean, 0));
        return StatResult.distance(cdfDistance(1, reference, current) / Math.max(std, 0.001));
    }

    /**
     * Energy distance, as {@code scipy.stats.energy_distance(reference, current)}:
     * √(2·∫ (F_ref(x) − F_cur(x))² dx), which equals (2E|X−Y| − E|X−X'| − E|Y−Y'|)^½.
     *
     * @param reference reference sample (non-empty, finite)
     * @param current   current sample (non-empty, finite)
     * @return the distance (no p-value)
     */
    public static StatResult energyDistance(double[] reference, double[] current) {
        Samples.finite(reference, Samples.REFERENCE);
        Samples.finite(current, Samples.CURRENT);
        return StatResult.distance(Math.sqrt(2) * cdfDistance(2, reference, current));
    }

    /**
     * {@link #wasserstein}, {@link #normalizedWasserstein} or {@link #energyDistance} of samples
     * already as {@link Samples#sorted} leaves them (ascending, no −0.0): the column layer's own
     * sorted copies, without another copy.
     */
    static StatResult sortedCdfDistance(DriftMethod method, double[] reference, double[] current) {
        Samples.finite(reference, Samples.REFERENCE);
        Samples.finite(current, Samples.CURRENT);
        return switch (method) {
            case WASSERSTEIN -> StatResult.distance(sortedCdfDistance(1, reference, current));
            case WASSERSTEIN_NORM -> {
                double mean = mean(reference);
                double std = Math.sqrt(variance(reference, mean, 0));
                yield StatResult.distance(sortedCdfDistance(1, reference, current) / Math.max(std, 0.001));
            }
            case ENERGY -> StatResult.distance(Math.sqrt(2) * sortedCdfDistance(2, reference, current));
            default -> throw new IllegalArgumentException(method.id() + " is not a CDF distance");
        };
    }

    /** scipy {@code _cdf_distance(p, u, v)} for p = 1 or 2 (unweighted). */
    static double cdfDistance(int p, double[] u, double[] v) {
        return sortedCdfDistance(p, Samples.sorted(u), Samples.sorted(v));
    }

    /**
     * {@link #cdfDistance} of sorted samples without −0.0: the compensated sum, in the merged
     * order, of |F1 − F2|^p times the gap to the next pooled value. One value per step and no
     * branch on which sample holds it (a coin toss the branch predictor loses half the time):
     * inside a run of equal values the gap is 0 and so is the term, which leaves the sum as it
     * was, so the terms and their order are those of a merge by runs, bit for bit.
     */
    private static double sortedCdfDistance(int p, double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        double sum = 0.0;
        double comp = 0.0;
        int i = 0;
        int j = 0;
        double fi = 0.0;
        double fj = 0.0;
        double prev = Math.min(a[0], b[0]);
        while (i < n || j < m) {
            // a used-up sample reads as +Infinity, which is never taken (both samples are finite)
            double x = i < n ? a[i] : Double.POSITIVE_INFINITY;
            double y = j < m ? b[j] : Double.POSITIVE_INFINITY;
            // 1 when x <= y: y − x is then +0.0 or positive (no −0.0 in either sample)
            int t = 1 - (int) (Double.doubleToRawLongBits(y - x) >>> 63);
            long xb = Double.doubleToRawLongBits(x);
            long yb = Double.doubleToRawLongBits(y);
            double v = Double.longBitsToDouble(yb ^ ((xb ^ yb) & -(long) t));
            double diff = Math.abs(fi - fj);
            double term = (p == 1 ? diff : diff * diff) * (v - prev);
            double s = sum + term;
            comp += Math.abs(sum) >= Math.abs(term) ? (sum - s) + term : (term - s) + sum;
            sum = s;
            prev = v;
            i += t;
            j += 1 - t;
            double q = (double) (j + ((i - j) & -t)) / (m + ((n - m) & -t));
            long qb = Double.doubleToRawLongBits(q);
            long fib = Double.doubleToRawLongBits(fi);
            long fjb = Double.doubleToRawLongBits(fj);
            fi = Double.longBitsToDouble(fib ^ ((fib ^ qb) & -(long) t));
            fj = Double.longBitsToDouble(fjb ^ ((fjb ^ qb) & -(long) (1 - t)));
        }
        double total = sum + comp;
        return p == 1 ? total : Math.sqrt(total);
    }

    static double mean(double[] x) {
        return Samples.sum(x) / x.length;
    }

    static double variance(double[] x, double mean, int ddof) {
        double s = 0.0;
        double c = 0.0;
        for (double v : x) {
            double d = v - mean;
            double term = d * d;
            double t = s + term;
            c += s >= term ? (s - t) + term : (term - t) + s;
            s = t;
        }
        return (s + c) / (x.length - ddof);
    }
}
