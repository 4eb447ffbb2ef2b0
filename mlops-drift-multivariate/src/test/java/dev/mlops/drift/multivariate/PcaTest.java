package dev.mlops.drift.multivariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaTest {

    /**
     * Two standardised columns that are one column twice, and an independent one: the covariance has eigenvalues
     * about 2, 1 and 0, so the explained variance ratios are about 2/3, 1/3 and 0. With scikit-learn's rule a share
     * of 0.65 keeps one component (2/3 exceeds it), 0.7 keeps two.
     */
    @Test
    void componentsFollowScikitLearnsRuleOnKnownEigenvalues() {
        Random rnd = new Random(9);
        int n = 20_000;
        double[] x = new double[n * 3];
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian();
            x[i * 3] = a;
            x[i * 3 + 1] = a;
            x[i * 3 + 2] = rnd.nextGaussian();
        }
        Pca one = Pca.fit(x, 3, 0.65, 0);
        double[] ratio = one.explainedVarianceRatio();
        assertThat(ratio[0]).isCloseTo(2.0 / 3, within(0.02));
        assertThat(ratio[1]).isCloseTo(1.0 / 3, within(0.02));
        assertThat(ratio[2]).isCloseTo(0, within(1e-12));
        assertThat(one.components()).isEqualTo(1);
        assertThat(Pca.fit(x, 3, 0.7, 0).components()).isEqualTo(2);
        assertThat(Pca.fit(x, 3, Double.NaN, 3).components()).isEqualTo(3);
        // with two components the data lie in the kept subspace: nothing is lost
        double[] errors = Pca.fit(x, 3, 0.7, 0).reconstructionErrors(x, 0, 100);
        for (double e : errors) {
            assertThat(e).isCloseTo(0, within(1e-9));
        }
        // with one, a row's error is its distance from the line a = b through the mean: here |c - mean(c)|
        double meanC = 0;
        for (int i = 0; i < n; i++) {
            meanC += x[i * 3 + 2] / n;
        }
        double[] oneErrors = one.reconstructionErrors(x, 0, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(oneErrors[i]).isCloseTo(Math.abs(x[i * 3 + 2] - meanC), within(0.05));
        }
    }
}
