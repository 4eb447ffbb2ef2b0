package dev.mlops.drift;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A mergeable quantile sketch of {@code double} values: the KLL sketch (Karnin, Lang and Liberty,
 * "Optimal Quantile Approximation in Streams", FOCS 2016) with the lazy compaction schedule of
 * Apache DataSketches: level h of H holds at most max(8, ⌈k·(2/3)^(H−1−h)⌉) items of weight 2^h,
 * and when the whole sketch is full the lowest level over its capacity is sorted and every other
 * item (offset chosen by a coin) moves up one level.
 *
 * <p><b>Error bound.</b> For every x, the estimated rank (share of values ≤ x, or &lt; x) differs
 * from the true rank by at most {@link #normalizedRankError()} ε(k) = 2.296/k^0.9723 with
 * probability ≥ 99%, simultaneously for all x (the DataSketches empirical fit for this algorithm;
 * our own measurement of this implementation is in docs/drift.md). k = 200 gives ε = 0.0133. A sketch
 * that has never compacted ({@link #isExact()}, at most about k values) is exact: its ranks have
 * no error. Merging sketches of equal k gives a sketch with the same bound for the union.
 *
 * <p><b>Determinism.</b> The coin is a xorshift generator with a fixed seed, carried in the
 * serialized form: the same values in the same order give the same sketch and the same bytes,
 * so a profile built twice from the same data is byte-identical.
 *
 * <p>NaN is rejected (count missing values before calling); ±Infinity is accepted. Not
 * thread-safe: guard an instance externally, or build one per thread and {@link #merge} them.
 * Updates allocate nothing once the levels have grown to their steady size.
 */
public final class QuantileSketch {

    /** The default k: ε = 0.0133 at 99% confidence, about 4 KiB serialized. */
    public static final int DEFAULT_K = 200;
    /** The smallest allowed k. */
    public static final int MIN_K = 8;
    /** The largest allowed k. */
    public static final int MAX_K = 65_535;

    private static final int MIN_WIDTH = 8;
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final byte FORMAT = 1;
    private static final int MAX_LEVELS = 61;

    private final int k;
    private long n;
    private double min = Double.NaN;
    private double max = Double.NaN;
    private long rng = SEED;
    private boolean compacted;
    private int numLevels = 1;
    private double[][] levels = new double[1][];
    private int[] sizes = new int[1];
    private int[] capacities;
    private int totalCapacity;
    private int retained;
    private double[] scratch = new double[0];

    private QuantileSketch(int k) {
        if (k < MIN_K || k > MAX_K) {
            throw new IllegalArgumentException("k must be in [" + MIN_K + ", " + MAX_K + "], got " + k);
        }
        this.k = k;
        levels[0] = new double[k];
        recomputeCapacities();
    }

    /**
     * @return an empty sketch with {@link #DEFAULT_K}
     */
    public static QuantileSketch create() {
        return new QuantileSketch(DEFAULT_K);
    }

    /**
     * @param k accuracy parameter in [{@value #MIN_K}, {@value #MAX_K}]; ε ≈ 2.296/k^0.9723
     * @return an empty sketch
     * @throws IllegalArgumentException if k is out of range
     */
    public static QuantileSketch create(int k) {
        return new QuantileSketch(k);
    }

    /**
     * @param values values to add (no NaN)
     * @param k accuracy parameter
     * @return a sketch of the values, added in order
     */
    public static QuantileSketch of(double[] values, int k) {
        QuantileSketch s = new QuantileSketch(k);
        for (double v : values) {
            s.update(v);
        }
        return s;
    }

    /**
     * The rank error bound of a sketch with this k after compaction: ε(k) = 2.296/k^0.9723,
     * holding for all ranks at once with probability ≥ 99%.
     *
     * @param k accuracy parameter
     * @return ε as a share of n
     */
    public static double normalizedRankError(int k) {
        return 2.296 / Math.pow(k, 0.9723);
    }

    /**
     * Adds a value.
     *
     * @param value a value, not NaN
     * @throws IllegalArgumentException for NaN
     */
    public void update(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("NaN cannot be added to a quantile sketch: count missing values separately");
        }
        if (value == 0.0) {
            value = 0.0; // -0.0 and 0.0 are one value
        }
        if (retained >= totalCapacity) {
            compress();
        }
        if (n == 0) {
            min = value;
            max = value;
        } else {
            if (value < min) {
                min = value;
            }
            if (value > max) {
                max = value;
            }
        }
        double[] l0 = levels[0];
        int s0 = sizes[0];
        if (s0 == l0.length) {
            l0 = levels[0] = Arrays.copyOf(l0, Math.max(8, s0 * 2));
        }
        l0[s0] = value;
        sizes[0] = s0 + 1;
        retained++;
        n++;
    }

    /**
     * Adds all values of another sketch to this one. Afterwards this sketch summarizes the
     * union with the same bound ε(k).
     *
     * @param other a sketch with the same k (not modified)
     * @throws IllegalArgumentException if k differs
     */
    public void merge(QuantileSketch other) {
        Objects.requireNonNull(other, "other");
        if (other.k != k) {
            throw new IllegalArgumentException("cannot merge a sketch with k = " + other.k + " into one with k = " + k);
        }
        if (other.n == 0) {
            return;
        }
        if (other == this) {
            merge(copy());
            return;
        }
        if (n == 0) {
            min = other.min;
            max = other.max;
        } else {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
        while (numLevels < other.numLevels) {
            addLevel();
        }
        for (int h = 0; h < other.numLevels; h++) {
            int add = other.sizes[h];
            if (add == 0) {
                continue;
            }
            if (h == 0) {
                ensureLevelCapacity(0, sizes[0] + add);
                System.arraycopy(other.levels[0], 0, levels[0], sizes[0], add);
                sizes[0] += add;
            } else {
                mergeSortedInto(h, other.levels[h], 0, add);
            }
            retained += add;
        }
        n += other.n;
        compacted |= other.compacted;
        while (retained > totalCapacity) {
            compress();
        }
    }

    /** @return a deep copy */
    public QuantileSketch copy() {
        QuantileSketch c = new QuantileSketch(k);
        c.n = n;
        c.min = min;
        c.max = max;
        c.rng = rng;
        c.compacted = compacted;
        c.numLevels = numLevels;
        c.levels = new double[numLevels][];
        c.sizes = Arrays.copyOf(sizes, numLevels);
        for (int h = 0; h < numLevels; h++) {
            c.levels[h] = Arrays.copyOf(levels[h], Math.max(sizes[h], h == 0 ? k : 1));
        }
        c.recomputeCapacities();
        c.retained = retained;
        return c;
    }

    /** @return the accuracy parameter */
    public int k() {
        return k;
    }

    /** @return the number of values added (including merged ones) */
    public long n() {
        return n;
    }

    /** @return true if no value was added */
    public boolean isEmpty() {
        return n == 0;
    }

    /** @return the smallest value added (exact), NaN if empty */
    public double min() {
        return min;
    }

    /** @return the largest value added (exact), NaN if empty */
    public double max() {
        return max;
    }

    /** @return the number of values the sketch retains */
    public int retained() {
        return retained;
    }

    /** @return true if the sketch never compacted: every value is retained with weight 1, ranks are exact */
    public boolean isExact() {
        return !compacted;
    }

    /**
     * @return the bound on the rank error of this sketch as a share of n: 0 if {@link #isExact()},
     *         else {@link #normalizedRankError(int)} of k (99% confidence, all ranks at once)
     */
    public double normalizedRankError() {
        return compacted ? normalizedRankError(k) : 0.0;
    }

    /**
     * @param x a value
     * @param inclusive true for the share of values ≤ x, false for the share &lt; x
     * @return the estimated share, in [0, 1]; 0 for an empty sketch
     */
    public double rank(double x, boolean inclusive) {
        if (n == 0) {
            return 0.0;
        }
        long weight = 0;
        for (int h = 0; h < numLevels; h++) {
            double[] items = levels[h];
            int size = sizes[h];
            long c;
            if (h == 0) {
                c = 0;
                for (int i = 0; i < size; i++) {
                    if (inclusive ? items[i] <= x : items[i] < x) {
                        c++;
                    }
                }
            } else {
                c = inclusive ? upperBound(items, size, x) : lowerBound(items, size, x);
            }
            weight += c << h;
        }
        return (double) weight / n;
    }

    /**
     * The q-quantile: the smallest retained value whose inclusive rank is at least q.
     *
     * @param q share in [0, 1]
     * @return the quantile, NaN for an empty sketch
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile rank must be in [0, 1], got " + q);
        }
        if (n == 0) {
            return Double.NaN;
        }
        SortedView v = sortedView();
        long target = (long) Math.ceil(q * n);
        for (int i = 0; i < v.values.length; i++) {
            if (v.cumulative[i] >= target) {
                return v.values[i];
            }
        }
        return v.values[v.values.length - 1];
    }

    /** Retained values in order with cumulative weights (inclusive counts). */
    SortedView sortedView() {
        double[] values = new double[retained];
        long[] weights = new long[retained];
        int p = 0;
        for (int h = 0; h < numLevels; h++) {
            for (int i = 0; i < sizes[h]; i++) {
                values[p] = levels[h][i];
                weights[p] = 1L << h;
                p++;
            }
        }
        long[] idx = new long[retained];
        for (int i = 0; i < retained; i++) {
            idx[i] = i;
        }
        idx = mergeSortIndex(values, idx);
        double[] vs = values;
        double[] sortedValues = new double[retained];
        long[] cumulative = new long[retained];
        long acc = 0;
        int m = 0;
        for (int i = 0; i < retained; i++) {
            int j = (int) idx[i];
            acc += weights[j];
            if (m > 0 && sortedValues[m - 1] == vs[j]) {
                cumulative[m - 1] = acc;
            } else {
                sortedValues[m] = vs[j];
                cumulative[m] = acc;
                m++;
            }
        }
        return new SortedView(Arrays.copyOf(sortedValues, m), Arrays.copyOf(cumulative, m), n);
    }

    private static long[] mergeSortIndex(double[] values, long[] idx) {
        long[] a = idx;
        long[] b = new long[idx.length];
        int len = idx.length;
        for (int width = 1; width < len; width *= 2) {
            for (int lo = 0; lo < len; lo += 2 * width) {
                int mid = Math.min(lo + width, len);
                int hi = Math.min(lo + 2 * width, len);
                int i = lo;
                int j = mid;
                int o = lo;
                while (i < mid && j < hi) {
                    b[o++] = values[(int) a[i]] <= values[(int) a[j]] ? a[i++] : a[j++];
                }
                while (i < mid) {
                    b[o++] = a[i++];
                }
                while (j < hi) {
                    b[o++] = a[j++];
                }
            }
            long[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Two-sample Kolmogorov–Smirnov distance between the distributions two sketches summarize,
     * with its bound: |estimate − exact D| ≤ ε_a + ε_b (each sketch's {@link #normalizedRankError()};
     * 0 when both are exact), holding with probability ≥ 98% when both sketches compacted.
     *
     * @param a a sketch
     * @param b another sketch
     * @return {statistic, errorBound}
     * @throws IllegalArgumentException if a sketch is empty
     */
    public static double[] kolmogorovSmirnov(QuantileSketch a, QuantileSketch b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.n == 0 || b.n == 0) {
            throw new IllegalArgumentException((a.n == 0 ? "first" : "second") + " sketch is empty");
        }
        SortedView va = a.sortedView();
        SortedView vb = b.sortedView();
        double d = 0.0;
        int i = 0;
        int j = 0;
        while (i < va.values.length || j < vb.values.length) {
            double x = j >= vb.values.length || (i < va.values.length && va.values[i] <= vb.values[j])
                    ? va.values[i] : vb.values[j];
            while (i < va.values.length && va.values[i] <= x) {
                i++;
            }
            while (j < vb.values.length && vb.values[j] <= x) {
                j++;
            }
            double fa = i == 0 ? 0.0 : (double) va.cumulative[i - 1] / va.n;
            double fb = j == 0 ? 0.0 : (double) vb.cumulative[j - 1] / vb.n;
            d = Math.max(d, Math.abs(fa - fb));
        }
        return new double[] {d, a.normalizedRankError() + b.normalizedRankError()};
    }

    // ------------------------------------------------------------------ serialization

    /**
     * The compact binary form (big-endian): format byte (1), k (int), n (long), min, max (double),
     * generator state (long), compacted flag (byte), level count H (int), H level sizes (int), then
     * the retained values level by level (double). {@link #fromBytes} restores an equal sketch that
     * continues identically.
     *
     * @return the bytes
     */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 8 + 8 + 8 + 1 + 4 + 4 * numLevels + 8 * retained);
        b.put(FORMAT).putInt(k).putLong(n).putDouble(min).putDouble(max).putLong(rng).put((byte) (compacted ? 1 : 0))
                .putInt(numLevels);
        for (int h = 0; h < numLevels; h++) {
            b.putInt(sizes[h]);
        }
        for (int h = 0; h < numLevels; h++) {
            for (int i = 0; i < sizes[h]; i++) {
                b.putDouble(levels[h][i]);
            }
        }
        return b.array();
    }

    /** @return {@link #toBytes()} in base64 (RFC 4648, no line breaks), for JSON documents */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(toBytes());
    }

    /**
     * @param base64 the output of {@link #toBase64()}
     * @return the sketch
     * @throws IllegalArgumentException if the text is not a valid sketch
     */
    public static QuantileSketch fromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        try {
            return fromBytes(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a quantile sketch: " + e.getMessage(), e);
        }
    }

    /**
     * @param bytes the output of {@link #toBytes()}
     * @return the sketch
     * @throws IllegalArgumentException if the bytes are not a valid sketch
     */
    public static QuantileSketch fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte format = b.get();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown sketch format " + format + ", expected " + FORMAT);
            }
            QuantileSketch s = new QuantileSketch(b.getInt());
            s.n = b.getLong();
            s.min = b.getDouble();
            s.max = b.getDouble();
            s.rng = b.getLong();
            s.compacted = b.get() != 0;
            int h = b.getInt();
            if (h < 1 || h > MAX_LEVELS) {
                throw new IllegalArgumentException("level count " + h + " out of range");
            }
            s.numLevels = h;
            s.sizes = new int[h];
            s.levels = new double[h][];
            long weight = 0;
            for (int i = 0; i < h; i++) {
                s.sizes[i] = b.getInt();
                if (s.sizes[i] < 0 || s.sizes[i] > b.remaining() / 8) {
                    throw new IllegalArgumentException("level " + i + " size " + s.sizes[i] + " out of range");
                }
                s.retained += s.sizes[i];
            }
            for (int i = 0; i < h; i++) {
                s.levels[i] = new double[Math.max(s.sizes[i], i == 0 ? s.k : 1)];
                for (int j = 0; j < s.sizes[i]; j++) {
                    double v = b.getDouble();
                    if (Double.isNaN(v) || (j > 0 && i > 0 && v < s.levels[i][j - 1])) {
                        throw new IllegalArgumentException("level " + i + " holds NaN or is not sorted");
                    }
                    s.levels[i][j] = v;
                }
                weight += (long) s.sizes[i] << i;
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " trailing bytes");
            }
            if (weight != s.n) {
                throw new IllegalArgumentException("level weights sum to " + weight + " but n is " + s.n);
            }
            s.recomputeCapacities();
            return s;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated quantile sketch", e);
        }
    }

    @Override
    public String toString() {
        return "QuantileSketch[k=" + k + ", n=" + n + ", retained=" + retained + ", levels=" + numLevels
                + ", exact=" + !compacted + "]";
    }

    /** Same k, n, state and retained values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof QuantileSketch s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    // ------------------------------------------------------------------ compaction

    private void recomputeCapacities() {
        capacities = new int[numLevels];
        int total = 0;
        for (int h = 0; h < numLevels; h++) {
            int depth = numLevels - 1 - h;
            int cap = (int) Math.ceil(k * Math.pow(2.0 / 3.0, depth));
            capacities[h] = Math.max(MIN_WIDTH, cap);
            total += capacities[h];
        }
        totalCapacity = total;
    }

    private void addLevel() {
        if (numLevels == MAX_LEVELS) {
            throw new IllegalStateException("quantile sketch cannot hold more than 2^60 values");
        }
        numLevels++;
        levels = Arrays.copyOf(levels, numLevels);
        sizes = Arrays.copyOf(sizes, numLevels);
        levels[numLevels - 1] = new double[Math.max(MIN_WIDTH, k / 2 + 1)];
        recomputeCapacities();
    }

    /** Compacts the lowest level that has reached its capacity. */
    private void compress() {
        int h = 0;
        while (h < numLevels && sizes[h] < capacities[h]) {
            h++;
        }
        if (h == numLevels) {
            h = 0;
            while (sizes[h] < 2) {
                h++;
            }
        }
        if (h == numLevels - 1) {
            addLevel();
        }
        double[] items = levels[h];
        int size = sizes[h];
        if (h == 0) {
            Arrays.sort(items, 0, size);
        }
        int odd = size & 1;
        int pairs = size >>> 1;
        int offset = nextBit();
        // compacted items land in scratch, sorted, then merge into level h + 1
        if (scratch.length < pairs) {
            scratch = new double[Math.max(pairs, 2 * k)];
        }
        for (int i = 0; i < pairs; i++) {
            scratch[i] = items[odd + 2 * i + offset];
        }
        sizes[h] = odd; // the smallest item stays
        retained -= size - odd;
        mergeSortedInto(h + 1, scratch, 0, pairs);
        retained += pairs;
        compacted = true;
    }

    /** Merges sorted src[from, from + count) into sorted level h. */
    private void mergeSortedInto(int h, double[] src, int from, int count) {
        int size = sizes[h];
        ensureLevelCapacity(h, size + count);
        double[] dst = levels[h];
        // merge from the back so no temporary array is needed
        int i = size - 1;
        int j = from + count - 1;
        int o = size + count - 1;
        while (j >= from) {
            if (i >= 0 && dst[i] > src[j]) {
                dst[o--] = dst[i--];
            } else {
                dst[o--] = src[j--];
            }
        }
        sizes[h] = size + count;
    }

    private void ensureLevelCapacity(int h, int needed) {
        if (levels[h].length < needed) {
            levels[h] = Arrays.copyOf(levels[h], Math.max(needed, levels[h].length * 3 / 2 + 1));
        }
    }

    private int nextBit() {
        long x = rng;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        rng = x;
        return (int) (x >>> 63);
    }

    private static int lowerBound(double[] a, int size, double key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, int size, double key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Distinct retained values in ascending order with cumulative (inclusive) weights. */
    static final class SortedView {
        final double[] values;
        final long[] cumulative;
        final long n;

        SortedView(double[] values, long[] cumulative, long n) {
            this.values = values;
            this.cumulative = cumulative;
            this.n = n;
        }

        /** Weight of values &lt; x. */
        long countBelow(double x) {
            int i = lowerBound(values, values.length, x);
            return i == 0 ? 0 : cumulative[i - 1];
        }

        /** Weight of values ≤ x. */
        long countAtMost(double x) {
            int i = upperBound(values, values.length, x);
            return i == 0 ? 0 : cumulative[i - 1];
        }
    }
}
