package dev.mlops.estimation;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One metric's estimate for one chunk, with NannyML's result columns.
 *
 * @param chunk the chunk
 * @param metric the result column's name, such as {@code roc_auc} or {@code true_positive}
 * @param value the estimated value; NaN when the chunk does not define it (for example no positive prediction)
 * @param samplingError the standard error expected from sampling a chunk of this size alone
 * @param realized the value computed from the chunk's targets, when the data carries targets and the value is defined
 * @param lowerConfidenceBoundary {@code value - 3 * samplingError}, clipped to the metric's range
 * @param upperConfidenceBoundary {@code value + 3 * samplingError}, clipped to the metric's range
 * @param lowerThreshold the lower alert threshold from the reference chunks, if any
 * @param upperThreshold the upper alert threshold from the reference chunks, if any
 * @param alert whether {@code value} lies outside the thresholds
 */
public record ChunkEstimate(Chunk chunk, String metric, double value, double samplingError, OptionalDouble realized,
                            double lowerConfidenceBoundary, double upperConfidenceBoundary,
                            OptionalDouble lowerThreshold, OptionalDouble upperThreshold, boolean alert) {
    /** Checks the values. */
    public ChunkEstimate {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(realized, "realized");
        Objects.requireNonNull(lowerThreshold, "lowerThreshold");
        Objects.requireNonNull(upperThreshold, "upperThreshold");
    }
}
