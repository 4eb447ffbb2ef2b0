package dev.mlops.api.quality;

import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Classifier outputs paired with true labels, row for row: class indices into {@link #classes()},
 * and optionally one probability (or score) per class and row. Immutable; checked when built, so
 * metrics never see a NaN prediction, a length mismatch or an unknown class.
 *
 * <p>For two classes the positive class (for ROC AUC, average precision, fairness) is
 * {@code classes().get(1)} unless {@link #withPositive} names another, as scikit-learn takes the
 * greater label as positive.
 */
public final class ClassificationData implements Resamplable<ClassificationData> {
    private final List<String> classes;
    private final int[] actual;
    private final int[] predicted;
    private final double[][] probabilities;
    private final int positive;

    private ClassificationData(List<String> classes, int[] actual, int[] predicted, double[][] probabilities,
                               int positive) {
        this.classes = classes;
        this.actual = actual;
        this.predicted = predicted;
        this.probabilities = probabilities;
        this.positive = positive;
    }

    /**
     * Hard predictions as class indices.
     *
     * @param classes class names, at least two, unique; index i names class i
     * @param actual true class index per row
     * @param predicted predicted class index per row
     * @return the data
     * @throws ValidationException if there are no rows, lengths differ, or an index is out of range
     */
    public static ClassificationData of(List<String> classes, int[] actual, int[] predicted) {
        List<String> cls = checkClasses(classes);
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(predicted, "predicted");
        checkLengths(actual.length, "predicted", predicted.length);
        checkIndices("actual", actual, cls.size());
        checkIndices("predicted", predicted, cls.size());
        return new ClassificationData(cls, actual.clone(), predicted.clone(), null, defaultPositive(cls));
    }

    /**
     * Probabilistic predictions; the predicted class of a row is the first class with the
     * highest probability (numpy's argmax).
     *
     * @param classes class names, at least two, unique
     * @param actual true class index per row
     * @param probabilities one row of {@code classes.size()} finite values in [0, 1] per row
     *     (rows need not sum to 1: log loss renormalizes them as scikit-learn does)
     * @return the data
     * @throws ValidationException if there are no rows, lengths differ, a value is NaN or outside [0, 1]
     */
    public static ClassificationData withProbabilities(List<String> classes, int[] actual, double[][] probabilities) {
        List<String> cls = checkClasses(classes);
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(probabilities, "probabilities");
        checkLengths(actual.length, "probabilities", probabilities.length);
        checkIndices("actual", actual, cls.size());
        double[][] p = new double[probabilities.length][];
        int[] predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            double[] row = probabilities[i];
            if (row == null || row.length != cls.size()) {
                throw new ValidationException("probabilities[" + i + "] has " + (row == null ? "no" : row.length)
                        + " values, expected one per class (" + cls.size() + ")");
            }
            int best = 0;
            for (int j = 0; j < row.length; j++) {
                double v = row[j];
                if (!(v >= 0.0 && v <= 1.0)) {
                    throw new ValidationException("probabilities[" + i + "][" + j + "] is " + v
                            + ", expected a probability in [0, 1]");
                }
                if (v > row[best]) {
                    best = j;
                }
            }
            p[i] = row.clone();
            predicted[i] = best;
        }
        return new ClassificationData(cls, actual.clone(), predicted, p, defaultPositive(cls));
    }

    /**
     * Binary probabilistic predictions from the positive class's probability; the predicted
     * class is the positive one when its probability is above 0.5.
     *
     * @param classes exactly two class names; the second is the positive class
     * @param actual true class index per row (0 or 1)
     * @param positiveProbability probability of {@code classes.get(1)} per row
     * @return the data
     */
    public static ClassificationData binary(List<String> classes, int[] actual, double[] positiveProbability) {
        Objects.requireNonNull(positiveProbability, "positiveProbability");
        if (classes != null && classes.size() != 2) {
            throw new ValidationException("binary data needs exactly two classes, got " + classes);
        }
        double[][] p = new double[positiveProbability.length][];
        for (int i = 0; i < p.length; i++) {
            double v = positiveProbability[i];
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new ValidationException("positiveProbability[" + i + "] is " + v
                        + ", expected a probability in [0, 1]");
            }
            p[i] = new double[] {1.0 - v, v};
        }
        return withProbabilities(classes, actual, p);
    }

    /**
     * Hard predictions as labels; the classes are the sorted union of both arrays (as
     * scikit-learn's {@code unique_labels}).
     *
     * @param actual true label per row
     * @param predicted predicted label per row
     * @return the data
     * @throws ValidationException if a label is null, lengths differ, or fewer than two classes occur
     */
    public static ClassificationData ofLabels(String[] actual, String[] predicted) {
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(predicted, "predicted");
        TreeSet<String> all = new TreeSet<>();
        addLabels(all, "actual", actual);
        addLabels(all, "predicted", predicted);
        return ofLabels(new ArrayList<>(all), actual, predicted);
    }

    /**
     * Hard predictions as labels over a fixed class list.
     *
     * @param classes class names, at least two, unique
     * @param actual true label per row, each one of the classes
     * @param predicted predicted label per row, each one of the classes
     * @return the data
     */
    public static ClassificationData ofLabels(List<String> classes, String[] actual, String[] predicted) {
        List<String> cls = checkClasses(classes);
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(predicted, "predicted");
        checkLengths(actual.length, "predicted", predicted.length);
        return of(cls, indices(cls, "actual", actual), indices(cls, "predicted", predicted));
    }

    /**
     * @param positiveClass the class that counts as positive for binary metrics and fairness
     * @return a copy with that positive class
     * @throws ValidationException if it is not one of the classes
     */
    public ClassificationData withPositive(String positiveClass) {
        Objects.requireNonNull(positiveClass, "positiveClass");
        int idx = classes.indexOf(positiveClass);
        if (idx < 0) {
            throw new ValidationException("positive class " + Names.quote(positiveClass) + " is not one of the classes "
                    + classes);
        }
        return new ClassificationData(classes, actual, predicted, probabilities, idx);
    }

    /** @return the class names; index i names class i */
    public List<String> classes() {
        return classes;
    }

    /** @return a copy of the true class index per row */
    public int[] actual() {
        return actual.clone();
    }

    /** @return a copy of the predicted class index per row */
    public int[] predicted() {
        return predicted.clone();
    }

    /** @return a copy of the per-class probabilities per row, when given */
    public Optional<double[][]> probabilities() {
        if (probabilities == null) {
            return Optional.empty();
        }
        double[][] copy = new double[probabilities.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = probabilities[i].clone();
        }
        return Optional.of(copy);
    }

    /** @return true if per-class probabilities were given */
    public boolean hasProbabilities() {
        return probabilities != null;
    }

    /**
     * @return the positive class's index: set by {@link #withPositive}, else 1 for two classes
     * @throws ValidationException if there are more than two classes and none was named
     */
    public int positiveIndex() {
        if (positive < 0) {
            throw new ValidationException("there are " + classes.size() + " classes " + classes
                    + "; name the positive class with withPositive(...)");
        }
        return positive;
    }

    /** @return the positive class's name, when there is one (see {@link #positiveIndex()}) */
    public Optional<String> positiveClass() {
        return positive < 0 ? Optional.empty() : Optional.of(classes.get(positive));
    }

    @Override
    public int size() {
        return actual.length;
    }

    @Override
    public ClassificationData select(int[] rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            throw new ValidationException("cannot select zero rows: evaluation data needs at least one row");
        }
        int[] a = new int[rows.length];
        int[] p = new int[rows.length];
        double[][] pr = probabilities == null ? null : new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            int r = Objects.checkIndex(rows[i], actual.length);
            a[i] = actual[r];
            p[i] = predicted[r];
            if (pr != null) {
                pr[i] = probabilities[r];
            }
        }
        return new ClassificationData(classes, a, p, pr, positive);
    }

    @Override
    public String toString() {
        return "ClassificationData[" + actual.length + " rows, classes " + classes
                + (probabilities == null ? "" : ", with probabilities") + "]";
    }

    private static int defaultPositive(List<String> classes) {
        return classes.size() == 2 ? 1 : -1;
    }

    private static List<String> checkClasses(List<String> classes) {
        Objects.requireNonNull(classes, "classes");
        List<String> copy = List.copyOf(classes);
        if (copy.size() < 2) {
            throw new ValidationException("classification needs at least two classes, got " + copy
                    + (copy.size() == 1 ? " (a single class: every metric would be trivial or undefined)" : ""));
        }
        if (new TreeSet<>(copy).size() != copy.size()) {
            throw new ValidationException("class names must be unique, got " + copy);
        }
        return copy;
    }

    private static void checkLengths(int actual, String what, int other) {
        if (actual == 0) {
            throw new ValidationException("no rows: evaluation data needs at least one row");
        }
        if (actual != other) {
            throw new ValidationException("actual has " + actual + " rows but " + what + " has " + other
                    + "; they must pair row for row");
        }
    }

    private static void checkIndices(String what, int[] values, int k) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= k) {
                throw new ValidationException(what + "[" + i + "] is " + values[i] + ", expected a class index in [0, "
                        + k + ")");
            }
        }
    }

    private static void addLabels(TreeSet<String> all, String what, String[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null) {
                throw new ValidationException(what + "[" + i + "] is missing (null); every row needs a label");
            }
            all.add(labels[i]);
        }
    }

    private static int[] indices(List<String> classes, String what, String[] labels) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null) {
                throw new ValidationException(what + "[" + i + "] is missing (null); every row needs a label");
            }
            Integer idx = index.get(labels[i]);
            if (idx == null) {
                throw new ValidationException(what + "[" + i + "] is " + Names.quote(labels[i]) + ", not one of the classes "
                        + classes);
            }
            out[i] = idx;
        }
        return out;
    }

    /** @return hash over contents (for tests and caches) */
    @Override
    public int hashCode() {
        return Objects.hash(classes, Arrays.hashCode(actual), Arrays.hashCode(predicted), positive);
    }

    /** @return true for equal classes, labels, predictions, probabilities and positive class */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClassificationData d)) {
            return false;
        }
        return classes.equals(d.classes) && Arrays.equals(actual, d.actual) && Arrays.equals(predicted, d.predicted)
                && Arrays.deepEquals(probabilities, d.probabilities) && positive == d.positive;
    }
}
