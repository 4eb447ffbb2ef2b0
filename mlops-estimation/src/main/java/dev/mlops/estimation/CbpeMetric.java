package dev.mlops.estimation;

/**
 * The metrics CBPE estimates (NannyML's metric keys). Each gives one result column, named as in
 * NannyML, except {@link #CONFUSION_MATRIX}, which gives four: {@code true_positive},
 * {@code true_negative}, {@code false_positive} and {@code false_negative}.
 */
public enum CbpeMetric {
    /** Area under the ROC curve; multiclass: the one-vs-rest macro average. */
    ROC_AUC("roc_auc"),
    /** F1 of class 1; multiclass: the macro average over all classes. */
    F1("f1"),
    /** Precision of class 1; multiclass: the macro average. */
    PRECISION("precision"),
    /** Recall of class 1; multiclass: the macro average. */
    RECALL("recall"),
    /** Specificity (recall of class 0); multiclass: the macro average of each class's specificity. */
    SPECIFICITY("specificity"),
    /** Share of rows predicted correctly. */
    ACCURACY("accuracy"),
    /** The four cells of the binary confusion matrix (binary only). */
    CONFUSION_MATRIX("confusion_matrix"),
    /** The value of the confusion matrix weighted by a 2x2 value matrix (binary only). */
    BUSINESS_VALUE("business_value");

    private final String key;

    CbpeMetric(String key) {
        this.key = key;
    }

    /** @return NannyML's key for this metric, such as {@code roc_auc} */
    public String key() {
        return key;
    }
}
