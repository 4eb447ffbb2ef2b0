package dev.mlops.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * NannyML's rule for when to calibrate ({@code nannyml.calibration.needs_calibration}): never when
 * the reference holds one class or its ROC AUC is above 0.999; otherwise, over 10 stratified
 * shuffle splits (10% test, seed 42) an isotonic regression is fitted on each train part and
 * applied to its test part, and the expected calibration error of all test parts together (10
 * bins of equal row count over the sorted scores) is compared before and after: calibrate when it
 * falls.
 *
 * <p>The splits are drawn as scikit-learn's {@code StratifiedShuffleSplit} draws them (the same
 * class allocation), but from Java's {@link SplittableRandom}, so the rows drawn differ from
 * NumPy's; ties between equal scores are kept in row order (a stable sort) where NumPy's default
 * sort leaves their order unspecified.
 */
final class Calibration {
    static final int BIN_COUNT = 10;
    static final int SPLIT_COUNT = 10;
    static final double TEST_SIZE = 0.1;
    static final long SEED = 42;

    private Calibration() {
    }

    /**
     * @param positive the reference's targets, 1 for the class whose score this is
     * @param score the reference's (uncalibrated) scores
     * @param auc the reference's ROC AUC of these scores (NaN when one class only)
     * @return whether isotonic calibration lowers the expected calibration error
     */
    static boolean needsCalibration(int[] positive, double[] score, double auc) {
        int ones = 0;
        for (int v : positive) {
            ones += v;
        }
        if (ones == 0 || ones == positive.length) {
            return false;
        }
        if (auc > 0.999) {
            return false;
        }
        List<int[]> tests = stratifiedTestSets(positive, SPLIT_COUNT, TEST_SIZE, SEED);
        int total = 0;
        for (int[] t : tests) {
            total += t.length;
        }
        int[] yTest = new int[total];
        double[] before = new double[total];
        double[] after = new double[total];
        int at = 0;
        for (int[] test : tests) {
            boolean[] inTest = new boolean[positive.length];
            for (int i : test) {
                inTest[i] = true;
            }
            double[] trainX = new double[positive.length - test.length];
            double[] trainY = new double[trainX.length];
            int t = 0;
            for (int i = 0; i < positive.length; i++) {
                if (!inTest[i]) {
                    trainX[t] = score[i];
                    trainY[t] = positive[i];
                    t++;
                }
            }
            IsotonicRegression iso = IsotonicRegression.fit(trainX, trainY);
            for (int i : test) {
                yTest[at] = positive[i];
                before[at] = score[i];
                after[at] = iso.predict(score[i]);
                at++;
            }
        }
        int[][] edges = binIndexEdges(total, BIN_COUNT);
        return expectedCalibrationError(yTest, before, edges) > expectedCalibrationError(yTest, after, edges);
    }

    /**
     * NannyML's {@code _get_bin_index_edges}: {@code bins} runs of {@code length / bins} rows, the
     * last one taking the remainder; fewer bins (length / 2) when there are at most two rows a bin.
     */
    static int[][] binIndexEdges(int length, int bins) {
        int count = bins;
        if (length <= 2 * count) {
            count = length / 2;
            if (count < 2) {
                throw new IllegalArgumentException("cannot split " + length
                        + " rows into the minimum of 2 calibration bins; expected at least 4 rows");
            }
        }
        int width = length / count;
        List<int[]> edges = new ArrayList<>();
        List<Integer> points = new ArrayList<>();
        for (int v = 0; v <= length; v += width) {
            points.add(v);
        }
        points.set(points.size() - 1, length);
        for (int i = 0; i + 1 < points.size(); i++) {
            edges.add(new int[] {points.get(i), points.get(i + 1)});
        }
        return edges.toArray(new int[0][]);
    }

    /** Sum over bins (of rows sorted by score) of the bin's share of rows times |mean score - mean target|. */
    static double expectedCalibrationError(int[] positive, double[] score, int[][] edges) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double ece = 0;
        for (int[] e : edges) {
            double sumScore = 0;
            double sumTrue = 0;
            for (int i = e[0]; i < e[1]; i++) {
                sumScore += score[order[i]];
                sumTrue += positive[order[i]];
            }
            int n = e[1] - e[0];
            double weight = (double) n / score.length;
            ece += weight * Math.abs(sumScore / n - sumTrue / n);
        }
        return ece;
    }

    /**
     * The test rows of scikit-learn's {@code StratifiedShuffleSplit(n_splits, test_size)}: per split,
     * ceil(test_size * n) test rows and the rest train, both allocated to classes by
     * {@code _approximate_mode}, each class's rows shuffled.
     */
    static List<int[]> stratifiedTestSets(int[] classOf, int splits, double testSize, long seed) {
        int n = classOf.length;
        int nTest = (int) Math.ceil(testSize * n);
        int nTrain = n - nTest;
        int k = 0;
        for (int c : classOf) {
            k = Math.max(k, c + 1);
        }
        int[] counts = new int[k];
        for (int c : classOf) {
            counts[c]++;
        }
        int[][] byClass = new int[k][];
        int[] fill = new int[k];
        for (int c = 0; c < k; c++) {
            byClass[c] = new int[counts[c]];
        }
        for (int i = 0; i < n; i++) {
            byClass[classOf[i]][fill[classOf[i]]++] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(splits);
        for (int s = 0; s < splits; s++) {
            int[] trainPer = approximateMode(counts, nTrain, random);
            int[] remaining = new int[k];
            for (int c = 0; c < k; c++) {
                remaining[c] = counts[c] - trainPer[c];
            }
            int[] testPer = approximateMode(remaining, nTest, random);
            int[] test = new int[nTest];
            int at = 0;
            for (int c = 0; c < k; c++) {
                int[] perm = byClass[c].clone();
                shuffle(perm, random);
                for (int j = trainPer[c]; j < trainPer[c] + testPer[c]; j++) {
                    test[at++] = perm[j];
                }
            }
            out.add(Arrays.copyOf(test, at));
        }
        return out;
    }

    /** scikit-learn's {@code _approximate_mode}: floor of the proportional share, the rest to the largest remainders (ties at random). */
    static int[] approximateMode(int[] counts, int draws, SplittableRandom random) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        int k = counts.length;
        int[] floored = new int[k];
        double[] remainder = new double[k];
        int sum = 0;
        for (int c = 0; c < k; c++) {
            double continuous = total == 0 ? 0 : (double) counts[c] / total * draws;
            floored[c] = (int) Math.floor(continuous);
            remainder[c] = continuous - floored[c];
            sum += floored[c];
        }
        int need = draws - sum;
        double[] distinct = Arrays.stream(remainder).distinct().sorted().toArray();
        for (int d = distinct.length - 1; d >= 0 && need > 0; d--) {
            List<Integer> idx = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                if (remainder[c] == distinct[d]) {
                    idx.add(c);
                }
            }
            int[] candidates = idx.stream().mapToInt(Integer::intValue).toArray();
            shuffle(candidates, random);
            int add = Math.min(candidates.length, need);
            for (int j = 0; j < add; j++) {
                floored[candidates[j]]++;
            }
            need -= add;
        }
        return floored;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
