package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.PredictionException;
import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import dev.mlops.gates.PromotionRule;
import dev.mlops.registry.fs.FileSystemStore;
import dev.mlops.rollout.Guardrail;
import dev.mlops.rollout.GuardrailSpec;
import dev.mlops.rollout.Rollout;
import dev.mlops.rollout.RolloutPolicy;
import dev.mlops.rollout.RolloutState;
import dev.mlops.serving.ModelServiceBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guarded rollout driving a real model service, as an application wires the two: the service's
 * sticky split follows the rollout's steps, the service's latency listener feeds the rollout, and a
 * regressing candidate sends every request back to the control while the alias stays.
 */
class GuardedRolloutServingTest {
    private static final ModelRef.Version V1 = new ModelRef.Version("rain", 1);
    private static final ModelRef.Version V2 = new ModelRef.Version("rain", 2);
    private static final RolloutPolicy POLICY = new RolloutPolicy(
            List.of(new RolloutPolicy.Step(0.10, 200, Duration.ofMinutes(5)),
                    new RolloutPolicy.Step(0.50, 400, Duration.ofMinutes(5))),
            List.of(new GuardrailSpec(Guardrail.ERROR_RATE, 0.02, 0.1, 100)), 0.05);

    @TempDir
    Path dir;

    @Test
    @DisplayName("a candidate that fails a third of its calls is rolled back: the split goes to 0, the alias stays")
    void regressionRollsTheServiceBack() {
        ManualTestClock clock = new ManualTestClock(Instant.parse("2026-12-01T10:00:00Z"));
        FileSystemStore store = FileSystemStore.open(dir.resolve("store"), clock);
        try (Mlops mlops = Mlops.builder().store(store).clock(clock).actor("it").build()) { // closes the store
            for (int i = 1; i <= 2; i++) {
                mlops.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("model.bin", ("v" + i).getBytes(StandardCharsets.UTF_8))).build());
            }
            mlops.models().setAlias("rain", "production", 1);
            // the candidate is loaded and warm from the start, at share 0; the rollout moves the split
            try (ModelService<Integer, Integer> service = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"),
                    ctx -> ctx.version().number() == 2
                            ? Model.<Integer, Integer>of(in -> {
                                if (in % 3 == 0) {
                                    throw new IllegalStateException("candidate fails on " + in);
                                }
                                return 2;
                            })
                            : Model.<Integer, Integer>of(in -> 1))
                    .challenger(V2, 0.0).pollInterval(Duration.ofDays(1)).build()) {
                Rollout rollout = Rollout.builder(mlops, store, "rain-v2").candidate(V2).alias("production")
                        .policy(POLICY).gate(PromotionGate.of(mlops, PromotionPolicy.builder("rollout-gate")
                                .rule(new PromotionRule.NonInferiority("rollout_error_rate", false, 0.02)).build()))
                        .onShare(service::setChallengerShare).build();
                RolloutState state = rollout.start();
                assertThat(service.challengerShare()).as("the first step's share, applied to the service").isEqualTo(0.10);
                service.onLatency(rollout.recorder().latencyListener(state.control(), state.candidate()));

                int candidateAnswers = 0;
                int i = 0;
                while (!state.status().finished() && i < 40_000) {
                    try {
                        candidateAnswers += service.predict("user-" + i, i) == 2 ? 1 : 0;
                    } catch (PredictionException e) {
                        candidateAnswers++; // the candidate's failures reach the caller: no fallback here
                    }
                    i++;
                    if (i % 50 == 0) {
                        clock.advance(Duration.ofSeconds(1));
                        state = rollout.tick();
                    }
                }
                assertThat(state.status()).as("after %d requests", i).isEqualTo(RolloutState.Status.ROLLED_BACK);
                assertThat(candidateAnswers).as("the candidate answered about its share").isBetween(i / 20, i / 5);
                assertThat(service.challengerShare()).isZero();
                for (int k = 0; k < 2_000; k++) {
                    assertThat(service.predict("user-" + k, 1)).as("user-%d after the rollback", k).isEqualTo(1);
                }
                assertThat(mlops.models().model("rain").alias("production")).contains(V1.number());
                assertThat(mlops.audit().entries(1, 10_000)).extracting(e -> e.action()).contains("rollout.rollback")
                        .doesNotContain("alias.promote");
            }
        }
    }

    @Test
    @DisplayName("the service's outputs reach the rollout through monitorOutputs, each for the arm that answered; "
            + "a candidate whose scores drift is rolled back by the prediction guardrails")
    void outputsAreAttributedToTheirArmAndDriftRollsBack() {
        ManualTestClock clock = new ManualTestClock(Instant.parse("2026-12-01T10:00:00Z"));
        FileSystemStore store = FileSystemStore.open(dir.resolve("store"), clock);
        try (Mlops mlops = Mlops.builder().store(store).clock(clock).actor("it").build()) {
            for (int i = 1; i <= 2; i++) {
                mlops.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("model.bin", ("v" + i).getBytes(StandardCharsets.UTF_8))).build());
            }
            mlops.models().setAlias("rain", "production", 1);
            List<GuardrailSpec> guardrails = new java.util.ArrayList<>(POLICY.guardrails());
            guardrails.addAll(GuardrailSpec.predictionDrift(0.05));
            guardrails.add(GuardrailSpec.of(Guardrail.ESTIMATED_LOSS, 0.02));
            RolloutPolicy policy = new RolloutPolicy(POLICY.steps(), guardrails, 0.05);
            java.util.concurrent.atomic.AtomicReference<ModelService<Integer, Double>> serving =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Rollout rollout = Rollout.builder(mlops, store, "rain-v2").candidate(V2).alias("production")
                    .policy(policy).predictionRange(0, 1).onShare(share -> serving.get().setChallengerShare(share))
                    .gate(PromotionGate.of(mlops, PromotionPolicy.builder("rollout-gate")
                            .rule(new PromotionRule.NonInferiority("rollout_error_rate", false, 0.02)).build()))
                    .build();
            // the control answers a score uniform over [0, 1) from the input; the candidate the same score
            // squeezed towards 1: above the control's quartiles more often
            try (ModelService<Integer, Double> service = ModelServiceBuilder.<Integer, Double>serve(mlops,
                            ModelRef.parse("rain@production"),
                            ctx -> ctx.version().number() == 2
                                    ? Model.<Integer, Double>of(in -> 0.2 + 0.8 * ((in * 7919L % 1000) / 1000.0))
                                    : Model.<Integer, Double>of(in -> (in * 7919L % 1000) / 1000.0))
                    .challenger(V2, 0.0).pollInterval(Duration.ofDays(1))
                    .monitorOutputs(rollout.recorder().outputObserver(score -> score, score -> Math.min(score, 1 - score),
                            score -> Math.min(score, 1 - score)), 1.0)
                    .build()) {
                serving.set(service);
                RolloutState state = rollout.start();
                service.onLatency(rollout.recorder().latencyListener(state.control(), state.candidate()));
                // a batch is answered by one version: each of its outputs is recorded for that arm
                List<Double> batch = service.predictAll(List.of(1, 2, 3, 4, 5));
                var control = rollout.recorder().snapshot(dev.mlops.rollout.Arm.CONTROL);
                var candidate = rollout.recorder().snapshot(dev.mlops.rollout.Arm.CANDIDATE);
                // input 1 scores 0.919 on the control, 0.9352 on the candidate
                dev.mlops.rollout.Arm batchArm = batch.get(0) > 0.93 ? dev.mlops.rollout.Arm.CANDIDATE
                        : dev.mlops.rollout.Arm.CONTROL;
                assertThat((batchArm == dev.mlops.rollout.Arm.CONTROL ? control : candidate).estimates()).isEqualTo(5);
                assertThat((batchArm == dev.mlops.rollout.Arm.CONTROL ? candidate : control).estimates()).isZero();
                int i = 0;
                while (!state.status().finished() && i < 40_000) {
                    service.predict("user-" + i, i);
                    i++;
                    if (i % 50 == 0) {
                        clock.advance(Duration.ofSeconds(1));
                        state = rollout.tick();
                    }
                }
                assertThat(state.status()).as("after %d requests", i).isEqualTo(RolloutState.Status.ROLLED_BACK);
                assertThat(state.reason()).contains("prediction_q");
                assertThat(rollout.recorder().unattributedOutputs()).isZero();
                control = rollout.recorder().snapshot(dev.mlops.rollout.Arm.CONTROL);
                candidate = rollout.recorder().snapshot(dev.mlops.rollout.Arm.CANDIDATE);
                // every answer was recorded once, for the arm that answered it
                // a batch of five is one request
                assertThat(control.estimates()).isEqualTo(control.requests()
                        + (batchArm == dev.mlops.rollout.Arm.CONTROL ? 4 : 0));
                assertThat(candidate.estimates()).isEqualTo(candidate.requests()
                        + (batchArm == dev.mlops.rollout.Arm.CANDIDATE ? 4 : 0));
                assertThat(candidate.predictions()).isPositive();
                assertThat(service.challengerShare()).isZero();
                assertThat(mlops.models().model("rain").alias("production")).contains(V1.number());
            }
        }
    }
}
