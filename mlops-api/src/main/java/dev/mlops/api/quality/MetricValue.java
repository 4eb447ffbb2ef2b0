package dev.mlops.api.quality;

import java.util.Objects;

/**
 * One named metric value, as a gate reads it.
 *
 * @param name metric name, such as {@code accuracy}, {@code f1_macro}, {@code precision[bad]}
 * @param value the value (finite, or NaN only where the metric's definition says so)
 */
public record MetricValue(String name, double value) {
    /** Checks arguments. */
    public MetricValue {
        Objects.requireNonNull(name, "name");
    }
}
