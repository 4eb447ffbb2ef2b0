package dev.mlops.quality;

import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.LatencyMeasurement;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.Row;
import dev.mlops.api.serving.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Runs a {@link Model} over a labeled {@link Frame} to get evaluation data for {@link Metrics},
 * {@link Bootstrap}, {@link McNemar}, {@link Fairness} and {@link PermutationImportance}, and
 * measures prediction latency in-process. Inputs are built from rows by a caller function, then
 * predicted with {@link Model#predictAll} (one batch per frame).
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * A classifier that outputs one probability (or score) per class.
     *
     * @param model the model
     * @param labelColumn the column with the true class (text, or numbers compared in their shortest form)
     * @param classes the classes, in the order of the model's probabilities
     * @param toInput builds the model input from a row
     * @param probabilities reads the per-class probabilities from an output
     * @param <I> model input
     * @param <O> model output
     * @return an evaluator for labeled frames
     */
    public static <I, O> FrameEvaluator<ClassificationData> classifier(Model<I, O> model, String labelColumn,
                                                                      List<String> classes,
                                                                      Function<? super Row, ? extends I> toInput,
                                                                      Function<? super O, double[]> probabilities) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(labelColumn, "labelColumn");
        List<String> cls = List.copyOf(classes);
        Objects.requireNonNull(toInput, "toInput");
        Objects.requireNonNull(probabilities, "probabilities");
        return frame -> {
            String[] labels = FrameRow.labels(frame, labelColumn);
            List<O> outputs = predict(model, frame, toInput);
            double[][] p = new double[outputs.size()][];
            for (int i = 0; i < p.length; i++) {
                p[i] = probabilities.apply(nonNull(outputs.get(i), i));
                if (p[i] == null) {
                    throw new ValidationException("the probabilities of row " + i + " are null");
                }
            }
            return ClassificationData.withProbabilities(cls, indices(cls, labels, labelColumn), p);
        };
    }

    /**
     * A classifier that outputs a class label.
     *
     * @param model the model
     * @param labelColumn the column with the true class
     * @param classes the classes
     * @param toInput builds the model input from a row
     * @param label reads the predicted class from an output
     * @param <I> model input
     * @param <O> model output
     * @return an evaluator for labeled frames
     */
    public static <I, O> FrameEvaluator<ClassificationData> labelClassifier(Model<I, O> model, String labelColumn,
                                                                           List<String> classes,
                                                                           Function<? super Row, ? extends I> toInput,
                                                                           Function<? super O, String> label) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(labelColumn, "labelColumn");
        List<String> cls = List.copyOf(classes);
        Objects.requireNonNull(toInput, "toInput");
        Objects.requireNonNull(label, "label");
        return frame -> {
            String[] labels = FrameRow.labels(frame, labelColumn);
            List<O> outputs = predict(model, frame, toInput);
            int[] actual = indices(cls, labels, labelColumn);
            int[] predicted = new int[outputs.size()];
            for (int i = 0; i < predicted.length; i++) {
                String p = label.apply(nonNull(outputs.get(i), i));
                predicted[i] = p == null ? -1 : cls.indexOf(p);
                if (predicted[i] < 0) {
                    throw new ValidationException("the model predicted " + (p == null ? "null" : Names.quote(p))
                            + " for row " + i + ", not one of the classes " + cls);
                }
            }
            return ClassificationData.of(cls, actual, predicted);
        };
    }

    /**
     * A regressor.
     *
     * @param model the model
     * @param targetColumn the numeric column with the true value
     * @param toInput builds the model input from a row
     * @param value reads the predicted number from an output
     * @param <I> model input
     * @param <O> model output
     * @return an evaluator for labeled frames
     */
    public static <I, O> FrameEvaluator<RegressionData> regressor(Model<I, O> model, String targetColumn,
                                                                 Function<? super Row, ? extends I> toInput,
                                                                 ToDoubleFunction<? super O> value) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(targetColumn, "targetColumn");
        Objects.requireNonNull(toInput, "toInput");
        Objects.requireNonNull(value, "value");
        return frame -> {
            double[] actual = frame.numeric(targetColumn);
            for (int i = 0; i < actual.length; i++) {
                if (Double.isNaN(actual[i])) {
                    throw new ValidationException("row " + i + " has no value in target column " + Names.quote(targetColumn)
                            + "; every evaluated row needs a target");
                }
            }
            List<O> outputs = predict(model, frame, toInput);
            double[] predicted = new double[outputs.size()];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = value.applyAsDouble(nonNull(outputs.get(i), i));
            }
            return RegressionData.of(actual, predicted);
        };
    }

    /**
     * Measures single-prediction latency: {@code warmup} calls cycling through the inputs (not
     * measured, to let the JIT compile and caches fill), then one timed {@link Model#predict} per
     * input with {@link System#nanoTime()}. A measurement of this machine under its current
     * load, to record with a version and compare against a ceiling; never assert on it in tests.
     *
     * @param model the model
     * @param inputs the holdout inputs, at least one
     * @param warmup untimed calls first, at least 0
     * @param <I> model input
     * @return nearest-rank p50 and p99, mean and max
     */
    public static <I> LatencyMeasurement latency(Model<I, ?> model, List<I> inputs, int warmup) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputs, "inputs");
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup is " + warmup + ", expected >= 0");
        }
        if (inputs.isEmpty()) {
            throw new ValidationException("no inputs to measure latency on");
        }
        Object sink = null;
        for (int i = 0; i < warmup; i++) {
            sink = model.predict(inputs.get(i % inputs.size()));
        }
        long[] nanos = new long[inputs.size()];
        for (int i = 0; i < nanos.length; i++) {
            I input = inputs.get(i);
            long t0 = System.nanoTime();
            sink = model.predict(input);
            nanos[i] = System.nanoTime() - t0;
        }
        Objects.hashCode(sink);
        return latencyOf(warmup, nanos);
    }

    /**
     * Latency on the rows of a holdout frame.
     *
     * @param model the model
     * @param holdout the rows
     * @param toInput builds the model input from a row
     * @param warmup untimed calls first
     * @param <I> model input
     * @return nearest-rank p50 and p99, mean and max
     */
    public static <I> LatencyMeasurement latency(Model<I, ?> model, Frame holdout, Function<? super Row, ? extends I> toInput,
                                                 int warmup) {
        Objects.requireNonNull(holdout, "holdout");
        return latency(model, inputs(holdout, toInput), warmup);
    }

    static LatencyMeasurement latencyOf(int warmup, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new LatencyMeasurement(warmup, sorted.length, nearestRank(sorted, 0.50), nearestRank(sorted, 0.99),
                sum / sorted.length, sorted[sorted.length - 1]);
    }

    /** The smallest value with at least q of the values at or below it. */
    static long nearestRank(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    static <I> List<I> inputs(Frame frame, Function<? super Row, ? extends I> toInput) {
        FrameRow row = new FrameRow(frame);
        List<I> inputs = new ArrayList<>(frame.rowCount());
        for (int i = 0; i < frame.rowCount(); i++) {
            inputs.add(toInput.apply(row.at(i)));
        }
        return inputs;
    }

    private static <I, O> List<O> predict(Model<I, O> model, Frame frame, Function<? super Row, ? extends I> toInput) {
        if (frame.rowCount() == 0) {
            throw new ValidationException("the frame has no rows; evaluation needs at least one labeled row");
        }
        List<I> inputs = inputs(frame, toInput);
        List<O> outputs = model.predictAll(inputs);
        if (outputs == null || outputs.size() != inputs.size()) {
            throw new ValidationException("the model returned " + (outputs == null ? "no list" : outputs.size() + " outputs")
                    + " for " + inputs.size() + " inputs");
        }
        return outputs;
    }

    private static <O> O nonNull(O output, int row) {
        if (output == null) {
            throw new ValidationException("the model returned null for row " + row);
        }
        return output;
    }

    private static int[] indices(List<String> classes, String[] labels, String column) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = classes.indexOf(labels[i]);
            if (out[i] < 0) {
                throw new ValidationException("row " + i + " has label " + Names.quote(labels[i]) + " in "
                        + Names.quote(column) + ", not one of the classes " + classes);
            }
        }
        return out;
    }
}
