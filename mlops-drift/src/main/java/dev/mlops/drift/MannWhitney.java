package dev.mlops.drift;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Two-sided Mann–Whitney U test as scipy 1.17 {@code mannwhitneyu(x, y)} with its defaults
 * ({@code use_continuity=True, alternative='two-sided', method='auto'};
 * scipy/stats/_mannwhitneyu.py). scipy is BSD-3-Clause licensed.
 */
final class MannWhitney {

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    /** Beyond this many U values the exact table is not built (scipy would need hours there). */
    static final int MAX_EXACT_TABLE = 1 << 25;

    private MannWhitney() {
    }

    static StatResult test(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        double[] xs = Samples.sorted(x);
        double[] ys = Samples.sorted(y);
        Ranks ranks = Ranks.of(xs, ys);
        double r1 = 0.0;
        for (double r : ranks.first) {
            r1 += r;
        }
        double u1 = r1 - n1 * (n1 + 1.0) / 2;
        double u2 = (double) n1 * n2 - u1;
        double u = Math.max(u1, u2);
        boolean exact = !(n1 > 8 && n2 > 8) && !ranks.hasTies
                && (double) n1 * n2 / 2 <= MAX_EXACT_TABLE;
        double p;
        if (exact) {
            p = exactSf((long) u, n1, n2);
        } else {
            double mu = (double) n1 * n2 / 2;
            double n = n1 + n2;
            double s = Math.sqrt((double) n1 * n2 / 12 * ((n + 1) - ranks.tieTerm / (n * (n - 1))));
            double z = (u - mu - 0.5) / s;
            p = STANDARD_NORMAL.cumulativeProbability(-z);
        }
        p *= 2;
        return StatResult.test(u1, Math.max(0.0, Math.min(1.0, p)));
    }

    /**
     * P(U ≥ k) under the null for sample sizes n1, n2 without ties: by symmetry
     * P(U ≤ n1·n2 − k), summed over the exact counts of arrangements with each U value.
     *
     * <p>scipy builds the counts with a divisor-sum recurrence in O(k²); here they are the
     * coefficients of the Gaussian binomial [n1+n2 choose n1]_q, built as
     * ∏_{i=1..m} (1 − q^{M+i}) / (1 − q^i) (m = min size, M = max size) in O(m·k). Both are
     * exact integers while the counts stay below 2^53.
     */
    static double exactSf(long k, int n1, int n2) {
        int m = Math.min(n1, n2);
        int big = Math.max(n1, n2);
        long kc = (long) n1 * n2 - k;
        if (kc < 0) {
            return 0.0;
        }
        int maxu = (int) kc;
        double[] c = new double[maxu + 1];
        c[0] = 1.0;
        for (int i = 1; i <= m; i++) {
            for (int u = i; u <= maxu; u++) {
                c[u] += c[u - i];
            }
            int shift = big + i;
            for (int u = maxu; u >= shift; u--) {
                c[u] -= c[u - shift];
            }
        }
        double total = 1.0;
        for (int i = 1; i <= m; i++) {
            total = total * (big + i) / i;
        }
        double cum = 0.0;
        for (int u = 0; u <= maxu; u++) {
            cum += c[u];
        }
        return cum / total;
    }
}
