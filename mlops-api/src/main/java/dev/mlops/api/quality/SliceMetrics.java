package dev.mlops.api.quality;

import java.util.Objects;

/**
 * A classifier's behaviour on one slice of a sensitive column, for the positive class.
 * Rates whose denominator is zero are 0, as fairlearn's {@code true_positive_rate} and
 * {@code false_positive_rate} give them (scikit-learn's normalized confusion matrix with
 * {@code nan_to_num}); {@link #actualPositives()} and {@link #count()} tell when that happened.
 *
 * @param slice the sensitive value
 * @param count rows in the slice
 * @param actualPositives rows whose true class is the positive one
 * @param predictedPositives rows predicted as the positive class
 * @param selectionRate predicted positives over rows
 * @param truePositiveRate predicted positives among actual positives
 * @param falsePositiveRate predicted positives among actual negatives
 * @param accuracy share predicted correctly (all classes)
 */
public record SliceMetrics(String slice, int count, int actualPositives, int predictedPositives, double selectionRate,
                           double truePositiveRate, double falsePositiveRate, double accuracy) {
    /** Checks arguments. */
    public SliceMetrics {
        Objects.requireNonNull(slice, "slice");
    }
}
