package dev.mlops.estimation;

import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds the result columns of the asked metrics, with the sampling-error components taken from the reference. */
final class MetricColumns {
    private MetricColumns() {
    }

    static List<MetricColumn> binary(Set<CbpeMetric> metrics, Rows ref, ConfusionNormalization normalization,
                                     double[][] valueMatrix, boolean valuePerPrediction) {
        if (metrics.contains(CbpeMetric.BUSINESS_VALUE) && valueMatrix.length != 2) {
            throw new ValidationException("the business value matrix is " + valueMatrix.length + "x" + valueMatrix.length
                    + ", expected 2x2 for a binary classifier: [[TN, FP], [FN, TP]]");
        }
        int n = ref.size();
        long[] c = SamplingErrors.counts(ref.targets, ref.predicted);
        List<MetricColumn> out = new ArrayList<>();
        for (CbpeMetric m : metrics) {
            switch (m) {
                case ROC_AUC -> {
                    SamplingErrors.Components se = SamplingErrors.auroc(ref.targets, ref.uncalibrated[0], false);
                    out.add(new MetricColumn("roc_auc", 0, 1,
                            r -> Estimates.rocAuc(r.calibrated[0], r.uncalibrated[0]),
                            rows -> SamplingErrors.universal(se, rows), Realized::rocAuc));
                }
                case F1 -> {
                    SamplingErrors.Components se = SamplingErrors.f1(c, n, false);
                    out.add(new MetricColumn("f1", 0, 1, r -> Estimates.f1(r.predicted, r.calibrated[0]),
                            rows -> SamplingErrors.universal(se, rows), r -> Realized.part(r, Realized.Part.F1)));
                }
                case PRECISION -> {
                    SamplingErrors.Components se = SamplingErrors.precision(c, n, false);
                    out.add(new MetricColumn("precision", 0, 1, r -> Estimates.precision(r.predicted, r.calibrated[0]),
                            rows -> SamplingErrors.universal(se, rows),
                            r -> Realized.part(r, Realized.Part.PRECISION)));
                }
                case RECALL -> {
                    SamplingErrors.Components se = SamplingErrors.recall(c, n, false);
                    out.add(new MetricColumn("recall", 0, 1, r -> Estimates.recall(r.predicted, r.calibrated[0]),
                            rows -> SamplingErrors.universal(se, rows), r -> Realized.part(r, Realized.Part.RECALL)));
                }
                case SPECIFICITY -> {
                    SamplingErrors.Components se = SamplingErrors.specificity(c, n, false);
                    out.add(new MetricColumn("specificity", 0, 1,
                            r -> Estimates.specificity(r.predicted, r.calibrated[0]),
                            rows -> SamplingErrors.universal(se, rows), Realized::specificity));
                }
                case ACCURACY -> {
                    double std = SamplingErrors.accuracyStd(ref.targets, ref.predicted);
                    out.add(new MetricColumn("accuracy", 0, 1, r -> Estimates.accuracy(r.predicted, r.calibrated[0]),
                            rows -> std / Math.sqrt(rows), Realized::accuracy));
                }
                case CONFUSION_MATRIX -> out.addAll(ConfusionColumns.columns(c, n, normalization));
                case BUSINESS_VALUE -> out.add(ConfusionColumns.businessValue(ref, valueMatrix, valuePerPrediction));
            }
        }
        return out;
    }

    static List<MetricColumn> multiclass(Set<CbpeMetric> metrics, Rows ref, List<String> classes,
                                         ConfusionNormalization normalization, double[][] valueMatrix,
                                         boolean valuePerPrediction) {
        int n = ref.size();
        int k = ref.classCount;
        long[][] perClass = new long[k][];
        for (int cls = 0; cls < k; cls++) {
            perClass[cls] = SamplingErrors.counts(ref.targetIs(cls), ref.predictedIs(cls));
        }
        List<MetricColumn> out = new ArrayList<>();
        for (CbpeMetric m : metrics) {
            switch (m) {
                case ROC_AUC -> {
                    SamplingErrors.Components[] se = new SamplingErrors.Components[k];
                    for (int cls = 0; cls < k; cls++) {
                        se[cls] = SamplingErrors.auroc(ref.targetIs(cls), ref.uncalibrated[cls], true);
                    }
                    // NannyML widens the multiclass AUROC error by 1.2
                    out.add(new MetricColumn("roc_auc", 0, 1, MetricColumns::multiclassRocAuc,
                            rows -> SamplingErrors.multiclass(se, rows) * 1.2, Realized::rocAuc));
                }
                case F1 -> out.add(perClassColumn("f1", perClass, n, Estimates::f1, Realized.Part.F1,
                        (cc, nn) -> SamplingErrors.f1(cc, nn, true)));
                case PRECISION -> out.add(perClassColumn("precision", perClass, n, Estimates::precision,
                        Realized.Part.PRECISION, (cc, nn) -> SamplingErrors.precision(cc, nn, true)));
                case RECALL -> out.add(perClassColumn("recall", perClass, n, Estimates::recall, Realized.Part.RECALL,
                        (cc, nn) -> SamplingErrors.recall(cc, nn, true)));
                case SPECIFICITY -> out.add(perClassColumn("specificity", perClass, n, Estimates::specificity, null,
                        (cc, nn) -> SamplingErrors.specificity(cc, nn, true)));
                case ACCURACY -> {
                    double std = SamplingErrors.accuracyStd(ref.targets, ref.predicted);
                    out.add(new MetricColumn("accuracy", 0, 1, MetricColumns::multiclassAccuracy,
                            rows -> std / Math.sqrt(rows), Realized::accuracy));
                }
                case CONFUSION_MATRIX -> out.addAll(MulticlassConfusion.columns(ref, classes, normalization));
                case BUSINESS_VALUE -> {
                    if (valueMatrix.length != classes.size()) {
                        throw new ValidationException("the business value matrix is " + valueMatrix.length + "x"
                                + valueMatrix.length + ", expected " + classes.size() + "x" + classes.size()
                                + " (one row and column per class " + classes + ")");
                    }
                    out.add(MulticlassConfusion.businessValue(ref, valueMatrix, valuePerPrediction));
                }
            }
        }
        return out;
    }

    interface BinaryEstimate {
        double apply(int[] predicted, double[] probability);
    }

    interface ComponentsOf {
        SamplingErrors.Components apply(long[] counts, int n);
    }

    private static MetricColumn perClassColumn(String name, long[][] perClass, int n, BinaryEstimate estimate,
                                               Realized.Part part, ComponentsOf components) {
        SamplingErrors.Components[] se = new SamplingErrors.Components[perClass.length];
        for (int cls = 0; cls < perClass.length; cls++) {
            se[cls] = components.apply(perClass[cls], n);
        }
        return new MetricColumn(name, 0, 1, r -> {
            double sum = 0;
            for (int cls = 0; cls < r.classCount; cls++) {
                sum += estimate.apply(r.predictedIs(cls), r.calibrated[cls]);
            }
            return sum / r.classCount;
        }, rows -> SamplingErrors.multiclass(se, rows),
                part == null ? Realized::specificity : r -> Realized.part(r, part));
    }

    /** Mean over classes of the one-vs-rest estimated ROC AUC. */
    static double multiclassRocAuc(Rows r) {
        double sum = 0;
        for (int cls = 0; cls < r.classCount; cls++) {
            sum += Estimates.rocAuc(r.calibrated[cls], r.uncalibrated[cls]);
        }
        return sum / r.classCount;
    }

    /** Mean calibrated probability of the predicted class. */
    static double multiclassAccuracy(Rows r) {
        double sum = 0;
        for (int i = 0; i < r.size(); i++) {
            sum += r.calibrated[r.predicted[i]][i];
        }
        return sum / r.size();
    }
}
