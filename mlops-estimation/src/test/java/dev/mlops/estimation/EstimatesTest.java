package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.mlops.api.quality.ClassificationData;
import dev.mlops.quality.Metrics;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EstimatesTest {

    @Test
    void expectedConfusionMatrixFromCalibratedProbabilities() {
        int[] pred = {1, 1, 0, 0};
        double[] p = {0.9, 0.6, 0.3, 0.2};
        // TP = 0.9 + 0.6, FP = 0.1 + 0.4, FN = 0.3 + 0.2, TN = 0.7 + 0.8
        assertThat(Estimates.tp(pred, p)).isCloseTo(1.5, offset(1e-15));
        assertThat(Estimates.fp(pred, p)).isCloseTo(0.5, offset(1e-15));
        assertThat(Estimates.fn(pred, p)).isCloseTo(0.5, offset(1e-15));
        assertThat(Estimates.tn(pred, p)).isCloseTo(1.5, offset(1e-15));
        assertThat(Estimates.f1(pred, p)).isCloseTo(0.75, offset(1e-15));
        assertThat(Estimates.precision(pred, p)).isCloseTo(0.75, offset(1e-15));
        assertThat(Estimates.recall(pred, p)).isCloseTo(0.75, offset(1e-15));
        assertThat(Estimates.specificity(pred, p)).isCloseTo(0.75, offset(1e-15));
        assertThat(Estimates.accuracy(pred, p)).isCloseTo(0.75, offset(1e-15));
        // no positive prediction and no expected positive: 0, as NannyML
        assertThat(Estimates.precision(new int[] {0, 0}, new double[] {0, 0})).isZero();
    }

    @Test
    void rocAucIsUndefinedWhenNoPositiveIsExpected() {
        assertThat(Estimates.rocAuc(new double[] {0, 0, 0}, new double[] {0.1, 0.5, 0.9})).isNaN();
    }

    /**
     * With certain probabilities (0 or 1, the true labels) and distinct scores, the expected ROC
     * curve is the realized one, so the estimate equals scikit-learn's ROC AUC.
     */
    @Property(tries = 300)
    void certainProbabilitiesGiveTheRealizedRocAuc(@ForAll @Size(min = 2, max = 60) List<Boolean> labels) {
        int n = labels.size();
        int[] y = labels.stream().mapToInt(b -> b ? 1 : 0).toArray();
        int ones = java.util.Arrays.stream(y).sum();
        Assume.that(ones > 0 && ones < n);
        double[] score = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            // distinct scores in a scrambled order
            score[i] = ((i * 7919L) % 1009) / 1009.0;
            p[i] = y[i];
        }
        double realized = Metrics.ROC_AUC.compute(ClassificationData.binary(List.of("0", "1"), y, score));
        assertThat(Estimates.rocAuc(p, score)).isCloseTo(realized, offset(1e-12));
    }

    @Test
    void roundsAsNumpyRoundsToFiveDecimals() {
        assertThat(Estimates.round5(0.123455)).isEqualTo(Math.rint(12345.5) / 1e5);
        assertThat(Estimates.round5(2.0000049)).isEqualTo(2.0);
    }
}
