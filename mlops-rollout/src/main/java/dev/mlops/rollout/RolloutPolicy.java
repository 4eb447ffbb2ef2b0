package dev.mlops.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The steps and guardrails of a rollout, and the one function that decides what a look at the
 * statistics means ({@link #decide}). Shared by the store-backed {@link Rollout} and by
 * {@link RolloutSimulation}, so the simulation tests the rule the rollout runs.
 *
 * <p>The tests run over the <b>whole rollout</b>, not per step: the statistics are cumulative from
 * the start, so one always-valid test covers every look at every step (restarting the test at
 * each step would spend α once per step).
 *
 * @param steps the candidate's traffic shares, increasing, each in (0, 1); passing the last one
 *     promotes (the candidate then takes the alias and 100%)
 * @param guardrails what is compared, each guardrail at most once
 * @param alpha the family-wise level of the rollback tests, and of the promotion tests
 */
public record RolloutPolicy(List<Step> steps, List<GuardrailSpec> guardrails, double alpha) {

    /** Checks arguments. */
    public RolloutPolicy {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        guardrails = List.copyOf(Objects.requireNonNull(guardrails, "guardrails"));
        NormalMixture.checkAlpha(alpha);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a rollout needs at least one step");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).share() <= steps.get(i - 1).share()) {
                throw new IllegalArgumentException("step shares must increase, but step " + (i + 1) + " ("
                        + steps.get(i).share() + ") follows " + steps.get(i - 1).share());
            }
        }
        if (guardrails.isEmpty()) {
            throw new IllegalArgumentException("a rollout needs at least one guardrail");
        }
        Set<Guardrail> seen = EnumSet.noneOf(Guardrail.class);
        for (GuardrailSpec g : guardrails) {
            if (!seen.add(g.guardrail())) {
                throw new IllegalArgumentException("guardrail " + g.guardrail().jsonName() + " is given twice");
            }
        }
    }

    /**
     * One traffic step.
     *
     * @param share the candidate's share of traffic, in (0, 1)
     * @param minCandidateRequests candidate requests the step needs before it may pass
     * @param minDuration how long the step lasts at least
     */
    public record Step(double share, long minCandidateRequests, Duration minDuration) {
        /** Checks arguments. */
        public Step {
            Objects.requireNonNull(minDuration, "minDuration");
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("step share must be in (0, 1) (1 is the promotion), was " + share);
            }
            if (minCandidateRequests < 0) {
                throw new IllegalArgumentException("minimum candidate requests must be >= 0, was " + minCandidateRequests);
            }
            if (minDuration.isNegative()) {
                throw new IllegalArgumentException("minimum duration must be >= 0, was " + minDuration);
            }
        }
    }

    /**
     * The default: steps 1%, 5%, 25%, 50% of at least 500 candidate requests and 10 minutes
     * each; error rate (margin 1 point), p50 latency share (margin 5 points) and p99 latency
     * share (margin 1 point); α = 0.05.
     *
     * @return the policy
     */
    public static RolloutPolicy defaults() {
        List<Step> steps = new ArrayList<>();
        for (double share : new double[] {0.01, 0.05, 0.25, 0.50}) {
            steps.add(new Step(share, 500, Duration.ofMinutes(10)));
        }
        return new RolloutPolicy(steps, List.of(GuardrailSpec.of(Guardrail.ERROR_RATE, 0.01),
                GuardrailSpec.of(Guardrail.LATENCY_P50, 0.05), GuardrailSpec.of(Guardrail.LATENCY_P99, 0.01)), 0.05);
    }

    /**
     * What one look decides.
     *
     * @param step the current step, 0-based
     * @param stepStartedAt when it started
     * @param candidateRequestsAtStepStart the candidate's cumulative requests when it started
     * @param control the control's cumulative statistics
     * @param candidate the candidate's cumulative statistics
     * @param now the time of the look
     * @return the action and the evidence
     */
    public Look decide(int step, Instant stepStartedAt, long candidateRequestsAtStepStart, ArmStats control,
                       ArmStats candidate, Instant now) {
        if (step < 0 || step >= steps.size()) {
            throw new IllegalArgumentException("step must be in [0, " + steps.size() + "), was " + step);
        }
        List<GuardrailResult> results = SequentialComparison.compare(control, candidate, guardrails, alpha);
        for (GuardrailResult r : results) {
            if (r.verdict() == GuardrailResult.Verdict.WORSE) {
                return new Look(Action.ROLL_BACK, results);
            }
        }
        Step s = steps.get(step);
        boolean stepDone = candidate.requests() - candidateRequestsAtStepStart >= s.minCandidateRequests()
                && !Duration.between(stepStartedAt, now).minus(s.minDuration()).isNegative();
        if (!stepDone) {
            return new Look(Action.HOLD, results);
        }
        if (step < steps.size() - 1) {
            return new Look(Action.ADVANCE, results);
        }
        boolean allNotWorse = results.stream().allMatch(r -> r.verdict() == GuardrailResult.Verdict.NOT_WORSE);
        return new Look(allNotWorse ? Action.PROMOTE : Action.HOLD, results);
    }

    /** What a look decides. */
    public enum Action {
        /** Stay at the current step. */
        HOLD,
        /** Go to the next step. */
        ADVANCE,
        /** Every step passed and every guardrail shows "not worse": promote. */
        PROMOTE,
        /** A guardrail shows a significant regression: candidate share to 0, alias unchanged. */
        ROLL_BACK
    }

    /**
     * @param action what to do
     * @param results every guardrail's evidence
     */
    public record Look(Action action, List<GuardrailResult> results) {
        /** Copies. */
        public Look {
            Objects.requireNonNull(action, "action");
            results = List.copyOf(results);
        }
    }
}
