package dev.mlops.estimation;

import java.util.Arrays;

/**
 * Increasing isotonic regression, as scikit-learn's {@code IsotonicRegression(increasing=True,
 * out_of_bounds="clip")}, which NannyML's isotonic calibrator uses: rows sorted by x, targets of
 * equal x averaged (weighted by their count), pool-adjacent-violators over those unique x, and
 * prediction by linear interpolation between the fitted points, clipped to the fitted x range.
 */
final class IsotonicRegression {
    private final double[] x;
    private final double[] y;

    private IsotonicRegression(double[] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    /**
     * @param x scores (finite)
     * @param y targets (finite), one per score
     * @return the fitted regression
     */
    static IsotonicRegression fit(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("isotonic regression: " + x.length + " scores but " + y.length + " targets");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("isotonic regression needs at least one point, got none");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("isotonic regression: point " + i + " is (" + x[i] + ", " + y[i]
                        + "), expected finite numbers");
            }
        }
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        // unique x, each with the weighted mean of its targets (scikit-learn's _make_unique)
        double[] ux = new double[n];
        double[] uy = new double[n];
        double[] uw = new double[n];
        int m = 0;
        int i = 0;
        while (i < n) {
            double xv = x[order[i]];
            double sum = 0;
            int count = 0;
            while (i < n && x[order[i]] == xv) {
                sum += y[order[i]];
                count++;
                i++;
            }
            ux[m] = xv;
            uy[m] = sum / count;
            uw[m] = count;
            m++;
        }
        double[] fitted = pava(Arrays.copyOf(uy, m), Arrays.copyOf(uw, m));
        return new IsotonicRegression(Arrays.copyOf(ux, m), fitted);
    }

    /**
     * Pool adjacent violators: the non-decreasing sequence closest to {@code values} in weighted
     * least squares. Each block holds the weighted mean of the values it pools.
     */
    static double[] pava(double[] values, double[] weights) {
        int n = values.length;
        double[] blockMean = new double[n];
        double[] blockWeight = new double[n];
        int[] blockEnd = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            blockMean[blocks] = values[i];
            blockWeight[blocks] = weights[i];
            blockEnd[blocks] = i;
            blocks++;
            while (blocks > 1 && blockMean[blocks - 2] > blockMean[blocks - 1]) {
                double w = blockWeight[blocks - 2] + blockWeight[blocks - 1];
                blockMean[blocks - 2] = (blockMean[blocks - 2] * blockWeight[blocks - 2]
                        + blockMean[blocks - 1] * blockWeight[blocks - 1]) / w;
                blockWeight[blocks - 2] = w;
                blockEnd[blocks - 2] = blockEnd[blocks - 1];
                blocks--;
            }
        }
        double[] out = new double[n];
        int start = 0;
        for (int b = 0; b < blocks; b++) {
            Arrays.fill(out, start, blockEnd[b] + 1, blockMean[b]);
            start = blockEnd[b] + 1;
        }
        return out;
    }

    /** @return the calibrated value of a score: linear between fitted points, clipped outside them */
    double predict(double t) {
        if (t <= x[0]) {
            return y[0];
        }
        int last = x.length - 1;
        if (t >= x[last]) {
            return y[last];
        }
        int pos = Arrays.binarySearch(x, t);
        if (pos >= 0) {
            return y[pos];
        }
        int hi = -pos - 1;
        int lo = hi - 1;
        double f = (t - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + f * (y[hi] - y[lo]);
    }

    double[] predict(double[] t) {
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = predict(t[i]);
        }
        return out;
    }
}
