package dev.mlops.estimation;

import java.util.Arrays;

/**
 * NannyML's sampling-error formulas ({@code nannyml/sampling_error/binary_classification.py} and
 * {@code multiclass_classification.py}). Each metric keeps, from the reference, the spread of its
 * per-row contributions ({@code std}) and the share of rows that contribute ({@code fraction});
 * a chunk of {@code n} rows then has a standard error of {@code std / sqrt(n * fraction)}.
 */
final class SamplingErrors {
    private SamplingErrors() {
    }

    /**
     * A reference's components of one metric (for one class).
     *
     * @param std the standard deviation (binary) or variance (multiclass, per class) of the per-row contributions
     * @param fraction the share of reference rows that contribute
     */
    record Components(double std, double fraction) {
    }

    /** {@code std / sqrt(n * fraction)}. */
    static double universal(Components c, int n) {
        return c.std() / Math.sqrt(n * c.fraction());
    }

    /** Multiclass: {@code sqrt(sum over classes of variance / (n * fraction)) / classes}. */
    static double multiclass(Components[] perClass, int n) {
        double sum = 0;
        for (Components c : perClass) {
            sum += c.std() / (n * c.fraction());
        }
        return Math.sqrt(sum) / perClass.length;
    }

    /** Population standard deviation of a vector of {@code ones} ones and {@code zeros} zeros, times {@code scale}. */
    static double std01(long ones, long zeros, double scale) {
        return Math.sqrt(variance01(ones, zeros)) * scale;
    }

    /** Population variance of a vector of {@code ones} ones and {@code zeros} zeros; NaN when empty. */
    static double variance01(long ones, long zeros) {
        long n = ones + zeros;
        if (n == 0) {
            return Double.NaN;
        }
        double q = (double) ones / n;
        return q * (1 - q);
    }

    /**
     * AUROC as a Mann-Whitney statistic (NannyML's {@code auroc_sampling_error_components}): with
     * the minority class as positive, for each positive (in increasing order of score) the number
     * of negatives ranked below it, over the number of negatives; their spread and the positive share.
     *
     * @param positive targets 0/1
     * @param score the model's (uncalibrated) scores
     * @param variance true for the multiclass form, which keeps the variance instead of the std
     */
    static Components auroc(int[] positive, double[] score, boolean variance) {
        int n = positive.length;
        int[] y = positive.clone();
        double[] p = score.clone();
        long ones = Arrays.stream(y).sum();
        if ((double) ones / n > 0.5) {
            for (int i = 0; i < n; i++) {
                y[i] = 1 - y[i];
                p[i] = 1 - p[i];
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        long nPos = 0;
        for (int v : y) {
            nPos += v;
        }
        long nNeg = n - nPos;
        // np.unique(y * rank)[1:]: the ranks of the positives, without rank 0 (a positive ranked
        // first shares 0 with the negatives and is dropped, as in NannyML)
        double sum = 0;
        double sumSq = 0;
        int count = 0;
        for (int rank = 1; rank < n; rank++) {
            if (y[order[rank]] == 1) {
                double ser = (double) (rank - count) / nNeg;
                sum += ser;
                sumSq += ser * ser;
                count++;
            }
        }
        double mean = sum / count;
        double var = Math.max(0, sumSq / count - mean * mean);
        return new Components(variance ? var : Math.sqrt(var), (double) nPos / n);
    }

    /** The reference's confusion counts, binary: {tn, fp, fn, tp}. */
    static long[] counts(int[] actual, int[] predicted) {
        long tn = 0;
        long fp = 0;
        long fn = 0;
        long tp = 0;
        for (int i = 0; i < actual.length; i++) {
            if (predicted[i] == 1) {
                if (actual[i] == 1) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (actual[i] == 1) {
                fn++;
            } else {
                tn++;
            }
        }
        return new long[] {tn, fp, fn, tp};
    }

    /** F1: TP count as ones, FP and FN as zeros, scaled by NannyML's correcting factor (binary only). */
    static Components f1(long[] c, int n, boolean multiclass) {
        long tn = c[0];
        long fp = c[1];
        long fn = c[2];
        long tp = c[3];
        long relevant = tp + fp + fn;
        if (relevant == 0) {
            return new Components(Double.NaN, 0);
        }
        if (multiclass) {
            return new Components(variance01(tp, fp + fn), (double) relevant / n);
        }
        double factor = relevant / ((fn + fp) * 0.5 + tp);
        return new Components(std01(tp, fp + fn, factor), (double) relevant / n);
    }

    /** Precision: TP as ones, FP as zeros; fraction = predicted positives / n. */
    static Components precision(long[] c, int n, boolean multiclass) {
        double spread = multiclass ? variance01(c[3], c[1]) : std01(c[3], c[1], 1);
        return new Components(spread, (double) (c[3] + c[1]) / n);
    }

    /** Recall: TP as ones, FN as zeros; fraction = actual positives / n. */
    static Components recall(long[] c, int n, boolean multiclass) {
        double spread = multiclass ? variance01(c[3], c[2]) : std01(c[3], c[2], 1);
        return new Components(spread, (double) (c[3] + c[2]) / n);
    }

    /** Specificity: TN as ones, FP as zeros; fraction = (TN + FP) / n. */
    static Components specificity(long[] c, int n, boolean multiclass) {
        double spread = multiclass ? variance01(c[0], c[1]) : std01(c[0], c[1], 1);
        return new Components(spread, (double) (c[0] + c[1]) / n);
    }

    /** Accuracy: std of the per-row correctness; the error is {@code std / sqrt(n)}. */
    static double accuracyStd(int[] actual, int[] predicted) {
        long correct = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] == predicted[i]) {
                correct++;
            }
        }
        return std01(correct, actual.length - correct, 1);
    }
}
