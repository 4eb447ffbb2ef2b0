package dev.mlops.drift;

/**
 * The largest and the smallest difference F1(v) − F2(v) between the empirical distribution
 * functions of two samples given as ascending order keys ({@link DoubleSort#sortedKeys}), over
 * every value v of the pooled sample: i/n1 − j/n2 with i and j the counts of each sample at or
 * below v, computed as {@code (double) i / n1 - (double) j / n2} exactly as a plain merge (and
 * scipy's {@code ks_2samp}) computes them, so the extremes are the same doubles, bit for bit.
 *
 * <p>Why not the plain merge: which sample holds the next value is a coin toss that the branch
 * predictor loses about half the time, and each step waits for the previous one's loads. Here a
 * step has no branch (the choice, the tie test and the division's operands are arithmetic), and
 * the pooled sample is cut at a value boundary into two halves walked side by side, two
 * independent chains that keep the pipeline full.
 */
final class EcdfDifference {

    private EcdfDifference() {
    }

    /**
     * @param a the first sample's keys, ascending in unsigned order, not empty
     * @param b the second sample's keys, ascending in unsigned order, not empty
     * @return {max of F1 − F2, min of F1 − F2}; the end, where both are 1, is one of the values
     */
    static double[] extremes(long[] a, long[] b) {
        int n1 = a.length;
        int n2 = b.length;
        // the first half of the merged order ends with every copy of its last value
        int k = (n1 + n2) >>> 1;
        int lo = Math.max(0, k - n2);
        int hi = Math.min(k, n1);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(a[mid], b[k - mid - 1]) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        long last = lo == 0 ? b[k - 1] : k - lo == 0 ? a[lo - 1]
                : Long.compareUnsigned(a[lo - 1], b[k - lo - 1]) >= 0 ? a[lo - 1] : b[k - lo - 1];
        Chain first = new Chain(a, b, 0, upperBound(a, last), 0, upperBound(b, last));
        Chain second = new Chain(a, b, first.iEnd, n1, first.jEnd, n2);
        stepTogether(first, second);
        first.finish();
        second.finish();
        return new double[] {Math.max(first.max, second.max), Math.min(first.min, second.min)};
    }

    /** @return how many keys of the ascending {@code keys} are at or below {@code key}, unsigned */
    private static int upperBound(long[] keys, long key) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(keys[mid], key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Advances both chains one value each while neither has used up a side. The two chains are
     * written out in one body, not called, so their independent steps interleave.
     */
    private static void stepTogether(Chain c1, Chain c2) {
        long[] a = c1.a;
        long[] b = c1.b;
        int n1 = a.length;
        int n2 = b.length;
        int i1 = c1.i;
        int j1 = c1.j;
        int i1End = c1.iEnd;
        int j1End = c1.jEnd;
        long prev1 = c1.prev;
        double fi1 = c1.fi;
        double fj1 = c1.fj;
        double max1 = c1.max;
        double min1 = c1.min;
        int i2 = c2.i;
        int j2 = c2.j;
        long prev2 = c2.prev;
        double fi2 = c2.fi;
        double fj2 = c2.fj;
        double max2 = c2.max;
        double min2 = c2.min;
        while (i1 < i1End && j1 < j1End && i2 < n1 && j2 < n2) {
            long x1 = a[i1];
            long y1 = b[j1];
            long x2 = a[i2];
            long y2 = b[j2];
            // t = 1 when the next value comes from a (a first on a tie), else 0
            int t1 = 1 - unsignedLess(y1, x1);
            int t2 = 1 - unsignedLess(y2, x2);
            long m1 = y1 ^ ((x1 ^ y1) & -(long) t1);
            long m2 = y2 ^ ((x2 ^ y2) & -(long) t2);
            // the state before a new value is the state after the previous one; inside a run of
            // equal values the difference is replaced by 0.0, which the end's 0.0 makes neutral
            double d1 = masked(fi1 - fj1, m1 ^ prev1);
            double d2 = masked(fi2 - fj2, m2 ^ prev2);
            max1 = Math.max(max1, d1);
            min1 = Math.min(min1, d1);
            max2 = Math.max(max2, d2);
            min2 = Math.min(min2, d2);
            prev1 = m1;
            prev2 = m2;
            i1 += t1;
            j1 += 1 - t1;
            i2 += t2;
            j2 += 1 - t2;
            // the one count that moved, over its sample's size: the division a merge does
            double q1 = (double) (j1 + ((i1 - j1) & -t1)) / (n2 + ((n1 - n2) & -t1));
            double q2 = (double) (j2 + ((i2 - j2) & -t2)) / (n2 + ((n1 - n2) & -t2));
            fi1 = select(t1, q1, fi1);
            fj1 = select(1 - t1, q1, fj1);
            fi2 = select(t2, q2, fi2);
            fj2 = select(1 - t2, q2, fj2);
        }
        c1.i = i1;
        c1.j = j1;
        c1.prev = prev1;
        c1.fi = fi1;
        c1.fj = fj1;
        c1.max = max1;
        c1.min = min1;
        c2.i = i2;
        c2.j = j2;
        c2.prev = prev2;
        c2.fi = fi2;
        c2.fj = fj2;
        c2.max = max2;
        c2.min = min2;
    }

    /** @return 1 when {@code x < y} as unsigned numbers, else 0 (Hacker's Delight 2-12, no branch) */
    private static int unsignedLess(long x, long y) {
        return (int) (((~x & y) | (~(x ^ y) & (x - y))) >>> 63);
    }

    /** @return {@code d} when {@code change} is not 0, else 0.0 */
    private static double masked(double d, long change) {
        long nonZero = (change | -change) >> 63; // all ones when change != 0
        return Double.longBitsToDouble(Double.doubleToRawLongBits(d) & nonZero);
    }

    /** @return {@code q} when {@code take} is 1, {@code old} when it is 0 */
    private static double select(int take, double q, double old) {
        long o = Double.doubleToRawLongBits(old);
        return Double.longBitsToDouble(o ^ ((o ^ Double.doubleToRawLongBits(q)) & -(long) take));
    }

    /** One walk over a[iFrom, iEnd) and b[jFrom, jEnd), the values of which no other walk holds. */
    private static final class Chain {
        final long[] a;
        final long[] b;
        final int iEnd;
        final int jEnd;
        int i;
        int j;
        long prev;
        double fi;
        double fj;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;

        Chain(long[] a, long[] b, int iFrom, int iEnd, int jFrom, int jEnd) {
            this.a = a;
            this.b = b;
            this.i = iFrom;
            this.j = jFrom;
            this.iEnd = iEnd;
            this.jEnd = jEnd;
            this.fi = (double) iFrom / a.length;
            this.fj = (double) jFrom / b.length;
            // no value before the first: no difference evaluated before it
            this.prev = iFrom == iEnd ? (jFrom == jEnd ? 0 : b[jFrom])
                    : jFrom == jEnd || Long.compareUnsigned(a[iFrom], b[jFrom]) <= 0 ? a[iFrom] : b[jFrom];
        }

        /** Walks what is left, one side possibly used up, then takes the difference at the end. */
        void finish() {
            int n1 = a.length;
            int n2 = b.length;
            while (i < iEnd || j < jEnd) {
                boolean fromA = j >= jEnd || (i < iEnd && Long.compareUnsigned(a[i], b[j]) <= 0);
                long m = fromA ? a[i] : b[j];
                if (m != prev) {
                    evaluate();
                }
                prev = m;
                if (fromA) {
                    i++;
                    fi = (double) i / n1;
                } else {
                    j++;
                    fj = (double) j / n2;
                }
            }
            evaluate();
        }

        private void evaluate() {
            double d = fi - fj;
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
    }
}
