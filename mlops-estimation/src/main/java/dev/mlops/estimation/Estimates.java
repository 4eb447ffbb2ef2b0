package dev.mlops.estimation;

import java.util.Arrays;

/**
 * NannyML's CBPE estimators ({@code nannyml/performance_estimation/confidence_based/metrics.py}):
 * a calibrated probability {@code p} of the positive class stands for the expected share of a
 * true positive when class 1 is predicted (else of a false negative), and {@code 1 - p} for a
 * false positive (else a true negative); sums of those are the expected confusion matrix.
 */
final class Estimates {
    private Estimates() {
    }

    /** Expected true positives: sum of p where predicted 1. */
    static double tp(int[] pred, double[] p) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (pred[i] == 1) {
                s += p[i];
            }
        }
        return s;
    }

    /** Expected false positives: sum of 1 - p where predicted 1. */
    static double fp(int[] pred, double[] p) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (pred[i] == 1) {
                s += 1 - p[i];
            }
        }
        return s;
    }

    /** Expected false negatives: sum of p where predicted 0. */
    static double fn(int[] pred, double[] p) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (pred[i] == 0) {
                s += p[i];
            }
        }
        return s;
    }

    /** Expected true negatives: sum of 1 - p where predicted 0. */
    static double tn(int[] pred, double[] p) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (pred[i] == 0) {
                s += 1 - p[i];
            }
        }
        return s;
    }

    static double f1(int[] pred, double[] p) {
        double tp = tp(pred, p);
        double den = tp + 0.5 * (fp(pred, p) + fn(pred, p));
        return den != 0 ? tp / den : 0;
    }

    static double precision(int[] pred, double[] p) {
        double tp = tp(pred, p);
        double den = tp + fp(pred, p);
        return den != 0 ? tp / den : 0;
    }

    static double recall(int[] pred, double[] p) {
        double tp = tp(pred, p);
        double den = tp + fn(pred, p);
        return den != 0 ? tp / den : 0;
    }

    static double specificity(int[] pred, double[] p) {
        double tn = tn(pred, p);
        double den = tn + fp(pred, p);
        return den != 0 ? tn / den : 0;
    }

    static double accuracy(int[] pred, double[] p) {
        return (tp(pred, p) + tn(pred, p)) / pred.length;
    }

    /**
     * NannyML's {@code estimate_roc_auc}: rows in decreasing order of the model's own
     * (uncalibrated) score; at each row the expected true positives so far are the sum of the
     * calibrated probabilities and the expected false positives the rest; both rounded to 5
     * decimals as NannyML does; the trapezoidal area under that curve. NaN when the chunk
     * expects no positive or no negative.
     */
    static double rocAuc(double[] calibrated, double[] uncalibrated) {
        int n = calibrated.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // numpy: argsort ascending, then reversed; a stable sort keeps ties in a fixed order
        Arrays.sort(order, (a, b) -> Double.compare(uncalibrated[a], uncalibrated[b]));
        double[] tps = new double[n + 1];
        double[] fps = new double[n + 1];
        double cum = 0;
        for (int j = 0; j < n; j++) {
            cum += calibrated[order[n - 1 - j]];
            tps[j + 1] = cum;
            fps[j + 1] = 1 + j - cum;
        }
        for (int j = 0; j <= n; j++) {
            tps[j] = round5(tps[j]);
            fps[j] = round5(fps[j]);
        }
        double tpLast = tps[n];
        double fpLast = fps[n];
        if (tpLast == 0 || fpLast == 0) {
            return Double.NaN;
        }
        double area = 0;
        for (int j = 1; j <= n; j++) {
            double dx = fps[j] / fpLast - fps[j - 1] / fpLast;
            area += dx * (tps[j] / tpLast + tps[j - 1] / tpLast) / 2;
        }
        return area;
    }

    /** numpy's {@code round(x, 5)}: scale, round half to even, scale back. */
    static double round5(double x) {
        return Math.rint(x * 1e5) / 1e5;
    }
}
