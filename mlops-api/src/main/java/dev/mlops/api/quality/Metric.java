package dev.mlops.api.quality;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A named metric over evaluation data. The standard ones are in {@code dev.mlops.quality.Metrics};
 * any function can be wrapped with {@link #of}.
 *
 * @param <D> evaluation data type
 */
public interface Metric<D> {
    /** @return the metric's name, such as {@code accuracy} */
    String name();

    /** @return true if larger values are better (accuracy), false if smaller are (log loss, MAE) */
    boolean greaterIsBetter();

    /**
     * @param data the evaluation data
     * @return the metric's value
     * @throws dev.mlops.api.ValidationException if the metric is undefined on this data (for
     *     example ROC AUC when only one class is present)
     */
    double compute(D data);

    /**
     * Wraps a function.
     *
     * @param name metric name
     * @param greaterIsBetter direction
     * @param function the computation
     * @param <D> evaluation data type
     * @return the metric
     */
    static <D> Metric<D> of(String name, boolean greaterIsBetter, ToDoubleFunction<? super D> function) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
        if (name.isBlank()) {
            throw new IllegalArgumentException("metric name is blank");
        }
        return new Metric<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean greaterIsBetter() {
                return greaterIsBetter;
            }

            @Override
            public double compute(D data) {
                return function.applyAsDouble(data);
            }

            @Override
            public String toString() {
                return "Metric[" + name + (greaterIsBetter ? ", greater is better]" : ", smaller is better]");
            }
        };
    }
}
