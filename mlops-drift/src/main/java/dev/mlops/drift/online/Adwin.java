package dev.mlops.drift.online;

import java.util.Arrays;

/**
 * ADWIN, the adaptive sliding window of A. Bifet and R. Gavaldà ("Learning from time-changing data
 * with adaptive windowing", SIAM SDM 2007), in its ADWIN2 form: the window is summarised by an
 * exponential histogram and the cut test runs over bucket boundaries only.
 *
 * <p>The window {@code W} holds the most recent values for which "the mean has not changed" is
 * statistically consistent. It is stored as rows of buckets: row {@code i} holds up to {@code M}
 * buckets of {@code 2^i} consecutive values, each keeping its sum and its sum of squared deviations
 * (variance × size). A new value enters row 0 as a bucket of size 1; when a row holds {@code M + 1}
 * buckets its two oldest merge into one bucket of the next row. Memory is O(M log W).
 *
 * <p>Every {@code clock} values, once the window is longer than {@code gracePeriod}, every split of
 * {@code W} into an older part {@code W0} and a newer part {@code W1} at a bucket boundary, with
 * both parts at least {@code L = minSubWindowLength} long, is tested:
 * <pre>
 *   |mean(W0) − mean(W1)| &gt; ε_cut,
 *   ε_cut = sqrt(2 · (1/m) · σ²_W · ln(2/δ')) + (2/3) · (1/m) · ln(2/δ'),
 *   1/m   = 1/(n0 − L + 1) + 1/(n1 − L + 1),     δ' = δ / ln n,
 * </pre>
 * where {@code n = |W|}, {@code n0 = |W0|}, {@code n1 = |W1|} and {@code σ²_W} is the variance
 * of the whole window. If any split cuts, the oldest bucket is dropped and the test starts again,
 * until no split cuts; that update returns {@link State#DRIFT}. The window keeps its newer part, so
 * {@link #mean()} is at once an estimate of the new mean. ADWIN signals no warnings.
 *
 * <p>Defaults, shared by MOA ({@code ADWIN}, written by the paper's first author) and river
 * ({@code drift.ADWIN}):
 * <ul>
 *   <li>{@code delta} δ = 0.002: the confidence; a false alarm has probability about δ per check
 *       over a stationary window;
 *   <li>{@code maxBuckets} M = 5 buckets per row;
 *   <li>{@code clock} = 32: the cut test runs on every 32nd value (1 tests every value, slower and
 *       earlier by up to 31 values);
 *   <li>{@code minSubWindowLength} L = 5;
 *   <li>{@code gracePeriod} = 10: no test while the window holds 10 values or fewer.
 * </ul>
 *
 * <p>Choices where the references differ, and why:
 * <ul>
 *   <li>After a drift the window shrinks and continues, as in the paper and MOA; river's
 *       {@code ADWIN} throws the whole window away on the next update.
 *   <li>A split is tested when {@code n0 ≥ L} and {@code n1 ≥ L} (river); MOA requires
 *       {@code n0, n1 > L + 1}.
 *   <li>Every bucket boundary is a candidate split (MOA); river's loop leaves the newest bucket of
 *       each row out of both the candidates and {@code W0}.
 *   <li>{@code δ' = δ / ln n} and the {@code − L + 1} small-sample correction of {@code m} are
 *       those of both implementations; the paper's Theorem 3.1 states the bound with
 *       {@code m = 1/(1/n0 + 1/n1)} and {@code δ' = δ/n} for ADWIN0, which tests all {@code n}
 *       splits, while ADWIN2 tests O(log n) of them.
 * </ul>
 *
 * <p>Scale: the paper proves the bound for values in [0, 1], and its second term does not scale
 * with the data: on a much larger scale (losses in the thousands) the test is more sensitive than
 * δ promises, on a much smaller one (losses in the millionths) it is nearly blind, so scale such
 * values to about [0, 1] first. The two sub-window sums of a split are each added up from the
 * buckets, and a difference of means within twice their floating-point rounding error is not taken
 * as evidence, so a constant stream never drifts whatever its magnitude. Values whose sum over the
 * window overflows {@code Double.MAX_VALUE} make the statistics infinite or NaN: no exception, no
 * drift, until {@link #reset()}.
 *
 * <p>Not thread-safe: see {@link OnlineDriftDetector}. An update costs O(1) amortised plus O(M log W)
 * on every {@code clock}-th value (one more such pass per bucket dropped on a drift); it allocates
 * only when a new bucket row is added beyond the current capacity.
 */
public final class Adwin implements OnlineDriftDetector {

    /** Default confidence δ (paper's experiments, MOA, river). */
    public static final double DEFAULT_DELTA = 0.002;
    /** Default number of buckets per row, M (MOA, river). */
    public static final int DEFAULT_MAX_BUCKETS = 5;
    /** Default number of values between two cut tests (MOA, river). */
    public static final int DEFAULT_CLOCK = 32;
    /** Default minimum length L of each sub-window (MOA, river). */
    public static final int DEFAULT_MIN_SUB_WINDOW_LENGTH = 5;
    /** Default window length up to which no cut test runs (MOA, river). */
    public static final int DEFAULT_GRACE_PERIOD = 10;

    private static final int INITIAL_ROWS = 8;

    private final double delta;
    private final int maxBuckets;
    private final int clock;
    private final int minSubWindowLength;
    private final int gracePeriod;
    private final int slots;

    /** Bucket sums, row-major: row r's bucket k (0 = oldest) at {@code r * slots + k}. */
    private double[] sums;
    /** Bucket sums of squared deviations from the bucket's mean, laid out like {@link #sums}. */
    private double[] squares;
    /** Scratch for the cut test: the sum of all buckets newer than each bucket, laid out like {@link #sums}. */
    private double[] newerSums;
    private int[] counts;
    private int rows;

    private long width;
    private double total;
    private double variance;
    private long observations;
    private long detections;
    private State state = State.NONE;

    private Adwin(Builder b) {
        this.delta = b.delta;
        this.maxBuckets = b.maxBuckets;
        this.clock = b.clock;
        this.minSubWindowLength = b.minSubWindowLength;
        this.gracePeriod = b.gracePeriod;
        this.slots = maxBuckets + 1;
        clearWindow();
    }

    /**
     * A detector with the published defaults (δ = 0.002, M = 5, clock 32, L = 5, grace period 10).
     *
     * @return a new detector
     */
    public static Adwin withDefaults() {
        return builder().build();
    }

    /**
     * A builder preset with the published defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public State update(double value) {
        Checks.finiteInput(value);
        observations++;
        insert(value);
        boolean drift = observations % clock == 0 && width > gracePeriod && shrink();
        if (drift) {
            detections++;
            state = State.DRIFT;
        } else {
            state = State.NONE;
        }
        return state;
    }

    /**
     * The number of values in the current window.
     *
     * @return the window length W
     */
    public long width() {
        return width;
    }

    /**
     * The mean of the current window, ADWIN's estimate of the stream's current mean (0 when the
     * window is empty).
     *
     * @return the window's mean
     */
    public double mean() {
        return width == 0 ? 0 : total / width;
    }

    /** Number of bucket rows in use (for memory tests). */
    int bucketRows() {
        return rows;
    }

    /** Number of buckets in use (for memory tests). */
    int buckets() {
        int b = 0;
        for (int r = 0; r < rows; r++) {
            b += counts[r];
        }
        return b;
    }

    /** Variance of the window's values (population variance; 0 when empty; for tests). */
    double windowVariance() {
        return width == 0 ? 0 : variance / width;
    }

    /** Number of values the buckets summarise, Σ count(row) · 2^row (equals {@link #width()}; for tests). */
    long bucketedWidth() {
        long w = 0;
        for (int r = 0; r < rows; r++) {
            w += (long) counts[r] << r;
        }
        return w;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public long observations() {
        return observations;
    }

    @Override
    public long detections() {
        return detections;
    }

    @Override
    public void reset() {
        clearWindow();
        observations = 0;
        detections = 0;
        state = State.NONE;
    }

    private void clearWindow() {
        sums = new double[INITIAL_ROWS * slots];
        squares = new double[INITIAL_ROWS * slots];
        newerSums = new double[INITIAL_ROWS * slots];
        counts = new int[INITIAL_ROWS];
        rows = 1;
        width = 0;
        total = 0;
        variance = 0;
    }

    private void insert(double value) {
        if (width > 0) {
            double d = value - total / width;
            variance += width * d * d / (width + 1);
        }
        width++;
        total += value;
        append(0, value, 0);
        for (int r = 0; r < rows && counts[r] == slots; r++) {
            if (r + 1 == rows) {
                addRow();
            }
            int base = r * slots;
            double size = (double) (1L << r);
            double s0 = sums[base];
            double s1 = sums[base + 1];
            double d = (s0 - s1) / size;
            // merging two buckets of equal size n: n·n·(μ0 − μ1)² / (n + n) = n (μ0 − μ1)² / 2
            append(r + 1, s0 + s1, squares[base] + squares[base + 1] + size * d * d / 2);
            removeOldest(r, 2);
        }
    }

    private void append(int row, double sum, double square) {
        int i = row * slots + counts[row]++;
        sums[i] = sum;
        squares[i] = square;
    }

    private void removeOldest(int row, int k) {
        int base = row * slots;
        int left = counts[row] - k;
        System.arraycopy(sums, base + k, sums, base, left);
        System.arraycopy(squares, base + k, squares, base, left);
        counts[row] = left;
    }

    private void addRow() {
        if (rows == counts.length) {
            int capacity = rows * 2;
            sums = Arrays.copyOf(sums, capacity * slots);
            newerSums = new double[capacity * slots];
            squares = Arrays.copyOf(squares, capacity * slots);
            counts = Arrays.copyOf(counts, capacity);
        }
        counts[rows++] = 0;
    }

    /** Drops the oldest bucket (the window's oldest values) and updates sum and variance. */
    private void dropOldestBucket() {
        int r = rows - 1;
        int base = r * slots;
        long size = 1L << r;
        double sum = sums[base];
        double square = squares[base];
        width -= size;
        total -= sum;
        if (width == 0) {
            total = 0;
            variance = 0;
        } else {
            double d = sum / size - total / width;
            variance -= square + (double) size * width * d * d / (size + width);
            if (variance < 0) {
                variance = 0;
            }
        }
        removeOldest(r, 1);
        // with M = 1 a merge can leave lower rows empty: drop every empty row at the top
        while (rows > 1 && counts[rows - 1] == 0) {
            rows--;
        }
    }

    /**
     * Runs the cut test until no split cuts, dropping the oldest bucket after each cut.
     *
     * @return whether at least one split cut
     */
    private boolean shrink() {
        boolean cut = false;
        while (cutsSomewhere()) {
            dropOldestBucket();
            cut = true;
        }
        return cut;
    }

    private boolean cutsSomewhere() {
        // Pass 1, newest to oldest: the sum of everything newer than each bucket, so that both
        // sub-window sums are added up directly rather than obtained by subtraction (which loses
        // the precision of small sub-windows next to a large total).
        double newer = 0;
        int buckets = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * slots;
            for (int k = counts[r] - 1; k >= 0; k--) {
                newerSums[base + k] = newer;
                newer += sums[base + k];
            }
            buckets += counts[r];
        }
        // Relative rounding error of a sub-window mean: each bucket sum went through at most
        // `rows` merges, and a sub-window adds up at most `buckets` of them. A difference of means
        // within twice that is not evidence of change (only matters far outside [0, 1], for example
        // a constant stream of 1e15).
        double rounding = 2 * (buckets + rows + 1) * 0x1p-53;
        double n = width;
        double lnTwoOverDeltaPrime = Math.log(2 * Math.log(n) / delta);
        double windowVariance = variance / n;
        double l = minSubWindowLength;
        // Pass 2, oldest to newest: W0 grows by one bucket at a time.
        double n0 = 0;
        double u0 = 0;
        for (int r = rows - 1; r >= 0; r--) {
            double size = (double) (1L << r);
            int base = r * slots;
            int c = counts[r];
            for (int k = 0; k < c; k++) {
                n0 += size;
                u0 += sums[base + k];
                if (r == 0 && k == c - 1) {
                    return false; // W1 would be empty
                }
                double n1 = n - n0;
                if (n0 >= l && n1 >= l) {
                    double mean0 = u0 / n0;
                    double mean1 = newerSums[base + k] / n1;
                    double diff = Math.abs(mean0 - mean1);
                    double mInverse = 1 / (n0 - l + 1) + 1 / (n1 - l + 1);
                    double epsilon = Math.sqrt(2 * mInverse * windowVariance * lnTwoOverDeltaPrime)
                            + 2.0 / 3.0 * lnTwoOverDeltaPrime * mInverse;
                    if (diff > epsilon && diff > rounding * (Math.abs(mean0) + Math.abs(mean1))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Adwin[delta=" + delta + ", maxBuckets=" + maxBuckets + ", clock=" + clock
                + ", minSubWindowLength=" + minSubWindowLength + ", gracePeriod=" + gracePeriod + "]";
    }

    /** Fail-fast builder: every setter checks its argument at once. */
    public static final class Builder {
        private double delta = DEFAULT_DELTA;
        private int maxBuckets = DEFAULT_MAX_BUCKETS;
        private int clock = DEFAULT_CLOCK;
        private int minSubWindowLength = DEFAULT_MIN_SUB_WINDOW_LENGTH;
        private int gracePeriod = DEFAULT_GRACE_PERIOD;

        private Builder() {
        }

        /**
         * δ, the confidence of the cut test; default 0.002. Smaller means fewer false alarms and a
         * longer detection delay.
         *
         * @param delta in (0, 1)
         * @return this builder
         * @throws IllegalArgumentException if outside (0, 1)
         */
        public Builder delta(double delta) {
            if (!(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
            }
            this.delta = delta;
            return this;
        }

        /**
         * M, the number of buckets of each size kept before the two oldest merge; default 5. Larger
         * means more candidate splits (closer to testing every split) and more memory.
         *
         * @param maxBuckets ≥ 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxBuckets(int maxBuckets) {
            this.maxBuckets = Checks.atLeast("maxBuckets", maxBuckets, 1);
            return this;
        }

        /**
         * How often the cut test runs: on every {@code clock}-th value; default 32.
         *
         * @param clock ≥ 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder clock(int clock) {
            this.clock = Checks.atLeast("clock", clock, 1);
            return this;
        }

        /**
         * L, the minimum length of each of the two sub-windows of a split; default 5.
         *
         * @param minSubWindowLength ≥ 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder minSubWindowLength(int minSubWindowLength) {
            this.minSubWindowLength = Checks.atLeast("minSubWindowLength", minSubWindowLength, 1);
            return this;
        }

        /**
         * The window length up to which no cut test runs; default 10.
         *
         * @param gracePeriod ≥ 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder gracePeriod(int gracePeriod) {
            this.gracePeriod = Checks.atLeast("gracePeriod", gracePeriod, 0);
            return this;
        }

        /**
         * Builds the detector.
         *
         * @return a new detector with this builder's settings
         */
        public Adwin build() {
            return new Adwin(this);
        }
    }
}
