package dev.mlops.estimation;

import java.util.Arrays;

/**
 * The sufficient statistics of one monitored window: what CBPE's estimates need from the rows
 * (counts and sums of calibrated probabilities per predicted class, and per probability column a
 * histogram of the model's raw score holding the row count and the calibrated probability sum of
 * each bin), and what the realized metrics need from the rows whose ground truth arrived (the
 * confusion counts and, per column, the positives and negatives of each score bin). Fixed size,
 * allocated once; adding a row allocates nothing.
 */
final class WindowStats {
    /** Probability columns: 1 for a binary classifier (class 1's), else one per class. */
    final int columns;
    /** Classes: 2 for a binary classifier. */
    final int classes;
    final int bins;

    long rows;
    /** Rows predicted as each class. */
    final long[] predictedRows;
    /**
     * Binary: the sum of class 1's calibrated probability over the rows predicted 0 and over those
     * predicted 1. Multiclass: per class c, the sum of c's calibrated probability over the rows predicted c.
     */
    final double[] probabilityOfPredicted;
    /** Multiclass: per class, the sum of its calibrated probability over all rows. */
    final double[] probabilityOfAll;
    /** Per column and raw-score bin ({@code column * bins + bin}): rows. */
    final long[] binRows;
    /** Per column and raw-score bin: the sum of the column's calibrated probability. */
    final double[] binProbability;
    /** Per column and bin: the smallest and the largest calibrated probability (binary only: they bound the ROC AUC error). */
    final double[] binMinProbability;
    final double[] binMaxProbability;

    long labelled;
    /** {@code actual * classes + predicted}: rows with ground truth. */
    final long[] confusion;
    /** Per column and bin: labelled rows of the column's class. */
    final long[] binPositives;
    /** Per column and bin: labelled rows of another class. */
    final long[] binNegatives;
    /** Per column and bin: the smallest and largest raw score of the labelled rows (equal: no order within the bin). */
    final double[] binMinScore;
    final double[] binMaxScore;

    WindowStats(int columns, int classes, int bins) {
        this.columns = columns;
        this.classes = classes;
        this.bins = bins;
        predictedRows = new long[classes];
        probabilityOfPredicted = new double[classes];
        probabilityOfAll = new double[classes];
        binRows = new long[columns * bins];
        binProbability = new double[columns * bins];
        binMinProbability = new double[columns == 1 ? bins : 0];
        binMaxProbability = new double[columns == 1 ? bins : 0];
        binMinScore = new double[columns * bins];
        binMaxScore = new double[columns * bins];
        confusion = new long[classes * classes];
        binPositives = new long[columns * bins];
        binNegatives = new long[columns * bins];
        reset();
    }

    void reset() {
        rows = 0;
        labelled = 0;
        Arrays.fill(predictedRows, 0);
        Arrays.fill(probabilityOfPredicted, 0);
        Arrays.fill(probabilityOfAll, 0);
        Arrays.fill(binRows, 0);
        Arrays.fill(binProbability, 0);
        Arrays.fill(confusion, 0);
        Arrays.fill(binPositives, 0);
        Arrays.fill(binNegatives, 0);
        Arrays.fill(binMinProbability, Double.POSITIVE_INFINITY);
        Arrays.fill(binMaxProbability, Double.NEGATIVE_INFINITY);
        Arrays.fill(binMinScore, Double.POSITIVE_INFINITY);
        Arrays.fill(binMaxScore, Double.NEGATIVE_INFINITY);
    }

    /** @return the bin of a raw score in [0, 1]: equal-width bins, 1 in the last */
    int bin(double score) {
        int b = (int) (score * bins);
        return b >= bins ? bins - 1 : b;
    }

    /** One binary row: class 1's raw score, its calibrated probability, the predicted class. */
    void addBinary(double score, double calibrated, int predicted) {
        rows++;
        predictedRows[predicted]++;
        probabilityOfPredicted[predicted] += calibrated;
        int b = bin(score);
        binRows[b]++;
        binProbability[b] += calibrated;
        if (calibrated < binMinProbability[b]) {
            binMinProbability[b] = calibrated;
        }
        if (calibrated > binMaxProbability[b]) {
            binMaxProbability[b] = calibrated;
        }
    }

    /** One multiclass row: raw scores and calibrated probabilities per class, the predicted class index. */
    void addMulticlass(double[] scores, double[] calibrated, int predicted) {
        rows++;
        predictedRows[predicted]++;
        probabilityOfPredicted[predicted] += calibrated[predicted];
        for (int c = 0; c < columns; c++) {
            double p = calibrated[c];
            probabilityOfAll[c] += p;
            int cell = c * bins + bin(scores[c]);
            binRows[cell]++;
            binProbability[cell] += p;
        }
    }

    /** The ground truth of one binary row. */
    void labelBinary(double score, int predicted, int actual) {
        labelled++;
        confusion[actual * classes + predicted]++;
        int b = bin(score);
        binMinScore[b] = Math.min(binMinScore[b], score);
        binMaxScore[b] = Math.max(binMaxScore[b], score);
        if (actual == 1) {
            binPositives[b]++;
        } else {
            binNegatives[b]++;
        }
    }

    /** The ground truth of one multiclass row. */
    void labelMulticlass(double[] scores, int predicted, int actual) {
        labelled++;
        confusion[actual * classes + predicted]++;
        for (int c = 0; c < columns; c++) {
            int cell = c * bins + bin(scores[c]);
            binMinScore[cell] = Math.min(binMinScore[cell], scores[c]);
            binMaxScore[cell] = Math.max(binMaxScore[cell], scores[c]);
            if (actual == c) {
                binPositives[cell]++;
            } else {
                binNegatives[cell]++;
            }
        }
    }
}
