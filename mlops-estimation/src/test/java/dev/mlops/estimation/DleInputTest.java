package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DLE's bad input is refused naming the value and what was expected. */
class DleInputTest {

    /** A small reference: y = 2x + noise, predicted 2x; categorical c in {a, b}. */
    static RegressionOutputs small(int n, long seed, boolean targets) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] p = new double[n];
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble();
            c[i] = r.nextBoolean() ? "a" : "b";
            p[i] = 2 * x[i] + 1;
            y[i] = p[i] + r.nextGaussian() * (c[i].equals("a") ? 0.1 : 0.3);
        }
        RegressionOutputs out = RegressionOutputs.of(p).withNumericFeature("x", x)
                .withCategoricalFeature("c", Arrays.asList(c));
        return targets ? out.withTargets(y) : out;
    }

    static FittedDle fitted() {
        return Dle.builder().metrics(DleMetric.MAE, DleMetric.RMSLE).chunking(Chunking.bySize(100))
                .fit(small(600, 1, true));
    }

    @Test
    void predictionsAndTargetsMustBeFiniteNumbers() {
        assertThatThrownBy(() -> RegressionOutputs.of(new double[] {1, Double.POSITIVE_INFINITY}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("predicted[1] is Infinity, expected a finite number");
        assertThatThrownBy(() -> RegressionOutputs.of(new double[] {1, 2, 3}).withTargets(new double[] {1, 2, Double.NaN}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("targets[2] is NaN, expected a finite number");
        assertThatThrownBy(() -> RegressionOutputs.of(new double[] {1, 2}).withNumericFeature("age",
                new double[] {1, Double.NEGATIVE_INFINITY})).isInstanceOf(ValidationException.class)
                .hasMessage("numeric feature 'age'[1] is -Infinity, expected a finite number (or NaN for a missing value)");
    }

    @Test
    void everyColumnHasOneValuePerRow() {
        RegressionOutputs three = RegressionOutputs.of(new double[] {1, 2, 3});
        assertThatThrownBy(() -> three.withTargets(new double[] {1, 2}))
                .isInstanceOf(ValidationException.class).hasMessage("targets has 2 rows, expected 3 (one per prediction)");
        assertThatThrownBy(() -> three.withNumericFeature("age", new double[] {1, 2, 3, 4}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("numeric feature 'age' has 4 rows, expected 3 (one per prediction)");
        assertThatThrownBy(() -> three.withCategoricalFeature("fuel", List.of("gas")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("categorical feature 'fuel' has 1 rows, expected 3 (one per prediction)");
        assertThatThrownBy(() -> three.withTimestamps(List.of(Instant.EPOCH)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("timestamps has 1 rows, expected 3");
        assertThatThrownBy(() -> three.withTimestamps(Arrays.asList(Instant.EPOCH, null, Instant.EPOCH)))
                .isInstanceOf(ValidationException.class).hasMessage("timestamps[1] is null, expected a time");
    }

    @Test
    void featureNamesAreGivenOnceAndNotBlank() {
        RegressionOutputs one = RegressionOutputs.of(new double[] {1}).withNumericFeature("age", new double[] {3});
        assertThatThrownBy(() -> one.withCategoricalFeature("age", List.of("x")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("feature 'age' is given twice, expected each feature once (have [age])");
        assertThatThrownBy(() -> one.withNumericFeature(" ", new double[] {1}))
                .isInstanceOf(ValidationException.class).hasMessage("a feature name is blank, expected a name");
    }

    @Test
    void theReferenceNeedsRowsAndTargets() {
        assertThatThrownBy(() -> Dle.builder().fit(small(50, 1, false)))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("the reference data has no targets");
        assertThatThrownBy(() -> Dle.builder().fit(RegressionOutputs.of(new double[0]).withTargets(new double[0])))
                .isInstanceOf(ValidationException.class)
                .hasMessage("the reference data has no rows; expected rows with targets");
    }

    @Test
    void theAnalysisDataNeedsRowsAndTheReferencesFeatures() {
        FittedDle dle = fitted();
        assertThatThrownBy(() -> dle.estimate(RegressionOutputs.of(new double[0]).withNumericFeature("x", new double[0])
                .withCategoricalFeature("c", List.of())))
                .isInstanceOf(ValidationException.class).hasMessage("the analysis data has no rows; expected at least one");
        RegressionOutputs analysis = small(200, 2, false);
        assertThatThrownBy(() -> dle.estimate(analysis.withNumericFeature("colour", new double[200])))
                .isInstanceOf(ValidationException.class)
                .hasMessage("the analysis data has unknown feature 'colour'; expected the reference's features:"
                        + " numeric [x], categorical [c]");
        double[] p = new double[200];
        Arrays.fill(p, 1);
        assertThatThrownBy(() -> dle.estimate(RegressionOutputs.of(p).withNumericFeature("x", new double[200])))
                .isInstanceOf(ValidationException.class)
                .hasMessage("the analysis data lacks feature(s) [c]; expected the reference's features: numeric [x],"
                        + " categorical [c]");
        assertThatThrownBy(() -> dle.estimate(RegressionOutputs.of(p).withCategoricalFeature("x", Arrays.asList(new String[200]))
                .withCategoricalFeature("c", Arrays.asList(new String[200]))))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("the analysis data has categorical feature 'x', which is numeric in the reference");
        assertThatThrownBy(() -> dle.estimate(analysis.withTimestamps(List.of()))).isInstanceOf(ValidationException.class);
    }

    @Test
    void logMetricsRefuseNegativeValues() {
        RegressionOutputs negative = RegressionOutputs.of(new double[] {1, -2, 3}).withTargets(new double[] {1, 2, 3});
        assertThatThrownBy(() -> Dle.builder().metrics(DleMetric.MSLE).fit(negative))
                .isInstanceOf(ValidationException.class)
                .hasMessage("the reference data's predicted[1] is -2.0, expected a value >= 0: msle takes the logarithm"
                        + " of 1 + value");
        double[] p = small(200, 2, false).predictedArray().clone();
        p[7] = -0.5;
        RegressionOutputs analysis = RegressionOutputs.of(p).withNumericFeature("x", new double[200])
                .withCategoricalFeature("c", Arrays.asList(new String[200]));
        assertThatThrownBy(() -> fitted().estimate(analysis)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("the analysis data's predicted[7] is -0.5, expected a value >= 0: rmsle");
        // MAE has no logarithm: negative values are fine
        assertThat(Dle.builder().metrics(DleMetric.MAE).chunking(Chunking.bySize(1)).fit(negative)
                .reference().metric("mae")).hasSize(3);
    }

    @Test
    void builderSettingsAreCheckedAtTheCall() {
        assertThatThrownBy(() -> Dle.builder().metrics()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no metric given; expected at least one of [MAE, MAPE, MSE, RMSE, MSLE, RMSLE]");
        assertThatThrownBy(() -> Dle.builder().threads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads is 0, expected at least 1");
        assertThatThrownBy(() -> Dle.builder().thresholdMultipliers(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold multipliers are -1.0 and 3.0, expected finite numbers >= 0");
    }
}
