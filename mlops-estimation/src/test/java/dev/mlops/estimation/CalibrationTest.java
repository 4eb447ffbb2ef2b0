package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void binEdgesAsNannyMl() {
        // NannyML's docstring: get_bin_edge_indexes(20, 4)
        assertThat(Calibration.binIndexEdges(20, 4)).isDeepEqualTo(new int[][] {{0, 5}, {5, 10}, {10, 15}, {15, 20}});
        // 23 rows, 10 bins of 2: numpy's range(0, 24, 2) has 12 points, the last set to 23, so 11 bins
        int[][] edges = Calibration.binIndexEdges(23, 10);
        assertThat(edges.length).isEqualTo(11);
        assertThat(edges[10]).containsExactly(20, 23);
        // at most two rows a bin: length / 2 bins
        assertThat(Calibration.binIndexEdges(8, 10).length).isEqualTo(4);
        assertThatThrownBy(() -> Calibration.binIndexEdges(3, 10)).hasMessageContaining("cannot split 3 rows");
    }

    @Test
    void expectedCalibrationErrorWeighsEachBinsGap() {
        // sorted scores 0.1, 0.2 | 0.8, 0.9 with targets 0, 1 | 1, 1: |0.15 - 0.5| / 2 + |0.85 - 1| / 2
        double ece = Calibration.expectedCalibrationError(new int[] {1, 0, 1, 1}, new double[] {0.8, 0.1, 0.9, 0.2},
                Calibration.binIndexEdges(4, 2));
        assertThat(ece).isCloseTo(0.175 + 0.075, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void stratifiedTestSetsKeepTheClassShares() {
        int[] y = new int[1000];
        for (int i = 0; i < 300; i++) {
            y[i] = 1;
        }
        List<int[]> tests = Calibration.stratifiedTestSets(y, 10, 0.1, 42);
        assertThat(tests).hasSize(10);
        for (int[] t : tests) {
            assertThat(t).hasSize(100).doesNotHaveDuplicates();
            assertThat(java.util.Arrays.stream(t).map(i -> y[i]).sum()).isEqualTo(30);
        }
    }

    @Test
    void miscalibratedScoresNeedCalibrationAndCalibratedOnesAtTheRuleEdgesDoNot() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 5000;
        int[] y = new int[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            double p = random.nextDouble();
            // the true probability is p^3: scores far too high
            y[i] = random.nextDouble() < p * p * p ? 1 : 0;
            score[i] = Math.rint(p * 100) / 100;
        }
        assertThat(Calibration.needsCalibration(y, score, 0.8)).isTrue();
        // NannyML's early exits: one class, or AUC above 0.999
        assertThat(Calibration.needsCalibration(new int[] {1, 1, 1, 1}, new double[] {0.1, 0.2, 0.3, 0.4}, Double.NaN))
                .isFalse();
        assertThat(Calibration.needsCalibration(y, score, 0.9995)).isFalse();
    }

    @Test
    void multiclassRowsAreScaledToSumToOneAndAZeroRowBecomesUniform() {
        // class 0 calibrated to 0 everywhere (a one-point isotonic fit on target 0), the others left as they are
        IsotonicRegression zero = IsotonicRegression.fit(new double[] {0.5}, new double[] {0});
        double[][] uncal = {{0.5, 0.2}, {0.3, 0.0}, {0.2, 0.0}};
        double[][] cal = CbpeEstimator.calibrate(uncal, new IsotonicRegression[] {zero, null, null}, false);
        assertThat(cal[0][0]).isZero();
        assertThat(cal[1][0]).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(cal[2][0]).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
        // the second row sums to zero after calibration: uniform, as NannyML
        assertThat(new double[] {cal[0][1], cal[1][1], cal[2][1]}).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3);
        // the caller's columns are not changed
        assertThat(uncal[1]).containsExactly(0.3, 0.0);
    }
}
