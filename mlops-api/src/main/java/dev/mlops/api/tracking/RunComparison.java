package dev.mlops.api.tracking;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs side by side, as {@link Tracking#compareRuns} reads them: each row holds one value per run,
 * in the order the runs were asked for (a run without the key has an empty cell).
 *
 * @param runs the runs compared, in the order asked for
 * @param params every parameter any of them has, by key
 * @param metrics every metric any of them has, by key: each run's latest point
 * @param history one metric's points aligned by step, if one was asked for
 */
public record RunComparison(List<Run> runs, List<ParamRow> params, List<MetricRow> metrics,
                            Optional<AlignedMetric> history) {

    /** Most runs one comparison takes: a comparison is read by people, and each run's history is read whole. */
    public static final int MAX_RUNS = 50;

    /** Copies and checks. */
    public RunComparison {
        runs = List.copyOf(runs);
        params = List.copyOf(params);
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(history, "history");
        int n = runs.size();
        params.forEach(p -> requireCells("parameter " + p.key(), p.values().size(), n));
        metrics.forEach(m -> requireCells("metric " + m.key(), m.latest().size(), n));
        history.ifPresent(h -> h.steps().forEach(s -> requireCells("step " + s.step(), s.values().size(), n)));
    }

    private static void requireCells(String row, int cells, int runs) {
        if (cells != runs) {
            throw new IllegalArgumentException(row + " has " + cells + " values for " + runs + " runs");
        }
    }

    /** @return the parameters whose values are not the same in every run (a missing one counts as different) */
    public List<ParamRow> differingParams() {
        return params.stream().filter(ParamRow::differs).toList();
    }

    /**
     * One parameter across the runs.
     *
     * @param key the parameter's name
     * @param values its value in each run, empty where the run does not have it
     */
    public record ParamRow(String key, List<Optional<String>> values) {
        /** Copies and checks. */
        public ParamRow {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
        }

        /** @return whether some run has another value, or none */
        public boolean differs() {
            return values.stream().distinct().count() > 1;
        }
    }

    /**
     * One metric across the runs.
     *
     * @param key the metric's name
     * @param latest each run's latest point ({@link MetricPoint#LATEST_ORDER}), empty where the run did not log it
     */
    public record MetricRow(String key, List<Optional<MetricPoint>> latest) {
        /** Copies and checks. */
        public MetricRow {
            Objects.requireNonNull(key, "key");
            latest = List.copyOf(latest);
        }
    }

    /**
     * One metric's curves, one row per step that any run logged, steps ascending.
     *
     * @param key the metric's name
     * @param steps the rows
     */
    public record AlignedMetric(String key, List<StepRow> steps) {
        /** Copies and checks. */
        public AlignedMetric {
            Objects.requireNonNull(key, "key");
            steps = List.copyOf(steps);
        }
    }

    /**
     * One step of a metric across the runs. A run that logged several points at the step shows its
     * latest one there ({@link MetricPoint#LATEST_ORDER}: the latest timestamp, then the greatest value).
     *
     * @param step the step
     * @param values each run's value at the step, empty where it logged none
     */
    public record StepRow(long step, List<OptionalDouble> values) {
        /** Copies and checks. */
        public StepRow {
            if (step < 0) {
                throw new IllegalArgumentException("step must be >= 0, was " + step);
            }
            values = List.copyOf(values);
        }
    }
}
