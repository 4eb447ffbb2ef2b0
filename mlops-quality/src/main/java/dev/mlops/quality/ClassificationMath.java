package dev.mlops.quality;

import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassMetrics;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.ClassificationReport;
import dev.mlops.api.quality.ConfusionMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Classification metrics as scikit-learn 1.2 computes them (see docs/quality.md for each
 * definition and the few places where an undefined value throws instead of warning).
 */
final class ClassificationMath {
    /** numpy's {@code finfo(float64).eps}: log loss clips probabilities to [eps, 1 - eps]. */
    static final double EPS = Math.ulp(1.0);

    private ClassificationMath() {
    }

    static long[][] confusion(int k, int[] actual, int[] predicted) {
        long[][] cm = new long[k][k];
        for (int i = 0; i < actual.length; i++) {
            cm[actual[i]][predicted[i]]++;
        }
        return cm;
    }

    static double accuracy(ClassificationData d) {
        int[] a = d.actual();
        int[] p = d.predicted();
        long correct = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == p[i]) {
                correct++;
            }
        }
        return (double) correct / a.length;
    }

    /** Per-class precision, recall, F1, support; zero_division = 0. */
    static List<ClassMetrics> perClass(ClassificationData d) {
        int k = d.classes().size();
        long[][] cm = confusion(k, d.actual(), d.predicted());
        List<ClassMetrics> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            long tp = cm[c][c];
            long row = 0;
            long col = 0;
            for (int j = 0; j < k; j++) {
                row += cm[c][j];
                col += cm[j][c];
            }
            long fp = col - tp;
            long fn = row - tp;
            double precision = col == 0 ? 0.0 : (double) tp / col;
            double recall = row == 0 ? 0.0 : (double) tp / row;
            long fDen = 2 * tp + fp + fn;
            double f1 = fDen == 0 ? 0.0 : (double) (2 * tp) / fDen;
            out.add(new ClassMetrics(d.classes().get(c), precision, recall, f1, (int) row));
        }
        return out;
    }

    /** Which classes scikit-learn averages over: those present in actual or predicted (unique_labels). */
    static boolean[] present(ClassificationData d) {
        boolean[] present = new boolean[d.classes().size()];
        for (int v : d.actual()) {
            present[v] = true;
        }
        for (int v : d.predicted()) {
            present[v] = true;
        }
        return present;
    }

    enum Part { PRECISION, RECALL, F1 }

    static double macro(ClassificationData d, Part part) {
        return macro(perClass(d), present(d), part);
    }

    static double weighted(ClassificationData d, Part part) {
        return weighted(perClass(d), part);
    }

    private static double value(ClassMetrics m, Part part) {
        return switch (part) {
            case PRECISION -> m.precision();
            case RECALL -> m.recall();
            case F1 -> m.f1();
        };
    }

    static double macro(List<ClassMetrics> per, boolean[] present, Part part) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < per.size(); c++) {
            if (present[c]) {
                sum += value(per.get(c), part);
                n++;
            }
        }
        return sum / n;
    }

    static double weighted(List<ClassMetrics> per, Part part) {
        double sum = 0;
        long w = 0;
        for (ClassMetrics m : per) {
            sum += m.support() * value(m, part);
            w += m.support();
        }
        return sum / w;
    }

    static double classPart(ClassificationData d, String cls, Part part) {
        int idx = d.classes().indexOf(cls);
        if (idx < 0) {
            throw new ValidationException("no class " + Names.quote(cls) + " in the data; the classes are " + d.classes());
        }
        return value(perClass(d).get(idx), part);
    }

    private static double[][] requireProbabilities(ClassificationData d, String metric) {
        return d.probabilities().orElseThrow(() -> new ValidationException(metric
                + " needs predicted probabilities (or scores); the data has hard predictions only"));
    }

    /** Binary: AUC of the positive class's score; multiclass: one-vs-rest macro average (scikit-learn's multi_class="ovr"). */
    static double rocAuc(ClassificationData d) {
        double[][] p = requireProbabilities(d, "roc_auc");
        int[] a = d.actual();
        int k = d.classes().size();
        if (k == 2) {
            int pos = d.positiveIndex();
            return binaryAuc(column(p, pos), indicator(a, pos), d.classes().get(pos), "roc_auc");
        }
        requireSumToOne(p, "roc_auc");
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += binaryAuc(column(p, c), indicator(a, c), d.classes().get(c), "roc_auc (one-vs-rest)");
        }
        return sum / k;
    }

    /** Average precision (step-wise PR AUC) as scikit-learn's average_precision_score. */
    static double averagePrecision(ClassificationData d) {
        double[][] p = requireProbabilities(d, "average_precision");
        int[] a = d.actual();
        int k = d.classes().size();
        if (k == 2) {
            int pos = d.positiveIndex();
            return binaryAp(column(p, pos), indicator(a, pos), d.classes().get(pos));
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += binaryAp(column(p, c), indicator(a, c), d.classes().get(c));
        }
        return sum / k;
    }

    static double logLoss(ClassificationData d) {
        double[][] p = requireProbabilities(d, "log_loss");
        int[] a = d.actual();
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            double rowSum = 0;
            for (double v : p[i]) {
                rowSum += clip(v);
            }
            total += -Math.log(clip(p[i][a[i]]) / rowSum);
        }
        return total / a.length;
    }

    private static double clip(double v) {
        return Math.min(Math.max(v, EPS), 1.0 - EPS);
    }

    private static void requireSumToOne(double[][] p, String metric) {
        for (int i = 0; i < p.length; i++) {
            double s = 0;
            for (double v : p[i]) {
                s += v;
            }
            // numpy.allclose(1, s): |s - 1| <= atol + rtol * |1|
            if (!(Math.abs(s - 1.0) <= 1e-8 + 1e-5)) {
                throw new ValidationException(metric + " for more than two classes needs probabilities that sum to 1; row "
                        + i + " sums to " + s);
            }
        }
    }

    private static double[] column(double[][] p, int c) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i][c];
        }
        return out;
    }

    private static boolean[] indicator(int[] a, int c) {
        boolean[] out = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] == c;
        }
        return out;
    }

    /** Row order by decreasing score. */
    private static Integer[] byScoreDescending(double[] score) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(score[y], score[x]));
        return order;
    }

    /**
     * Trapezoidal area under the ROC curve through every distinct threshold (ties form one
     * step), in exact integer arithmetic: 2 * area * P * N = sum dFP * (TP_prev + TP_new).
     */
    static double binaryAuc(double[] score, boolean[] positive, String cls, String metric) {
        long pos = 0;
        for (boolean b : positive) {
            if (b) {
                pos++;
            }
        }
        long neg = positive.length - pos;
        if (pos == 0 || neg == 0) {
            throw new ValidationException(metric + " is undefined: only one class present in actual ("
                    + (pos == 0 ? "no row is " : "every row is ") + Names.quote(cls) + ")");
        }
        Integer[] order = byScoreDescending(score);
        long tp = 0;
        long fp = 0;
        long prevTp = 0;
        long prevFp = 0;
        java.math.BigInteger twiceArea = java.math.BigInteger.ZERO;
        int i = 0;
        while (i < order.length) {
            double s = score[order[i]];
            while (i < order.length && score[order[i]] == s) {
                if (positive[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            twiceArea = twiceArea.add(java.math.BigInteger.valueOf(fp - prevFp)
                    .multiply(java.math.BigInteger.valueOf(tp + prevTp)));
            prevTp = tp;
            prevFp = fp;
        }
        return new java.math.BigDecimal(twiceArea)
                .divide(new java.math.BigDecimal(java.math.BigInteger.valueOf(2 * pos).multiply(java.math.BigInteger.valueOf(neg))),
                        java.math.MathContext.DECIMAL128)
                .doubleValue();
    }

    /** sum over distinct thresholds, by decreasing score, of (R_k - R_{k-1}) * P_k. */
    static double binaryAp(double[] score, boolean[] positive, String cls) {
        long pos = 0;
        for (boolean b : positive) {
            if (b) {
                pos++;
            }
        }
        if (pos == 0) {
            throw new ValidationException("average_precision is undefined: no row of actual is " + Names.quote(cls)
                    + " (no positive to recall)");
        }
        Integer[] order = byScoreDescending(score);
        long tp = 0;
        long fp = 0;
        long prevTp = 0;
        double ap = 0;
        int i = 0;
        while (i < order.length && tp < pos) {
            double s = score[order[i]];
            while (i < order.length && score[order[i]] == s) {
                if (positive[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            if (tp > prevTp) {
                ap += ((double) (tp - prevTp) / pos) * ((double) tp / (tp + fp));
            }
            prevTp = tp;
        }
        return ap;
    }

    static ClassificationReport report(ClassificationData d) {
        List<ClassMetrics> per = perClass(d);
        boolean[] present = present(d);
        List<String> notes = new ArrayList<>();
        OptionalDouble auc = optional(() -> rocAuc(d), notes);
        OptionalDouble ap = optional(() -> averagePrecision(d), notes);
        OptionalDouble ll = optional(() -> logLoss(d), notes);
        return new ClassificationReport(d.size(), d.classes(), accuracy(d), per,
                macro(per, present, Part.PRECISION), macro(per, present, Part.RECALL), macro(per, present, Part.F1),
                weighted(per, Part.PRECISION), weighted(per, Part.RECALL), weighted(per, Part.F1),
                auc, ap, ll, new ConfusionMatrix(d.classes(), confusion(d.classes().size(), d.actual(), d.predicted())),
                notes);
    }

    private static OptionalDouble optional(java.util.function.DoubleSupplier f, List<String> notes) {
        try {
            return OptionalDouble.of(f.getAsDouble());
        } catch (ValidationException e) {
            notes.add(e.getMessage());
            return OptionalDouble.empty();
        }
    }
}
