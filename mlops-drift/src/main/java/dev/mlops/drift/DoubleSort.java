package dev.mlops.drift;

import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Sorts doubles into exactly the order {@link Arrays#sort(double[])} gives, bit for bit, by an
 * LSD radix sort of the IEEE-754 bits. Package-private.
 *
 * <p>Each value's bits become an unsigned key whose order is the doubles' order: a negative
 * value has all its bits flipped, a positive one only its sign bit, so −0.0 sorts just before
 * 0.0 and infinities at the ends, as {@code Double.compare} orders them. The keys are sorted by
 * 11-bit digits (six passes at most), and a pass whose digit is the same in every key is
 * skipped (samples of one sign and a narrow exponent range skip the upper passes). NaNs never
 * reach the keys: they are first moved to the end by the same loop {@code Arrays.sort} runs
 * (JDK 14+ {@code DualPivotQuicksort}, phase 1), so even the order of NaN payloads is the same.
 * Ranges shorter than {@link #RADIX_MIN} go to {@code Arrays.sort} itself, which is faster there.
 *
 * <p>The two key buffers are kept per thread behind a soft reference and reused, so a thread
 * sorting column after column allocates them once (the garbage collector may take them back when
 * memory runs short).
 *
 * <p>The system property {@code mlops.drift.sort=arrays}, read once, sends every sort to
 * {@code Arrays.sort} instead: the same results (the property tests show it), for benchmarks
 * that time the radix sort against its baseline in one run; {@code mlops.drift.sort=one-thread}
 * keeps the radix sort but never sorts a second sample on another thread (the single-thread
 * figure of the same benchmarks).
 */
final class DoubleSort {

    /** Below this many values, {@code Arrays.sort} (insertion and quick sorts) is faster. */
    static final int RADIX_MIN = 1024;
    private static final int BITS = 11;
    private static final int RADIX = 1 << BITS;
    private static final int MASK = RADIX - 1;
    private static final int PASSES = (Long.SIZE + BITS - 1) / BITS;

    /** Whether {@code mlops.drift.sort=arrays} asked for {@code Arrays.sort} (benchmark baselines). */
    static final boolean ARRAYS_SORT = "arrays".equals(System.getProperty("mlops.drift.sort"));

    private static final ThreadLocal<SoftReference<Scratch>> SCRATCH = new ThreadLocal<>();

    /** Both samples of a two-sample sort at least this long: then the second may go to another thread. */
    static final int CONCURRENT_MIN = 1 << 16;
    /** A second core to sort on: the common pool has a thread of its own only when there are at least two. */
    private static final boolean CONCURRENT = Runtime.getRuntime().availableProcessors() > 1
            && ForkJoinPool.getCommonPoolParallelism() > 0
            && !"one-thread".equals(System.getProperty("mlops.drift.sort"));
    /** Set while the thread runs work that already keeps the cores busy ({@link #alone}). */
    private static final ThreadLocal<Boolean> ALONE = new ThreadLocal<>();

    private DoubleSort() {
    }

    /** Sorts the whole array, as {@link Arrays#sort(double[])}. */
    static void sort(double[] a) {
        sort(a, 0, a.length);
    }

    /** Sorts a[from, to), as {@link Arrays#sort(double[], int, int)}. */
    static void sort(double[] a, int from, int to) {
        Objects.checkFromToIndex(from, to, a.length);
        if (ARRAYS_SORT || to - from < RADIX_MIN) {
            Arrays.sort(a, from, to);
            return;
        }
        // NaNs to the end exactly as Arrays.sort moves them, so that their payloads end in the same order
        int high = to;
        for (int k = to; k > from; ) {
            double ak = a[--k];
            if (ak != ak) {
                a[k] = a[--high];
                a[high] = ak;
            }
        }
        int n = high - from;
        if (n < RADIX_MIN) {
            Arrays.sort(a, from, high); // no NaN left, so the same order as sorting [from, to)
            return;
        }
        radix(a, from, n, scratch(n));
    }

    private static void radix(double[] a, int from, int n, Scratch s) {
        long[] src = s.keys();
        long[] dst = s.spare;
        int[] counts = s.counts;
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(a[from + i]);
            long key = bits ^ ((bits >> 63) | Long.MIN_VALUE);
            src[i] = key;
            countDigits(counts, key);
        }
        for (int p = 0; p < PASSES; p++) {
            int base = p * RADIX;
            int shift = p * BITS;
            if (counts[base + (int) ((src[0] >>> shift) & MASK)] == n) {
                continue; // every key has this digit: the pass would not move anything
            }
            pass(src, dst, n, counts, p);
            long[] t = src;
            src = dst;
            dst = t;
        }
        for (int i = 0; i < n; i++) {
            long key = src[i];
            a[from + i] = Double.longBitsToDouble(key ^ ((~key >> 63) | Long.MIN_VALUE));
        }
    }

    /**
     * The sample's values, without NaN, as ascending order keys: {@code Double.compare} order is
     * the keys' unsigned order, −0.0 has 0.0's key (the two tie, as in numpy), and equal keys are
     * equal values. For the rank statistics that only compare values ({@code kolmogorovSmirnov}):
     * the sort reads the doubles, writes only keys, and never turns them back into doubles.
     *
     * <p>Cost over sorting a copy: a sample that is already ascending (the column layer's sorted
     * copies; −0.0 and 0.0 count as equal, as in {@link Samples#sorted}) is only turned into keys;
     * otherwise one pass counts every digit, the first digit pass reads the doubles themselves, and the passes
     * start in the buffer that makes the last one end in the returned array, so there is no
     * copy of the input, no copy back and no pass to move NaNs.
     *
     * @param values a sample without NaN (the caller checked); not modified
     * @return a new array of {@code values.length} keys in ascending unsigned order
     */
    static long[] sortedKeys(double[] values) {
        int n = values.length;
        long[] out = new long[n];
        if (ARRAYS_SORT || n < RADIX_MIN) {
            double[] copy = values.clone();
            Arrays.sort(copy);
            for (int i = 0; i < n; i++) {
                out[i] = key(copy[i]);
            }
            return out;
        }
        // a loop of its own that stops at the first descent: in the counting loop the check costs ~15%
        int descent = 1;
        while (descent < n && values[descent - 1] <= values[descent]) {
            descent++;
        }
        if (descent == n) {
            for (int i = 0; i < n; i++) {
                out[i] = key(values[i]);
            }
            return out;
        }
        Scratch s = scratch(n);
        int[] counts = s.counts;
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            long key = key(values[i]);
            countDigits(counts, key);
        }
        long first = key(values[0]);
        int[] shifts = new int[PASSES];
        int passes = 0;
        for (int p = 0; p < PASSES; p++) {
            if (counts[p * RADIX + (int) ((first >>> p * BITS) & MASK)] != n) {
                shifts[passes++] = p; // a pass whose digit is the same in every key would not move anything
            }
        }
        // not ascending, so at least one digit differs somewhere and passes >= 1
        long[] spare = s.spare;
        long[] dst = passes % 2 == 1 ? out : spare; // the last pass then writes `out`
        offsets(counts, shifts[0]);
        int shift = shifts[0] * BITS;
        int base = shifts[0] * RADIX;
        for (int i = 0; i < n; i++) {
            long key = key(values[i]);
            dst[counts[base + (int) ((key >>> shift) & MASK)]++] = key;
        }
        long[] src = dst;
        dst = src == out ? spare : out;
        for (int q = 1; q < passes; q++) {
            pass(src, dst, n, counts, shifts[q]);
            long[] t = src;
            src = dst;
            dst = t;
        }
        return out;
    }

    /** @return the order key of a value that is not NaN; −0.0 + 0.0 is 0.0, every other value is itself */
    private static long key(double v) {
        long bits = Double.doubleToRawLongBits(v + 0.0);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }

    /** Adds one key to the counts of each of its six digits (one pass counts for every digit pass). */
    private static void countDigits(int[] counts, long key) {
        counts[(int) (key & MASK)]++;
        counts[RADIX + (int) ((key >>> BITS) & MASK)]++;
        counts[2 * RADIX + (int) ((key >>> 2 * BITS) & MASK)]++;
        counts[3 * RADIX + (int) ((key >>> 3 * BITS) & MASK)]++;
        counts[4 * RADIX + (int) ((key >>> 4 * BITS) & MASK)]++;
        counts[5 * RADIX + (int) (key >>> 5 * BITS)]++;
    }

    /** Digit pass {@code p}: moves the n keys of {@code src} to {@code dst}, stably, by that digit. */
    private static void pass(long[] src, long[] dst, int n, int[] counts, int p) {
        offsets(counts, p);
        int shift = p * BITS;
        int base = p * RADIX;
        for (int i = 0; i < n; i++) {
            long key = src[i];
            dst[counts[base + (int) ((key >>> shift) & MASK)]++] = key;
        }
    }

    /** Turns digit pass {@code p}'s counts into the first index of each digit. */
    private static void offsets(int[] counts, int p) {
        int sum = 0;
        for (int d = p * RADIX; d < (p + 1) * RADIX; d++) {
            int c = counts[d];
            counts[d] = sum;
            sum += c;
        }
    }

    /**
     * Sorted keys ({@link #sortedKeys}) of two samples, the second sorted on another thread of the
     * common fork-join pool while this one sorts the first, when both are large and a core is
     * free for it. No thread is created: the common pool has one thread fewer than the machine
     * has cores. If no pool thread took the second sample by the time the first is sorted (the
     * pool is busy), this thread sorts it itself. A caller that already runs work on every core
     * (a {@code DriftAnalysis} comparing columns in parallel) sorts both on its own thread: see
     * {@link #alone}. The results are the same either way: each sample's keys depend on it alone.
     *
     * @return the two samples' keys, in the order given
     */
    static long[][] sortedKeys(double[] first, double[] second) {
        // the Arrays.sort baseline stays the test as it was: both sorts on the caller's thread
        if (Math.min(first.length, second.length) < CONCURRENT_MIN || !CONCURRENT || ARRAYS_SORT
                || ALONE.get() != null) {
            return new long[][] {sortedKeys(first), sortedKeys(second)};
        }
        ForkJoinTask<long[]> other = ForkJoinTask.adapt(() -> sortedKeys(second)).fork();
        long[] a = sortedKeys(first);
        long[] b = other.tryUnfork() ? sortedKeys(second) : other.join();
        return new long[][] {a, b};
    }

    /**
     * Runs {@code work} with every two-sample sort on the calling thread: for callers that already
     * keep the cores busy (columns compared in parallel), where sorting the second sample on
     * another thread would only add a thread to a full machine.
     */
    static <T> T alone(Callable<T> work) throws Exception {
        if (ALONE.get() != null) {
            return work.call();
        }
        ALONE.set(Boolean.TRUE);
        try {
            return work.call();
        } finally {
            ALONE.remove();
        }
    }

    private static Scratch scratch(int n) {
        SoftReference<Scratch> ref = SCRATCH.get();
        Scratch s = ref == null ? null : ref.get();
        if (s == null || s.spare.length < n) {
            s = new Scratch(n);
            SCRATCH.set(new SoftReference<>(s));
        }
        return s;
    }

    /**
     * A thread's reusable buffers: keys and their copy for the passes, and the digit counts. The
     * keys buffer is made on first use: {@link #sortedKeys} sorts into its caller's array and
     * needs only the spare.
     */
    private static final class Scratch {
        private long[] keys;
        final long[] spare;
        final int[] counts = new int[PASSES * RADIX];

        Scratch(int n) {
            spare = new long[n];
        }

        long[] keys() {
            if (keys == null) {
                keys = new long[spare.length];
            }
            return keys;
        }
    }
}
