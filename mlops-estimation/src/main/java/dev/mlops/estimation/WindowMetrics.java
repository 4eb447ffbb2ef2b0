package dev.mlops.estimation;

import java.util.Set;

/**
 * CBPE's estimates and the realized metrics of one window, from its {@link WindowStats}: the same
 * formulas as {@link Estimates} and {@link Realized} over the window's rows, written with the sums
 * those formulas add up. Every metric is exact (up to the order of floating-point additions)
 * except ROC AUC, which is computed over the raw-score bins and comes with a bound on how far it
 * can lie from the value over the rows themselves.
 */
final class WindowMetrics {
    /** The result columns a window can estimate from its sums. */
    static final Set<String> ONLINE = Set.of("roc_auc", "f1", "precision", "recall", "specificity", "accuracy");

    private WindowMetrics() {
    }

    /** A value and how far, at most, it lies from the value over the rows themselves. */
    record Value(double value, double bound) {
        static final Value UNDEFINED = new Value(Double.NaN, 0);
    }

    static Value estimate(String metric, WindowStats s) {
        if (s.rows == 0) {
            return Value.UNDEFINED;
        }
        if (metric.equals("roc_auc")) {
            double sum = 0;
            double bound = 0;
            for (int c = 0; c < s.columns; c++) {
                double[] auc = estimatedAuc(s, c);
                sum += auc[0];
                bound += auc[1];
            }
            return new Value(sum / s.columns, bound / s.columns);
        }
        if (s.columns == 1) {
            // expected confusion matrix: p of class 1 counts as a true positive where 1 is predicted
            double tp = s.probabilityOfPredicted[1];
            double fp = s.predictedRows[1] - tp;
            double fn = s.probabilityOfPredicted[0];
            double tn = s.predictedRows[0] - fn;
            return new Value(part(metric, tp, fp, fn, tn, s.rows), 0);
        }
        if (metric.equals("accuracy")) {
            double sum = 0;
            for (int c = 0; c < s.classes; c++) {
                sum += s.probabilityOfPredicted[c];
            }
            return new Value(sum / s.rows, 0);
        }
        double sum = 0;
        for (int c = 0; c < s.classes; c++) {
            double tp = s.probabilityOfPredicted[c];
            double fp = s.predictedRows[c] - tp;
            double fn = s.probabilityOfAll[c] - tp;
            double tn = s.rows - s.predictedRows[c] - fn;
            sum += part(metric, tp, fp, fn, tn, s.rows);
        }
        return new Value(sum / s.classes, 0);
    }

    /** {@link Estimates}' formulas on an (expected) confusion matrix; 0 where a denominator is 0, as there. */
    private static double part(String metric, double tp, double fp, double fn, double tn, long rows) {
        return switch (metric) {
            case "f1" -> ratio(tp, tp + 0.5 * (fp + fn));
            case "precision" -> ratio(tp, tp + fp);
            case "recall" -> ratio(tp, tp + fn);
            case "specificity" -> ratio(tn, tn + fp);
            case "accuracy" -> (tp + tn) / rows;
            default -> throw new IllegalArgumentException("no online estimate of " + metric);
        };
    }

    private static double ratio(double a, double b) {
        return b != 0 ? a / b : 0;
    }

    /**
     * NannyML's estimated ROC AUC over the bins: bins in decreasing order of raw score, each adding
     * its calibrated probability sum to the expected true positives and the rest to the false
     * positives, the trapezoid under each step. Within a bin the rows' own order is unknown; their
     * curve runs somewhere inside the bin's box, whose area differs from the trapezoid by at most
     * half the box. Binary: the calibrated probability never falls as the raw score rises (the
     * calibrator is isotonic), so the rows' curve is concave within the bin, between the slopes of
     * its smallest and largest calibrated probability; the area between it and the chord is at most
     * the triangle those slopes make over the chord, and 0 when the bin's rows share one
     * probability (such as one printed score). The bound is the smaller of the two.
     *
     * @return {area, bound}; area NaN when the window expects no positive or no negative
     */
    static double[] estimatedAuc(WindowStats s, int column) {
        int base = column * s.bins;
        double tpTotal = 0;
        double rows = 0;
        for (int b = 0; b < s.bins; b++) {
            tpTotal += s.binProbability[base + b];
            rows += s.binRows[base + b];
        }
        double fpTotal = rows - tpTotal;
        // NannyML rounds the cumulated counts to 5 decimals: a total of 0 there is NaN
        if (Estimates.round5(tpTotal) == 0 || Estimates.round5(fpTotal) == 0) {
            return new double[] {Double.NaN, 0};
        }
        double area = 0;
        double box = 0;
        double tp = 0;
        for (int b = s.bins - 1; b >= 0; b--) {
            double dtp = s.binProbability[base + b];
            double dfp = s.binRows[base + b] - dtp;
            area += dfp * (tp + dtp / 2);
            box += s.columns == 1 ? binaryBinBound(s.binMinProbability[base + b], s.binMaxProbability[base + b], dtp, dfp)
                    : dfp * dtp / 2;
            tp += dtp;
        }
        double scale = tpTotal * fpTotal;
        return new double[] {area / scale, box / scale};
    }

    /**
     * The area between a concave curve of steps {@code (1 - p, p)}, p from {@code max} down to
     * {@code min}, and its chord from (0, 0) to {@code (dfp, dtp)}: at most the triangle of the chord
     * with the lines of slope max / (1 - max) from its start and min / (1 - min) from its end, and at
     * most half the box.
     */
    static double binaryBinBound(double min, double max, double dtp, double dfp) {
        double box = dfp * dtp / 2;
        if (dfp <= 0 || dtp <= 0 || !(min < max)) {
            return 0; // one probability in the bin (or one row): the curve is the chord
        }
        if (max >= 1) {
            return box;
        }
        double steep = max / (1 - max);
        double flat = min / (1 - min);
        double chord = dtp / dfp;
        double triangle = dfp * dfp * Math.max(0, chord - flat) * Math.max(0, steep - chord) / (2 * (steep - flat));
        return Math.min(box, triangle);
    }

    /**
     * The realized ROC AUC over the bins (Mann-Whitney: a positive above a negative counts 1, in
     * the same bin a half); the rows' own scores order each bin's pairs somehow, which moves the
     * value by at most half of the bin's pairs: the bound, 0 for a bin whose rows share one score
     * (ties count a half there too).
     *
     * @return {area, bound}; area NaN without a positive or a negative
     */
    static double[] realizedAuc(WindowStats s, int column) {
        int base = column * s.bins;
        double positives = 0;
        double negatives = 0;
        for (int b = 0; b < s.bins; b++) {
            positives += s.binPositives[base + b];
            negatives += s.binNegatives[base + b];
        }
        if (positives == 0 || negatives == 0) {
            return new double[] {Double.NaN, 0};
        }
        double below = 0;
        double pairs = 0;
        double ties = 0;
        for (int b = 0; b < s.bins; b++) {
            double pos = s.binPositives[base + b];
            double neg = s.binNegatives[base + b];
            pairs += pos * (below + neg / 2);
            if (s.binMinScore[base + b] < s.binMaxScore[base + b]) {
                ties += pos * neg / 2;
            }
            below += neg;
        }
        double scale = positives * negatives;
        return new double[] {pairs / scale, ties / scale};
    }

    /** The realized value from the labelled rows, with {@link Realized}'s rules for when it is undefined (NaN). */
    static Value realized(String metric, WindowStats s) {
        if (s.labelled == 0) {
            return Value.UNDEFINED;
        }
        int k = s.classes;
        int distinctActual = 0;
        int distinctPredicted = 0;
        for (int a = 0; a < k; a++) {
            long actual = 0;
            long predicted = 0;
            for (int b = 0; b < k; b++) {
                actual += s.confusion[a * k + b];
                predicted += s.confusion[b * k + a];
            }
            distinctActual += actual > 0 ? 1 : 0;
            distinctPredicted += predicted > 0 ? 1 : 0;
        }
        if (metric.equals("roc_auc")) {
            if (distinctActual < (s.columns == 1 ? 2 : k)) {
                return Value.UNDEFINED;
            }
            double sum = 0;
            double bound = 0;
            for (int c = 0; c < s.columns; c++) {
                double[] auc = realizedAuc(s, c);
                sum += auc[0];
                bound += auc[1];
            }
            return new Value(sum / s.columns, bound / s.columns);
        }
        boolean binary = s.columns == 1;
        if (binary) {
            long tn = s.confusion[0];
            long fp = s.confusion[1];
            long fn = s.confusion[2];
            long tp = s.confusion[3];
            switch (metric) {
                case "accuracy":
                    return new Value((double) (tp + tn) / s.labelled, 0);
                case "specificity":
                    return tn + fp == 0 ? Value.UNDEFINED : new Value((double) tn / (tn + fp), 0);
                default:
                    if (distinctActual < 2 || distinctPredicted < 2) {
                        return Value.UNDEFINED;
                    }
                    return new Value(realizedPart(metric, tp, fp, fn), 0);
            }
        }
        if (distinctActual < 2 || distinctPredicted < 2) {
            return Value.UNDEFINED;
        }
        if (metric.equals("accuracy")) {
            long correct = 0;
            for (int c = 0; c < k; c++) {
                correct += s.confusion[c * k + c];
            }
            return new Value((double) correct / s.labelled, 0);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            long tp = s.confusion[c * k + c];
            long actual = 0;
            long predicted = 0;
            for (int o = 0; o < k; o++) {
                actual += s.confusion[c * k + o];
                predicted += s.confusion[o * k + c];
            }
            long fn = actual - tp;
            long fp = predicted - tp;
            long tn = s.labelled - tp - fn - fp;
            sum += metric.equals("specificity") ? (double) tn / (tn + fp) : realizedPart(metric, tp, fp, fn);
        }
        return new Value(sum / k, 0);
    }

    /** scikit-learn's F1, precision and recall of one class, 0 where the denominator is 0 ({@code zero_division}). */
    private static double realizedPart(String metric, long tp, long fp, long fn) {
        return switch (metric) {
            case "f1" -> 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
            case "precision" -> tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            case "recall" -> tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            default -> throw new IllegalArgumentException("no realized " + metric);
        };
    }
}
