package dev.mlops.estimation;

import dev.mlops.api.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A regression model's inputs and outputs for a set of rows, as {@link Dle} reads them: the model's
 * prediction per row, the features it saw as named numeric and categorical columns, and optional
 * targets (the reference needs them; analysis data need none) and timestamps. Every value is
 * checked when it is given: predictions and targets must be finite numbers, every column one value
 * per row, and a column name may be given once. A numeric feature may hold NaN and a categorical
 * one null: a missing value, which the nanny models treat as missing (as NannyML's LightGBM does).
 * Instances are immutable; the arrays are copied.
 *
 * <pre>{@code
 * RegressionOutputs reference = RegressionOutputs.of(predictedPrice)
 *         .withNumericFeature("car_age", carAge)
 *         .withCategoricalFeature("fuel", fuel)
 *         .withTargets(actualPrice)
 *         .withTimestamps(times);
 * }</pre>
 */
public final class RegressionOutputs {
    private final double[] predicted;
    private final Map<String, double[]> numeric;
    private final Map<String, String[]> categorical;
    private final double[] targets;
    private final Instant[] timestamps;

    private RegressionOutputs(double[] predicted, Map<String, double[]> numeric, Map<String, String[]> categorical,
                              double[] targets, Instant[] timestamps) {
        this.predicted = predicted;
        this.numeric = numeric;
        this.categorical = categorical;
        this.targets = targets;
        this.timestamps = timestamps;
    }

    /**
     * @param predicted the model's prediction per row, finite numbers
     * @return the outputs, without features, targets or timestamps
     */
    public static RegressionOutputs of(double[] predicted) {
        Objects.requireNonNull(predicted, "predicted");
        checkFinite("predicted", predicted);
        return new RegressionOutputs(predicted.clone(), Map.of(), Map.of(), null, null);
    }

    /**
     * @param name the feature's name, not blank, not given before
     * @param values one value per row; NaN is a missing value, infinities are refused
     * @return these outputs with the numeric feature
     */
    public RegressionOutputs withNumericFeature(String name, double[] values) {
        checkName(name);
        Objects.requireNonNull(values, "values");
        checkLength("numeric feature '" + name + "'", values.length);
        for (int i = 0; i < values.length; i++) {
            if (Double.isInfinite(values[i])) {
                throw new ValidationException("numeric feature '" + name + "'[" + i + "] is " + values[i]
                        + ", expected a finite number (or NaN for a missing value)");
            }
        }
        Map<String, double[]> copy = new LinkedHashMap<>(numeric);
        copy.put(name, values.clone());
        return new RegressionOutputs(predicted, Collections.unmodifiableMap(copy), categorical, targets, timestamps);
    }

    /**
     * @param name the feature's name, not blank, not given before
     * @param values one category per row; null is a missing value
     * @return these outputs with the categorical feature
     */
    public RegressionOutputs withCategoricalFeature(String name, List<String> values) {
        checkName(name);
        Objects.requireNonNull(values, "values");
        checkLength("categorical feature '" + name + "'", values.size());
        Map<String, String[]> copy = new LinkedHashMap<>(categorical);
        copy.put(name, values.toArray(String[]::new));
        return new RegressionOutputs(predicted, numeric, Collections.unmodifiableMap(copy), targets, timestamps);
    }

    /**
     * @param actual the true value per row, finite numbers
     * @return these outputs with targets
     */
    public RegressionOutputs withTargets(double[] actual) {
        Objects.requireNonNull(actual, "actual");
        checkLength("targets", actual.length);
        checkFinite("targets", actual);
        return new RegressionOutputs(predicted, numeric, categorical, actual.clone(), timestamps);
    }

    /**
     * @param times one timestamp per row; rows are put in time order before chunking
     * @return these outputs with timestamps
     */
    public RegressionOutputs withTimestamps(List<Instant> times) {
        Objects.requireNonNull(times, "times");
        checkLength("timestamps", times.size());
        Instant[] t = new Instant[times.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = times.get(i);
            if (t[i] == null) {
                throw new ValidationException("timestamps[" + i + "] is null, expected a time");
            }
        }
        return new RegressionOutputs(predicted, numeric, categorical, targets, t);
    }

    /** @return the number of rows */
    public int size() {
        return predicted.length;
    }

    /** @return the numeric features' names, in the order given */
    public List<String> numericFeatures() {
        return List.copyOf(numeric.keySet());
    }

    /** @return the categorical features' names, in the order given */
    public List<String> categoricalFeatures() {
        return List.copyOf(categorical.keySet());
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
    double[] predictedArray() {
        return predicted;
    }

    double[] numericArray(String name) {
        return numeric.get(name);
    }

    String[] categoricalArray(String name) {
        return categorical.get(name);
    }

    double[] targetArray() {
        return targets;
    }

    Instant[] timestampArray() {
        return timestamps;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new ValidationException("a feature name is blank, expected a name");
        }
        if (numeric.containsKey(name) || categorical.containsKey(name)) {
            List<String> names = new ArrayList<>(numeric.keySet());
            names.addAll(categorical.keySet());
            throw new ValidationException("feature '" + name + "' is given twice, expected each feature once (have "
                    + names + ")");
        }
    }

    private void checkLength(String name, int length) {
        if (length != predicted.length) {
            throw new ValidationException(name + " has " + length + " rows, expected " + predicted.length
                    + " (one per prediction)");
        }
    }

    private static void checkFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new ValidationException(name + "[" + i + "] is " + values[i] + ", expected a finite number");
            }
        }
    }
}
