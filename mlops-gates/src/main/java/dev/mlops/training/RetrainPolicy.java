package dev.mlops.training;

import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.drift.Verdict;
import dev.mlops.api.estimation.EstimatedMetric;
import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.gate.RetrainTrigger;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * When to retrain a model: decides, signal by signal, whether a {@link RetrainTrigger} fires.
 * Signals come from five sources, each enabled on the builder:
 *
 * <ul>
 *   <li><b>drift reports</b> ({@link #onDriftReport}): a report is a signal when it has dataset
 *       drift ({@link Builder#onDatasetDrift()}) or when any of the named columns drifted
 *       ({@link Builder#onColumnDrift}); any other report clears the drift streak;</li>
 *   <li><b>estimated performance</b> ({@link #decide(PerformanceWindow)}): a window of a
 *       performance monitor (CBPE, before the labels arrive) is a signal when a watched metric's
 *       estimate lies below its lower threshold derived from the reference
 *       ({@link Builder#onEstimatedDrop}); a window without that drop clears the streak;</li>
 *   <li><b>online detectors on live error</b> ({@link #liveErrorDrift(String)}, or
 *       {@link #liveErrorState(String, Enum)} with each state a detector returns);</li>
 *   <li><b>serving metrics</b> ({@link #checkMetrics}): a metric read from
 *       {@link ServiceMetrics} below its floor or above its ceiling, checked when the caller
 *       polls (from its scheduler);</li>
 *   <li><b>a schedule</b> ({@link #checkSchedule()}): once {@link Builder#every} has passed since
 *       the last trigger (or since the policy was built).</li>
 * </ul>
 *
 * <p><b>Hysteresis.</b> A source triggers only after {@link Builder#consecutiveSignals N}
 * consecutive signals. Each source (drift, live error, each metric) keeps its own streak. A drift
 * report without the drift looked for, and a metric check within its bound, reset that source's
 * streak; a check that cannot read its metric (too few samples) leaves it unchanged. Live-error
 * streaks are only reset by a trigger or {@link #reset()}: a detector reports {@code NONE} right
 * after a detection because it has adapted, not because the error went back down.
 *
 * <p><b>Cooldown.</b> No trigger within {@link Builder#cooldown} of the previous one. Signals
 * during the cooldown still count, so drift that persists triggers at the first signal after the
 * cooldown. A trigger resets every streak and restarts the schedule. Schedule triggers do not
 * use hysteresis (they are due or not); {@link #manual} triggers bypass hysteresis and cooldown
 * but restart cooldown and schedule like any trigger.
 *
 * <p>Time comes from the builder's {@link Clock}. Thread-safe: signals may come from request
 * threads, monitor threads and schedulers at once; each call is short (no I/O).
 *
 * <pre>{@code
 * RetrainPolicy policy = RetrainPolicy.builder()
 *         .onDatasetDrift().onColumnDrift("temp_max")
 *         .onLiveError()
 *         .metricCeiling("live_error", RetrainPolicy.ServiceMetric.meanLiveError(200), 0.3)
 *         .every(Duration.ofDays(30))
 *         .consecutiveSignals(2).cooldown(Duration.ofDays(7))
 *         .build();
 * }</pre>
 */
public final class RetrainPolicy {
    /** Trigger kind for drift reports. */
    public static final String DRIFT = "drift";
    /** Trigger kind for an estimated performance drop. */
    public static final String ESTIMATED_DROP = "estimated-drop";
    /** Trigger kind for online detectors on live error. */
    public static final String LIVE_ERROR = "live-error";
    /** Trigger kind for a serving metric out of its bound. */
    public static final String METRIC_FLOOR = "metric-floor";
    /** Trigger kind for the schedule. */
    public static final String SCHEDULE = "schedule";
    /** Trigger kind for a trigger requested by a caller. */
    public static final String MANUAL = "manual";

    private final boolean datasetDrift;
    private final Set<String> columns;
    private final boolean liveError;
    private final Set<String> estimatedMetrics;
    private final List<MetricBound> bounds;
    private final Duration every;
    private final int consecutive;
    private final Duration cooldown;
    private final Clock clock;

    // guarded by this
    private int driftStreak;
    private int liveStreak;
    private int estimateStreak;
    private final int[] metricStreaks;
    private Instant lastTrigger;
    private Instant scheduleBase;

    private RetrainPolicy(Builder b) {
        this.datasetDrift = b.datasetDrift;
        this.columns = Set.copyOf(b.columns);
        this.liveError = b.liveError;
        this.estimatedMetrics = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.estimatedMetrics));
        this.bounds = List.copyOf(b.bounds);
        this.every = b.every;
        this.consecutive = b.consecutive;
        this.cooldown = b.cooldown;
        this.clock = b.clock;
        this.metricStreaks = new int[bounds.size()];
        this.scheduleBase = clock.instant();
    }

    /** @return a builder; enable at least one source */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Considers a drift report, for example every closed window of a drift monitor:
     * {@code DriftMonitor.builder(profile).listener((report, state) -> policy.onDriftReport(report))}.
     *
     * @param report a drift report
     * @return the trigger, if this report made one fire
     * @throws IllegalStateException if the policy has no drift trigger (a report would be ignored)
     */
    public Optional<RetrainTrigger> onDriftReport(DriftReport report) {
        return decide(report).trigger();
    }

    /**
     * Considers a drift report as {@link #onDriftReport} does, and says what was decided and why:
     * not a signal, a signal held back by hysteresis (how many more are needed) or by the cooldown
     * (until when), or a trigger.
     *
     * @param report a drift report
     * @return the decision
     * @throws IllegalStateException if the policy has no drift trigger (a report would be ignored)
     */
    public synchronized RetrainDecision decide(DriftReport report) {
        Objects.requireNonNull(report, "report");
        if (!datasetDrift && columns.isEmpty()) {
            throw new IllegalStateException("this retrain policy has no drift trigger: build it with onDatasetDrift() "
                    + "or onColumnDrift(...) to act on drift reports");
        }
        List<String> drifted = report.driftedColumns();
        List<String> watched = drifted.stream().filter(columns::contains).toList();
        boolean signal = (datasetDrift && report.datasetDrift()) || !watched.isEmpty();
        if (!signal) {
            driftStreak = 0;
            String why = !datasetDrift ? "none of the watched columns " + new java.util.TreeSet<>(columns) + " drifted"
                    : report.datasetVerdict() == Verdict.UNCERTAIN
                    // estimated statistics that straddle their thresholds are no evidence of drift
                    ? "dataset drift uncertain (share between " + report.driftShareInterval().low() + " and "
                            + report.driftShareInterval().high() + ", threshold " + report.driftShareThreshold() + ")"
                    : "no dataset drift (share " + report.driftShare() + " < " + report.driftShareThreshold() + ")";
            return new RetrainDecision(DRIFT, RetrainDecision.Verdict.NO_SIGNAL, 0, consecutive, Optional.empty(),
                    Optional.empty(), why + ": no signal, the drift streak starts over");
        }
        driftStreak++;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("drifted_columns", String.join(",", drifted));
        facts.put("drift_share", Double.toString(report.driftShare()));
        facts.put("dataset_drift", Boolean.toString(report.datasetDrift()));
        facts.put("current_rows", Long.toString(report.currentRows()));
        report.window().ifPresent(w -> {
            facts.put("window", Long.toString(w.sequence()));
            facts.put("window_start", w.start().toString());
            facts.put("window_end", w.end().toString());
        });
        String what = report.datasetDrift()
                ? "dataset drift (share " + report.driftShare() + " >= " + report.driftShareThreshold() + ")"
                : "drift of watched column(s) " + watched;
        String detail = what + " in " + driftStreak + " consecutive report(s); drifted columns " + drifted
                + report.window().map(w -> ", window " + w.sequence()).orElse("");
        return fire(DRIFT, detail, facts, driftStreak);
    }

    /**
     * Considers one window of a performance monitor (such as the estimation module's
     * {@code CbpeMonitor}: {@code .listener(window -> policy.decide(window))}): a signal when any
     * watched metric's estimate lies below its lower threshold, that is, performance estimated to
     * have dropped below what the reference allows; any other window starts the streak over.
     *
     * @param window a monitored window's estimates
     * @return the decision, with the evidence (metric, estimate, sampling error, threshold, realized
     *     value if known, window) in the trigger's facts
     * @throws IllegalStateException if the policy was built without {@link Builder#onEstimatedDrop}
     * @throws IllegalArgumentException if the window lacks a watched metric
     */
    public synchronized RetrainDecision decide(PerformanceWindow window) {
        Objects.requireNonNull(window, "window");
        if (estimatedMetrics.isEmpty()) {
            throw new IllegalStateException("this retrain policy has no estimated-drop trigger: build it with "
                    + "onEstimatedDrop(...) to act on performance estimates");
        }
        List<EstimatedMetric> dropped = new ArrayList<>();
        for (String name : estimatedMetrics) {
            EstimatedMetric m = window.metric(name).orElseThrow(() -> new IllegalArgumentException("window "
                    + window.sequence() + " has no metric " + Names.quote(name) + "; it estimates "
                    + window.metrics().stream().map(EstimatedMetric::name).toList()));
            if (m.estimatedDrop()) {
                dropped.add(m);
            }
        }
        if (dropped.isEmpty()) {
            estimateStreak = 0;
            StringBuilder why = new StringBuilder("no estimated drop in window " + window.sequence() + ":");
            for (String name : estimatedMetrics) {
                EstimatedMetric m = window.metric(name).orElseThrow();
                why.append(' ').append(name).append(' ').append(m.estimate()).append(m.lowerThreshold().isPresent()
                        ? " >= " + m.lowerThreshold().getAsDouble() : " (no lower threshold)").append(';');
            }
            return new RetrainDecision(ESTIMATED_DROP, RetrainDecision.Verdict.NO_SIGNAL, 0, consecutive,
                    Optional.empty(), Optional.empty(), why + " no signal, the estimate streak starts over");
        }
        estimateStreak++;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("window", Long.toString(window.sequence()));
        facts.put("window_start", window.start().toString());
        facts.put("window_end", window.end().toString());
        facts.put("rows", Long.toString(window.rows()));
        facts.put("labelled_rows", Long.toString(window.labelledRows()));
        facts.put("dropped_metrics", String.join(",", dropped.stream().map(EstimatedMetric::name).toList()));
        List<String> words = new ArrayList<>();
        for (EstimatedMetric m : dropped) {
            String k = m.name();
            facts.put(k + ".estimate", Double.toString(m.estimate()));
            facts.put(k + ".sampling_error", Double.toString(m.samplingError()));
            facts.put(k + ".lower_threshold", Double.toString(m.lowerThreshold().getAsDouble()));
            m.realized().ifPresent(r -> facts.put(k + ".realized", Double.toString(r)));
            words.add(k + " estimated " + m.estimate() + " < threshold " + m.lowerThreshold().getAsDouble()
                    + " (sampling error " + m.samplingError() + ")");
        }
        String detail = "estimated drop in window " + window.sequence() + ": " + String.join(", ", words) + "; "
                + estimateStreak + " consecutive window(s)";
        return fire(ESTIMATED_DROP, detail, facts, estimateStreak);
    }

    /**
     * Considers a performance window as {@link #decide(PerformanceWindow)} does.
     *
     * @param window a monitored window's estimates
     * @return the trigger, if this window made one fire
     */
    public Optional<RetrainTrigger> onPerformanceWindow(PerformanceWindow window) {
        return decide(window).trigger();
    }

    /**
     * Counts one detection of an online detector watching the live error (ADWIN, Page-Hinkley,
     * DDM...).
     *
     * @param detail which detector and what it saw, e.g. {@code adwin: mean error 0.21 -> 0.38}
     * @return the trigger, if this detection made one fire
     * @throws IllegalStateException if the policy was built without {@link Builder#onLiveError()}
     */
    public synchronized Optional<RetrainTrigger> liveErrorDrift(String detail) {
        Objects.requireNonNull(detail, "detail");
        requireLiveError();
        liveStreak++;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("detector", detail);
        return fire(LIVE_ERROR, "live error drift (" + detail + "), " + liveStreak + " detection(s)", facts, liveStreak)
                .trigger();
    }

    /**
     * Passes the state an online detector returned for the latest live error, such as the
     * drift module's {@code OnlineDriftDetector.State}: {@code DRIFT} counts as a detection,
     * {@code NONE} and {@code WARNING} change nothing.
     *
     * <pre>{@code
     * policy.liveErrorState("adwin", adwin.update(error));
     * }</pre>
     *
     * @param detector the detector's name, for the trigger's detail
     * @param state an enum constant named {@code NONE}, {@code WARNING} or {@code DRIFT}
     * @return the trigger, if this state made one fire
     * @throws IllegalArgumentException if the constant has another name
     * @throws IllegalStateException if the policy was built without {@link Builder#onLiveError()}
     */
    public Optional<RetrainTrigger> liveErrorState(String detector, Enum<?> state) {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(state, "state");
        switch (state.name()) {
            case "DRIFT":
                return liveErrorDrift(detector + " detected a change");
            case "NONE", "WARNING":
                synchronized (this) {
                    requireLiveError();
                }
                return Optional.empty();
            default:
                throw new IllegalArgumentException("detector state " + Names.quote(state.name())
                        + " is not a detector state: expected NONE, WARNING or DRIFT");
        }
    }

    /**
     * Reads every configured metric of the version serving now and counts those out of bounds.
     *
     * @param service the service to read
     * @return the trigger, if a metric made one fire
     */
    public Optional<RetrainTrigger> checkMetrics(ModelService<?, ?> service) {
        Objects.requireNonNull(service, "service");
        return checkMetrics(service.metrics(), service.currentVersion());
    }

    /**
     * Reads every configured metric of {@code serving} from a snapshot and counts those out of
     * bounds. Without configured metrics this does nothing.
     *
     * @param metrics a snapshot of a service's metrics
     * @param serving the version whose metrics count (the one serving now)
     * @return the trigger, if a metric made one fire (the first such metric in builder order)
     */
    public synchronized Optional<RetrainTrigger> checkMetrics(ServiceMetrics metrics, ModelRef.Version serving) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(serving, "serving");
        Optional<RetrainTrigger> fired = Optional.empty();
        for (int i = 0; i < bounds.size() && fired.isEmpty(); i++) {
            MetricBound b = bounds.get(i);
            OptionalDouble read = b.metric.read(metrics, serving);
            if (read.isEmpty() || Double.isNaN(read.getAsDouble())) {
                continue;
            }
            double value = read.getAsDouble();
            boolean out = b.floor ? value < b.bound : value > b.bound;
            if (!out) {
                metricStreaks[i] = 0;
                continue;
            }
            metricStreaks[i]++;
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("metric", b.name);
            facts.put("value", Double.toString(value));
            facts.put(b.floor ? "floor" : "ceiling", Double.toString(b.bound));
            facts.put("version", serving.toString());
            String detail = "metric " + Names.quote(b.name) + " of " + serving + " is " + value
                    + (b.floor ? ", below its floor " : ", above its ceiling ") + b.bound + " in "
                    + metricStreaks[i] + " consecutive check(s)";
            fired = fire(METRIC_FLOOR, detail, facts, metricStreaks[i]).trigger();
        }
        return fired;
    }

    /**
     * @return a schedule trigger if {@link Builder#every} has passed since the last trigger (or
     *     since the policy was built or {@link #reset()}); empty without a schedule
     */
    public synchronized Optional<RetrainTrigger> checkSchedule() {
        if (every == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (Duration.between(scheduleBase, now).compareTo(every) < 0) {
            return Optional.empty();
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("every", every.toString());
        facts.put("since", scheduleBase.toString());
        String detail = "scheduled: " + every + " since " + scheduleBase;
        return Optional.of(record(SCHEDULE, detail, facts, now));
    }

    /**
     * A trigger asked for by a caller: fires at once, whatever the streaks and the cooldown, and
     * restarts cooldown and schedule.
     *
     * @param detail why, in words
     * @return the trigger
     */
    public synchronized RetrainTrigger manual(String detail) {
        Objects.requireNonNull(detail, "detail");
        return record(MANUAL, detail, Map.of(), clock.instant());
    }

    /** Forgets every streak and the last trigger; the schedule restarts now. */
    public synchronized void reset() {
        driftStreak = 0;
        liveStreak = 0;
        estimateStreak = 0;
        java.util.Arrays.fill(metricStreaks, 0);
        lastTrigger = null;
        scheduleBase = clock.instant();
    }

    /** @return when the last trigger fired, if any since the policy was built or reset */
    public synchronized Optional<Instant> lastTrigger() {
        return Optional.ofNullable(lastTrigger);
    }

    /** @return the number of consecutive signals a source needs */
    public int consecutiveSignals() {
        return consecutive;
    }

    /** @return the minimum time between two triggers */
    public Duration cooldown() {
        return cooldown;
    }

    /** @return the clock the policy reads */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        List<String> sources = new ArrayList<>();
        if (datasetDrift) {
            sources.add("dataset-drift");
        }
        if (!columns.isEmpty()) {
            sources.add("column-drift" + new java.util.TreeSet<>(columns));
        }
        if (liveError) {
            sources.add("live-error");
        }
        if (!estimatedMetrics.isEmpty()) {
            sources.add("estimated-drop" + estimatedMetrics);
        }
        bounds.forEach(b -> sources.add(b.name + (b.floor ? " < " : " > ") + b.bound));
        if (every != null) {
            sources.add("every " + every);
        }
        return "RetrainPolicy" + sources + " after " + consecutive + " consecutive signal(s), cooldown " + cooldown;
    }

    private void requireLiveError() {
        if (!liveError) {
            throw new IllegalStateException("this retrain policy has no live-error trigger: build it with onLiveError() "
                    + "to act on online detectors");
        }
    }

    private RetrainDecision fire(String kind, String detail, Map<String, String> facts, int streak) {
        if (streak < consecutive) {
            return new RetrainDecision(kind, RetrainDecision.Verdict.HYSTERESIS, streak, consecutive, Optional.empty(),
                    Optional.empty(), kind + " signal " + streak + " of " + consecutive + " needed in a row (hysteresis)");
        }
        Instant now = clock.instant();
        if (lastTrigger != null && Duration.between(lastTrigger, now).compareTo(cooldown) < 0) {
            Instant until = lastTrigger.plus(cooldown);
            return new RetrainDecision(kind, RetrainDecision.Verdict.COOLDOWN, streak, consecutive, Optional.of(until),
                    Optional.empty(), kind + " signal " + streak + " in a row, but in the cooldown: " + words(cooldown)
                            + " after the trigger at " + lastTrigger + ", until " + until);
        }
        Map<String, String> f = new LinkedHashMap<>(facts);
        f.put("consecutive", Integer.toString(streak));
        RetrainTrigger t = record(kind, detail, f, now);
        return new RetrainDecision(kind, RetrainDecision.Verdict.TRIGGERED, streak, consecutive, Optional.empty(),
                Optional.of(t), "retrain: " + detail);
    }

    /** A duration as people say it when it is whole days or hours ({@code 365 days}), else ISO-8601. */
    static String words(Duration d) {
        if (!d.isZero() && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (!d.isZero() && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toString();
    }

    private RetrainTrigger record(String kind, String detail, Map<String, String> facts, Instant now) {
        lastTrigger = now;
        scheduleBase = now;
        driftStreak = 0;
        liveStreak = 0;
        estimateStreak = 0;
        java.util.Arrays.fill(metricStreaks, 0);
        return new RetrainTrigger(kind, detail, now, facts);
    }

    /**
     * Reads one number from a service's metrics for the version serving now; empty when it
     * cannot be read yet (for example too few samples).
     */
    @FunctionalInterface
    public interface ServiceMetric {
        /**
         * @param metrics a snapshot
         * @param serving the version serving now
         * @return the value, or empty
         */
        OptionalDouble read(ServiceMetrics metrics, ModelRef.Version serving);

        /**
         * @param minFeedback ground-truth values needed before the mean counts
         * @return the mean live error of the serving version ({@link VersionMetrics#meanLiveError()})
         */
        static ServiceMetric meanLiveError(long minFeedback) {
            requireNonNegative("minFeedback", minFeedback);
            return (m, v) -> m.version(v).filter(x -> x.feedbackCount() >= minFeedback)
                    .map(VersionMetrics::meanLiveError).orElse(OptionalDouble.empty());
        }

        /**
         * @param minShadowCalls answered shadow calls needed before the rate counts
         * @return the share of shadow answers that agreed with the serving version's answers,
         *     read from the shadow version(s): agreements over answered shadow calls of every
         *     other version in the snapshot
         */
        static ServiceMetric shadowAgreement(long minShadowCalls) {
            requireNonNegative("minShadowCalls", minShadowCalls);
            return (m, v) -> {
                long answered = 0;
                long agreed = 0;
                for (VersionMetrics x : m.versions()) {
                    answered += x.shadowCalls() - x.shadowErrors();
                    agreed += x.shadowAgreements();
                }
                return answered == 0 || answered < minShadowCalls ? OptionalDouble.empty()
                        : OptionalDouble.of((double) agreed / answered);
            };
        }

        /**
         * @param minCalls calls needed before the rate counts
         * @return errors over calls of the serving version (the model threw)
         */
        static ServiceMetric errorRate(long minCalls) {
            requireNonNegative("minCalls", minCalls);
            return (m, v) -> m.version(v).filter(x -> x.calls() > 0 && x.calls() >= minCalls)
                    .map(x -> OptionalDouble.of((double) x.errors() / x.calls())).orElse(OptionalDouble.empty());
        }

        private static void requireNonNegative(String what, long n) {
            if (n < 0) {
                throw new IllegalArgumentException(what + " must not be negative, was " + n);
            }
        }
    }

    private record MetricBound(String name, ServiceMetric metric, double bound, boolean floor) {
    }

    /** Builds a {@link RetrainPolicy}; each call checks its value at once. Not thread-safe. */
    public static final class Builder {
        private boolean datasetDrift;
        private final Set<String> columns = new LinkedHashSet<>();
        private boolean liveError;
        private final Set<String> estimatedMetrics = new LinkedHashSet<>();
        private final List<MetricBound> bounds = new ArrayList<>();
        private Duration every;
        private int consecutive = 1;
        private Duration cooldown = Duration.ZERO;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * A drift report with dataset drift ({@link DriftReport#datasetDrift()}) is a signal. An
         * uncertain dataset verdict (estimated statistics whose intervals straddle their
         * thresholds) is not, and starts the streak over, as a window without drift does.
         *
         * @return this
         */
        public Builder onDatasetDrift() {
            this.datasetDrift = true;
            return this;
        }

        /**
         * A drift report in which any of these columns drifted is a signal.
         *
         * @param names column names, at least one
         * @return this
         */
        public Builder onColumnDrift(String... names) {
            Objects.requireNonNull(names, "names");
            if (names.length == 0) {
                throw new IllegalArgumentException("name at least one column to watch for drift");
            }
            for (String n : names) {
                Objects.requireNonNull(n, "column name");
                if (n.isBlank()) {
                    throw new IllegalArgumentException("column name must not be blank");
                }
                columns.add(n);
            }
            return this;
        }

        /**
         * Detections of online detectors on the live error ({@link #liveErrorDrift},
         * {@link #liveErrorState}) are signals.
         *
         * @return this
         */
        public Builder onLiveError() {
            this.liveError = true;
            return this;
        }

        /**
         * A performance window ({@link RetrainPolicy#decide(PerformanceWindow)}) in which any of
         * these metrics is estimated below its lower threshold (derived from the reference) is a
         * signal: performance estimated to have dropped, before the labels arrive.
         *
         * @param metrics metric names as the monitor reports them, such as {@code roc_auc}; at least one
         * @return this
         */
        public Builder onEstimatedDrop(String... metrics) {
            Objects.requireNonNull(metrics, "metrics");
            if (metrics.length == 0) {
                throw new IllegalArgumentException("name at least one estimated metric to watch, such as roc_auc");
            }
            for (String m : metrics) {
                Objects.requireNonNull(m, "metric name");
                if (m.isBlank()) {
                    throw new IllegalArgumentException("metric name must not be blank");
                }
                estimatedMetrics.add(m);
            }
            return this;
        }

        /**
         * A metric below {@code floor} is a signal, e.g. shadow agreement below 0.9.
         *
         * @param name the metric's name, for triggers (a key such as {@code shadow_agreement})
         * @param metric how to read it
         * @param floor the lowest acceptable value, finite
         * @return this
         */
        public Builder metricFloor(String name, ServiceMetric metric, double floor) {
            return bound(name, metric, floor, true);
        }

        /**
         * A metric above {@code ceiling} is a signal, e.g. mean live error above 0.3.
         *
         * @param name the metric's name, for triggers
         * @param metric how to read it
         * @param ceiling the highest acceptable value, finite
         * @return this
         */
        public Builder metricCeiling(String name, ServiceMetric metric, double ceiling) {
            return bound(name, metric, ceiling, false);
        }

        private Builder bound(String name, ServiceMetric metric, double bound, boolean floor) {
            Names.requireValidKey("metric name", name);
            Objects.requireNonNull(metric, "metric");
            if (!Double.isFinite(bound)) {
                throw new IllegalArgumentException("bound of metric " + Names.quote(name) + " must be finite, was " + bound);
            }
            if (bounds.stream().anyMatch(b -> b.name.equals(name))) {
                throw new IllegalArgumentException("metric " + Names.quote(name) + " already has a bound");
            }
            bounds.add(new MetricBound(name, metric, bound, floor));
            return this;
        }

        /**
         * Retrain at least this often: {@link #checkSchedule()} fires once this much time has
         * passed since the last trigger.
         *
         * @param interval positive
         * @return this
         */
        public Builder every(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("schedule interval must be positive, was " + interval);
            }
            this.every = interval;
            return this;
        }

        /**
         * Hysteresis: a source triggers after this many consecutive signals (default 1).
         *
         * @param n 1 to 1,000
         * @return this
         */
        public Builder consecutiveSignals(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("consecutive signals must be 1 to 1000, was " + n);
            }
            this.consecutive = n;
            return this;
        }

        /**
         * No trigger within this time of the previous one (default zero).
         *
         * @param cooldown not negative
         * @return this
         */
        public Builder cooldown(Duration cooldown) {
            Objects.requireNonNull(cooldown, "cooldown");
            if (cooldown.isNegative()) {
                throw new IllegalArgumentException("cooldown must not be negative, was " + cooldown);
            }
            this.cooldown = cooldown;
            return this;
        }

        /**
         * @param clock time for cooldown, schedule and trigger times (default UTC system clock)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalStateException if no source is enabled, or the cooldown is longer than
         *     the schedule interval (the schedule could never fire on time)
         */
        public RetrainPolicy build() {
            if (!datasetDrift && columns.isEmpty() && !liveError && estimatedMetrics.isEmpty() && bounds.isEmpty()
                    && every == null) {
                throw new IllegalStateException("a retrain policy needs at least one trigger: onDatasetDrift(), "
                        + "onColumnDrift(...), onLiveError(), onEstimatedDrop(...), metricFloor(...), metricCeiling(...)"
                        + " or every(...)");
            }
            if (every != null && cooldown.compareTo(every) > 0) {
                throw new IllegalStateException("cooldown " + cooldown + " is longer than the schedule interval " + every
                        + ": the schedule could never fire on time");
            }
            return new RetrainPolicy(this);
        }
    }
}
