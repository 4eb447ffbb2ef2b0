package dev.mlops.api.estimation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Estimated (and, once ground truth arrives, realized) performance of a model over one window of
 * served predictions, as a performance monitor reports it. An API type, so that a retrain policy
 * can act on an estimated drop without depending on the module that estimates.
 *
 * @param sequence the window's number, from 1
 * @param start when the window opened (the monitor's clock)
 * @param end when it closed; for the open window, the time of the snapshot
 * @param rows predictions counted in the window
 * @param labelledRows predictions of the window whose ground truth arrived
 * @param metrics one entry per metric, in the monitor's order
 */
public record PerformanceWindow(long sequence, Instant start, Instant end, long rows, long labelledRows,
                                List<EstimatedMetric> metrics) {
    /** Copies and checks the arguments. */
    public PerformanceWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        metrics = List.copyOf(metrics);
        if (rows < 0 || labelledRows < 0) {
            throw new IllegalArgumentException("a window has " + rows + " rows and " + labelledRows
                    + " labelled rows; expected counts >= 0");
        }
    }

    /**
     * @param name a metric's name
     * @return that metric, if the monitor estimates it
     */
    public Optional<EstimatedMetric> metric(String name) {
        for (EstimatedMetric m : metrics) {
            if (m.name().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** @return the metrics whose estimate alerts (outside a threshold) */
    public List<EstimatedMetric> alerts() {
        return metrics.stream().filter(EstimatedMetric::alert).toList();
    }
}
