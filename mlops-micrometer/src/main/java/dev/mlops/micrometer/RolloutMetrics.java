package dev.mlops.micrometer;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.rollout.Arm;
import dev.mlops.rollout.ArmRecorder;
import dev.mlops.rollout.ArmStats;
import dev.mlops.rollout.Rollout;
import dev.mlops.rollout.RolloutState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * A Micrometer {@link MeterBinder} for one instance's part in a guarded rollout (mlops-rollout's
 * {@link Rollout}): per arm, the requests, errors and latency this instance recorded, and the
 * predictions and estimated losses of the prediction and estimated-performance guardrails; the
 * rollout's step, candidate share and status as this instance last saw them; and the decisions
 * this instance made. Counters are functions of the rollout's own recorder, read when the
 * registry publishes; nothing is counted twice.
 *
 * <pre>{@code
 * RolloutMetrics metrics = RolloutMetrics.bind(rollout, registry);
 * // instead of rollout.recorder().latencyListener(control, candidate): feeds the rollout and the timers
 * service.onLatency(metrics.latencyListener(state.control(), state.candidate()));
 * }</pre>
 *
 * <p>Every meter has the tags {@code rollout} and {@code model}, the per-arm ones also {@code arm}
 * ({@code control} or {@code candidate}); see {@code docs/micrometer.md}. Summed over a fleet's
 * instances, {@value #REQUESTS} gives the fleet's requests per arm and {@value #DECISIONS} the
 * rollout's decisions (exactly one instance makes each). Needs mlops-rollout on the class path (an
 * optional dependency of this module).
 */
public final class RolloutMetrics implements MeterBinder {
    /** Requests this instance recorded, per arm. */
    public static final String REQUESTS = "mlops.rollout.requests";
    /** Requests whose model call threw, per arm. */
    public static final String ERRORS = "mlops.rollout.errors";
    /** Duration of each recorded model call, per arm (a timer, fed by {@link #latencyListener}). */
    public static final String LATENCY = "mlops.rollout.latency";
    /** Requests slower than the control's running median or 99th percentile, per arm (tag {@code quantile}). */
    public static final String SLOW = "mlops.rollout.latency.exceedances";
    /**
     * Predictions above the control's running lower quartile, median or upper quartile, per arm
     * (tag {@code quantile}: q25, q50, q75), for the prediction-drift guardrails.
     */
    public static final String PREDICTIONS_ABOVE = "mlops.rollout.predictions.exceedances";
    /** Predictions compared by the prediction-drift guardrails, per arm. */
    public static final String PREDICTIONS = "mlops.rollout.predictions";
    /** Predictions that were not finite numbers (skipped by the drift guardrails), per arm. */
    public static final String INVALID_PREDICTIONS = "mlops.rollout.predictions.invalid";
    /** Predictions with an estimated loss (label-free), per arm. */
    public static final String ESTIMATES = "mlops.rollout.estimated.losses";
    /** The sum of those estimated losses, per arm: divided by {@value #ESTIMATES}, the mean. */
    public static final String ESTIMATE_SUM = "mlops.rollout.estimated.loss.sum";
    /** The rollout's current step, 0-based. */
    public static final String STEP = "mlops.rollout.step";
    /** The candidate's traffic share now, 0 to 1. */
    public static final String SHARE = "mlops.rollout.candidate.share";
    /** 1 for the rollout's status now (tag {@code status}), 0 for the others. */
    public static final String STATUS = "mlops.rollout.status";
    /** Decisions this instance made (tag {@code decision}: step, rollback, promote, abort). */
    public static final String DECISIONS = "mlops.rollout.decisions";

    private static final List<String> DECISION_KINDS = List.of("step", "rollback", "promote", "abort");

    private final Rollout rollout;
    private final Tags tags;
    private volatile Timer controlTimer;
    private volatile Timer candidateTimer;

    /**
     * @param rollout the rollout this instance takes part in
     * @param tags extra tags on every meter
     */
    public RolloutMetrics(Rollout rollout, Iterable<Tag> tags) {
        this.rollout = Objects.requireNonNull(rollout, "rollout");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("rollout", rollout.name(), "model",
                rollout.candidate().model());
    }

    /**
     * @param rollout the rollout this instance takes part in
     * @param registry where the meters go
     * @return the bound metrics, for {@link #latencyListener}
     */
    public static RolloutMetrics bind(Rollout rollout, MeterRegistry registry) {
        RolloutMetrics m = new RolloutMetrics(rollout, Tags.empty());
        m.bindTo(registry);
        return m;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        ArmRecorder recorder = rollout.recorder();
        for (Arm arm : Arm.values()) {
            Tags armTags = tags.and("arm", arm.name().toLowerCase(Locale.ROOT));
            counter(registry, REQUESTS, "requests this instance recorded for the arm", armTags, recorder, arm,
                    ArmStats::requests);
            counter(registry, ERRORS, "requests of the arm whose model call threw", armTags, recorder, arm,
                    ArmStats::errors);
            counter(registry, SLOW, "requests of the arm slower than the control's running median",
                    armTags.and("quantile", "p50"), recorder, arm, ArmStats::overP50);
            counter(registry, SLOW, "requests of the arm slower than the control's running 99th percentile",
                    armTags.and("quantile", "p99"), recorder, arm, ArmStats::overP99);
            counter(registry, PREDICTIONS, "predictions of the arm compared by the prediction-drift guardrails",
                    armTags, recorder, arm, ArmStats::predictions);
            counter(registry, PREDICTIONS_ABOVE, "predictions of the arm above the control's running lower quartile",
                    armTags.and("quantile", "q25"), recorder, arm, ArmStats::overQ25);
            counter(registry, PREDICTIONS_ABOVE, "predictions of the arm above the control's running median",
                    armTags.and("quantile", "q50"), recorder, arm, ArmStats::overQ50);
            counter(registry, PREDICTIONS_ABOVE, "predictions of the arm above the control's running upper quartile",
                    armTags.and("quantile", "q75"), recorder, arm, ArmStats::overQ75);
            counter(registry, INVALID_PREDICTIONS, "predictions of the arm that were not finite (skipped)", armTags,
                    recorder, arm, ArmStats::invalidPredictions);
            counter(registry, ESTIMATES, "predictions of the arm with an estimated loss", armTags, recorder, arm,
                    ArmStats::estimates);
            FunctionCounter.builder(ESTIMATE_SUM, recorder, r -> r.snapshot(arm).estimateSum())
                    .description("sum of the arm's estimated losses").tags(armTags).register(registry);
            Timer timer = Timer.builder(LATENCY).description("model calls of the arm recorded by the rollout")
                    .tags(armTags).publishPercentiles(0.5, 0.99).register(registry);
            if (arm == Arm.CONTROL) {
                controlTimer = timer;
            } else {
                candidateTimer = timer;
            }
        }
        Gauge.builder(STEP, rollout, r -> r.lastState().map(s -> (double) s.step()).orElse(Double.NaN))
                .description("the rollout's current step, 0-based, as this instance last saw it").tags(tags)
                .register(registry);
        Gauge.builder(SHARE, rollout, r -> r.lastState().map(s -> s.candidateShare(r.policy())).orElse(Double.NaN))
                .description("the candidate's traffic share now").tags(tags).register(registry);
        for (RolloutState.Status status : RolloutState.Status.values()) {
            Gauge.builder(STATUS, rollout, r -> r.lastState().map(s -> s.status() == status ? 1.0 : 0.0).orElse(0.0))
                    .description("1 for the rollout's status now").tags(tags.and("status",
                            status.name().toLowerCase(Locale.ROOT))).register(registry);
        }
        for (String kind : DECISION_KINDS) {
            FunctionCounter.builder(DECISIONS, rollout, r -> r.decisionsMade().getOrDefault(kind, 0L))
                    .description("decisions this instance made").tags(tags.and("decision", kind)).register(registry);
        }
    }

    private static void counter(MeterRegistry registry, String name, String description, Tags tags,
                                ArmRecorder recorder, Arm arm, ToLongFunction<ArmStats> value) {
        FunctionCounter.builder(name, recorder, r -> value.applyAsLong(r.snapshot(arm))).description(description)
                .tags(tags).register(registry);
    }

    /**
     * A listener for {@code ModelService.onLatency} that records each call of the two arms in the
     * rollout's recorder (as {@link ArmRecorder#latencyListener} does) and in the arm's timer.
     *
     * @param control the control's version
     * @param candidate the candidate's version
     * @return the listener
     */
    public LatencyListener latencyListener(ModelRef.Version control, ModelRef.Version candidate) {
        LatencyListener recorder = rollout.recorder().latencyListener(control, candidate);
        return (version, failed, inputs, nanos) -> {
            recorder.timed(version, failed, inputs, nanos);
            Timer t = version.equals(candidate) ? candidateTimer : version.equals(control) ? controlTimer : null;
            if (t != null) {
                t.record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }
}
