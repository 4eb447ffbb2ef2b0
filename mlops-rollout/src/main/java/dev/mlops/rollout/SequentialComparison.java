package dev.mlops.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares a candidate arm with the control on every guardrail with the one-sided mSPRTs of
 * {@link NormalMixture}, at a family-wise level α split evenly over the guardrails (Bonferroni):
 * each guardrail is tested at α/k, so with looks after every request the chance that any
 * guardrail falsely claims "worse" over the whole rollout is at most α.
 *
 * <p>The prediction guardrails ({@link Guardrail#twoSided()}) use the two-sided normal mixture
 * for the rollback ("the shares differ") and, for the promotion, an equivalence test: both
 * one-sided tests against ±margin must reject (intersection-union, so each at the guardrail's α').
 *
 * <p>Variances are plug-in estimates (the asymptotic regime of Johari et al. 2022 and of the
 * asymptotic confidence sequences of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas 2021):
 * <ul>
 *   <li>proportions: the rollback test uses the pooled proportion (the variance under θ = 0),
 *       the non-inferiority test and the confidence sequence the unpooled ones; both add one
 *       success and one failure to each arm (Agresti–Caffo) so that an arm with no error yet
 *       does not claim a variance of 0; and a proportion is tested only once the smaller arm
 *       expects {@value #MIN_EXPECTED_EVENTS} of the rarer outcome;</li>
 *   <li>means (live loss, estimated loss): Welch's unpooled variance {@code s²_A/n_A + s²_B/n_B}.</li>
 * </ul>
 * The mixing variance is τ² = (effect size × pooled standard deviation)². docs/rollouts.md has the
 * formulas and the simulation that checks the level.
 */
public final class SequentialComparison {

    /**
     * The smaller arm must expect at least this many of the rarer outcome (events or non-events,
     * at the pooled rate) before a proportion is tested: below it the normal approximation the
     * mSPRT relies on is poor (the usual np ≥ 10 rule), and the A/A simulation rolled back too
     * often without it.
     */
    public static final double MIN_EXPECTED_EVENTS = 10;

    private SequentialComparison() {
    }

    /**
     * @param control the control arm
     * @param candidate the candidate arm
     * @param specs the guardrails, at least one, each at most once
     * @param alpha the family-wise level, in (0, 1)
     * @return one result per spec, in order
     */
    public static List<GuardrailResult> compare(ArmStats control, ArmStats candidate, List<GuardrailSpec> specs,
                                                double alpha) {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(specs, "specs");
        NormalMixture.checkAlpha(alpha);
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("at least one guardrail is needed");
        }
        double each = alpha / specs.size();
        List<GuardrailResult> results = new ArrayList<>(specs.size());
        for (GuardrailSpec spec : specs) {
            results.add(compare(control, candidate, spec, each));
        }
        return results;
    }

    /**
     * One guardrail at level {@code alpha} (no split).
     *
     * @param control the control arm
     * @param candidate the candidate arm
     * @param spec the guardrail
     * @param alpha its level, in (0, 1)
     * @return the result
     */
    public static GuardrailResult compare(ArmStats control, ArmStats candidate, GuardrailSpec spec, double alpha) {
        NormalMixture.checkAlpha(alpha);
        return switch (spec.guardrail()) {
            case ERROR_RATE -> proportions(spec, control.requests(), control.errors(), candidate.requests(),
                    candidate.errors(), alpha);
            case LATENCY_P50 -> proportions(spec, control.latencies(), control.overP50(), candidate.latencies(),
                    candidate.overP50(), alpha);
            case LATENCY_P99 -> proportions(spec, control.latencies(), control.overP99(), candidate.latencies(),
                    candidate.overP99(), alpha);
            case PREDICTION_Q25 -> proportions(spec, control.predictions(), control.overQ25(),
                    candidate.predictions(), candidate.overQ25(), alpha);
            case PREDICTION_Q50 -> proportions(spec, control.predictions(), control.overQ50(),
                    candidate.predictions(), candidate.overQ50(), alpha);
            case PREDICTION_Q75 -> proportions(spec, control.predictions(), control.overQ75(),
                    candidate.predictions(), candidate.overQ75(), alpha);
            case LIVE_LOSS -> means(spec, control.losses(), control.lossSum(), control.lossSumSquares(),
                    candidate.losses(), candidate.lossSum(), candidate.lossSumSquares(), alpha);
            case ESTIMATED_LOSS -> means(spec, control.estimates(), control.estimateSum(), control.estimateSumSquares(),
                    candidate.estimates(), candidate.estimateSum(), candidate.estimateSumSquares(), alpha);
        };
    }

    static GuardrailResult proportions(GuardrailSpec spec, long nA, long xA, long nB, long xB, double alpha) {
        double pA = nA == 0 ? 0 : (double) xA / nA;
        double pB = nB == 0 ? 0 : (double) xB / nB;
        double diff = pB - pA;
        double logThreshold = Math.log(1 / alpha);
        double rare = Math.min(xA + xB, nA + nB - xA - xB) / (double) Math.max(1, nA + nB);
        if (nA < spec.minSamplesPerArm() || nB < spec.minSamplesPerArm() || Math.min(nA, nB) * rare < MIN_EXPECTED_EVENTS) {
            return new GuardrailResult(spec.guardrail(), nA, nB, pA, pB, diff, Double.NEGATIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, logThreshold, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    GuardrailResult.Verdict.INSUFFICIENT_DATA);
        }
        double pooled = (xA + xB + 1.0) / (nA + nB + 2.0);
        double varPooled = pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB);
        double sA = (xA + 1.0) / (nA + 2.0);
        double sB = (xB + 1.0) / (nB + 2.0);
        double varUnpooled = sA * (1 - sA) / nA + sB * (1 - sB) / nB;
        double sd = spec.effectSize() * Math.sqrt(pooled * (1 - pooled));
        return decide(spec, nA, nB, pA, pB, diff, varPooled, varUnpooled, sd * sd, logThreshold, alpha);
    }

    static GuardrailResult means(GuardrailSpec spec, long nA, double sumA, double sumSquaresA, long nB, double sumB,
                                 double sumSquaresB, double alpha) {
        double mA = nA == 0 ? 0 : sumA / nA;
        double mB = nB == 0 ? 0 : sumB / nB;
        double diff = mB - mA;
        double logThreshold = Math.log(1 / alpha);
        if (nA < spec.minSamplesPerArm() || nB < spec.minSamplesPerArm()) {
            return new GuardrailResult(spec.guardrail(), nA, nB, mA, mB, diff, Double.NEGATIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, logThreshold, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    GuardrailResult.Verdict.INSUFFICIENT_DATA);
        }
        double ssA = Math.max(0, sumSquaresA - nA * mA * mA);
        double ssB = Math.max(0, sumSquaresB - nB * mB * mB);
        double var = ssA / (nA - 1) / nA + ssB / (nB - 1) / nB;
        double pooledSd = Math.sqrt((ssA + ssB) / (nA + nB - 2));
        double tau = spec.effectSize() * pooledSd;
        if (tau == 0) {
            // every loss so far is the same number in both arms: there is nothing to test yet
            return new GuardrailResult(spec.guardrail(), nA, nB, mA, mB, diff, Double.NEGATIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, logThreshold, diff, diff, GuardrailResult.Verdict.UNDECIDED);
        }
        return decide(spec, nA, nB, mA, mB, diff, var, var, tau * tau, logThreshold, alpha);
    }

    private static GuardrailResult decide(GuardrailSpec spec, long nA, long nB, double a, double b, double diff,
                                          double varNull, double varAlternative, double tau2, double logThreshold,
                                          double alpha) {
        double worse;
        double notWorse;
        if (spec.guardrail().twoSided()) {
            // drift either way: the two-sided mixture against θ = 0 (its α is the guardrail's share)
            worse = NormalMixture.logRatioTwoSided(diff, 0, varNull, tau2);
            // equivalence |θ| < δ: both one-sided tests (θ < δ and θ > −δ) must reject at α', an
            // intersection-union test, so the weaker of the two is the evidence
            notWorse = Math.min(NormalMixture.logRatioGreater(-diff, -spec.margin(), varAlternative, tau2),
                    NormalMixture.logRatioGreater(diff, -spec.margin(), varAlternative, tau2));
        } else {
            worse = NormalMixture.logRatioGreater(diff, 0, varNull, tau2);
            // "not worse than δ": the evidence that θ < δ, the same test mirrored
            notWorse = NormalMixture.logRatioGreater(-diff, -spec.margin(), varAlternative, tau2);
        }
        double h = NormalMixture.halfWidth(varAlternative, tau2, alpha);
        GuardrailResult.Verdict verdict = worse >= logThreshold ? GuardrailResult.Verdict.WORSE
                : notWorse >= logThreshold ? GuardrailResult.Verdict.NOT_WORSE : GuardrailResult.Verdict.UNDECIDED;
        return new GuardrailResult(spec.guardrail(), nA, nB, a, b, diff, worse, notWorse, logThreshold, diff - h,
                diff + h, verdict);
    }
}
