package dev.mlops.drift.multivariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.ValidationException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MmdDriftTest {

    private static double[][] column(double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return rows;
    }

    /**
     * Alibi Detect's MMDDrift on reference {0, 1, 2} and current {3, 4}, derived by hand. Reference squared
     * distances: 1, 4, 1 (each twice) and three zeros; Alibi's median position n + (n² - n) / 2 - 1 = 5 of the nine
     * sorted values {0, 0, 0, 1, 1, 1, 1, 4, 4} is 1, so σ = √(1/2) and k(x, y) = exp(-(x - y)²). Unbiased MMD²:
     * K_xx off-diagonal sum 2(e⁻¹ + e⁻⁴ + e⁻¹) / (3·2), K_yy 2e⁻¹ / (2·1), K_xy mean over the squared distances
     * 9, 16, 4, 9, 1, 4.
     */
    @Test
    void smallExampleEqualsAlibisFormulasDerivedByHand() {
        double e1 = Math.exp(-1);
        double e4 = Math.exp(-4);
        double e9 = Math.exp(-9);
        double e16 = Math.exp(-16);
        double expected = 2 * (2 * e1 + e4) / 6 + 2 * e1 / 2 - 2 * (e9 + e16 + e4 + e9 + e1 + e4) / 6;
        MmdResult r = MmdDrift.alibi().seed(1).build().test(column(0, 1, 2), column(3, 4));
        assertThat(r.sigma()).isCloseTo(Math.sqrt(0.5), within(1e-15));
        assertThat(r.mmd2()).isCloseTo(expected, within(1e-14));
        assertThat(r.referenceRows()).isEqualTo(3);
        assertThat(r.currentRows()).isEqualTo(2);
        assertThat(r.columns()).isEqualTo(1);
        assertThat(r.permutations()).isEqualTo(100);
    }

    /**
     * The exact permutation p-value of the small example, by enumerating the 10 ways to pick the 2 "current" rows
     * of 5 (a random permutation picks each equally often): {3, 4} and its mirror {0, 1} give the largest MMD²,
     * so p = 2/10. The seeded Monte-Carlo p-value of 2000 permutations lies within 4 binomial standard deviations.
     */
    @Test
    void permutationPValueAgreesWithTheExactOne() {
        double[] all = {0, 1, 2, 3, 4};
        MmdDrift fixed = MmdDrift.alibi().sigma(Math.sqrt(0.5)).permutations(2000).seed(3).build();
        double observed = fixed.test(column(0, 1, 2), column(3, 4)).mmd2();
        int atLeast = 0;
        int splits = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                double[] x = new double[3];
                int xi = 0;
                for (int i = 0; i < 5; i++) {
                    if (i != a && i != b) {
                        x[xi++] = all[i];
                    }
                }
                double v = MmdDrift.alibi().sigma(Math.sqrt(0.5)).permutations(1).build()
                        .test(column(x), column(all[a], all[b])).mmd2();
                splits++;
                if (observed <= v + 1e-12) {
                    atLeast++;
                }
            }
        }
        double exact = (double) atLeast / splits;
        assertThat(exact).isEqualTo(0.2);
        MmdResult r = fixed.test(column(0, 1, 2), column(3, 4));
        assertThat(r.pValue()).isCloseTo(exact, within(4 * Math.sqrt(0.2 * 0.8 / 2000)));
        assertThat(r.drift()).isFalse();
    }

    /** Evidently's own test vectors for empirical_mmd (tests/stattests/test_stattests.py, tolerance 0.1). */
    @Test
    void evidentlysTestVectors() {
        double[] ones = new double[25];
        double[] zeros = new double[25];
        double[] alternating = new double[25];
        for (int i = 0; i < 25; i++) {
            ones[i] = 1;
            alternating[i] = i % 5 % 2 == 0 ? 1 : 0;
        }
        MmdDrift evidently = MmdDrift.evidently().seed(0).build();
        MmdResult shifted = evidently.test(column(ones), column(zeros));
        assertThat(shifted.pValue()).isCloseTo(0, within(0.1));
        assertThat(shifted.drift()).isTrue();
        assertThat(shifted.sigma()).isEqualTo(Math.sqrt(0.5));
        MmdResult same = evidently.test(column(alternating), column(alternating));
        assertThat(same.pValue()).isCloseTo(0.955, within(0.1));
        assertThat(same.drift()).isFalse();
        assertThat(evidently.test(column(ones), column(ones)).pValue()).isCloseTo(1, within(0.1));
        MmdResult close = evidently.test(column(1.1, 0.2, 2.1, 0, 1), column(1, 0, 2, 0, 1));
        assertThat(close.pValue()).isCloseTo(0.96, within(0.1));
        assertThat(close.drift()).isFalse();
        assertThat(close.pValueThreshold()).isEqualTo(0.1);
    }

    @Test
    void sameSeedSameResultOtherSeedOtherPermutations() {
        Random rnd = new Random(5);
        double[][] x = gaussian(rnd, 60, 3, 0);
        double[][] y = gaussian(rnd, 40, 3, 0.3);
        MmdResult a = MmdDrift.alibi().seed(11).build().test(x, y);
        MmdResult b = MmdDrift.alibi().seed(11).build().test(x, y);
        assertThat(b).isEqualTo(a);
        MmdResult c = MmdDrift.alibi().seed(12).permutations(400).build().test(x, y);
        assertThat(c.mmd2()).isEqualTo(a.mmd2());
        assertThat(c.pValue()).isCloseTo(a.pValue(), within(0.15));
    }

    /** Under no drift the test rejects at about its level: 300 seeded pairs of samples from one distribution. */
    @Test
    void typeOneErrorIsNearAlpha() {
        Random rnd = new Random(20261206);
        int trials = 300;
        int rejected = 0;
        for (int t = 0; t < trials; t++) {
            MmdResult r = MmdDrift.alibi().seed(t).build().test(gaussian(rnd, 40, 2, 0), gaussian(rnd, 40, 2, 0));
            if (r.drift()) {
                rejected++;
            }
        }
        double rate = (double) rejected / trials;
        System.out.println("type I error at alpha 0.05: " + rejected + "/" + trials + " = " + rate);
        // 4 binomial standard deviations around 0.05
        assertThat(rate).isBetween(0.05 - 4 * Math.sqrt(0.05 * 0.95 / trials), 0.05 + 4 * Math.sqrt(0.05 * 0.95 / trials));
    }

    /** Power rises with the shift of the mean, and a one-standard-deviation shift is found nearly always. */
    @Test
    void powerOnShiftedSamples() {
        double[] shifts = {0.25, 0.5, 1.0};
        double[] power = new double[shifts.length];
        int trials = 100;
        for (int s = 0; s < shifts.length; s++) {
            Random rnd = new Random(77 + s);
            int found = 0;
            for (int t = 0; t < trials; t++) {
                if (MmdDrift.alibi().seed(t).build().test(gaussian(rnd, 50, 2, 0), gaussian(rnd, 50, 2, shifts[s])).drift()) {
                    found++;
                }
            }
            power[s] = (double) found / trials;
        }
        System.out.printf("power at shifts 0.25, 0.5, 1.0 (n = m = 50, 2 columns): %.2f %.2f %.2f%n", power[0], power[1], power[2]);
        assertThat(power[0]).isGreaterThan(0.05 + 4 * Math.sqrt(0.05 * 0.95 / trials));
        assertThat(power[1]).isGreaterThan(power[0]);
        assertThat(power[2]).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void badInputIsRefusedWithTheValueNamed() {
        MmdDrift mmd = MmdDrift.alibi().build();
        assertThatThrownBy(() -> mmd.test(new double[][] {{0, 1}, {1, Double.NaN}}, new double[][] {{0, 1}, {1, 1}}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("reference[1][1] is NaN");
        assertThatThrownBy(() -> mmd.test(new double[][] {{0, 1}, {1, 2}}, new double[][] {{0, 1}, {1}}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("current[1] has 1 columns, expected 2");
        assertThatThrownBy(() -> mmd.test(new double[][] {{0}}, new double[][] {{0}, {1}}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("reference sample has 1 rows");
        assertThatThrownBy(() -> mmd.test(new double[][] {{0}, {2}}, new double[0][]))
                .isInstanceOf(ValidationException.class).hasMessageContaining("current sample has 0 rows");
        assertThatThrownBy(() -> mmd.test(new double[][] {{0}, {2}}, new double[][] {{0}, {Double.POSITIVE_INFINITY}}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("current[1][0] is Infinity");
        assertThatThrownBy(() -> MmdDrift.alibi().permutations(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permutations is 0");
        assertThatThrownBy(() -> MmdDrift.alibi().sigma(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigma is -1.0");
        assertThatThrownBy(() -> MmdDrift.alibi().pValueThreshold(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("p-value threshold is 1.0");
    }

    static double[][] gaussian(Random rnd, int rows, int columns, double shift) {
        double[][] x = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                x[i][j] = rnd.nextGaussian() + shift;
            }
        }
        return x;
    }
}
