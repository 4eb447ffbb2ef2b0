package dev.mlops.drift;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The Epps–Singleton two-sample test on the empirical characteristic function, ported from
 * scipy 1.17 ({@code scipy/stats/_morestats.py}: {@code epps_singleton_2samp} with the default
 * t = (0.4, 0.8)). scipy is BSD-3-Clause licensed.
 *
 * <p>The points t are divided by the semi-interquartile range σ of the pooled sample (numpy's
 * linear percentiles); each value x gives g(x) = (cos(t₁x/σ), cos(t₂x/σ), sin(t₁x/σ), sin(t₂x/σ)).
 * With the biased covariances C_x, C_y of g over each sample, Σ = (N/n_x)·C_x + (N/n_y)·C_y and
 * d the difference of the mean g vectors, W = N·dᵀ·Σ⁺·d, Σ⁺ the pseudo-inverse; the p-value is
 * P(χ²_r ≥ W) with r the rank of Σ⁺. When max(n_x, n_y) &lt; 25, W is first multiplied by
 * 1/(1 + N^−0.45 + 10.1·(n_x^−1.7 + n_y^−1.7)), the small-sample correction of Epps and
 * Singleton (1986) that scipy applies.
 *
 * <p>Σ is 4×4 and symmetric: its pseudo-inverse is taken from a Jacobi eigen-decomposition,
 * keeping the eigenvalues above 4·ε·λ_max (numpy's {@code pinv} cut-off, |λ| being the
 * singular values of a symmetric matrix). Where Σ is singular in exact arithmetic, which ties
 * cause (a sample with k distinct values spans at most k − 1 directions, so Σ has rank at most
 * min(4, (k_x − 1) + (k_y − 1), k − 1)), its computed "zero" eigenvalues are rounding noise of
 * about ε·λ_max, on either side of that cut-off by chance, in numpy as here; then at most that
 * many of the largest eigenvalues are kept, which is what numpy keeps whenever its noise falls
 * below the cut-off. Package-private.
 */
final class EppsSingleton {

    /** scipy's default points of the characteristic function. */
    private static final double T1 = 0.4;
    private static final double T2 = 0.8;
    /** Fewest values per sample: scipy refuses fewer. */
    static final int MIN_SIZE = 5;

    private EppsSingleton() {
    }

    static StatResult test(double[] x, double[] y) {
        int nx = x.length;
        int ny = y.length;
        if (nx < MIN_SIZE || ny < MIN_SIZE) {
            String side = nx < MIN_SIZE ? Samples.REFERENCE : Samples.CURRENT;
            throw new IllegalArgumentException(side + " sample has " + (nx < MIN_SIZE ? nx : ny)
                    + " value(s): the Epps-Singleton test needs at least " + MIN_SIZE + " in each sample");
        }
        double[] xs = Samples.sorted(x);
        double[] ys = Samples.sorted(y);
        double[] pooled = new double[nx + ny];
        System.arraycopy(xs, 0, pooled, 0, nx);
        System.arraycopy(ys, 0, pooled, nx, ny);
        DoubleSort.sort(pooled);
        double sigma = (percentile(pooled, 0.75) - percentile(pooled, 0.25)) / 2;
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("the interquartile range of the pooled samples is 0 (more than half of "
                    + "the " + pooled.length + " values lie at " + percentile(pooled, 0.5) + "): the Epps-Singleton "
                    + "test scales by it and needs it positive, as Evidently's es refuses too");
        }
        double n = nx + ny;
        double[][] gx = features(xs, sigma);
        double[][] gy = features(ys, sigma);
        double[] mx = means(gx);
        double[] my = means(gy);
        double[][] cx = covariance(gx, mx);
        double[][] cy = covariance(gy, my);
        double[][] sigmaMatrix = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                sigmaMatrix[i][j] = n / nx * cx[i][j] + n / ny * cy[i][j];
            }
        }
        double[] diff = new double[4];
        for (int i = 0; i < 4; i++) {
            diff[i] = mx[i] - my[i];
        }
        int maxRank = Math.min(4, Math.min(distinct(xs) - 1 + distinct(ys) - 1, distinct(pooled) - 1));
        Eigen eigen = Eigen.of(sigmaMatrix);
        double largest = 0.0;
        for (double v : eigen.values) {
            largest = Math.max(largest, Math.abs(v));
        }
        double cutoff = 4 * Math.ulp(1.0) * largest;
        Integer[] order = {0, 1, 2, 3};
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(eigen.values[b]), Math.abs(eigen.values[a])));
        int rank = 0;
        double w = 0.0;
        for (int k : order) {
            double lambda = eigen.values[k];
            if (rank == maxRank || !(Math.abs(lambda) > cutoff)) {
                break;
            }
            double projection = 0.0;
            for (int i = 0; i < 4; i++) {
                projection += eigen.vectors[i][k] * diff[i];
            }
            w += projection * projection / lambda;
            rank++;
        }
        if (rank == 0) {
            throw new IllegalArgumentException("both samples are constant (reference " + xs[0] + ", current " + ys[0]
                    + "): the Epps-Singleton test compares their variation and has none to compare");
        }
        w *= n;
        if (Math.max(nx, ny) < 25) {
            w *= 1.0 / (1.0 + Math.pow(n, -0.45) + 10.1 * (Math.pow(nx, -1.7) + Math.pow(ny, -1.7)));
        }
        double p = ChiSquaredDistribution.of(rank).survivalProbability(w);
        return StatResult.test(w, Math.max(0.0, Math.min(1.0, p)));
    }

    /** numpy's {@code percentile(sorted, 100·q)} with the default linear method. */
    static double percentile(double[] sorted, double q) {
        double index = q * (sorted.length - 1);
        int lo = (int) Math.floor(index);
        double t = index - lo;
        if (lo + 1 >= sorted.length) {
            return sorted[sorted.length - 1];
        }
        double a = sorted[lo];
        double b = sorted[lo + 1];
        double d = b - a;
        // numpy's _lerp: from the nearer end, so that t = 1 gives b exactly
        return t >= 0.5 ? b - d * (1 - t) : a + d * t;
    }

    /** Rows cos(t₁x/σ), cos(t₂x/σ), sin(t₁x/σ), sin(t₂x/σ), one column per value. */
    private static double[][] features(double[] values, double sigma) {
        double s1 = T1 / sigma;
        double s2 = T2 / sigma;
        double[][] g = new double[4][values.length];
        for (int j = 0; j < values.length; j++) {
            double a = s1 * values[j];
            double b = s2 * values[j];
            g[0][j] = Math.cos(a);
            g[1][j] = Math.cos(b);
            g[2][j] = Math.sin(a);
            g[3][j] = Math.sin(b);
        }
        return g;
    }

    private static double[] means(double[][] g) {
        double[] m = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            m[i] = Samples.sum(g[i]) / g[i].length;
        }
        return m;
    }

    /** The biased covariance (divided by the sample size), as scipy's cov·(n − 1)/n. */
    private static double[][] covariance(double[][] g, double[] mean) {
        int m = g[0].length;
        double[][] centred = new double[4][m];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < m; j++) {
                centred[i][j] = g[i][j] - mean[i];
            }
        }
        double[][] c = new double[4][4];
        double[] products = new double[m];
        for (int i = 0; i < 4; i++) {
            for (int k = i; k < 4; k++) {
                for (int j = 0; j < m; j++) {
                    products[j] = centred[i][j] * centred[k][j];
                }
                c[i][k] = Samples.sum(products) / m;
                c[k][i] = c[i][k];
            }
        }
        return c;
    }

    private static int distinct(double[] sorted) {
        int k = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                k++;
            }
        }
        return k;
    }

    /** Eigenvalues and eigenvectors (columns) of a small symmetric matrix, by cyclic Jacobi rotations. */
    static final class Eigen {
        final double[] values;
        final double[][] vectors;

        private Eigen(double[] values, double[][] vectors) {
            this.values = values;
            this.vectors = vectors;
        }

        static Eigen of(double[][] symmetric) {
            int n = symmetric.length;
            double[][] a = new double[n][];
            for (int i = 0; i < n; i++) {
                a[i] = symmetric[i].clone();
            }
            double[][] v = new double[n][n];
            for (int i = 0; i < n; i++) {
                v[i][i] = 1.0;
            }
            for (int sweep = 0; sweep < 100; sweep++) {
                double off = 0.0;
                for (int p = 0; p < n; p++) {
                    for (int q = p + 1; q < n; q++) {
                        off += a[p][q] * a[p][q];
                    }
                }
                if (off == 0.0) {
                    break;
                }
                for (int p = 0; p < n; p++) {
                    for (int q = p + 1; q < n; q++) {
                        double g = 100 * Math.abs(a[p][q]);
                        if (Math.abs(a[p][p]) + g == Math.abs(a[p][p]) && Math.abs(a[q][q]) + g == Math.abs(a[q][q])) {
                            // below the last bit of both diagonal entries: a rotation would change nothing
                            a[p][q] = 0.0;
                            a[q][p] = 0.0;
                            continue;
                        }
                        // Rutishauser's stable rotation that zeroes a[p][q]
                        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                        if (theta == 0.0) {
                            t = 1.0;
                        } else if (Double.isInfinite(theta * theta)) {
                            t = 0.5 / theta;
                        }
                        double c = 1 / Math.sqrt(t * t + 1);
                        double s = t * c;
                        for (int k = 0; k < n; k++) {
                            double akp = a[k][p];
                            double akq = a[k][q];
                            a[k][p] = c * akp - s * akq;
                            a[k][q] = s * akp + c * akq;
                        }
                        for (int k = 0; k < n; k++) {
                            double apk = a[p][k];
                            double aqk = a[q][k];
                            a[p][k] = c * apk - s * aqk;
                            a[q][k] = s * apk + c * aqk;
                        }
                        a[p][q] = 0.0;
                        a[q][p] = 0.0;
                        for (int k = 0; k < n; k++) {
                            double vkp = v[k][p];
                            double vkq = v[k][q];
                            v[k][p] = c * vkp - s * vkq;
                            v[k][q] = s * vkp + c * vkq;
                        }
                    }
                }
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = a[i][i];
            }
            return new Eigen(values, v);
        }
    }
}
