package dev.mlops.drift.multivariate;

import dev.mlops.api.ValidationException;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The maximum mean discrepancy (MMD) two-sample test with a Gaussian RBF kernel and a permutation
 * p-value: Alibi Detect's {@code MMDDrift} ({@link #alibi()}) and Evidently's {@code empirical_mmd}
 * ({@link #evidently()}), which compute the same statistic with different defaults.
 *
 * <ul>
 *   <li>Kernel {@code k(x, y) = exp(-||x - y||² / (2σ²))}, σ from the reference alone by the median
 *       heuristic (see {@link Bandwidth}), or given.</li>
 *   <li>Unbiased MMD² from the joint kernel matrix with a zeroed diagonal:
 *       {@code ΣK_xx / (n(n-1)) + ΣK_yy / (m(m-1)) - 2 mean(K_xy)}.</li>
 *   <li>p-value: the share of {@code permutations} random relabellings of the pooled rows whose MMD²
 *       is at least the observed one; drift when it is below the threshold.</li>
 * </ul>
 * Seeded: the same seed and data give the same p-value. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * MmdResult r = MmdDrift.alibi().seed(7).build().test(reference, current);   // double[rows][columns]
 * if (r.drift()) { ... }
 * }</pre>
 */
public final class MmdDrift {

    /** How σ is taken from the reference's pairwise squared distances. */
    public enum Bandwidth {
        /**
         * Alibi Detect's {@code sigma_median}: the median of the distances between distinct reference
         * rows (the element at position {@code n + (n² - n) / 2 - 1} of all n² sorted distances, the n
         * zeros of the diagonal first), σ = √(median / 2).
         */
        ALIBI_MEDIAN,
        /**
         * Evidently's {@code sigma_median}: numpy's 50th percentile with {@code method='nearest'} of all n²
         * distances, the diagonal's zeros included; σ = √(median / 2), or √(1/2) when that is 0.
         */
        EVIDENTLY_MEDIAN
    }

    private final int permutations;
    private final double pValueThreshold;
    private final Bandwidth bandwidth;
    private final double sigma;
    private final long seed;

    private MmdDrift(Builder b) {
        this.permutations = b.permutations;
        this.pValueThreshold = b.pValueThreshold;
        this.bandwidth = b.bandwidth;
        this.sigma = b.sigma;
        this.seed = b.seed;
    }

    /** @return Alibi Detect's defaults: p-value threshold 0.05, 100 permutations, σ by {@link Bandwidth#ALIBI_MEDIAN} */
    public static Builder alibi() {
        return new Builder(0.05, Bandwidth.ALIBI_MEDIAN);
    }

    /** @return Evidently's defaults: threshold 0.1, 100 permutations, σ by {@link Bandwidth#EVIDENTLY_MEDIAN} */
    public static Builder evidently() {
        return new Builder(0.1, Bandwidth.EVIDENTLY_MEDIAN);
    }

    /** Settings; each setter checks its value at once. */
    public static final class Builder {
        private int permutations = 100;
        private double pValueThreshold;
        private Bandwidth bandwidth;
        private double sigma = Double.NaN;
        private long seed = 0;

        private Builder(double pValueThreshold, Bandwidth bandwidth) {
            this.pValueThreshold = pValueThreshold;
            this.bandwidth = bandwidth;
        }

        /**
         * @param permutations random permutations for the p-value (default 100)
         * @return this builder
         */
        public Builder permutations(int permutations) {
            if (permutations < 1) {
                throw new IllegalArgumentException("permutations is " + permutations + ", expected at least 1");
            }
            this.permutations = permutations;
            return this;
        }

        /**
         * @param threshold drift when the p-value is below this, in (0, 1)
         * @return this builder
         */
        public Builder pValueThreshold(double threshold) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("p-value threshold is " + threshold + ", expected a number in (0, 1)");
            }
            this.pValueThreshold = threshold;
            return this;
        }

        /**
         * @param bandwidth how σ is inferred from the reference
         * @return this builder
         */
        public Builder bandwidth(Bandwidth bandwidth) {
            this.bandwidth = Objects.requireNonNull(bandwidth, "bandwidth");
            return this;
        }

        /**
         * @param sigma a fixed kernel bandwidth instead of the inferred one, positive and finite
         * @return this builder
         */
        public Builder sigma(double sigma) {
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("sigma is " + sigma + ", expected a positive finite number");
            }
            this.sigma = sigma;
            return this;
        }

        /**
         * @param seed the seed of the permutations (default 0)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @return the test */
        public MmdDrift build() {
            return new MmdDrift(this);
        }
    }

    /**
     * @param reference the reference sample, {@code [rows][columns]}, at least 2 rows
     * @param current the sample to compare, with as many columns, at least 2 rows
     * @return the MMD², the permutation p-value and whether it signals drift
     * @throws ValidationException on fewer than 2 rows, rows of different lengths, or a NaN or infinite value
     */
    public MmdResult test(double[][] reference, double[][] current) {
        int d = check(reference, "reference", -1);
        check(current, "current", d);
        int n = reference.length;
        int m = current.length;
        int total = n + m;
        double[][] pooled = new double[total][];
        System.arraycopy(reference, 0, pooled, 0, n);
        System.arraycopy(current, 0, pooled, n, m);
        double[] dist = squaredDistances(pooled);
        double s = Double.isNaN(sigma) ? inferSigma(dist, total, n) : sigma;
        double gamma = 1 / (2 * s * s);
        double[] k = new double[total * total];
        double[] rowSums = new double[total];
        for (int i = 0; i < total; i++) {
            for (int j = 0; j < total; j++) {
                double v = i == j ? 0 : Math.exp(-gamma * Math.max(dist[i * total + j], 1e-30));
                k[i * total + j] = v;
                rowSums[i] += v;
            }
        }
        double all = 0;
        for (double r : rowSums) {
            all += r;
        }
        int[] index = new int[total];
        for (int i = 0; i < total; i++) {
            index[i] = i;
        }
        double observed = mmd2(k, rowSums, all, index, n, m);
        SplittableRandom random = new SplittableRandom(seed);
        double[] permuted = new double[permutations];
        int atLeast = 0;
        for (int p = 0; p < permutations; p++) {
            for (int i = total - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = index[i];
                index[i] = index[j];
                index[j] = t;
            }
            permuted[p] = mmd2(k, rowSums, all, index, n, m);
            if (observed <= permuted[p]) {
                atLeast++;
            }
        }
        double pValue = (double) atLeast / permutations;
        // Alibi: the permuted values sorted descending, at position int(p_val * permutations)
        double[] ascending = permuted.clone();
        Arrays.sort(ascending);
        double distanceThreshold = ascending[permutations - 1 - (int) (pValueThreshold * permutations)];
        return new MmdResult(observed, pValue, pValueThreshold, distanceThreshold, pValue < pValueThreshold, s,
                permutations, n, m, d);
    }

    /**
     * The unbiased MMD² when the last {@code m} positions of {@code index} are the current sample: only the
     * current rows are visited, the rest follows from the row sums and the total.
     */
    private static double mmd2(double[] k, double[] rowSums, double all, int[] index, int n, int m) {
        int total = n + m;
        double yy = 0;
        double yRows = 0;
        for (int a = n; a < total; a++) {
            int i = index[a];
            yRows += rowSums[i];
            int base = i * total;
            for (int b = n; b < total; b++) {
                yy += k[base + index[b]];
            }
        }
        double xy = yRows - yy;
        double xx = all - yy - 2 * xy;
        return xx / ((double) n * (n - 1)) + yy / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
    }

    private double inferSigma(double[] pooledDistances, int total, int n) {
        double[] ref = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pooledDistances, i * total, ref, i * n, n);
        }
        Arrays.sort(ref);
        if (bandwidth == Bandwidth.ALIBI_MEDIAN) {
            // distances are clamped at 1e-30 as Alibi's squared_pairwise_distance does
            long position = n + ((long) n * n - n) / 2 - 1;
            return Math.sqrt(0.5 * Math.max(ref[(int) position], 1e-30));
        }
        double median = ref[(int) Math.rint(0.5 * (ref.length - 1))];
        double s = Math.sqrt(0.5 * median);
        return s == 0 ? Math.sqrt(0.5) : s;
    }

    private static double[] squaredDistances(double[][] rows) {
        int total = rows.length;
        double[] dist = new double[total * total];
        for (int i = 0; i < total; i++) {
            double[] a = rows[i];
            for (int j = i + 1; j < total; j++) {
                double[] b = rows[j];
                double s = 0;
                for (int c = 0; c < a.length; c++) {
                    double e = a[c] - b[c];
                    s += e * e;
                }
                dist[i * total + j] = s;
                dist[j * total + i] = s;
            }
        }
        return dist;
    }

    private static int check(double[][] sample, String what, int columns) {
        Objects.requireNonNull(sample, what);
        if (sample.length < 2) {
            throw new ValidationException("the " + what + " sample has " + sample.length
                    + " rows; expected at least 2 rows for the unbiased MMD²");
        }
        int d = columns;
        for (int i = 0; i < sample.length; i++) {
            double[] row = sample[i];
            if (row == null) {
                throw new ValidationException(what + "[" + i + "] is null; expected a row of numbers");
            }
            if (d < 0) {
                d = row.length;
                if (d == 0) {
                    throw new ValidationException(what + "[0] has no columns; expected at least one");
                }
            }
            if (row.length != d) {
                throw new ValidationException(what + "[" + i + "] has " + row.length + " columns, expected " + d
                        + (columns < 0 ? " (as " + what + "[0])" : " (as the reference rows)"));
            }
            for (int c = 0; c < d; c++) {
                if (!Double.isFinite(row[c])) {
                    throw new ValidationException(what + "[" + i + "][" + c + "] is " + row[c]
                            + "; expected a finite number (MMD takes no missing values)");
                }
            }
        }
        return d;
    }
}
