package dev.mlops.estimation;

/** How the estimated confusion matrix is normalized (NannyML's {@code normalize_confusion_matrix}). */
public enum ConfusionNormalization {
    /** Counts of rows. */
    NONE,
    /** Shares of all rows of the chunk. */
    ALL,
    /** Shares of the rows of the same true class. */
    TRUE,
    /** Shares of the rows of the same predicted class. */
    PREDICTED
}
