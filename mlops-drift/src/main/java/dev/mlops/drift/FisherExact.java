package dev.mlops.drift;

import org.apache.commons.statistics.distribution.HypergeometricDistribution;

/**
 * Fisher's exact test on a 2×2 table, two-sided, ported from scipy 1.17
 * ({@code scipy/stats/_stats_py.py}: {@code fisher_exact} with {@code alternative='two-sided'},
 * and {@code _binary_search_for_binom_tst}). scipy is BSD-3-Clause licensed.
 *
 * <p>Table {@code [[a, b], [c, d]]}; under the null the first cell is hypergeometric with
 * population a+b+c+d, a+b successes and a+c draws. The two-sided p-value sums the probabilities
 * of every table at most as likely as the observed one, "as likely" with scipy's relative
 * tolerance of 1e-14, found as scipy does: the tail beyond the observed cell plus the tail on the
 * other side of the mode found by binary search. The tails are summed in log space from their
 * largest term outwards, so a p-value far below the smallest double's reach of one term is still
 * summed without underflow until the sum itself underflows. Package-private.
 */
final class FisherExact {

    /** scipy's tolerance for "as likely as the observed table". */
    private static final double RELATIVE_TIE = 1e-14;
    /** A tail stops once a term is this small against the sum so far (terms fall geometrically). */
    private static final double NEGLIGIBLE = 1e-20;

    private FisherExact() {
    }

    /**
     * @return {odds ratio, two-sided p-value}; the odds ratio is a·d/(b·c), +∞ when b·c = 0
     *         (a·d is then positive), and 1 with p = 1 when a row or a column is empty (scipy:
     *         NaN with p = 1)
     */
    static double[] test(long a, long b, long c, long d) {
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            throw new IllegalArgumentException("a 2x2 table needs counts >= 0, got [[" + a + ", " + b + "], [" + c
                    + ", " + d + "]]");
        }
        long row1 = a + b;
        long row2 = c + d;
        long col1 = a + c;
        long col2 = b + d;
        long total = row1 + row2;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Fisher's exact test takes tables of at most " + Integer.MAX_VALUE
                    + " counts, got " + total);
        }
        if (row1 == 0 || row2 == 0 || col1 == 0 || col2 == 0) {
            return new double[] {1.0, 1.0};
        }
        double oddsRatio = b > 0 && c > 0 ? product(a, d) / product(c, b) : Double.POSITIVE_INFINITY;
        return new double[] {oddsRatio, twoSided(a, row1, row2, col1)};
    }

    /** A product of counts as numpy's int64 product then float64 (exact below 2^63). */
    private static double product(long x, long y) {
        long high = Math.multiplyHigh(x, y);
        long low = x * y;
        return high == 0 && low >= 0 ? (double) low : (double) x * y;
    }

    private static double twoSided(long a, long n1, long n2, long n) {
        Hypergeometric h = new Hypergeometric((int) (n1 + n2), (int) n1, (int) n);
        int x = (int) a;
        // scipy: int((n + 1) * (n1 + 1) / (n1 + n2 + 2)), the mode; exact in integers here
        int mode = (int) ((n + 1) * (n1 + 1) / (n1 + n2 + 2));
        double pExact = h.pmf(x);
        double pMode = h.pmf(mode);
        if (Math.abs(pExact - pMode) / Math.max(pExact, pMode) <= RELATIVE_TIE) {
            return 1.0;
        }
        double gamma = 1 + RELATIVE_TIE;
        double limit = pExact * gamma;
        double p;
        if (x < mode) {
            double lower = h.logCdf(x);
            if (h.pmf((int) n) > limit) {
                return Math.min(1.0, Math.exp(lower));
            }
            // the last x' >= mode whose probability is at least the observed one's (times gamma)
            int guess = search(k -> -h.pmf(k), -limit, mode, (int) n);
            p = Math.exp(lower) + Math.exp(h.logSf(guess));
        } else {
            double upper = h.logSf(x - 1);
            if (h.pmf(0) > limit) {
                return Math.min(1.0, Math.exp(upper));
            }
            int guess = search(h::pmf, limit, 0, mode);
            p = Math.exp(upper) + Math.exp(h.logCdf(guess));
        }
        return Math.min(p, 1.0);
    }

    /**
     * scipy's {@code _binary_search_for_binom_tst}: for f ascending on [lo, hi], the i with
     * f(i) ≤ d &lt; f(i + 1) (lo − 1 when f(lo) &gt; d).
     */
    private static int search(java.util.function.IntToDoubleFunction f, double d, int lo, int hi) {
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            double v = f.applyAsDouble(mid);
            if (v < d) {
                lo = mid + 1;
            } else if (v > d) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return f.applyAsDouble(lo) <= d ? lo : lo - 1;
    }

    /** The null distribution of the first cell; outside its support the probability is 0. */
    private static final class Hypergeometric {
        final HypergeometricDistribution dist;
        final int lower;
        final int upper;

        Hypergeometric(int population, int successes, int draws) {
            dist = HypergeometricDistribution.of(population, successes, draws);
            lower = dist.getSupportLowerBound();
            upper = dist.getSupportUpperBound();
        }

        double pmf(int k) {
            return k < lower || k > upper ? 0.0 : dist.probability(k);
        }

        double logPmf(int k) {
            return k < lower || k > upper ? Double.NEGATIVE_INFINITY : dist.logProbability(k);
        }

        /** log P(X ≤ k), summed from k downwards. */
        double logCdf(int k) {
            return logTail(Math.min(k, upper), -1);
        }

        /** log P(X &gt; k), summed from k + 1 upwards. */
        double logSf(int k) {
            return logTail(Math.max(k + 1, lower), +1);
        }

        /**
         * log Σ pmf(j) for j from start in direction step to the end of the support. The terms
         * fall away from the mode, and start is on the far side of the mode, so the first term is
         * the largest: the sum is first · Σ exp(log pmf(j) − log pmf(start)), stopped once a term
         * is negligible.
         */
        private double logTail(int start, int step) {
            if (start < lower || start > upper) {
                return Double.NEGATIVE_INFINITY;
            }
            double first = logPmf(start);
            if (first == Double.NEGATIVE_INFINITY) {
                return first;
            }
            double sum = 1.0;
            for (int j = start + step; j >= lower && j <= upper; j += step) {
                double term = Math.exp(logPmf(j) - first);
                sum += term;
                if (term < NEGLIGIBLE * sum) {
                    break;
                }
            }
            return first + Math.log(sum);
        }
    }
}
