package dev.mlops.api.tracking;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One value of a metric: a point of a training curve.
 *
 * @param step the training step (epoch, batch), 0 or more; many points may share a step
 * @param timestamp when it was logged
 * @param value a finite number
 */
public record MetricPoint(long step, Instant timestamp, double value) {

    /**
     * Which of two points is a metric's latest, as MLflow decides it: the greater step, then the
     * later timestamp, then the greater value. A run's {@link Run#metrics() latest metrics} are the
     * greatest points by this order, so the result does not depend on which process logged first.
     */
    public static final Comparator<MetricPoint> LATEST_ORDER = Comparator.comparingLong(MetricPoint::step)
            .thenComparing(MetricPoint::timestamp).thenComparingDouble(MetricPoint::value);

    /** Checks. */
    public MetricPoint {
        if (step < 0) {
            throw new IllegalArgumentException("metric step must be >= 0, was " + step);
        }
        Objects.requireNonNull(timestamp, "timestamp");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric value must be a finite number, was " + value);
        }
    }
}
