package dev.mlops.estimation;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary confusion matrix's four cells and the business value, as NannyML's
 * {@code BinaryClassificationConfusionMatrix} and {@code BinaryClassificationBusinessValue}
 * estimate them, with their sampling errors.
 */
final class ConfusionColumns {
    private static final int TN = 0;
    private static final int FP = 1;
    private static final int FN = 2;
    private static final int TP = 3;

    private ConfusionColumns() {
    }

    /** @return expected {tn, fp, fn, tp} of a chunk from its calibrated probabilities */
    static double[] expected(Rows r) {
        int[] pred = r.predicted;
        double[] p = r.calibrated[0];
        return new double[] {Estimates.tn(pred, p), Estimates.fp(pred, p), Estimates.fn(pred, p), Estimates.tp(pred, p)};
    }

    /** @return realized {tn, fp, fn, tp} of a chunk */
    static double[] realized(Rows r) {
        long[] c = SamplingErrors.counts(r.targets, r.predicted);
        return new double[] {c[0], c[1], c[2], c[3]};
    }

    /**
     * One cell normalized as scikit-learn's {@code confusion_matrix(normalize=...)}: by all rows,
     * by the rows of its true class, or by the rows of its predicted class (NaN becomes 0 there).
     */
    static double normalize(double[] m, int cell, ConfusionNormalization how) {
        double total = m[TN] + m[FP] + m[FN] + m[TP];
        return switch (how) {
            case NONE -> m[cell];
            case ALL -> m[cell] / total;
            case TRUE -> share(m[cell], cell == TP || cell == FN ? m[TP] + m[FN] : m[TN] + m[FP]);
            case PREDICTED -> share(m[cell], cell == TP || cell == FP ? m[TP] + m[FP] : m[TN] + m[FN]);
        };
    }

    private static double share(double v, double of) {
        return of == 0 ? 0 : v / of;
    }

    static List<MetricColumn> columns(long[] ref, int n, ConfusionNormalization how) {
        List<MetricColumn> out = new ArrayList<>();
        double upper = how == ConfusionNormalization.NONE ? Double.POSITIVE_INFINITY : 1;
        String[] names = {"true_negative", "false_positive", "false_negative", "true_positive"};
        // NannyML's order of the four columns
        int[] order = {TP, TN, FP, FN};
        for (int cell : order) {
            double[] component = component(ref, cell, how, n);
            double std = component[0];
            double proportion = component[1];
            out.add(new MetricColumn(names[cell], 0, upper, r -> normalizeEstimate(expected(r), cell, how, r.size()),
                    rows -> switch (how) {
                        case NONE -> std / Math.sqrt(rows) * rows;
                        case ALL -> std / Math.sqrt(rows);
                        case TRUE, PREDICTED -> std / Math.sqrt(rows * proportion);
                    },
                    r -> normalize(realized(r), cell, how)));
        }
        return out;
    }

    /** The estimate's normalization: as {@link #normalize}, but NannyML divides without a zero guard. */
    private static double normalizeEstimate(double[] m, int cell, ConfusionNormalization how, int n) {
        return switch (how) {
            case NONE -> m[cell];
            case ALL -> m[cell] / n;
            case TRUE -> m[cell] / (cell == TP || cell == FN ? m[TP] + m[FN] : m[TN] + m[FP]);
            case PREDICTED -> m[cell] / (cell == TP || cell == FP ? m[TP] + m[FP] : m[TN] + m[FN]);
        };
    }

    /**
     * NannyML's {@code *_sampling_error_components}: the std of the cell's per-row indicator over
     * all rows (NONE, ALL), or over the rows of its true or predicted class with that class's share.
     *
     * @return {std, relevant proportion}
     */
    static double[] component(long[] ref, int cell, ConfusionNormalization how, int n) {
        long count = ref[cell];
        long of = switch (how) {
            case NONE, ALL -> n;
            case TRUE -> cell == TP || cell == FN ? ref[TP] + ref[FN] : ref[TN] + ref[FP];
            case PREDICTED -> cell == TP || cell == FP ? ref[TP] + ref[FP] : ref[TN] + ref[FN];
        };
        double proportion = how == ConfusionNormalization.NONE || how == ConfusionNormalization.ALL ? 1 : (double) of / n;
        return new double[] {SamplingErrors.std01(count, of - count, 1), proportion};
    }

    /**
     * Business value: each confusion cell times its value ({@code matrix[true][predicted]}),
     * summed; per prediction, each cell is first divided by its predicted class's total.
     */
    static MetricColumn businessValue(Rows ref, double[][] matrix, boolean perPrediction) {
        double[] perRow = new double[ref.size()];
        for (int i = 0; i < perRow.length; i++) {
            perRow[i] = matrix[ref.targets[i]][ref.predicted[i]];
        }
        double mean = 0;
        for (double v : perRow) {
            mean += v;
        }
        mean /= perRow.length;
        double var = 0;
        for (double v : perRow) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / perRow.length);
        return new MetricColumn("business_value", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                r -> value(expected(r), matrix, perPrediction),
                rows -> (perPrediction ? std : std * rows) / Math.sqrt(rows),
                r -> value(realized(r), matrix, perPrediction));
    }

    static double value(double[] m, double[][] v, boolean perPrediction) {
        double tn = m[TN];
        double fp = m[FP];
        double fn = m[FN];
        double tp = m[TP];
        if (perPrediction) {
            double predNeg = tn + fn;
            double predPos = fp + tp;
            tn = share(tn, predNeg);
            fn = share(fn, predNeg);
            fp = share(fp, predPos);
            tp = share(tp, predPos);
        }
        return v[0][0] * tn + v[0][1] * fp + v[1][0] * fn + v[1][1] * tp;
    }
}
