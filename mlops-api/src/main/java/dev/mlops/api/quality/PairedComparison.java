package dev.mlops.api.quality;

import java.util.Objects;

/**
 * Candidate vs champion on the same rows by paired bootstrap: every resample draws one set of
 * rows and computes the metric for both models on it. The improvement is oriented so that
 * positive is better: {@code candidate - champion} when greater is better, else
 * {@code champion - candidate}.
 *
 * @param metric metric name
 * @param greaterIsBetter the metric's direction
 * @param candidate the candidate's metric on all rows
 * @param champion the champion's metric on all rows
 * @param improvement the oriented difference on all rows
 * @param lower lower end of the percentile interval of the improvement
 * @param upper upper end of the percentile interval of the improvement
 * @param confidence confidence level
 * @param pValue one-sided p-value for "the candidate is not better":
 *     {@code (1 + #{resamples with improvement <= 0}) / (1 + valid resamples)}
 * @param resamples resamples drawn
 * @param skipped resamples on which the metric was undefined for either model
 * @param seed seed of the resampling
 */
public record PairedComparison(String metric, boolean greaterIsBetter, double candidate, double champion,
                               double improvement, double lower, double upper, double confidence, double pValue,
                               int resamples, int skipped, long seed) {
    /** Checks arguments. */
    public PairedComparison {
        Objects.requireNonNull(metric, "metric");
    }

    /**
     * @param alpha significance level, such as 0.05
     * @return true if the candidate is better at that level ({@code pValue < alpha})
     */
    public boolean significantImprovement(double alpha) {
        return pValue < alpha;
    }
}
