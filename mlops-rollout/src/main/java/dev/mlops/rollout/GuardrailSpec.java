package dev.mlops.rollout;

import java.util.Objects;

/**
 * How one guardrail is tested.
 *
 * @param guardrail what is compared
 * @param margin how much worse the candidate may be and still be promoted (non-inferiority
 *     margin δ ≥ 0, in the guardrail's units: a proportion for rates and latency shares, loss
 *     units for the live and estimated loss). The rollback test is against 0: any significant
 *     regression rolls back. For a {@link Guardrail#twoSided() two-sided} guardrail it is the
 *     equivalence margin: promoted when the difference is shown within ±δ (δ = 0 never promotes).
 * @param effectSize the mixing scale τ in standard deviations of one observation (τ = effectSize
 *     × pooled standard deviation): the mSPRT is most powerful for differences of about this size
 * @param minSamplesPerArm observations each arm needs before this guardrail decides anything
 */
public record GuardrailSpec(Guardrail guardrail, double margin, double effectSize, long minSamplesPerArm) {

    /** Default standardized effect size. */
    public static final double DEFAULT_EFFECT_SIZE = 0.1;
    /** Default minimum observations per arm. */
    public static final long DEFAULT_MIN_SAMPLES = 100;

    /** Checks arguments. */
    public GuardrailSpec {
        Objects.requireNonNull(guardrail, "guardrail");
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("margin of " + guardrail.jsonName() + " must be finite and >= 0, was "
                    + margin);
        }
        if (!(effectSize > 0) || Double.isInfinite(effectSize)) {
            throw new IllegalArgumentException("effect size of " + guardrail.jsonName() + " must be finite and > 0, was "
                    + effectSize);
        }
        if (minSamplesPerArm < 2) {
            throw new IllegalArgumentException("minimum samples per arm of " + guardrail.jsonName()
                    + " must be >= 2, was " + minSamplesPerArm);
        }
    }

    /**
     * @param guardrail what is compared
     * @param margin the non-inferiority margin
     * @return a spec with the default effect size and minimum sample
     */
    public static GuardrailSpec of(Guardrail guardrail, double margin) {
        return new GuardrailSpec(guardrail, margin, DEFAULT_EFFECT_SIZE, DEFAULT_MIN_SAMPLES);
    }

    /**
     * The prediction-drift guardrails: the share of predictions above each of the control's
     * running quartiles, each compared two-sided (rollback when the shares differ) and promoted
     * when equivalent within ± {@code margin}.
     *
     * @param margin the equivalence margin δ &gt; 0, a proportion (0.05: each share within 5 points)
     * @return three specs, {@link Guardrail#PREDICTION_DRIFT}
     */
    public static java.util.List<GuardrailSpec> predictionDrift(double margin) {
        if (!(margin > 0)) {
            throw new IllegalArgumentException("prediction drift margin must be > 0 (an equivalence margin), was "
                    + margin);
        }
        return Guardrail.PREDICTION_DRIFT.stream().map(g -> of(g, margin)).toList();
    }
}
