package dev.mlops.quality;

import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.ClassificationReport;
import dev.mlops.api.quality.Metric;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.RegressionReport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The standard evaluation metrics, with scikit-learn's definitions (docs/quality.md lists each
 * one and its reference values). Every metric is a {@link Metric}, so it can be bootstrapped and
 * compared ({@link Bootstrap}) and used for permutation importance.
 */
public final class Metrics {
    /** Share of rows predicted correctly ({@code accuracy_score}). */
    public static final Metric<ClassificationData> ACCURACY = Metric.of("accuracy", true, ClassificationMath::accuracy);
    /** Unweighted mean of per-class precision over the classes present in actual or predicted. */
    public static final Metric<ClassificationData> PRECISION_MACRO = Metric.of("precision_macro", true,
            d -> ClassificationMath.macro(d, ClassificationMath.Part.PRECISION));
    /** Unweighted mean of per-class recall. */
    public static final Metric<ClassificationData> RECALL_MACRO = Metric.of("recall_macro", true,
            d -> ClassificationMath.macro(d, ClassificationMath.Part.RECALL));
    /** Unweighted mean of per-class F1. */
    public static final Metric<ClassificationData> F1_MACRO = Metric.of("f1_macro", true,
            d -> ClassificationMath.macro(d, ClassificationMath.Part.F1));
    /** Per-class precision weighted by support. */
    public static final Metric<ClassificationData> PRECISION_WEIGHTED = Metric.of("precision_weighted", true,
            d -> ClassificationMath.weighted(d, ClassificationMath.Part.PRECISION));
    /** Per-class recall weighted by support. */
    public static final Metric<ClassificationData> RECALL_WEIGHTED = Metric.of("recall_weighted", true,
            d -> ClassificationMath.weighted(d, ClassificationMath.Part.RECALL));
    /** Per-class F1 weighted by support. */
    public static final Metric<ClassificationData> F1_WEIGHTED = Metric.of("f1_weighted", true,
            d -> ClassificationMath.weighted(d, ClassificationMath.Part.F1));
    /** ROC AUC: binary for the positive class, one-vs-rest macro average for more classes. */
    public static final Metric<ClassificationData> ROC_AUC = Metric.of("roc_auc", true, ClassificationMath::rocAuc);
    /** PR AUC as {@code average_precision_score}: binary, or one-vs-rest macro average. */
    public static final Metric<ClassificationData> AVERAGE_PRECISION = Metric.of("average_precision", true,
            ClassificationMath::averagePrecision);
    /** Mean cross-entropy, probabilities clipped to [eps, 1 - eps] and rows renormalized. */
    public static final Metric<ClassificationData> LOG_LOSS = Metric.of("log_loss", false, ClassificationMath::logLoss);

    /** Mean absolute error. */
    public static final Metric<RegressionData> MAE = Metric.of("mae", false, RegressionMath::mae);
    /** Root mean squared error. */
    public static final Metric<RegressionData> RMSE = Metric.of("rmse", false, RegressionMath::rmse);
    /** Coefficient of determination. */
    public static final Metric<RegressionData> R2 = Metric.of("r2", true, RegressionMath::r2);
    /** Mean absolute percentage error as a fraction, denominators floored at eps. */
    public static final Metric<RegressionData> MAPE = Metric.of("mape", false, RegressionMath::mape);

    private static final List<Metric<ClassificationData>> CLASSIFICATION = List.of(ACCURACY, PRECISION_MACRO,
            RECALL_MACRO, F1_MACRO, PRECISION_WEIGHTED, RECALL_WEIGHTED, F1_WEIGHTED, ROC_AUC, AVERAGE_PRECISION, LOG_LOSS);
    private static final List<Metric<RegressionData>> REGRESSION = List.of(MAE, RMSE, R2, MAPE);

    private Metrics() {
    }

    /**
     * @param cls a class name
     * @return that class's precision, named {@code precision[cls]}
     */
    public static Metric<ClassificationData> precision(String cls) {
        Objects.requireNonNull(cls, "cls");
        return Metric.of("precision[" + cls + "]", true, d -> ClassificationMath.classPart(d, cls,
                ClassificationMath.Part.PRECISION));
    }

    /**
     * @param cls a class name
     * @return that class's recall, named {@code recall[cls]}
     */
    public static Metric<ClassificationData> recall(String cls) {
        Objects.requireNonNull(cls, "cls");
        return Metric.of("recall[" + cls + "]", true, d -> ClassificationMath.classPart(d, cls,
                ClassificationMath.Part.RECALL));
    }

    /**
     * @param cls a class name
     * @return that class's F1, named {@code f1[cls]}
     */
    public static Metric<ClassificationData> f1(String cls) {
        Objects.requireNonNull(cls, "cls");
        return Metric.of("f1[" + cls + "]", true, d -> ClassificationMath.classPart(d, cls, ClassificationMath.Part.F1));
    }

    /**
     * @param name a name as in {@link ClassificationReport#metrics()}, such as {@code f1_macro} or {@code recall[bad]}
     * @return the metric of that name
     */
    public static Optional<Metric<ClassificationData>> classification(String name) {
        Objects.requireNonNull(name, "name");
        for (Metric<ClassificationData> m : CLASSIFICATION) {
            if (m.name().equals(name)) {
                return Optional.of(m);
            }
        }
        if (name.endsWith("]")) {
            int open = name.indexOf('[');
            if (open > 0) {
                String kind = name.substring(0, open);
                String cls = name.substring(open + 1, name.length() - 1);
                switch (kind) {
                    case "precision":
                        return Optional.of(precision(cls));
                    case "recall":
                        return Optional.of(recall(cls));
                    case "f1":
                        return Optional.of(f1(cls));
                    default:
                        break;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param name {@code mae}, {@code rmse}, {@code r2} or {@code mape}
     * @return the metric of that name
     */
    public static Optional<Metric<RegressionData>> regression(String name) {
        Objects.requireNonNull(name, "name");
        return REGRESSION.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * @param data classifier outputs and labels
     * @return every classification metric
     */
    public static ClassificationReport report(ClassificationData data) {
        return ClassificationMath.report(Objects.requireNonNull(data, "data"));
    }

    /**
     * @param data regression outputs and targets
     * @return every regression metric
     */
    public static RegressionReport report(RegressionData data) {
        return RegressionMath.report(Objects.requireNonNull(data, "data"));
    }
}
