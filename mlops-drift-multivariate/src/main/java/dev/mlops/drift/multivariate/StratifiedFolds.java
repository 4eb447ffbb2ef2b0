package dev.mlops.drift.multivariate;

/**
 * scikit-learn's {@code StratifiedKFold(n_splits, shuffle=False)}: classes are numbered in the order
 * they first appear; the class labels sorted are dealt round-robin to the folds to count how many
 * rows of each class each fold tests; then each class's rows, in their order, fill fold 0, fold 1,
 * ... with those counts. No randomness.
 */
final class StratifiedFolds {
    private StratifiedFolds() {
    }

    /**
     * @param labels 0 or 1 per row
     * @param folds the number of folds
     * @return the test fold of each row
     */
    static int[] testFolds(int[] labels, int folds) {
        int first = labels[0];
        int[] encoded = new int[labels.length];
        int[] counts = new int[2];
        for (int i = 0; i < labels.length; i++) {
            encoded[i] = labels[i] == first ? 0 : 1;
            counts[encoded[i]]++;
        }
        // allocation[f][k]: rows of class k in fold f, from the sorted labels taken at f, f + folds, ...
        int[][] allocation = new int[folds][2];
        for (int p = 0; p < labels.length; p++) {
            allocation[p % folds][p < counts[0] ? 0 : 1]++;
        }
        int[] fold = new int[labels.length];
        int[] nextFold = new int[2];
        int[] usedInFold = new int[2];
        for (int i = 0; i < labels.length; i++) {
            int k = encoded[i];
            while (usedInFold[k] == allocation[nextFold[k]][k]) {
                nextFold[k]++;
                usedInFold[k] = 0;
            }
            fold[i] = nextFold[k];
            usedInFold[k]++;
        }
        return fold;
    }
}
