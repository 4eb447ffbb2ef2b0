package dev.mlops.estimation;

/**
 * The metrics CBPE estimates (NannyML's metric keys). Each gives one result column, named as in
 * NannyML, except {@link #CONFUSION_MATRIX}, which gives one per cell: binary {@code true_positive},
 * {@code true_negative}, {@code false_positive} and {@code false_negative}; multiclass
 * {@code true_<class>_pred_<class>}.
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
    /** The cells of the confusion matrix: binary four (true_positive, ...), multiclass {@code true_<a>_pred_<b>}. */
    CONFUSION_MATRIX("confusion_matrix"),
    /** The confusion matrix weighted by a value matrix (2x2 for binary, one row and column per class otherwise). */
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
