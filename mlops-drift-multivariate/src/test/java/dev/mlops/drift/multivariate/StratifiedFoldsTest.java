package dev.mlops.drift.multivariate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StratifiedFoldsTest {

    /**
     * scikit-learn's StratifiedKFold(n_splits=3).split on y = [0]*7 + [1]*4, derived from its _make_test_folds:
     * sorted labels dealt round-robin give fold 0 the positions 0, 3, 6, 9 (three 0s, one 1), fold 1 positions 1,
     * 4, 7, 10 (two 0s, two 1s), fold 2 positions 2, 5, 8 (two 0s, one 1); each class's rows then fill the folds
     * in order: the 0s go 0, 0, 0, 1, 1, 2, 2 and the 1s go 0, 1, 1, 2.
     */
    @Test
    void equalsScikitLearnsFoldsWithoutShuffling() {
        int[] y = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
        assertThat(StratifiedFolds.testFolds(y, 3)).containsExactly(0, 0, 0, 1, 1, 2, 2, 0, 1, 1, 2);
    }

    /** Classes are numbered by first appearance, so a chunk (label 1) in the middle of the reference works too. */
    @Test
    void labelsInAnyOrderKeepEachFoldsShare() {
        int[] y = new int[100];
        for (int i = 40; i < 60; i++) {
            y[i] = 1;
        }
        int[] folds = StratifiedFolds.testFolds(y, 5);
        for (int f = 0; f < 5; f++) {
            int ones = 0;
            int all = 0;
            for (int i = 0; i < y.length; i++) {
                if (folds[i] == f) {
                    all++;
                    ones += y[i];
                }
            }
            assertThat(all).isEqualTo(20);
            assertThat(ones).isEqualTo(4);
        }
    }
}
