package dev.mlops.drift;

import java.util.Arrays;

/**
 * Mutable counters of one window (or stripe, or sub-window) for every profiled column, in the
 * flat layout of a {@link ProfileLayout}: all counts in one {@code long[]}, numerical min/max in
 * one {@code double[]}. Merging adds counts and combines min/max, so it is exact, associative and
 * commutative. Not thread-safe. Package-private.
 */
final class WindowData {
    final long[] counts;
    final double[] minMax;
    long rows;
    /** Earliest event time (epoch millis) of the rows given one, or Long.MAX_VALUE when none was. */
    long firstMillis = Long.MAX_VALUE;
    /** Latest event time (epoch millis) of the rows given one, or Long.MIN_VALUE. */
    long lastMillis = Long.MIN_VALUE;

    WindowData(int countsSize, int numericalColumns) {
        counts = new long[countsSize];
        minMax = new double[2 * numericalColumns];
        reset();
    }

    void reset() {
        Arrays.fill(counts, 0L);
        for (int i = 0; i < minMax.length; i += 2) {
            minMax[i] = Double.POSITIVE_INFINITY;
            minMax[i + 1] = Double.NEGATIVE_INFINITY;
        }
        rows = 0;
        firstMillis = Long.MAX_VALUE;
        lastMillis = Long.MIN_VALUE;
    }

    void mergeFrom(WindowData o) {
        long[] a = counts;
        long[] b = o.counts;
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        for (int i = 0; i < minMax.length; i += 2) {
            minMax[i] = Math.min(minMax[i], o.minMax[i]);
            minMax[i + 1] = Math.max(minMax[i + 1], o.minMax[i + 1]);
        }
        rows += o.rows;
        firstMillis = Math.min(firstMillis, o.firstMillis);
        lastMillis = Math.max(lastMillis, o.lastMillis);
    }

    WindowData copy() {
        WindowData c = new WindowData(counts.length, minMax.length / 2);
        c.mergeFrom(this);
        return c;
    }

    /** Bytes held by the arrays (not counting object headers). */
    long arrayBytes() {
        return 8L * counts.length + 8L * minMax.length;
    }
}
