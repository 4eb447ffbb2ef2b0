package dev.mlops.estimation;

import java.util.Arrays;

/**
 * The rows of one chunk (or of a whole data set) as the metrics read them: per class column the
 * calibrated and the uncalibrated probabilities, the predicted class index, and the targets when
 * known. Binary data have one probability column, class 1's.
 */
final class Rows {
    final int classCount;
    final double[][] calibrated;
    final double[][] uncalibrated;
    final int[] predicted;
    /** null when the data carries no targets. */
    final int[] targets;

    Rows(int classCount, double[][] calibrated, double[][] uncalibrated, int[] predicted, int[] targets) {
        this.classCount = classCount;
        this.calibrated = calibrated;
        this.uncalibrated = uncalibrated;
        this.predicted = predicted;
        this.targets = targets;
    }

    int size() {
        return predicted.length;
    }

    boolean binary() {
        return calibrated.length == 1;
    }

    /** @return rows {@code start..end}, inclusive */
    Rows slice(int start, int end) {
        return new Rows(classCount, slice(calibrated, start, end), slice(uncalibrated, start, end),
                Arrays.copyOfRange(predicted, start, end + 1),
                targets == null ? null : Arrays.copyOfRange(targets, start, end + 1));
    }

    private static double[][] slice(double[][] cols, int start, int end) {
        double[][] out = new double[cols.length][];
        for (int c = 0; c < cols.length; c++) {
            out[c] = Arrays.copyOfRange(cols[c], start, end + 1);
        }
        return out;
    }

    /** @return 1 where the predicted class is {@code c}, else 0 (binary: the prediction itself) */
    int[] predictedIs(int c) {
        int[] out = new int[predicted.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = predicted[i] == c ? 1 : 0;
        }
        return out;
    }

    /** @return 1 where the target is {@code c}, else 0 */
    int[] targetIs(int c) {
        int[] out = new int[targets.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = targets[i] == c ? 1 : 0;
        }
        return out;
    }

    /** @return the number of distinct values in {@code a} */
    static int distinct(int[] a) {
        return (int) Arrays.stream(a).distinct().count();
    }
}
