package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialComparisonTest {

    private static ArmStats requests(long n, long errors) {
        return new ArmStats(n, errors, 0, 0, 0, 0, 0, 0);
    }

    // hand-computed (Python): 50/1000 vs 80/1000, effect 0.1, margin 0.01, alpha 0.05
    @Test
    void errorRateEvidenceMatchesTheHandComputedValues() {
        GuardrailResult r = SequentialComparison.compare(requests(1000, 50), requests(1000, 80),
                GuardrailSpec.of(Guardrail.ERROR_RATE, 0.01), 0.05);
        assertThat(r.difference()).isCloseTo(0.03, within(1e-12));
        assertThat(r.logRatioWorse()).isCloseTo(2.8566941589086228, within(1e-9));
        assertThat(r.logRatioNotWorse()).isCloseTo(-1.8461697855688386, within(1e-9));
        assertThat(r.logThreshold()).isCloseTo(Math.log(20), within(1e-12));
        assertThat(r.lower()).isCloseTo(-0.0038429010403351824, within(1e-9));
        assertThat(r.upper()).isCloseTo(0.06384290104033519, within(1e-9));
        // 2.857 < log 20 = 2.996: not yet significant
        assertThat(r.verdict()).isEqualTo(GuardrailResult.Verdict.UNDECIDED);
    }

    @Test
    void aLargerRegressionIsWorseAndAGoodCandidateIsNotWorse() {
        GuardrailSpec spec = GuardrailSpec.of(Guardrail.ERROR_RATE, 0.01);
        assertThat(SequentialComparison.compare(requests(3000, 150), requests(3000, 240), spec, 0.05).verdict())
                .isEqualTo(GuardrailResult.Verdict.WORSE);
        assertThat(SequentialComparison.compare(requests(5000, 250), requests(5000, 200), spec, 0.05).verdict())
                .isEqualTo(GuardrailResult.Verdict.NOT_WORSE);
        // a better candidate is never "worse"
        assertThat(SequentialComparison.compare(requests(5000, 250), requests(5000, 100), spec, 0.05).logRatioWorse())
                .isLessThan(0);
    }

    @Test
    void tooFewObservationsOrEventsDecideNothing() {
        GuardrailSpec spec = GuardrailSpec.of(Guardrail.ERROR_RATE, 0.01);
        assertThat(SequentialComparison.compare(requests(99, 0), requests(1000, 900), spec, 0.05).verdict())
                .isEqualTo(GuardrailResult.Verdict.INSUFFICIENT_DATA);
        // 200 per arm at a pooled 2.5%: the smaller arm expects 5 errors, fewer than 10
        assertThat(SequentialComparison.compare(requests(200, 0), requests(200, 10), spec, 0.05).verdict())
                .isEqualTo(GuardrailResult.Verdict.INSUFFICIENT_DATA);
    }

    @Test
    void liveLossUsesWelchsVariance() {
        // control: 100 losses of mean 1, sd 1 (sum 100, sum of squares 100*(1+1)*99/100... built exactly)
        // values 0 and 2 alternating: mean 1, sample variance 100/99
        ArmStats control = new ArmStats(100, 0, 100, 100, 200, 0, 0, 0);
        // values 1 and 3 alternating: mean 2, sample variance 100/99
        ArmStats candidate = new ArmStats(100, 0, 100, 200, 500, 0, 0, 0);
        GuardrailSpec spec = new GuardrailSpec(Guardrail.LIVE_LOSS, 0.1, 0.5, 100);
        GuardrailResult r = SequentialComparison.compare(control, candidate, spec, 0.05);
        double var = 2 * (100.0 / 99) / 100;
        double tau2 = 0.25 * (200.0 / 198);
        assertThat(r.difference()).isCloseTo(1, within(1e-12));
        assertThat(r.logRatioWorse()).isCloseTo(NormalMixture.logRatioGreater(1, 0, var, tau2), within(1e-12));
        assertThat(r.verdict()).isEqualTo(GuardrailResult.Verdict.WORSE);
    }

    @Test
    void alphaIsSplitOverTheGuardrails() {
        List<GuardrailResult> rs = SequentialComparison.compare(requests(1000, 50), requests(1000, 80),
                List.of(GuardrailSpec.of(Guardrail.ERROR_RATE, 0.01), GuardrailSpec.of(Guardrail.LATENCY_P99, 0.01)),
                0.05);
        assertThat(rs).extracting(GuardrailResult::logThreshold).containsOnly(Math.log(40));
        assertThat(rs.get(1).verdict()).isEqualTo(GuardrailResult.Verdict.INSUFFICIENT_DATA);
    }

    @Test
    void inconsistentStatisticsAreRefused() {
        assertThatThrownBy(() -> new ArmStats(10, 11, 0, 0, 0, 0, 0, 0)).hasMessageContaining("errors (11)");
        assertThatThrownBy(() -> new ArmStats(10, 0, 0, 0, 0, 5, 6, 0)).hasMessageContaining("exceed the latencies");
        assertThatThrownBy(() -> new GuardrailSpec(Guardrail.ERROR_RATE, -0.1, 0.1, 100)).hasMessageContaining("margin");
        assertThatThrownBy(() -> SequentialComparison.compare(ArmStats.EMPTY, ArmStats.EMPTY, List.of(), 0.05))
                .hasMessageContaining("at least one guardrail");
    }

    private static ArmStats predictions(long n, long overQ50) {
        return new ArmStats(n, 0, 0, 0, 0, 0, 0, 0, n, n, overQ50, 0, 0, 0, 0, 0);
    }

    // hand-computed (Python): 1000/2000 vs 1100/2000 above the control's median, effect 0.1, alpha 0.05
    @Test
    void predictionDriftIsTwoSidedAgainstTheHandComputedRatio() {
        GuardrailSpec spec = GuardrailSpec.of(Guardrail.PREDICTION_Q50, 0.05);
        GuardrailResult up = SequentialComparison.compare(predictions(2000, 1000), predictions(2000, 1100), spec, 0.05);
        assertThat(up.difference()).isCloseTo(0.05, within(1e-12));
        assertThat(up.logRatioWorse()).isCloseTo(3.357887613630692, within(1e-9));
        assertThat(up.verdict()).isEqualTo(GuardrailResult.Verdict.WORSE);
        // a shift the other way is drift too (a one-sided "larger is worse" test would call it better)
        GuardrailResult down = SequentialComparison.compare(predictions(2000, 1000), predictions(2000, 900), spec, 0.05);
        assertThat(down.logRatioWorse()).isCloseTo(3.357887613630692, within(1e-9));
        assertThat(down.verdict()).isEqualTo(GuardrailResult.Verdict.WORSE);
    }

    // hand-computed (Python): 5000/10000 vs 5100/10000, margin 0.05: both one-sided tests against ±0.05
    @Test
    void predictionDriftPromotesOnlyOnEquivalenceWithinTheMarginOnBothSides() {
        GuardrailSpec spec = GuardrailSpec.of(Guardrail.PREDICTION_Q50, 0.05);
        GuardrailResult r = SequentialComparison.compare(predictions(10_000, 5000), predictions(10_000, 5100), spec, 0.05);
        assertThat(r.logRatioNotWorse()).as("the weaker side, theta < +0.05").isCloseTo(14.416627241471277, within(1e-9));
        assertThat(r.verdict()).isEqualTo(GuardrailResult.Verdict.NOT_WORSE);
        // a candidate far below the control's share is drift, not "not worse"
        GuardrailResult below = SequentialComparison.compare(predictions(10_000, 5000), predictions(10_000, 4000), spec,
                0.05);
        assertThat(below.verdict()).isEqualTo(GuardrailResult.Verdict.WORSE);
        assertThat(below.logRatioNotWorse()).isLessThan(0);
        assertThatThrownBy(() -> GuardrailSpec.predictionDrift(0)).hasMessageContaining("must be > 0");
        assertThat(GuardrailSpec.predictionDrift(0.05)).extracting(GuardrailSpec::guardrail)
                .containsExactly(Guardrail.PREDICTION_Q25, Guardrail.PREDICTION_Q50, Guardrail.PREDICTION_Q75);
    }

    @Test
    void estimatedLossIsComparedAsAMeanOfItsOwnSums() {
        // the same sums as the live-loss test above, in the estimate fields: the same evidence
        ArmStats control = new ArmStats(100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 100, 200);
        ArmStats candidate = new ArmStats(100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200, 500);
        GuardrailResult estimated = SequentialComparison.compare(control, candidate,
                GuardrailSpec.of(Guardrail.ESTIMATED_LOSS, 0.1), 0.05);
        GuardrailResult live = SequentialComparison.compare(new ArmStats(100, 0, 100, 100, 200, 0, 0, 0),
                new ArmStats(100, 0, 100, 200, 500, 0, 0, 0), GuardrailSpec.of(Guardrail.LIVE_LOSS, 0.1), 0.05);
        assertThat(estimated.difference()).isEqualTo(1.0);
        assertThat(estimated.logRatioWorse()).isEqualTo(live.logRatioWorse());
        assertThat(estimated.verdict()).isEqualTo(live.verdict());
        // without estimates, nothing to decide, whatever the live losses say
        assertThat(SequentialComparison.compare(new ArmStats(100, 0, 100, 100, 200, 0, 0, 0),
                new ArmStats(100, 0, 100, 200, 500, 0, 0, 0), GuardrailSpec.of(Guardrail.ESTIMATED_LOSS, 0.1), 0.05)
                .verdict()).isEqualTo(GuardrailResult.Verdict.INSUFFICIENT_DATA);
        assertThatThrownBy(() -> new ArmStats(10, 0, 0, 0, 0, 0, 0, 0, 5, 6, 0, 0, 0, 0, 0, 0))
                .hasMessageContaining("exceed the predictions counted (5)");
    }
}
