package dev.mlops.drift;

/**
 * The largest and the smallest difference F1(v) − F2(v) between the empirical distribution
 * functions of two samples given as ascending order keys ({@link DoubleSort#sortedKeys}), over
 * every value v of the pooled sample: i/n1 − j/n2 with i and j the counts of each sample at or
 * below v, computed as {@code (double) i / n1 - (double) j / n2} exactly as a plain merge (and
 * scipy's {@code ks_2samp}) computes them, so the extremes are the same doubles, bit for bit.
 *
 * <p>Why not the plain merge: which sample holds the next value is a coin toss that the branch
 * predictor loses about half the time, each step waits for the previous one's loads, and each
 * takes two divisions. Here the choice is arithmetic, the difference is kept exactly as an
 * integer and divided out only where it may be an extreme (rarely, so that branch is
 * predicted), and the pooled sample is cut at a value boundary into two halves walked side by
 * side, two independent chains that keep the pipeline full.
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
     *
     * <p>A step keeps the difference exactly, as the integer e = i·n2 − j·n1 (= n1·n2·(F1 − F2)),
     * and divides only where the difference may be an extreme: within {@code slack} of the
     * largest or smallest e seen so far. The doubles' rounding moves a difference by less than
     * 2^-51, which {@code slack} / (n1·n2) exceeds, so a difference further from the extremes
     * cannot round past them; the extremes are still the doubles a plain merge finds.
     */
    private static void stepTogether(Chain c1, Chain c2) {
        long[] a = c1.a;
        long[] b = c1.b;
        int n1 = a.length;
        int n2 = b.length;
        long slack = (long) Math.ceil((double) n1 * n2 * 0x1p-50) + 1;
        long up = n2;
        long down = n1;
        int i1 = c1.i;
        int j1 = c1.j;
        int i1End = c1.iEnd;
        int j1End = c1.jEnd;
        long prev1 = c1.prev;
        long e1 = i1 * up - j1 * down;
        long maxE1 = Long.MIN_VALUE / 2;
        long minE1 = Long.MAX_VALUE / 2;
        double max1 = c1.max;
        double min1 = c1.min;
        int i2 = c2.i;
        int j2 = c2.j;
        long prev2 = c2.prev;
        long e2 = i2 * up - j2 * down;
        long maxE2 = Long.MIN_VALUE / 2;
        long minE2 = Long.MAX_VALUE / 2;
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
            // equal values there is no difference to take
            if (((e1 >= maxE1 - slack) | (e1 <= minE1 + slack)) & m1 != prev1) {
                double d = (double) i1 / n1 - (double) j1 / n2;
                max1 = Math.max(max1, d);
                min1 = Math.min(min1, d);
                maxE1 = Math.max(maxE1, e1);
                minE1 = Math.min(minE1, e1);
            }
            if (((e2 >= maxE2 - slack) | (e2 <= minE2 + slack)) & m2 != prev2) {
                double d = (double) i2 / n1 - (double) j2 / n2;
                max2 = Math.max(max2, d);
                min2 = Math.min(min2, d);
                maxE2 = Math.max(maxE2, e2);
                minE2 = Math.min(minE2, e2);
            }
            prev1 = m1;
            prev2 = m2;
            i1 += t1;
            j1 += 1 - t1;
            i2 += t2;
            j2 += 1 - t2;
            e1 += (up + down) * t1 - down;
            e2 += (up + down) * t2 - down;
        }
        c1.i = i1;
        c1.j = j1;
        c1.prev = prev1;
        c1.max = max1;
        c1.min = min1;
        c2.i = i2;
        c2.j = j2;
        c2.prev = prev2;
        c2.max = max2;
        c2.min = min2;
    }

    /** @return 1 when {@code x < y} as unsigned numbers, else 0 (Hacker's Delight 2-12, no branch) */
    private static int unsignedLess(long x, long y) {
        return (int) (((~x & y) | (~(x ^ y) & (x - y))) >>> 63);
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
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;

        Chain(long[] a, long[] b, int iFrom, int iEnd, int jFrom, int jEnd) {
            this.a = a;
            this.b = b;
            this.i = iFrom;
            this.j = jFrom;
            this.iEnd = iEnd;
            this.jEnd = jEnd;
            // no value before the first: no difference evaluated before it
            this.prev = iFrom == iEnd ? (jFrom == jEnd ? 0 : b[jFrom])
                    : jFrom == jEnd || Long.compareUnsigned(a[iFrom], b[jFrom]) <= 0 ? a[iFrom] : b[jFrom];
        }

        /** Walks what is left, one side possibly used up, then takes the difference at the end. */
        void finish() {
            while (i < iEnd || j < jEnd) {
                boolean fromA = j >= jEnd || (i < iEnd && Long.compareUnsigned(a[i], b[j]) <= 0);
                long m = fromA ? a[i] : b[j];
                if (m != prev) {
                    evaluate();
                }
                prev = m;
                if (fromA) {
                    i++;
                } else {
                    j++;
                }
            }
            evaluate();
        }

        private void evaluate() {
            double d = (double) i / a.length - (double) j / b.length;
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
    }
}
