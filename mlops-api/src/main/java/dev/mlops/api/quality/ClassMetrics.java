package dev.mlops.api.quality;

import java.util.Objects;

/**
 * Precision, recall and F1 of one class (one-vs-rest), as scikit-learn's
 * {@code precision_recall_fscore_support} with {@code average=None} and {@code zero_division=0}.
 *
 * @param label the class
 * @param precision true positives over predicted positives; 0 when nothing was predicted as this class
 * @param recall true positives over actual positives; 0 when the class does not occur
 * @param f1 {@code 2 tp / (2 tp + fp + fn)}; 0 when that is 0 / 0
 * @param support rows whose true class is this one
 */
public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
    /** Checks arguments. */
    public ClassMetrics {
        Objects.requireNonNull(label, "label");
    }
}
