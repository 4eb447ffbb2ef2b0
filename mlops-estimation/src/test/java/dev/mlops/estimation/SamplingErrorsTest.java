package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** NannyML's sampling-error formulas on small references worked by hand. */
class SamplingErrorsTest {

    @Test
    void aurocCountsTheNegativesBelowEachPositive() {
        // sorted by score: 0.1(-) 0.2(-) 0.3(+) 0.8(-) 0.9(+): positives at ranks 2 and 4 have 2 and 3
        // negatives below them, over 3 negatives: {2/3, 1}, population std 1/6; 2 positives of 5
        SamplingErrors.Components c = SamplingErrors.auroc(new int[] {1, 0, 1, 0, 0},
                new double[] {0.9, 0.8, 0.3, 0.2, 0.1}, false);
        assertThat(c.std()).isCloseTo(1.0 / 6, offset(1e-15));
        assertThat(c.fraction()).isCloseTo(0.4, offset(1e-15));
        // a chunk of 10 rows: (1/6) / sqrt(10 * 0.4)
        assertThat(SamplingErrors.universal(c, 10)).isCloseTo(1.0 / 12, offset(1e-15));
        // the multiclass form keeps the variance
        assertThat(SamplingErrors.auroc(new int[] {1, 0, 1, 0, 0}, new double[] {0.9, 0.8, 0.3, 0.2, 0.1}, true).std())
                .isCloseTo(1.0 / 36, offset(1e-15));
    }

    @Test
    void aurocTakesTheMinorityClassAsPositive() {
        // three positives of five: labels and scores flipped, which gives the example above
        SamplingErrors.Components c = SamplingErrors.auroc(new int[] {0, 1, 0, 1, 1},
                new double[] {0.1, 0.2, 0.7, 0.8, 0.9}, false);
        assertThat(c.std()).isCloseTo(1.0 / 6, offset(1e-15));
        assertThat(c.fraction()).isCloseTo(0.4, offset(1e-15));
    }

    @Test
    void f1PrecisionRecallSpecificityAccuracy() {
        // tn = 4, fp = 1, fn = 2, tp = 3 over 10 rows
        int[] actual = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        int[] predicted = {0, 0, 0, 0, 1, 0, 0, 1, 1, 1};
        long[] c = SamplingErrors.counts(actual, predicted);
        assertThat(c).containsExactly(4, 1, 2, 3);
        // F1: 3 ones and 3 zeros (std 0.5), times 6 / (0.5 * 3 + 3); 6 of 10 rows take part
        SamplingErrors.Components f1 = SamplingErrors.f1(c, 10, false);
        assertThat(f1.std()).isCloseTo(0.5 * 6 / 4.5, offset(1e-15));
        assertThat(f1.fraction()).isCloseTo(0.6, offset(1e-15));
        SamplingErrors.Components precision = SamplingErrors.precision(c, 10, false);
        assertThat(precision.std()).isCloseTo(Math.sqrt(0.75 * 0.25), offset(1e-15));
        assertThat(precision.fraction()).isCloseTo(0.4, offset(1e-15));
        SamplingErrors.Components recall = SamplingErrors.recall(c, 10, false);
        assertThat(recall.std()).isCloseTo(Math.sqrt(0.6 * 0.4), offset(1e-15));
        assertThat(recall.fraction()).isCloseTo(0.5, offset(1e-15));
        SamplingErrors.Components spec = SamplingErrors.specificity(c, 10, false);
        assertThat(spec.std()).isCloseTo(Math.sqrt(0.8 * 0.2), offset(1e-15));
        assertThat(spec.fraction()).isCloseTo(0.5, offset(1e-15));
        // accuracy: 7 of 10 right
        assertThat(SamplingErrors.accuracyStd(actual, predicted)).isCloseTo(Math.sqrt(0.21), offset(1e-15));
        // multiclass F1 keeps the variance and no correcting factor
        assertThat(SamplingErrors.f1(c, 10, true).std()).isCloseTo(0.25, offset(1e-15));
    }

    @Test
    void multiclassCombinesTheClassVariances() {
        SamplingErrors.Components[] per = {
            new SamplingErrors.Components(0.25, 0.5), new SamplingErrors.Components(0.16, 0.4),
            new SamplingErrors.Components(0.09, 0.1)};
        // sqrt(0.25/50 + 0.16/40 + 0.09/10) / 3
        assertThat(SamplingErrors.multiclass(per, 100)).isCloseTo(Math.sqrt(0.005 + 0.004 + 0.009) / 3, offset(1e-15));
    }

    @Test
    void errorsShrinkWithTheSquareRootOfTheChunkSize() {
        SamplingErrors.Components c = new SamplingErrors.Components(0.3, 0.5);
        assertThat(SamplingErrors.universal(c, 400) / SamplingErrors.universal(c, 100)).isCloseTo(0.5, offset(1e-15));
    }

    @Test
    void confusionCellsAndBusinessValue() {
        long[] ref = {4, 1, 2, 3};
        // true positives over all 10 rows: 3 ones, std sqrt(0.3 * 0.7); normalized by the true class: 3 of 5
        assertThat(ConfusionColumns.component(ref, 3, ConfusionNormalization.NONE, 10))
                .containsExactly(Math.sqrt(0.3 * 0.7), 1.0);
        double[] byTrue = ConfusionColumns.component(ref, 3, ConfusionNormalization.TRUE, 10);
        assertThat(byTrue[0]).isCloseTo(Math.sqrt(0.6 * 0.4), offset(1e-15));
        assertThat(byTrue[1]).isCloseTo(0.5, offset(1e-15));
        double[] byPredicted = ConfusionColumns.component(ref, 1, ConfusionNormalization.PREDICTED, 10);
        assertThat(byPredicted[0]).isCloseTo(Math.sqrt(0.25 * 0.75), offset(1e-15));
        assertThat(byPredicted[1]).isCloseTo(0.4, offset(1e-15));
        double[][] value = {{0, -5}, {-10, 20}};
        assertThat(ConfusionColumns.value(new double[] {4, 1, 2, 3}, value, false)).isEqualTo(-5 - 20 + 60);
        // per prediction: predicted 0 holds tn 4, fn 2; predicted 1 holds fp 1, tp 3
        assertThat(ConfusionColumns.value(new double[] {4, 1, 2, 3}, value, true))
                .isCloseTo(-10 * 2 / 6.0 - 5 * 0.25 + 20 * 0.75, offset(1e-12));
    }

    @Test
    void thresholdsAreTheMeanPlusMinusThreeStdClippedToTheRange() {
        Thresholds t = Thresholds.of(new double[] {0.90, 0.92, 0.94, Double.NaN}, 3, 3, 0, 1);
        double std = Math.sqrt(2 * 0.0004 / 3);
        assertThat(t.lower().getAsDouble()).isCloseTo(0.92 - 3 * std, offset(1e-12));
        assertThat(t.upper().getAsDouble()).isCloseTo(0.92 + 3 * std, offset(1e-12));
        assertThat(t.alert(0.85)).isTrue();
        assertThat(t.alert(0.92)).isFalse();
        Thresholds clipped = Thresholds.of(new double[] {0.99, 1.0, 0.98}, 3, 3, 0, 1);
        assertThat(clipped.upper()).hasValue(1.0);
        Thresholds unbounded = Thresholds.of(new double[] {5, 7}, 3, 3, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY);
        assertThat(unbounded.lower()).hasValue(3.0);
        assertThat(unbounded.upper()).hasValue(9.0);
        assertThat(Thresholds.of(new double[] {Double.NaN}, 3, 3, 0, 1).lower()).isEmpty();
    }
}
