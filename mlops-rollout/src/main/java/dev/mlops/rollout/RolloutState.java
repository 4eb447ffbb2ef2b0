package dev.mlops.rollout;

import dev.mlops.api.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rollout as stored: one document per rollout, replaced only by compare-and-set, so every
 * instance sees the same step and exactly one instance makes each decision.
 *
 * @param name the rollout's name
 * @param alias the alias the control holds and the candidate would take
 * @param control the version holding the alias when the rollout started
 * @param candidate the version being rolled out
 * @param status where the rollout is
 * @param step the current step, 0-based
 * @param startedAt when the rollout started
 * @param stepStartedAt when the current step started
 * @param candidateRequestsAtStepStart the candidate's fleet-wide requests when the step started
 * @param decidedAt when the final decision was made, for a finished rollout
 * @param reason why it finished (the guardrail that regressed, "every step passed", an abort's reason)
 * @param evidence every guardrail's result at the deciding look (empty while running)
 * @param aliasMoved for a promoted rollout: whether the gate has moved the alias yet
 */
public record RolloutState(String name, String alias, ModelRef.Version control, ModelRef.Version candidate,
                           Status status, int step, Instant startedAt, Instant stepStartedAt,
                           long candidateRequestsAtStepStart, Optional<Instant> decidedAt, String reason,
                           List<GuardrailResult> evidence, boolean aliasMoved) {

    /** Checks arguments. */
    public RolloutState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(stepStartedAt, "stepStartedAt");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(reason, "reason");
        evidence = List.copyOf(evidence);
        if (!control.model().equals(candidate.model())) {
            throw new IllegalArgumentException("control " + control + " and candidate " + candidate
                    + " must be versions of one model");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, was " + step);
        }
    }

    /** Where a rollout is. */
    public enum Status {
        /** Steps are running. */
        RUNNING,
        /** A guardrail regressed: candidate share 0, alias unchanged. */
        ROLLED_BACK,
        /** Every step passed; the gate moves (or has moved) the alias. */
        PROMOTED,
        /** Every step passed but the promotion gate refused, or the alias moved meanwhile. */
        PROMOTION_REFUSED,
        /** Stopped by an operator. */
        ABORTED;

        /** @return true when no further decision will be made */
        public boolean finished() {
            return this != RUNNING;
        }
    }

    /**
     * @param policy the rollout's policy
     * @return the candidate's traffic share now: the step's while running, 0 otherwise (after a
     *     promotion the candidate holds the alias and serves as the primary)
     */
    public double candidateShare(RolloutPolicy policy) {
        return status == Status.RUNNING ? policy.steps().get(Math.min(step, policy.steps().size() - 1)).share() : 0;
    }
}
