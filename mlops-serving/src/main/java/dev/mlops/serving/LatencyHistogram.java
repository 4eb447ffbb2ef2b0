package dev.mlops.serving;

import dev.mlops.api.serving.LatencySnapshot;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of nanosecond durations, cheap enough for every request:
 * recording is one atomic add on a counter array (no allocation, no lock) plus a rarely taken
 * compare-and-set for the maximum.
 *
 * <p>Buckets: values below 32 are exact; above, every power of two is split into 32 equal
 * buckets, so a bucket is at most 1/32 of its lower bound wide and the reported midpoint is
 * within 1.6% of any value in it. Values of 2^44 ns (about 4.9 hours) and more share the last
 * bucket (the maximum is kept exactly). Counters are striped by thread so two request threads
 * seldom add to the same cache line.
 */
final class LatencyHistogram {
    static final int SUB_BITS = 5;
    static final int SUB = 1 << SUB_BITS;
    static final int MAX_EXPONENT = 44;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB;
    private static final int STRIPES = stripes();
    private static final int STRIPE_BITS = Integer.numberOfTrailingZeros(STRIPES);

    private final AtomicLongArray counts = new AtomicLongArray(STRIPES * BUCKETS);
    private final AtomicLong max = new AtomicLong();

    private static int stripes() {
        int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1);
        return Math.min(n, 8);
    }

    /** @param nanos one duration; negative counts as 0 */
    void record(long nanos) {
        counts.getAndIncrement(stripeBase() + index(nanos));
        if (nanos > max.get()) {
            raiseMax(nanos);
        }
    }

    /**
     * Records {@code n} durations of {@code nanos} each (a batch, by its mean).
     *
     * @param nanos one duration
     * @param n how many
     */
    void record(long nanos, long n) {
        if (n <= 0) {
            return;
        }
        counts.getAndAdd(stripeBase() + index(nanos), n);
        if (nanos > max.get()) {
            raiseMax(nanos);
        }
    }

    private void raiseMax(long nanos) {
        long m;
        while (nanos > (m = max.get())) {
            if (max.compareAndSet(m, nanos)) {
                return;
            }
        }
    }

    private static int stripeBase() {
        // Fibonacci hashing of the thread id spreads consecutive ids over the stripes
        if (STRIPE_BITS == 0) {
            return 0;
        }
        long id = Thread.currentThread().getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> (64 - STRIPE_BITS)) * BUCKETS;
    }

    static int index(long value) {
        if (value < SUB) {
            return value <= 0 ? 0 : (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int shift = exponent - SUB_BITS;
        return ((shift + 1) << SUB_BITS) + (int) ((value >>> shift) - SUB);
    }

    /** @return the smallest value that falls in bucket {@code index} */
    static long lowerBound(int index) {
        if (index < SUB) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        return (long) (SUB + (index & (SUB - 1))) << shift;
    }

    /** @return the value reported for bucket {@code index}: its midpoint */
    static long representative(int index) {
        if (index < SUB) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        return lowerBound(index) + ((1L << shift) >>> 1);
    }

    /** @return count, p50, p90, p99 (bucket midpoints, never above the maximum) and maximum */
    LatencySnapshot snapshot() {
        return snapshot(-1);
    }

    /**
     * The snapshot with an exact count kept elsewhere: the histogram then holds a sample of the
     * calls counted, and gives the percentiles and the maximum of that sample.
     *
     * @param calls the count to report, or -1 for the histogram's own
     */
    LatencySnapshot snapshot(long calls) {
        long[] merged = new long[BUCKETS];
        long count = 0;
        for (int s = 0; s < STRIPES; s++) {
            int base = s * BUCKETS;
            for (int i = 0; i < BUCKETS; i++) {
                long c = counts.get(base + i);
                merged[i] += c;
                count += c;
            }
        }
        long m = max.get();
        long reported = calls < 0 ? count : calls;
        if (count == 0) {
            return new LatencySnapshot(reported, 0, 0, 0, 0);
        }
        return new LatencySnapshot(reported, quantile(merged, count, 0.50, m), quantile(merged, count, 0.90, m),
                quantile(merged, count, 0.99, m), m);
    }

    private static long quantile(long[] merged, long count, double q, long max) {
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < merged.length; i++) {
            seen += merged[i];
            if (seen >= rank) {
                return Math.min(representative(i), max);
            }
        }
        return max;
    }
}
