package dev.mlops.api.quality;

import java.util.Objects;

/**
 * A metric with a percentile bootstrap confidence interval.
 *
 * @param metric metric name
 * @param value the metric on the full data
 * @param lower lower end of the interval
 * @param upper upper end of the interval
 * @param confidence confidence level, such as 0.95
 * @param resamples resamples drawn
 * @param skipped resamples on which the metric was undefined (for example ROC AUC on a resample
 *     with one class) and which the interval therefore leaves out
 * @param seed seed of the resampling
 */
public record MetricEstimate(String metric, double value, double lower, double upper, double confidence,
                             int resamples, int skipped, long seed) {
    /** Checks arguments. */
    public MetricEstimate {
        Objects.requireNonNull(metric, "metric");
    }

    /**
     * @param x a value
     * @return true if it lies within [lower, upper]
     */
    public boolean contains(double x) {
        return x >= lower && x <= upper;
    }
}
