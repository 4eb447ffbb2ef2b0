package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.estimation.ExpectedLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CBPE's per-row expected loss for a guarded rollout: its mean over a chunk is 1 − CBPE's
 * estimated accuracy of that chunk (the same calibration, row by row), and, the calibration
 * holding, close to the realized error rate.
 */
class ExpectedLossTest {

    @Test
    void itsMeanIsOneMinusTheEstimatedAccuracyAndTracksTheRealizedErrorRate() {
        int chunk = 4000;
        FittedCbpe cbpe = CbpeMonitorTest.fitGenerated(chunk);
        CbpeMonitorTest.Generated ana = CbpeMonitorTest.Generated.of(chunk, -0.8, 2);
        EstimationResult batch = cbpe.estimate(ModelOutputs.binary(ana.proba(), ana.predicted())
                .withTargets(ana.targets()));
        ChunkEstimate accuracy = batch.metric("accuracy").get(0);
        ExpectedLoss<Integer> loss = cbpe.binaryExpectedLoss(i -> ana.proba()[i], i -> ana.predicted()[i]);
        double sum = 0;
        for (int i = 0; i < chunk; i++) {
            double l = loss.expectedLoss(i);
            assertThat(l).isBetween(0.0, 1.0);
            sum += l;
        }
        assertThat(sum / chunk).isCloseTo(1 - accuracy.value(), within(1e-9));
        assertThat(sum / chunk).isCloseTo(1 - accuracy.realized().orElseThrow(), within(0.02));
    }

    @Test
    void badOutputsAndTheWrongKindOfClassifierAreRefusedNamingTheValue() {
        FittedCbpe cbpe = CbpeMonitorTest.fitGenerated(4000);
        ExpectedLoss<double[]> loss = cbpe.binaryExpectedLoss(o -> o[0], o -> (int) o[1]);
        assertThatThrownBy(() -> loss.expectedLoss(new double[] {1.5, 1})).hasMessageContaining("was 1.5");
        assertThatThrownBy(() -> loss.expectedLoss(new double[] {0.5, 2})).hasMessageContaining("0 or 1, was 2");
        assertThatThrownBy(() -> cbpe.multiclassExpectedLoss((o, p) -> 0)).hasMessageContaining("binary");
        assertThat(List.of(loss.expectedLoss(new double[] {0.999, 1}), loss.expectedLoss(new double[] {0.999, 0})))
                .as("a confident right call costs little, the same score called wrong costs much")
                .allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        assertThat(loss.expectedLoss(new double[] {0.999, 1})).isLessThan(loss.expectedLoss(new double[] {0.999, 0}));
    }
}
