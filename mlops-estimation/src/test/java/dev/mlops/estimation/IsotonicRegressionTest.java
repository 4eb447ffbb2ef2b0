package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IsotonicRegressionTest {

    @Test
    void poolsAdjacentViolatorsAsWorkedByHand() {
        // 3 > 2 pool to 2.5; 4 > 3.5 pool to 3.75
        IsotonicRegression iso = IsotonicRegression.fit(new double[] {1, 2, 3, 4, 5}, new double[] {1, 3, 2, 4, 3.5});
        assertThat(iso.predict(new double[] {1, 2, 3, 4, 5})).containsExactly(1, 2.5, 2.5, 3.75, 3.75);
        // linear between fitted points, clipped outside them (out_of_bounds="clip")
        assertThat(iso.predict(3.5)).isCloseTo(3.125, offset(1e-15));
        assertThat(iso.predict(0)).isEqualTo(1);
        assertThat(iso.predict(10)).isEqualTo(3.75);
    }

    @Test
    void equalScoresShareTheMeanOfTheirTargetsWeightedByCount() {
        // x = 1 twice (targets 0, 1: mean 0.5, weight 2) then x = 2 (target 0): pooled (0.5*2 + 0) / 3
        IsotonicRegression iso = IsotonicRegression.fit(new double[] {1, 2, 1}, new double[] {0, 0, 1});
        assertThat(iso.predict(1)).isCloseTo(1.0 / 3, offset(1e-15));
        assertThat(iso.predict(2)).isCloseTo(1.0 / 3, offset(1e-15));
    }

    @Test
    void aSingleDistinctScoreGivesTheMeanEverywhere() {
        IsotonicRegression iso = IsotonicRegression.fit(new double[] {0.3, 0.3, 0.3, 0.3}, new double[] {1, 0, 0, 0});
        assertThat(iso.predict(0.0)).isEqualTo(0.25);
        assertThat(iso.predict(0.9)).isEqualTo(0.25);
    }

    @Test
    void refusesMismatchedOrEmptyInput() {
        assertThatThrownBy(() -> IsotonicRegression.fit(new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("2 scores but 1 targets");
        assertThatThrownBy(() -> IsotonicRegression.fit(new double[0], new double[0]))
                .hasMessageContaining("at least one point");
        assertThatThrownBy(() -> IsotonicRegression.fit(new double[] {0.1, Double.NaN}, new double[] {0, 1}))
                .hasMessage("isotonic regression: point 1 is (NaN, 1.0), expected finite numbers");
    }

    @Property(tries = 200)
    void fittedValuesAreMonotoneAndKeepTheMean(@ForAll @Size(min = 1, max = 60) double[] seeds,
                                                @ForAll @DoubleRange(min = -5, max = 5) double slope) {
        int n = seeds.length;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            // a few repeated x values on purpose (rounded), targets a noisy trend
            double seed = Double.isFinite(seeds[i]) ? seeds[i] : 0;
            x[i] = Math.rint(Math.abs(seed % 10));
            y[i] = slope * x[i] + Math.sin(seed);
        }
        IsotonicRegression iso = IsotonicRegression.fit(x, y);
        double[] fitted = iso.predict(x);
        double meanY = 0;
        double meanFit = 0;
        for (int i = 0; i < n; i++) {
            meanY += y[i] / n;
            meanFit += fitted[i] / n;
            for (int j = 0; j < n; j++) {
                if (x[i] <= x[j]) {
                    assertThat(fitted[i]).isLessThanOrEqualTo(fitted[j] + 1e-9);
                }
            }
        }
        assertThat(meanFit).isCloseTo(meanY, offset(1e-9 * (1 + Math.abs(meanY))));
    }

    @Property(tries = 200)
    void poolAdjacentViolatorsIsIdempotentOnSortedInput(@ForAll @Size(min = 1, max = 40) double[] raw) {
        double[] v = java.util.Arrays.stream(raw).map(d -> Double.isFinite(d) ? d % 1000 : 0).sorted().toArray();
        double[] w = new double[v.length];
        java.util.Arrays.fill(w, 1);
        assertThat(IsotonicRegression.pava(v, w)).containsExactly(v);
    }
}
