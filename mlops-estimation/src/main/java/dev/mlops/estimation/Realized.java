package dev.mlops.estimation;

import dev.mlops.api.quality.ClassificationData;
import dev.mlops.quality.Metrics;
import java.util.List;

/**
 * Realized performance from targets, with mlops-quality's metrics (scikit-learn's definitions),
 * and NannyML's rules for when a chunk does not define it (NaN): ROC AUC needs every class among
 * the targets; F1, precision and recall need two distinct targets and two distinct predictions.
 */
final class Realized {
    private static final List<String> BINARY = List.of("0", "1");

    private Realized() {
    }

    static double rocAuc(Rows r) {
        if (r.binary()) {
            if (Rows.distinct(r.targets) < 2) {
                return Double.NaN;
            }
            return Metrics.ROC_AUC.compute(ClassificationData.binary(BINARY, r.targets, r.uncalibrated[0]));
        }
        if (Rows.distinct(r.targets) < r.classCount) {
            return Double.NaN;
        }
        double sum = 0;
        for (int c = 0; c < r.classCount; c++) {
            sum += Metrics.ROC_AUC.compute(ClassificationData.binary(BINARY, r.targetIs(c), r.uncalibrated[c]));
        }
        return sum / r.classCount;
    }

    enum Part { F1, PRECISION, RECALL }

    /** Binary: of class 1; multiclass: the macro average over all classes (scikit-learn's {@code labels=classes}). */
    static double part(Rows r, Part part) {
        if (Rows.distinct(r.targets) < 2 || Rows.distinct(r.predicted) < 2) {
            return Double.NaN;
        }
        if (r.binary()) {
            return classPart(ClassificationData.of(BINARY, r.targets, r.predicted), "1", part);
        }
        double sum = 0;
        for (int c = 0; c < r.classCount; c++) {
            sum += classPart(ClassificationData.of(BINARY, r.targetIs(c), r.predictedIs(c)), "1", part);
        }
        return sum / r.classCount;
    }

    private static double classPart(ClassificationData d, String cls, Part part) {
        return switch (part) {
            case F1 -> Metrics.f1(cls).compute(d);
            case PRECISION -> Metrics.precision(cls).compute(d);
            case RECALL -> Metrics.recall(cls).compute(d);
        };
    }

    /** TN / (TN + FP); NaN when there is no negative. Multiclass: the mean over classes (one-vs-rest). */
    static double specificity(Rows r) {
        if (r.binary()) {
            long[] c = SamplingErrors.counts(r.targets, r.predicted);
            return c[0] + c[1] == 0 ? Double.NaN : (double) c[0] / (c[0] + c[1]);
        }
        if (Rows.distinct(r.targets) < 2 || Rows.distinct(r.predicted) < 2) {
            return Double.NaN;
        }
        double sum = 0;
        for (int k = 0; k < r.classCount; k++) {
            long[] c = SamplingErrors.counts(r.targetIs(k), r.predictedIs(k));
            sum += (double) c[0] / (c[0] + c[1]);
        }
        return sum / r.classCount;
    }

    static double accuracy(Rows r) {
        if (r.binary()) {
            return Metrics.ACCURACY.compute(ClassificationData.of(BINARY, r.targets, r.predicted));
        }
        if (Rows.distinct(r.targets) < 2 || Rows.distinct(r.predicted) < 2) {
            return Double.NaN;
        }
        // accuracy compares class indices only; the labels just have to be distinct
        List<String> labels = java.util.stream.IntStream.range(0, r.classCount).mapToObj(String::valueOf).toList();
        return Metrics.ACCURACY.compute(ClassificationData.of(labels, r.targets, r.predicted));
    }
}
