package dev.mlops.estimation;

import dev.mlops.api.ValidationException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A classifier's outputs for a set of rows: predicted probabilities and predicted classes, with
 * optional timestamps and optional targets (the reference needs targets; the analysis data need
 * none). Every value is checked when it is given: probabilities must be numbers in [0, 1],
 * predictions and targets known classes, every column one value per row. The arrays are copied.
 */
public final class ModelOutputs {
    private final List<String> classes;
    /** probabilities[class][row]; binary: one column, the probability of class 1. */
    private final double[][] probabilities;
    private final int[] predicted;
    private final Instant[] timestamps;
    private final int[] targets;

    private ModelOutputs(List<String> classes, double[][] probabilities, int[] predicted, Instant[] timestamps,
                         int[] targets) {
        this.classes = classes;
        this.probabilities = probabilities;
        this.predicted = predicted;
        this.timestamps = timestamps;
        this.targets = targets;
    }

    /**
     * A binary classifier's outputs.
     *
     * @param positiveProbability the predicted probability of class 1, one per row
     * @param predicted the predicted class, 0 or 1, one per row
     * @return the outputs, without timestamps or targets
     */
    public static ModelOutputs binary(double[] positiveProbability, int[] predicted) {
        Objects.requireNonNull(positiveProbability, "positiveProbability");
        Objects.requireNonNull(predicted, "predicted");
        checkProbabilities("positiveProbability", positiveProbability);
        checkLength("predicted", predicted.length, positiveProbability.length);
        checkBinary("predicted", predicted);
        return new ModelOutputs(List.of("0", "1"), new double[][] {positiveProbability.clone()}, predicted.clone(),
                null, null);
    }

    /**
     * A multiclass classifier's outputs.
     *
     * @param classes the class labels, at least three, distinct, in the order of the probability columns
     * @param probabilities per row, the probability of each class in {@code classes}' order
     * @param predicted per row, the predicted class label
     * @return the outputs, without timestamps or targets
     */
    public static ModelOutputs multiclass(List<String> classes, double[][] probabilities, List<String> predicted) {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(predicted, "predicted");
        List<String> cls = List.copyOf(classes);
        if (cls.size() < 3) {
            throw new ValidationException("multiclass outputs have " + cls.size() + " classes " + cls
                    + ", expected at least 3 (use ModelOutputs.binary for two)");
        }
        if (new HashSet<>(cls).size() != cls.size()) {
            throw new ValidationException("class labels " + cls + " repeat a label, expected distinct labels");
        }
        int n = probabilities.length;
        double[][] columns = new double[cls.size()][n];
        for (int i = 0; i < n; i++) {
            double[] row = probabilities[i];
            if (row == null || row.length != cls.size()) {
                throw new ValidationException("probabilities[" + i + "] has " + (row == null ? "no" : row.length)
                        + " values, expected one per class (" + cls.size() + ")");
            }
            for (int c = 0; c < row.length; c++) {
                checkProbability("probabilities[" + i + "][" + c + "] (class " + cls.get(c) + ")", row[c]);
                columns[c][i] = row[c];
            }
        }
        checkLength("predicted", predicted.size(), n);
        return new ModelOutputs(cls, columns, indices("predicted", predicted, cls), null, null);
    }

    /**
     * @param times one timestamp per row; rows are put in time order before chunking
     * @return these outputs with timestamps
     */
    public ModelOutputs withTimestamps(List<Instant> times) {
        Objects.requireNonNull(times, "times");
        checkLength("timestamps", times.size(), size());
        Instant[] t = new Instant[times.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = times.get(i);
            if (t[i] == null) {
                throw new ValidationException("timestamps[" + i + "] is null, expected a time");
            }
        }
        return new ModelOutputs(classes, probabilities, predicted, t, targets);
    }

    /**
     * @param actual a binary classifier's targets, 0 or 1, one per row
     * @return these outputs with targets
     */
    public ModelOutputs withTargets(int[] actual) {
        Objects.requireNonNull(actual, "actual");
        if (!isBinary()) {
            throw new ValidationException("these outputs are multiclass " + classes
                    + "; expected targets as class labels (withTargets(List<String>))");
        }
        checkLength("targets", actual.length, size());
        checkBinary("targets", actual);
        return new ModelOutputs(classes, probabilities, predicted, timestamps, actual.clone());
    }

    /**
     * @param actual a multiclass classifier's targets, class labels, one per row
     * @return these outputs with targets
     */
    public ModelOutputs withTargets(List<String> actual) {
        Objects.requireNonNull(actual, "actual");
        if (isBinary()) {
            throw new ValidationException("these outputs are binary; expected targets as 0 or 1 (withTargets(int[]))");
        }
        checkLength("targets", actual.size(), size());
        return new ModelOutputs(classes, probabilities, predicted, timestamps, indices("targets", actual, classes));
    }

    /** @return the number of rows */
    public int size() {
        return predicted.length;
    }

    /** @return true for a binary classifier's outputs */
    public boolean isBinary() {
        return probabilities.length == 1;
    }

    /** @return the class labels: {@code ["0", "1"]} for binary outputs */
    public List<String> classes() {
        return classes;
    }

    /** @return whether targets were given */
    public boolean hasTargets() {
        return targets != null;
    }

    /** @return the timestamps, if given */
    public Optional<List<Instant>> timestamps() {
        return timestamps == null ? Optional.empty() : Optional.of(List.of(timestamps));
    }

    // package-private views for the estimator; never handed out
    double[][] probabilityColumns() {
        return probabilities;
    }

    int[] predictedIndices() {
        return predicted;
    }

    int[] targetIndices() {
        return targets;
    }

    Instant[] timestampArray() {
        return timestamps;
    }

    private static void checkProbabilities(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            checkProbability(name + "[" + i + "]", values[i]);
        }
    }

    private static void checkProbability(String name, double v) {
        if (!(v >= 0.0 && v <= 1.0)) {
            throw new ValidationException(name + " is " + v + ", expected a probability in [0, 1]");
        }
    }

    private static void checkLength(String name, int length, int expected) {
        if (length != expected) {
            throw new ValidationException(name + " has " + length + " rows, expected " + expected
                    + " (one per row of probabilities)");
        }
    }

    private static void checkBinary(String name, int[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && values[i] != 1) {
                throw new ValidationException(name + "[" + i + "] is " + values[i] + ", expected 0 or 1");
            }
        }
    }

    private static int[] indices(String name, List<String> labels, List<String> classes) {
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            Integer c = index.get(labels.get(i));
            if (c == null) {
                throw new ValidationException(name + "[" + i + "] is " + (labels.get(i) == null ? "null"
                        : "'" + labels.get(i) + "'") + ", expected one of the classes " + classes);
            }
            out[i] = c;
        }
        return out;
    }
}
