package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The closed forms of docs/rollouts.md against values computed by hand (Python, math.erf). */
class NormalMixtureTest {

    private static final double EXPECTED_OTHER_SIDE = -2.5732832163775523;

    // d = 0.02, V = 1e-4, tau^2 = 4e-4: sqrt(V/(V+tau^2)) = sqrt(0.2), exponent tau^2 d^2 / (2V(V+tau^2)) = 1.6
    @Test
    void twoSidedRatioMatchesTheHandComputedValue() {
        assertThat(NormalMixture.logRatioTwoSided(0.02, 0, 1e-4, 4e-4)).isCloseTo(0.5 * Math.log(0.2) + 1.6, within(1e-12));
        assertThat(NormalMixture.logRatioTwoSided(0.02, 0, 1e-4, 4e-4)).isCloseTo(0.79528104378295, within(1e-12));
        // symmetric in d - theta0
        assertThat(NormalMixture.logRatioTwoSided(-0.01, 0.01, 1e-4, 4e-4))
                .isCloseTo(NormalMixture.logRatioTwoSided(0.03, 0.01, 1e-4, 4e-4), within(1e-12));
    }

    @Test
    void oneSidedRatioMatchesTheHandComputedValue() {
        // z = 1.78885..., log 2 + 0.5 log 0.2 + 1.6 + log Phi(z)
        assertThat(NormalMixture.logRatioGreater(0.02, 0, 1e-4, 4e-4)).isCloseTo(1.4509141535841024, within(1e-9));
        // at d = theta0 the half-normal mixture is 2 sqrt(V/(V+tau^2)) Phi(0) = sqrt(0.2)
        assertThat(NormalMixture.logRatioGreater(0.01, 0.01, 1e-4, 4e-4)).isCloseTo(0.5 * Math.log(0.2), within(1e-12));
        // evidence the other way is no evidence for "greater": z = -4.472, Lambda far below 1
        assertThat(NormalMixture.logRatioGreater(-0.05, 0, 1e-4, 4e-4)).isCloseTo(EXPECTED_OTHER_SIDE, within(1e-6));
    }

    @Test
    void theOneSidedRatioIsAboveTheTwoSidedOneOnItsSide() {
        for (double d = 0.001; d < 0.1; d += 0.001) {
            assertThat(NormalMixture.logRatioGreater(d, 0, 1e-4, 4e-4))
                    .isGreaterThan(NormalMixture.logRatioTwoSided(d, 0, 1e-4, 4e-4));
        }
    }

    @Test
    void halfWidthIsTheBoundaryOfTheTwoSidedTest() {
        double h = NormalMixture.halfWidth(1e-4, 4e-4, 0.05);
        assertThat(h).isCloseTo(0.03082389993889093, within(1e-12));
        // at theta0 = d +- h the two-sided test sits exactly at log(1/alpha)
        assertThat(NormalMixture.logRatioTwoSided(0.02, 0.02 + h, 1e-4, 4e-4)).isCloseTo(Math.log(20), within(1e-9));
        assertThat(NormalMixture.logRatioTwoSided(0.02, 0.02 - h, 1e-4, 4e-4)).isCloseTo(Math.log(20), within(1e-9));
    }

    @Test
    void noVarianceIsNoEvidence() {
        assertThat(NormalMixture.logRatioTwoSided(0, 0, 0, 1)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(NormalMixture.logRatioGreater(0, 0, 0, 1)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(NormalMixture.halfWidth(0, 1, 0.05)).isZero();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> NormalMixture.logRatioTwoSided(0, 0, -1, 1)).hasMessageContaining("variance")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> NormalMixture.logRatioGreater(0, 0, 1, 0)).hasMessageContaining("tau^2");
        assertThatThrownBy(() -> NormalMixture.halfWidth(1, 1, 1.5)).hasMessageContaining("alpha")
                .hasMessageContaining("1.5");
    }
}
