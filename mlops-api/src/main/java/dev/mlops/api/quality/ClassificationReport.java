package dev.mlops.api.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every classification metric of one evaluation. Metrics that are undefined on the data (ROC
 * AUC with one class present, metrics that need probabilities when none were given) are empty,
 * with the reason in {@link #notes()}.
 *
 * @param count rows evaluated
 * @param classes class names
 * @param accuracy share of rows predicted correctly
 * @param perClass precision, recall, F1 and support per class, in class order
 * @param precisionMacro unweighted mean of per-class precision
 * @param recallMacro unweighted mean of per-class recall
 * @param f1Macro unweighted mean of per-class F1
 * @param precisionWeighted per-class precision weighted by support
 * @param recallWeighted per-class recall weighted by support
 * @param f1Weighted per-class F1 weighted by support
 * @param rocAuc binary: ROC AUC of the positive class; multiclass: one-vs-rest macro average
 * @param averagePrecision PR AUC as scikit-learn's {@code average_precision_score} (binary:
 *     positive class; multiclass: one-vs-rest macro average)
 * @param logLoss mean cross-entropy with scikit-learn's clipping and renormalization
 * @param confusion the confusion matrix
 * @param notes why a metric is absent
 */
public record ClassificationReport(int count, List<String> classes, double accuracy, List<ClassMetrics> perClass,
                                   double precisionMacro, double recallMacro, double f1Macro,
                                   double precisionWeighted, double recallWeighted, double f1Weighted,
                                   OptionalDouble rocAuc, OptionalDouble averagePrecision, OptionalDouble logLoss,
                                   ConfusionMatrix confusion, List<String> notes) {
    /** Copies lists and checks arguments. */
    public ClassificationReport {
        classes = List.copyOf(classes);
        perClass = List.copyOf(perClass);
        Objects.requireNonNull(rocAuc, "rocAuc");
        Objects.requireNonNull(averagePrecision, "averagePrecision");
        Objects.requireNonNull(logLoss, "logLoss");
        Objects.requireNonNull(confusion, "confusion");
        notes = List.copyOf(notes);
    }

    /**
     * @return every metric by name: {@code accuracy}, {@code precision_macro},
     *     {@code recall_macro}, {@code f1_macro}, {@code precision_weighted},
     *     {@code recall_weighted}, {@code f1_weighted}, {@code roc_auc}, {@code average_precision},
     *     {@code log_loss} (the last three when present), then {@code precision[c]},
     *     {@code recall[c]}, {@code f1[c]} per class c
     */
    public List<MetricValue> metrics() {
        List<MetricValue> out = new ArrayList<>();
        out.add(new MetricValue("accuracy", accuracy));
        out.add(new MetricValue("precision_macro", precisionMacro));
        out.add(new MetricValue("recall_macro", recallMacro));
        out.add(new MetricValue("f1_macro", f1Macro));
        out.add(new MetricValue("precision_weighted", precisionWeighted));
        out.add(new MetricValue("recall_weighted", recallWeighted));
        out.add(new MetricValue("f1_weighted", f1Weighted));
        rocAuc.ifPresent(v -> out.add(new MetricValue("roc_auc", v)));
        averagePrecision.ifPresent(v -> out.add(new MetricValue("average_precision", v)));
        logLoss.ifPresent(v -> out.add(new MetricValue("log_loss", v)));
        for (ClassMetrics c : perClass) {
            out.add(new MetricValue("precision[" + c.label() + "]", c.precision()));
            out.add(new MetricValue("recall[" + c.label() + "]", c.recall()));
            out.add(new MetricValue("f1[" + c.label() + "]", c.f1()));
        }
        return out;
    }

    /**
     * @param name a metric name as in {@link #metrics()}
     * @return its value, if present
     */
    public Optional<MetricValue> metric(String name) {
        Objects.requireNonNull(name, "name");
        return metrics().stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
