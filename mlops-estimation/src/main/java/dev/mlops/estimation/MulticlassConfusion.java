package dev.mlops.estimation;

import java.util.ArrayList;
import java.util.List;

/**
 * The multiclass confusion matrix and business value, as NannyML's
 * {@code MulticlassClassificationConfusionMatrix} and {@code MulticlassClassificationBusinessValue}:
 * the expected cell (true i, predicted j) is the sum of the calibrated probability of class i over
 * the rows predicted j.
 */
final class MulticlassConfusion {
    private MulticlassConfusion() {
    }

    /** @return expected[true][predicted] of a chunk */
    static double[][] expected(Rows r) {
        int k = r.classCount;
        double[][] m = new double[k][k];
        for (int row = 0; row < r.size(); row++) {
            int j = r.predicted[row];
            for (int i = 0; i < k; i++) {
                m[i][j] += r.calibrated[i][row];
            }
        }
        return m;
    }

    /** @return realized counts[true][predicted] of a chunk */
    static double[][] realized(Rows r) {
        int k = r.classCount;
        double[][] m = new double[k][k];
        for (int row = 0; row < r.size(); row++) {
            m[r.targets[row]][r.predicted[row]]++;
        }
        return m;
    }

    private static double rowSum(double[][] m, int i) {
        double s = 0;
        for (double v : m[i]) {
            s += v;
        }
        return s;
    }

    private static double columnSum(double[][] m, int j) {
        double s = 0;
        for (double[] row : m) {
            s += row[j];
        }
        return s;
    }

    /**
     * One cell normalized; {@code guard} maps a division by zero to 0 (scikit-learn's
     * {@code confusion_matrix}, for realized values), NannyML's estimate divides without it.
     */
    static double cell(double[][] m, int i, int j, ConfusionNormalization how, boolean guard) {
        double of = switch (how) {
            case NONE -> 1;
            case ALL -> {
                double s = 0;
                for (int r = 0; r < m.length; r++) {
                    s += rowSum(m, r);
                }
                yield s;
            }
            case TRUE -> rowSum(m, i);
            case PREDICTED -> columnSum(m, j);
        };
        if (guard && of == 0) {
            return 0;
        }
        return m[i][j] / of;
    }

    static List<MetricColumn> columns(Rows ref, List<String> classes, ConfusionNormalization how) {
        int k = classes.size();
        int n = ref.size();
        double[][] cm = realized(ref);
        List<MetricColumn> out = new ArrayList<>();
        double upper = how == ConfusionNormalization.NONE ? Double.POSITIVE_INFINITY : 1;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                // NannyML's multiclass_confusion_matrix_sampling_error_components: cm[i][j] ones among the
                // rows of the cell's true class, predicted class, or all rows
                double of = switch (how) {
                    case NONE, ALL -> n;
                    case TRUE -> rowSum(cm, i);
                    case PREDICTED -> columnSum(cm, j);
                };
                double std = SamplingErrors.std01((long) cm[i][j], (long) (of - cm[i][j]), 1);
                double proportion = of / n;
                int ti = i;
                int pj = j;
                out.add(new MetricColumn("true_" + classes.get(i) + "_pred_" + classes.get(j), 0, upper,
                        r -> cell(expected(r), ti, pj, how, false),
                        rows -> how == ConfusionNormalization.NONE ? std / Math.sqrt(rows) * rows
                                : std / Math.sqrt(rows * (how == ConfusionNormalization.ALL ? 1 : proportion)),
                        r -> Rows.distinct(r.targets) < 2 || Rows.distinct(r.predicted) < 2 ? Double.NaN
                                : cell(realized(r), ti, pj, how, true)));
            }
        }
        return out;
    }

    /** Σ value[i][j] × cell; per prediction, each column first divided by its total (0 where the total is 0). */
    static double value(double[][] m, double[][] value, boolean perPrediction) {
        double total = 0;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                total += value[i][j] * (perPrediction ? cell(m, i, j, ConfusionNormalization.PREDICTED, true) : m[i][j]);
            }
        }
        return total;
    }

    static MetricColumn businessValue(Rows ref, double[][] value, boolean perPrediction) {
        int n = ref.size();
        double mean = 0;
        for (int row = 0; row < n; row++) {
            mean += value[ref.targets[row]][ref.predicted[row]];
        }
        mean /= n;
        double ss = 0;
        for (int row = 0; row < n; row++) {
            double d = value[ref.targets[row]][ref.predicted[row]] - mean;
            ss += d * d;
        }
        // pandas' Series.std: the sample standard deviation (NannyML's multiclass business value)
        double std = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        return new MetricColumn("business_value", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                r -> value(expected(r), value, perPrediction),
                rows -> (perPrediction ? std : std * rows) / Math.sqrt(rows),
                r -> value(realized(r), value, perPrediction));
    }
}
