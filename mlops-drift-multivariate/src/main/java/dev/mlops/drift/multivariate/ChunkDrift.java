package dev.mlops.drift.multivariate;

import dev.mlops.estimation.Chunk;
import java.util.Objects;

/**
 * One chunk's multivariate drift value.
 *
 * @param chunk the chunk (rows, key) the value was computed on
 * @param value the method's value: the mean reconstruction error, or the domain classifier's AUROC
 * @param samplingError the standard error of the value; NaN when the method has none (domain classifier)
 *     or the chunk has one row
 * @param lowerConfidenceBound {@code value - 3 * samplingError}, at least 0; NaN without a sampling error
 * @param upperConfidenceBound {@code value + 3 * samplingError}; NaN without a sampling error
 * @param alert whether the value lies outside the thresholds
 */
public record ChunkDrift(Chunk chunk, double value, double samplingError, double lowerConfidenceBound,
                         double upperConfidenceBound, boolean alert) {
    /** Checks the values. */
    public ChunkDrift {
        Objects.requireNonNull(chunk, "chunk");
    }
}
