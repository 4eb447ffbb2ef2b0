package dev.mlops.api.estimation;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One metric of one monitored window: estimated from the model's outputs alone, and realized
 * from the ground truth joined so far.
 *
 * @param name the metric, such as {@code roc_auc} or {@code f1}
 * @param estimate the estimated value; NaN when the window does not define it (no expected positive, ...)
 * @param samplingError the standard error expected from sampling a window of this many rows alone
 * @param estimateBound how far the estimate may lie, at most, from the exact (unbinned) estimate over
 *     the same rows: 0 for metrics computed exactly, the binning bound for ROC AUC
 * @param lowerThreshold the lower alert threshold derived from the reference, if any
 * @param upperThreshold the upper alert threshold derived from the reference, if any
 * @param alert whether the estimate lies outside the thresholds
 * @param realized the value computed from the rows whose ground truth arrived, when it is defined
 * @param realizedBound how far the realized value may lie, at most, from the exact one over those rows
 */
public record EstimatedMetric(String name, double estimate, double samplingError, double estimateBound,
                              OptionalDouble lowerThreshold, OptionalDouble upperThreshold, boolean alert,
                              OptionalDouble realized, double realizedBound) {
    /** Checks the arguments. */
    public EstimatedMetric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lowerThreshold, "lowerThreshold");
        Objects.requireNonNull(upperThreshold, "upperThreshold");
        Objects.requireNonNull(realized, "realized");
    }

    /** @return true when the estimate lies below the lower threshold: an estimated drop */
    public boolean estimatedDrop() {
        return lowerThreshold.isPresent() && estimate < lowerThreshold.getAsDouble();
    }
}
