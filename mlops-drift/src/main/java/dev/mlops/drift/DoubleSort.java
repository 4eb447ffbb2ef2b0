package dev.mlops.drift;

import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.Objects;

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
 * that time the radix sort against its baseline in one run.
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
        long[] src = s.keys;
        long[] dst = s.spare;
        int[] counts = s.counts;
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(a[from + i]);
            long key = bits ^ ((bits >> 63) | Long.MIN_VALUE);
            src[i] = key;
            counts[(int) (key & MASK)]++;
            counts[RADIX + (int) ((key >>> BITS) & MASK)]++;
            counts[2 * RADIX + (int) ((key >>> 2 * BITS) & MASK)]++;
            counts[3 * RADIX + (int) ((key >>> 3 * BITS) & MASK)]++;
            counts[4 * RADIX + (int) ((key >>> 4 * BITS) & MASK)]++;
            counts[5 * RADIX + (int) (key >>> 5 * BITS)]++;
        }
        for (int p = 0; p < PASSES; p++) {
            int base = p * RADIX;
            int shift = p * BITS;
            if (counts[base + (int) ((src[0] >>> shift) & MASK)] == n) {
                continue; // every key has this digit: the pass would not move anything
            }
            int sum = 0;
            for (int d = base; d < base + RADIX; d++) {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long key = src[i];
                dst[counts[base + (int) ((key >>> shift) & MASK)]++] = key;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        for (int i = 0; i < n; i++) {
            long key = src[i];
            a[from + i] = Double.longBitsToDouble(key ^ ((~key >> 63) | Long.MIN_VALUE));
        }
    }

    private static Scratch scratch(int n) {
        SoftReference<Scratch> ref = SCRATCH.get();
        Scratch s = ref == null ? null : ref.get();
        if (s == null || s.keys.length < n) {
            s = new Scratch(n);
            SCRATCH.set(new SoftReference<>(s));
        }
        return s;
    }

    /** A thread's reusable buffers: keys and their copy for the passes, and the digit counts. */
    private static final class Scratch {
        final long[] keys;
        final long[] spare;
        final int[] counts = new int[PASSES * RADIX];

        Scratch(int n) {
            keys = new long[n];
            spare = new long[n];
        }
    }
}
