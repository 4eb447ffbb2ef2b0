package dev.mlops.drift;

import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Hypothesis tests for categorical samples: chi-square goodness of fit, chi-square test of
 * independence, two-proportion z-test, G-test, Fisher's exact test.
 *
 * <p>Inputs are non-empty {@code String[]} samples without null elements (the column layer
 * counts and removes missing values first); the exception names the offending side. The
 * categories are the union of the values of both samples.
 */
public final class CategoricalTests {

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private CategoricalTests() {
    }

    /**
     * Chi-square goodness of fit of the current counts against the reference proportions, as
     * Evidently's {@code chisquare} stattest: {@code scipy.stats.chisquare(f_obs, f_exp)} with
     * f_obs the current count of each category and f_exp = (reference count / n_ref)·n_cur.
     *
     * <p>Statistic Σ (O − E)²/E, p-value P(χ²_{k−1} ≥ statistic) for k categories in the union.
     * Defined results where scipy has none: a category the reference never had (E = 0, O &gt; 0)
     * makes the statistic +∞ and the p-value 0 (the limit of the formula, and what scipy's
     * arithmetic gives); a single category (k = 1) gives statistic 0 and p-value 1.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the statistic and p-value
     */
    public static StatResult chiSquareGoodnessOfFit(String[] reference, String[] current) {
        return chiSquareGoodnessOfFit(Categories.of(reference, current));
    }

    /** {@link #chiSquareGoodnessOfFit(String[], String[])} on counted samples. */
    static StatResult chiSquareGoodnessOfFit(Categories categories) {
        TreeMap<String, long[]> counts = categories.counts();
        int k = counts.size();
        if (k == 1) {
            return StatResult.test(0.0, 1.0);
        }
        double nRef = categories.referenceSize();
        double nCur = categories.currentSize();
        double stat = 0.0;
        for (long[] c : counts.values()) {
            double expected = c[0] / nRef * nCur;
            double observed = c[1];
            if (expected == 0.0) {
                return StatResult.test(Double.POSITIVE_INFINITY, 0.0);
            }
            double d = observed - expected;
            stat += d * d / expected;
        }
        double p = ChiSquaredDistribution.of(k - 1).survivalProbability(stat);
        return StatResult.test(stat, p);
    }

    /**
     * Chi-square test of independence on the 2×k table of reference and current counts per
     * category, without continuity correction: {@code scipy.stats.chi2_contingency(table,
     * correction=False)}, which is what the shared reference vectors hold. See
     * {@link #chiSquareIndependence(String[], String[], boolean)} for scipy's default Yates
     * correction.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the statistic and p-value
     */
    public static StatResult chiSquareIndependence(String[] reference, String[] current) {
        return chiSquareIndependence(reference, current, false);
    }

    /**
     * Chi-square test of independence on the 2×k table of reference and current counts, as
     * {@code scipy.stats.chi2_contingency(table, correction=yates)}.
     *
     * <p>Expected counts E_ij = row_i·col_j/total, statistic Σ (O − E)²/E, dof = k − 1, p-value
     * P(χ²_dof ≥ statistic). With {@code yates} (scipy's default) and dof = 1 (two categories)
     * each observed count first moves towards its expected count by min(0.5, |O − E|); without
     * it, for two categories the statistic equals the square of
     * {@link #twoProportionZ(String[], String[])}'s z. A single category (dof = 0) gives
     * statistic 0 and p-value 1, as scipy.
     *
     * @param reference reference sample
     * @param current   current sample
     * @param yates     apply Yates' continuity correction when dof = 1
     * @return the statistic and p-value
     */
    public static StatResult chiSquareIndependence(String[] reference, String[] current, boolean yates) {
        return chiSquareIndependence(Categories.of(reference, current), yates);
    }

    /** {@link #chiSquareIndependence(String[], String[], boolean)} on counted samples. */
    static StatResult chiSquareIndependence(Categories categories, boolean yates) {
        TreeMap<String, long[]> counts = categories.counts();
        int k = counts.size();
        int dof = k - 1;
        if (dof == 0) {
            return StatResult.test(0.0, 1.0);
        }
        double total = (double) categories.referenceSize() + categories.currentSize();
        double[] rows = {categories.referenceSize(), categories.currentSize()};
        double stat = 0.0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            double col = e.getValue()[0] + e.getValue()[1];
            for (int r = 0; r < 2; r++) {
                double expected = rows[r] * col / total;
                double observed = e.getValue()[r];
                if (yates && dof == 1) {
                    double diff = expected - observed;
                    observed += Math.signum(diff) * Math.min(0.5, Math.abs(diff));
                }
                double d = observed - expected;
                stat += d * d / expected;
            }
        }
        double p = ChiSquaredDistribution.of(dof).survivalProbability(stat);
        return StatResult.test(stat, p);
    }

    /**
     * Two-proportion z-test for a binary column, as Evidently's {@code z} stattest.
     *
     * <p>The "success" category is the greatest of the (at most two) categories in natural
     * String order ("1" over "0", "true" over "false", "yes" over "no"), as Evidently, which
     * counts every value other than the first of the sorted categories. z = (p_ref − p_cur)/
     * √(P(1 − P)(1/n_ref + 1/n_cur)) with P the pooled success share; p-value 2·P(Z ≥ |z|),
     * computed from the normal survival function (Evidently's 2·(1 − Φ(|z|)) loses all digits
     * below about 1e-16). A single category on both sides gives z = 0, p = 1.
     *
     * @param reference reference sample with at most two categories together with current
     * @param current   current sample
     * @return z and the two-sided p-value
     * @throws IllegalArgumentException if the samples hold more than two categories together
     */
    public static StatResult twoProportionZ(String[] reference, String[] current) {
        return twoProportionZ(Categories.of(reference, current));
    }

    /** {@link #twoProportionZ(String[], String[])} on counted samples. */
    static StatResult twoProportionZ(Categories categories) {
        TreeMap<String, long[]> counts = binaryCounts(categories, "the z-test");
        if (counts.size() == 1) {
            return StatResult.test(0.0, 1.0);
        }
        long[] success = counts.lastEntry().getValue();
        return twoProportionZ(success[0], categories.referenceSize(), success[1], categories.currentSize());
    }

    /**
     * Two-proportion z-test from counts; see {@link #twoProportionZ(String[], String[])}.
     *
     * @param referenceSuccesses successes in the reference sample
     * @param referenceSize      reference sample size (&gt; 0)
     * @param currentSuccesses   successes in the current sample
     * @param currentSize        current sample size (&gt; 0)
     * @return z and the two-sided p-value (0 and 1 when the pooled share is 0 or 1)
     */
    public static StatResult twoProportionZ(long referenceSuccesses, long referenceSize, long currentSuccesses,
            long currentSize) {
        if (referenceSize <= 0 || currentSize <= 0) {
            throw new IllegalArgumentException("sample sizes must be positive: reference " + referenceSize
                    + ", current " + currentSize);
        }
        if (referenceSuccesses < 0 || referenceSuccesses > referenceSize || currentSuccesses < 0
                || currentSuccesses > currentSize) {
            throw new IllegalArgumentException("successes must be within [0, size]: reference "
                    + referenceSuccesses + "/" + referenceSize + ", current " + currentSuccesses + "/" + currentSize);
        }
        double n1 = referenceSize;
        double n2 = currentSize;
        double p1 = referenceSuccesses / n1;
        double p2 = currentSuccesses / n2;
        double pooled = (double) (referenceSuccesses + currentSuccesses) / (n1 + n2);
        double var = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
        if (var == 0.0) {
            return StatResult.test(0.0, 1.0);
        }
        double z = (p1 - p2) / Math.sqrt(var);
        double p = 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z));
        return StatResult.test(z, Math.min(1.0, p));
    }

    /**
     * G-test (log-likelihood ratio) of the current counts against the reference proportions, as
     * Evidently's {@code g_test} stattest: {@code scipy.stats.power_divergence(f_obs, f_exp,
     * lambda_="log-likelihood")} with f_obs the current count of each category of the union and
     * f_exp = reference count · (n_cur / n_ref), the layout of {@link #chiSquareGoodnessOfFit}.
     *
     * <p>Statistic G = 2·Σ O·ln(O/E) (a term with O = 0 is 0), p-value P(χ²_{k−1} ≥ G) for k
     * categories in the union. A category the reference never had (E = 0, O &gt; 0) makes G +∞
     * and the p-value 0, which is what scipy computes and so what Evidently reports; a single
     * category gives G = 0 and p-value 1 (scipy has no result with 0 degrees of freedom). G can
     * be a rounding error below 0 when the shares agree, as in scipy; its p-value is then 1.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return G and its p-value
     */
    public static StatResult gTest(String[] reference, String[] current) {
        return gTest(Categories.of(reference, current));
    }

    /** {@link #gTest(String[], String[])} on counted samples. */
    static StatResult gTest(Categories categories) {
        TreeMap<String, long[]> counts = categories.counts();
        long[] ref = new long[counts.size()];
        long[] cur = new long[counts.size()];
        int i = 0;
        for (long[] c : counts.values()) {
            ref[i] = c[0];
            cur[i] = c[1];
            i++;
        }
        return CountTests.gTest(ref, cur);
    }

    /**
     * Two-sided Fisher's exact test for a binary column, as Evidently's {@code fisher_exact}
     * stattest: {@code scipy.stats.fisher_exact(table)} (default {@code alternative='two-sided'})
     * on the 2×2 table of reference and current counts.
     *
     * <p>Table rows are the reference and the current sample, columns the two categories in
     * natural String order, so the statistic, scipy's sample odds ratio
     * (ref_first·cur_second)/(ref_second·cur_first), is +∞ when the denominator is 0. The p-value
     * sums the hypergeometric probabilities of all tables with the same margins that are at most
     * as likely as the observed one (relative tolerance 1e-14, as scipy). A single category in
     * both samples gives odds ratio 1 and p-value 1 (scipy: NaN and 1). Unlike Evidently, the two
     * samples need not have the same size (Evidently refuses different sizes; the test does not
     * need them equal). Table totals above {@link Integer#MAX_VALUE} are refused.
     *
     * @param reference reference sample with at most two categories together with current
     * @param current   current sample
     * @return the odds ratio and the two-sided p-value
     * @throws IllegalArgumentException if the samples hold more than two categories together
     */
    public static StatResult fisherExact(String[] reference, String[] current) {
        return fisherExact(Categories.of(reference, current));
    }

    /** {@link #fisherExact(String[], String[])} on counted samples. */
    static StatResult fisherExact(Categories categories) {
        TreeMap<String, long[]> counts = binaryCounts(categories, "Fisher's exact test");
        if (counts.size() == 1) {
            return StatResult.test(1.0, 1.0);
        }
        long[] first = counts.firstEntry().getValue();
        long[] second = counts.lastEntry().getValue();
        return fisherExact(first[0], second[0], first[1], second[1]);
    }

    /**
     * Two-sided Fisher's exact test of the 2×2 table {@code [[referenceFirst, referenceSecond],
     * [currentFirst, currentSecond]]}, as {@code scipy.stats.fisher_exact}; see
     * {@link #fisherExact(String[], String[])}.
     *
     * @param referenceFirst  reference count of the first category (≥ 0)
     * @param referenceSecond reference count of the second category (≥ 0)
     * @param currentFirst    current count of the first category (≥ 0)
     * @param currentSecond   current count of the second category (≥ 0)
     * @return the odds ratio (1 when a row or column is empty) and the two-sided p-value
     * @throws IllegalArgumentException if a count is negative or the total exceeds
     *                                  {@link Integer#MAX_VALUE}
     */
    public static StatResult fisherExact(long referenceFirst, long referenceSecond, long currentFirst,
            long currentSecond) {
        double[] r = FisherExact.test(referenceFirst, referenceSecond, currentFirst, currentSecond);
        return StatResult.test(r[0], r[1]);
    }

    /** The counts of the (at most two) categories, or an exception naming them for the test. */
    private static TreeMap<String, long[]> binaryCounts(Categories categories, String test) {
        TreeMap<String, long[]> counts = categories.counts();
        if (counts.size() > 2) {
            throw new IllegalArgumentException(test + " is for binary columns; the samples hold " + counts.size()
                    + " categories: " + abbreviate(counts));
        }
        return counts;
    }

    private static String abbreviate(TreeMap<String, long[]> counts) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String c : counts.keySet()) {
            if (i == 5) {
                sb.append(", ...");
                break;
            }
            sb.append(i == 0 ? "" : ", ").append(dev.mlops.api.Names.quote(c));
            i++;
        }
        return sb.toString();
    }
}
