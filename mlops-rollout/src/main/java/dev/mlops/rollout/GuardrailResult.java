package dev.mlops.rollout;

import java.util.Objects;

/**
 * One guardrail's comparison at one look, with its evidence.
 *
 * @param guardrail what was compared
 * @param controlCount observations of the control
 * @param candidateCount observations of the candidate
 * @param control the control's estimate (a proportion or a mean)
 * @param candidate the candidate's estimate
 * @param difference candidate − control
 * @param logRatioWorse log of the one-sided mSPRT ratio for "the candidate is worse" (θ &gt; 0); for a
 *     {@link Guardrail#twoSided() two-sided} guardrail the two-sided ratio for "the arms differ" (θ ≠ 0)
 * @param logRatioNotWorse log of the one-sided mSPRT ratio for "the candidate is not worse than
 *     the margin" (θ &lt; δ); for a two-sided guardrail the smaller of the two one-sided ratios for
 *     θ &lt; δ and θ &gt; −δ ("equivalent within ±δ")
 * @param logThreshold log(1/α') the ratios are compared with, α' the guardrail's share of α
 * @param lower lower end of the two-sided confidence sequence for the difference at level α'
 * @param upper upper end
 * @param verdict the decision this look supports
 */
public record GuardrailResult(Guardrail guardrail, long controlCount, long candidateCount, double control,
                              double candidate, double difference, double logRatioWorse, double logRatioNotWorse,
                              double logThreshold, double lower, double upper, Verdict verdict) {

    /** Checks arguments. */
    public GuardrailResult {
        Objects.requireNonNull(guardrail, "guardrail");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** What one look at a guardrail supports. */
    public enum Verdict {
        /** Too few observations in an arm to decide. */
        INSUFFICIENT_DATA,
        /** Neither hypothesis rejected yet. */
        UNDECIDED,
        /** The candidate is significantly worse: roll back. */
        WORSE,
        /** The candidate is significantly not worse than the margin: may be promoted. */
        NOT_WORSE
    }
}
