package dev.mlops.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.rollout.Guardrail;
import dev.mlops.rollout.GuardrailSpec;
import dev.mlops.rollout.Rollout;
import dev.mlops.rollout.RolloutPolicy;
import dev.mlops.rollout.RolloutState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RolloutMetrics}: per-arm counts and timers, step, share, status and decisions of a real rollout. */
class RolloutMetricsTest {

    static final ModelRef.Version V1 = new ModelRef.Version("rain", 1);
    static final ModelRef.Version V2 = new ModelRef.Version("rain", 2);

    @Test
    void armsStepShareStatusAndDecisionsFollowTheRollout() {
        InMemoryStore store = new InMemoryStore(java.time.Clock.systemUTC());
        Mlops mlops = Mlops.builder().store(store).actor("metrics-test").build();
        for (int i = 1; i <= 2; i++) {
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", ("v" + i).getBytes(StandardCharsets.UTF_8))).build());
        }
        mlops.models().setAlias("rain", "production", 1);
        RolloutPolicy policy = new RolloutPolicy(List.of(new RolloutPolicy.Step(0.10, 200, Duration.ZERO),
                new RolloutPolicy.Step(0.50, 400, Duration.ZERO)),
                List.of(new GuardrailSpec(Guardrail.ERROR_RATE, 0.02, 0.1, 100)), 0.05);
        Rollout rollout = Rollout.builder(mlops, store, "rain-v2").candidate(V2).alias("production").policy(policy)
                .instanceId("web-1").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RolloutMetrics metrics = RolloutMetrics.bind(rollout, registry);
        assertThat(registry.get(RolloutMetrics.STEP).gauge().value()).isNaN();
        RolloutState s = rollout.start();
        assertThat(registry.get(RolloutMetrics.STEP).gauge().value()).isZero();
        assertThat(registry.get(RolloutMetrics.SHARE).gauge().value()).isEqualTo(0.10);
        assertThat(registry.get(RolloutMetrics.STATUS).tag("status", "running").gauge().value()).isEqualTo(1.0);

        LatencyListener listener = metrics.latencyListener(V1, V2);
        // the outputs, attributed to the arm the metrics' listener just heard on this thread
        dev.mlops.api.serving.OutputObserver<Object, Double> outputs = rollout.recorder().outputObserver(o -> o,
                o -> 0.25, o -> 0.5);
        SplittableRandom random = new SplittableRandom(9);
        long[] requests = new long[2];
        long[] errors = new long[2];
        for (int i = 1; i <= 30_000 && !s.status().finished(); i++) {
            boolean cand = random.nextDouble() < s.candidateShare(policy);
            boolean failed = random.nextDouble() < (cand ? 0.30 : 0.05);
            listener.timed(cand ? V2 : V1, failed, 1, cand ? 2_000_000 : 1_000_000);
            if (!failed) {
                outputs.observe(null, i % 50 == 0 ? Double.NaN : random.nextDouble());
            }
            listener.timed(new ModelRef.Version("rain", 7), false, 1, 5); // neither arm: ignored
            requests[cand ? 1 : 0]++;
            errors[cand ? 1 : 0] += failed ? 1 : 0;
            if (i % 100 == 0) {
                s = rollout.tick();
            }
        }
        assertThat(s.status()).isEqualTo(RolloutState.Status.ROLLED_BACK);
        for (int a = 0; a < 2; a++) {
            String arm = a == 0 ? "control" : "candidate";
            assertThat(registry.get(RolloutMetrics.REQUESTS).tag("arm", arm).functionCounter().count())
                    .isEqualTo(requests[a]);
            assertThat(registry.get(RolloutMetrics.ERRORS).tag("arm", arm).functionCounter().count())
                    .isEqualTo(errors[a]);
            assertThat(registry.get(RolloutMetrics.LATENCY).tag("arm", arm).timer().count()).isEqualTo(requests[a]);
            assertThat(registry.get(RolloutMetrics.LATENCY).tag("arm", arm).timer().max(TimeUnit.MILLISECONDS))
                    .isEqualTo(a == 0 ? 1.0 : 2.0);
        }
        // every candidate call took longer than the control's running quantiles
        assertThat(registry.get(RolloutMetrics.SLOW).tags("arm", "candidate", "quantile", "p99").functionCounter()
                .count()).isEqualTo(rollout.recorder().snapshot(dev.mlops.rollout.Arm.CANDIDATE).latencies())
                .isPositive();
        for (dev.mlops.rollout.Arm arm : dev.mlops.rollout.Arm.values()) {
            String tag = arm.name().toLowerCase(java.util.Locale.ROOT);
            dev.mlops.rollout.ArmStats a = rollout.recorder().snapshot(arm);
            assertThat(registry.get(RolloutMetrics.PREDICTIONS).tag("arm", tag).functionCounter().count())
                    .isEqualTo(a.predictions()).isPositive();
            assertThat(registry.get(RolloutMetrics.PREDICTIONS_ABOVE).tags("arm", tag, "quantile", "q75")
                    .functionCounter().count()).isEqualTo(a.overQ75()).isPositive();
            assertThat(registry.get(RolloutMetrics.INVALID_PREDICTIONS).tag("arm", tag).functionCounter().count())
                    .isEqualTo(a.invalidPredictions());
            assertThat(registry.get(RolloutMetrics.ESTIMATES).tag("arm", tag).functionCounter().count())
                    .isEqualTo(requests[arm.ordinal()] - errors[arm.ordinal()]);
            assertThat(registry.get(RolloutMetrics.ESTIMATE_SUM).tag("arm", tag).functionCounter().count())
                    .isEqualTo((arm == dev.mlops.rollout.Arm.CONTROL ? 0.25 : 0.5) * a.estimates());
        }
        assertThat(rollout.recorder().snapshot(dev.mlops.rollout.Arm.CONTROL).invalidPredictions()
                + rollout.recorder().snapshot(dev.mlops.rollout.Arm.CANDIDATE).invalidPredictions()).isPositive();
        assertThat(rollout.recorder().unattributedOutputs()).isZero();
        assertThat(registry.get(RolloutMetrics.SHARE).gauge().value()).isZero();
        assertThat(registry.get(RolloutMetrics.STATUS).tag("status", "rolled_back").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get(RolloutMetrics.STATUS).tag("status", "running").gauge().value()).isZero();
        assertThat(registry.get(RolloutMetrics.DECISIONS).tag("decision", "rollback").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(RolloutMetrics.DECISIONS).tag("decision", "promote").functionCounter().count())
                .isZero();
        assertThat(registry.get(RolloutMetrics.REQUESTS).tag("arm", "control").functionCounter().getId()
                .getTag("rollout")).isEqualTo("rain-v2");
    }
}
