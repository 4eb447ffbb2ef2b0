package dev.mlops.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recorded look at a rollout's fleet-wide statistics: what the policy saw and decided. A
 * rollout keeps a bounded series of them ({@link Rollout.Builder#lookEvery}), every decision
 * included, so its guardrails can be shown over time ({@link RolloutReport}).
 *
 * @param at when the look was made
 * @param step the step it was made at, 0-based
 * @param share the candidate's traffic share at that step
 * @param controlRequests the control's fleet-wide requests so far
 * @param candidateRequests the candidate's fleet-wide requests so far
 * @param action what the look decided ({@code HOLD} for an ordinary look)
 * @param results every guardrail's evidence at that look
 */
public record RolloutLook(Instant at, int step, double share, long controlRequests, long candidateRequests,
                          RolloutPolicy.Action action, List<GuardrailResult> results) {

    /** Checks arguments. */
    public RolloutLook {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        results = List.copyOf(results);
        if (step < 0 || controlRequests < 0 || candidateRequests < 0) {
            throw new IllegalArgumentException("step and request counts must be >= 0, were " + step + ", "
                    + controlRequests + ", " + candidateRequests);
        }
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], was " + share);
        }
    }
}
