package dev.mlops.core;

import dev.mlops.api.Names;
import dev.mlops.api.tracking.MetricPoint;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunComparison;
import dev.mlops.api.tracking.RunComparison.AlignedMetric;
import dev.mlops.api.tracking.RunComparison.MetricRow;
import dev.mlops.api.tracking.RunComparison.ParamRow;
import dev.mlops.api.tracking.RunComparison.StepRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Builds a {@link RunComparison} from runs already read: rows by key, one cell per run. */
final class RunComparisons {
    private RunComparisons() {
    }

    /**
     * Checks the ids a comparison is asked for before anything is read.
     *
     * @throws IllegalArgumentException if there are fewer than 2 or more than {@link RunComparison#MAX_RUNS},
     *     or one is given twice
     */
    static void requireComparable(List<String> runIds) {
        if (runIds.size() < 2) {
            throw new IllegalArgumentException("comparing runs needs at least 2 run ids, got " + runIds.size()
                    + "; show a single run instead");
        }
        if (runIds.size() > RunComparison.MAX_RUNS) {
            throw new IllegalArgumentException("at most " + RunComparison.MAX_RUNS + " runs can be compared at once, got "
                    + runIds.size());
        }
        Set<String> seen = new HashSet<>();
        for (String id : runIds) {
            Run.requireValidId(id);
            if (!seen.add(id)) {
                throw new IllegalArgumentException("run " + id + " is given twice; compare each run once");
            }
        }
    }

    /**
     * @param runs the runs, in the order asked for
     * @param historyKey the metric to align, if any
     * @param history reads one run's history of {@code historyKey}
     */
    static RunComparison compare(List<Run> runs, Optional<String> historyKey, Function<Run, List<MetricPoint>> history) {
        historyKey.ifPresent(k -> Names.requireValid(Names.Kind.METRIC, k));
        Set<String> paramKeys = new TreeSet<>();
        Set<String> metricKeys = new TreeSet<>();
        for (Run r : runs) {
            paramKeys.addAll(r.params().keySet());
            metricKeys.addAll(r.metrics().keySet());
        }
        List<ParamRow> params = new ArrayList<>();
        for (String k : paramKeys) {
            params.add(new ParamRow(k, runs.stream().map(r -> Optional.ofNullable(r.params().get(k))).toList()));
        }
        List<MetricRow> metrics = new ArrayList<>();
        for (String k : metricKeys) {
            metrics.add(new MetricRow(k, runs.stream().map(r -> Optional.ofNullable(r.metrics().get(k))).toList()));
        }
        return new RunComparison(runs, params, metrics, historyKey.map(k -> align(k, runs, history)));
    }

    /** One row per step any run logged; a run's cell is its latest point of that step. */
    private static AlignedMetric align(String key, List<Run> runs, Function<Run, List<MetricPoint>> history) {
        List<Map<Long, MetricPoint>> byRun = new ArrayList<>();
        TreeSet<Long> steps = new TreeSet<>();
        for (Run r : runs) {
            Map<Long, MetricPoint> atStep = new TreeMap<>();
            for (MetricPoint p : history.apply(r)) {
                atStep.merge(p.step(), p, (a, b) -> MetricPoint.LATEST_ORDER.compare(a, b) >= 0 ? a : b);
            }
            steps.addAll(atStep.keySet());
            byRun.add(atStep);
        }
        List<StepRow> rows = new ArrayList<>(steps.size());
        for (long step : steps) {
            List<OptionalDouble> cells = new ArrayList<>(runs.size());
            for (Map<Long, MetricPoint> atStep : byRun) {
                MetricPoint p = atStep.get(step);
                cells.add(p == null ? OptionalDouble.empty() : OptionalDouble.of(p.value()));
            }
            rows.add(new StepRow(step, cells));
        }
        return new AlignedMetric(key, rows);
    }
}
