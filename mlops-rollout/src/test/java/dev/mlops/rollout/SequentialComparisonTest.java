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
}
