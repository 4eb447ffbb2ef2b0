package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The must-show of docs/rollouts.md on a bounded count of seeded runs, with the code of the full
 * simulation (mlops-bench's RolloutSimulationMain runs 1,000 per scenario). Each run looks after
 * every request.
 */
class RolloutSimulationTest {

    private static final RolloutPolicy POLICY = RolloutSimulation.simulationPolicy();

    private static RolloutSimulation.Summary runs(RolloutSimulation.Scenario s, int count, long firstSeed) {
        List<RolloutSimulation.RunResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(RolloutSimulation.run(POLICY, s, firstSeed + i));
        }
        return RolloutSimulation.summarize(s, results);
    }

    @Test
    void aaFalseRollbacksStayNearAlphaWhileTheFixedHorizonTestInflates() {
        RolloutSimulation.Scenario aa = new RolloutSimulation.Scenario("A/A", 0.05, 0.05, 20, 0.5, 0.5, 1.0, 50, 60_000);
        RolloutSimulation.Summary s = runs(aa, 300, 1_000);
        // 300 runs: alpha 0.05 plus two standard errors (0.0126) of the estimate
        assertThat(s.rolledBack()).isLessThanOrEqualTo(0.075);
        assertThat(s.fixedHorizonFired()).isGreaterThan(0.25);
        assertThat(s.promoted()).isGreaterThan(0.8);
    }

    @Test
    void knownRegressionsAreDetected() {
        RolloutSimulation.Summary errors = runs(
                new RolloutSimulation.Scenario("error +2", 0.05, 0.07, 20, 0.5, 0.5, 1.0, 50, 60_000), 100, 2_000);
        assertThat(errors.rolledBack()).isGreaterThanOrEqualTo(0.95);
        RolloutSimulation.Summary latency = runs(
                new RolloutSimulation.Scenario("latency x1.2", 0.05, 0.05, 20, 0.5, 0.5, 1.2, 50, 60_000), 100, 3_000);
        assertThat(latency.rolledBack()).isGreaterThanOrEqualTo(0.95);
        assertThat(latency.medianCandidateRequestsToRollBack()).isLessThan(errors.medianCandidateRequestsToRollBack());
    }

    @Test
    void aSlowerTailAloneIsCaughtByTheP99Guardrail() {
        RolloutSimulation.Scenario tail = RolloutSimulation.standardScenarios(60_000).get(2);
        assertThat(tail.name()).isEqualTo("p99 latency +20%");
        List<RolloutSimulation.RunResult> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            results.add(RolloutSimulation.run(POLICY, tail, 5_000 + i));
        }
        RolloutSimulation.Summary s = RolloutSimulation.summarize(tail, results);
        assertThat(s.rolledBack()).isGreaterThanOrEqualTo(0.8);
        assertThat(results.stream().filter(r -> r.outcome() == RolloutSimulation.Outcome.ROLLED_BACK)
                .filter(r -> r.firedBy().equals("latency_p99")).count()).isGreaterThan(results.size() / 2);
    }

    @Test
    void anImprovementIsPromotedAfterEveryStep() {
        RolloutSimulation.Summary s = runs(
                new RolloutSimulation.Scenario("improve", 0.05, 0.04, 20, 0.5, 0.5, 1.0, 50, 60_000), 50, 4_000);
        assertThat(s.promoted()).isGreaterThanOrEqualTo(0.9);
        // three steps of at least one minute each
        assertThat(s.medianSecondsToPromote()).isGreaterThanOrEqualTo(180);
    }

    @Test
    void aRunIsReproducibleFromItsSeed() {
        RolloutSimulation.Scenario s = new RolloutSimulation.Scenario("error +2", 0.05, 0.07, 20, 0.5, 0.5, 1.0, 50, 60_000);
        assertThat(RolloutSimulation.run(POLICY, s, 42)).isEqualTo(RolloutSimulation.run(POLICY, s, 42));
    }

    private static List<RolloutSimulation.RunResult> predictionRuns(RolloutSimulation.Scenario s, int count,
                                                                    long firstSeed) {
        List<RolloutSimulation.RunResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(RolloutSimulation.run(RolloutSimulation.predictionPolicy(), s, firstSeed + i));
        }
        return results;
    }

    @Test
    void withThePredictionAndEstimatedLossGuardrailsTheAaLevelHolds() {
        RolloutSimulation.Scenario aa = RolloutSimulation.predictionScenarios(60_000).get(0);
        List<RolloutSimulation.RunResult> results = predictionRuns(aa, 200, 6_000);
        RolloutSimulation.Summary s = RolloutSimulation.summarize(aa, results);
        // 200 runs: alpha 0.05 plus two standard errors (0.0154) of the estimate
        assertThat(s.rolledBack()).isLessThanOrEqualTo(0.065);
        assertThat(s.promoted()).isGreaterThan(0.8);
    }

    @Test
    void shiftedPredictionsAndAnEstimatedAccuracyDropAreCaughtByTheirGuardrails() {
        List<RolloutSimulation.RunResult> shifted = predictionRuns(RolloutSimulation.predictionScenarios(60_000).get(1),
                50, 7_000);
        assertThat(shifted.stream().filter(r -> r.outcome() == RolloutSimulation.Outcome.ROLLED_BACK)
                .filter(r -> r.firedBy().startsWith("prediction_q")).count()).isGreaterThanOrEqualTo(45);
        List<RolloutSimulation.RunResult> drop = predictionRuns(RolloutSimulation.predictionScenarios(60_000).get(2),
                50, 8_000);
        // the same score distribution: only the estimated loss can see it
        assertThat(drop.stream().filter(r -> r.outcome() == RolloutSimulation.Outcome.ROLLED_BACK)
                .filter(r -> r.firedBy().equals("estimated_loss")).count()).isGreaterThanOrEqualTo(45);
    }
}
