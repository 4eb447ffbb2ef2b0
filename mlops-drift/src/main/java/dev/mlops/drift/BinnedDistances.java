package dev.mlops.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Binned distances between a reference and a current sample: PSI, Kullback–Leibler divergence,
 * Jensen–Shannon distance, Hellinger distance and total variation distance, for numerical and
 * categorical samples.
 *
 * <p><b>Binning</b> (the {@code definitions} of the shared reference vectors, which are
 * Evidently's {@code get_binned_data}):
 * <ul>
 *   <li>numerical, reference with more than 20 distinct values: Sturges bins over the pooled
 *       sample, as {@code numpy.histogram_bin_edges(reference ++ current, bins='sturges')}:
 *       k = ⌈(max − min)/w⌉ equal bins with w = (max − min)/(log2(N) + 1), edges
 *       min + i·(max − min)/k (the last one exactly max); bin i holds edges[i] ≤ x &lt; edges[i+1],
 *       the last bin also x = max, as {@code numpy.histogram};</li>
 *   <li>numerical with at most 20 distinct reference values, and categorical: one bin per
 *       distinct value of the union of both samples (so a value or category seen only in the
 *       current sample gets its own bin with reference share 0);</li>
 *   <li>share = count / sample size.</li>
 * </ul>
 * <b>Zero filling</b>, for PSI and KL only, per sample: shares equal to 0 are replaced by 1e-4,
 * or by (smallest non-zero share)/1e6 when that smallest share is ≤ 1e-4. Jensen–Shannon,
 * Hellinger and TVD use the raw shares.
 *
 * <p><b>Inputs</b>: non-empty samples; numerical values must be finite (NaN and ±Infinity are
 * rejected with an {@link IllegalArgumentException} naming the side and index), categories
 * non-null. All five distances are 0 for identical samples; JS, Hellinger and TVD are symmetric.
 */
public final class BinnedDistances {

    /** Reference distinct-value count above which numerical samples get Sturges bins. */
    public static final int MAX_VALUE_BINS = 20;

    private BinnedDistances() {
    }

    // ------------------------------------------------------------------ binning

    /**
     * Bins two numerical samples by the rules above.
     *
     * @param reference reference sample (non-empty, finite)
     * @param current   current sample (non-empty, finite)
     * @return the bins and the raw (unfilled) shares
     */
    public static BinnedShares shares(double[] reference, double[] current) {
        Samples.finite(reference, Samples.REFERENCE);
        Samples.finite(current, Samples.CURRENT);
        return sortedShares(Samples.sorted(reference), Samples.sorted(current));
    }

    /**
     * {@link #shares(double[], double[])} of samples that are already as {@link Samples#sorted}
     * leaves them (ascending, no −0.0) and finite: the column layer's own sorted copies, binned
     * without another copy.
     */
    static BinnedShares sortedShares(double[] ref, double[] cur) {
        int distinct = 1;
        for (int i = 1; i < ref.length && distinct <= MAX_VALUE_BINS; i++) {
            if (ref[i] != ref[i - 1]) {
                distinct++;
            }
        }
        if (distinct > MAX_VALUE_BINS) {
            double[] edges = sturgesEdges(ref, cur);
            int bins = edges.length - 1;
            double[] rs = histogram(ref, edges);
            double[] cs = histogram(cur, edges);
            List<String> labels = new ArrayList<>(bins);
            String[] e = BinLabels.of(edges);
            for (int i = 0; i < bins; i++) {
                labels.add("[" + e[i] + ", " + e[i + 1] + (i == bins - 1 ? "]" : ")"));
            }
            return new BinnedShares(labels, edges, rs, cs);
        }
        // one bin per value of either sample, in order: both are sorted, so walk their runs together
        int n = ref.length;
        int m = cur.length;
        double[] values = new double[Math.min(n + m, 64)];
        long[] refCounts = new long[values.length];
        long[] curCounts = new long[values.length];
        int bins = 0;
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            double v = (j >= m || (i < n && ref[i] <= cur[j])) ? ref[i] : cur[j];
            int i0 = i;
            int j0 = j;
            while (i < n && ref[i] == v) {
                i++;
            }
            while (j < m && cur[j] == v) {
                j++;
            }
            if (bins == values.length) {
                values = Arrays.copyOf(values, 2 * bins);
                refCounts = Arrays.copyOf(refCounts, 2 * bins);
                curCounts = Arrays.copyOf(curCounts, 2 * bins);
            }
            values[bins] = v;
            refCounts[bins] = i - i0;
            curCounts[bins] = j - j0;
            bins++;
        }
        String[] texts = BinLabels.of(Arrays.copyOf(values, bins));
        List<String> labels = new ArrayList<>(bins);
        double[] rs = new double[bins];
        double[] cs = new double[bins];
        for (int b = 0; b < bins; b++) {
            labels.add(texts[b]);
            rs[b] = (double) refCounts[b] / n;
            cs[b] = (double) curCounts[b] / m;
        }
        return new BinnedShares(labels, new double[0], rs, cs);
    }

    /**
     * Bins two categorical samples: one bin per category of the union, in natural String order.
     *
     * @param reference reference sample (non-empty, no null)
     * @param current   current sample (non-empty, no null)
     * @return the bins and the raw (unfilled) shares
     */
    public static BinnedShares shares(String[] reference, String[] current) {
        return shares(Categories.of(reference, current));
    }

    /** {@link #shares(String[], String[])} of counted samples. */
    static BinnedShares shares(Categories categories) {
        TreeMap<String, long[]> counts = categories.counts();
        List<String> labels = new ArrayList<>(counts.keySet());
        double[] rs = new double[labels.size()];
        double[] cs = new double[labels.size()];
        int i = 0;
        for (long[] c : counts.values()) {
            rs[i] = (double) c[0] / categories.referenceSize();
            cs[i] = (double) c[1] / categories.currentSize();
            i++;
        }
        return new BinnedShares(labels, new double[0], rs, cs);
    }

    /** numpy.histogram_bin_edges(pooled, 'sturges') for two sorted samples. */
    static double[] sturgesEdges(double[] ref, double[] cur) {
        return sturgesEdges(Math.min(ref[0], cur[0]), Math.max(ref[ref.length - 1], cur[cur.length - 1]),
                (long) ref.length + cur.length);
    }

    /**
     * numpy's Sturges edges of {@code size} values from {@code first} to {@code last} (both finite):
     * the comparison's bins of two samples, and a profile's of one. Public so that a batch engine
     * that knows only a column's finite count, minimum and maximum bins it as
     * {@link ReferenceProfile#of(dev.mlops.api.Frame)} does.
     *
     * @param first the smallest finite value
     * @param last  the largest finite value
     * @param size  the number of finite values
     * @return the bin edges, ascending
     */
    public static double[] sturgesEdges(double first, double last, long size) {
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        double ptp = last - first;
        if (Double.isInfinite(ptp)) {
            // values near ±Double.MAX_VALUE: the range overflows a double (numpy refuses such a
            // range). The same number of bins, edges interpolated without forming the range.
            int bins = (int) Math.ceil(log2(size) + 1.0);
            double[] edges = new double[bins + 1];
            for (int i = 0; i < bins; i++) {
                edges[i] = first * ((double) (bins - i) / bins) + last * ((double) i / bins);
            }
            edges[bins] = last;
            return edges;
        }
        double width = ptp / (log2(size) + 1.0);
        int bins = (int) Math.ceil(ptp / width);
        double[] edges = new double[bins + 1];
        double step = (last - first) / bins;
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step + first;
        }
        edges[bins] = last;
        return edges;
    }

    /** log2 exact for powers of two, as C's log2. */
    private static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
        }
        return Math.log(n) / Math.log(2.0);
    }

    /** Shares of a sorted sample in [e_i, e_i+1) (last bin closed), as numpy.histogram. */
    static double[] histogram(double[] sorted, double[] edges) {
        int bins = edges.length - 1;
        double[] shares = new double[bins];
        int prev = lowerBound(sorted, edges[0]);
        for (int i = 0; i < bins; i++) {
            int next = i == bins - 1 ? upperBound(sorted, edges[bins]) : lowerBound(sorted, edges[i + 1]);
            shares[i] = (double) (next - prev) / sorted.length;
            prev = next;
        }
        return shares;
    }

    private static int lowerBound(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
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

    private static int upperBound(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
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

    /** The PSI/KL zero filling of one share vector (a new array). */
    static double[] fillZeros(double[] shares) {
        double min = Double.POSITIVE_INFINITY;
        for (double s : shares) {
            if (s != 0.0) {
                min = Math.min(min, s);
            }
        }
        if (min == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("all shares are zero: no sample value falls in any bin");
        }
        double fill = min <= 1e-4 ? min / 1e6 : 1e-4;
        double[] out = shares.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0.0) {
                out[i] = fill;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ distances on shares

    /**
     * Population stability index Σ (r_i − c_i)·ln(r_i/c_i) over zero-filled shares (Evidently's
     * {@code psi}). Symmetric in its two arguments; 0 for equal shares.
     *
     * @param shares binned shares
     * @return the PSI
     */
    public static double psi(BinnedShares shares) {
        double[] r = fillZeros(shares.referenceShares());
        double[] c = fillZeros(shares.currentShares());
        double sum = 0.0;
        for (int i = 0; i < r.length; i++) {
            sum += (r[i] - c[i]) * Math.log(r[i] / c[i]);
        }
        return sum;
    }

    /**
     * Kullback–Leibler divergence KL(reference ‖ current) = Σ p_i·ln(p_i/q_i) over zero-filled
     * shares, each renormalized to sum 1, as {@code scipy.stats.entropy(ref, cur)} (natural log)
     * in Evidently's {@code kl_div}. Not symmetric.
     *
     * @param shares binned shares
     * @return the divergence in nats
     */
    public static double klDivergence(BinnedShares shares) {
        double[] p = normalized(fillZeros(shares.referenceShares()));
        double[] q = normalized(fillZeros(shares.currentShares()));
        double sum = 0.0;
        for (int i = 0; i < p.length; i++) {
            sum += relEntr(p[i], q[i]);
        }
        return sum;
    }

    /**
     * Jensen–Shannon distance √(JS divergence) with natural logarithms, as
     * {@code scipy.spatial.distance.jensenshannon(ref, cur)} (base e, its default, which
     * Evidently's current {@code jensenshannon} uses): with p, q the raw shares renormalized and
     * m = (p + q)/2, √((Σ p ln(p/m) + Σ q ln(q/m))/2). In [0, √ln 2]; symmetric.
     *
     * @param shares binned shares
     * @return the distance
     */
    public static double jensenShannon(BinnedShares shares) {
        double[] p = normalized(shares.referenceShares());
        double[] q = normalized(shares.currentShares());
        double left = 0.0;
        double right = 0.0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2.0;
            left += relEntr(p[i], m);
            right += relEntr(q[i], m);
        }
        return Math.sqrt(Math.max(0.0, (left + right) / 2.0));
    }

    /**
     * Hellinger distance over raw shares, computed as √(Σ (√r_i − √c_i)²)/√2 (capped at 1). For
     * shares summing to 1 this equals Evidently's √(1 − Σ √(r_i·c_i)); this form has no
     * cancellation near 0, so identical samples give exactly 0. In [0, 1]; symmetric.
     *
     * @param shares binned shares
     * @return the distance
     */
    public static double hellinger(BinnedShares shares) {
        double[] r = shares.referenceShares();
        double[] c = shares.currentShares();
        double sum = 0.0;
        for (int i = 0; i < r.length; i++) {
            double d = Math.sqrt(r[i]) - Math.sqrt(c[i]);
            sum += d * d;
        }
        return Math.min(1.0, Math.sqrt(sum) / Math.sqrt(2.0));
    }

    /**
     * Total variation distance ½·Σ |r_i − c_i| over raw shares. In [0, 1]; symmetric.
     *
     * @param shares binned shares
     * @return the distance
     */
    public static double totalVariation(BinnedShares shares) {
        double[] r = shares.referenceShares();
        double[] c = shares.currentShares();
        double sum = 0.0;
        for (int i = 0; i < r.length; i++) {
            sum += Math.abs(r[i] - c[i]);
        }
        return Math.min(1.0, 0.5 * sum); // shares summing to a hair over 1 must not push it past 1
    }

    private static double relEntr(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        if (x == 0 && y >= 0) {
            return 0.0;
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double[] normalized(double[] v) {
        double s = 0.0;
        for (double x : v) {
            s += x;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / s;
        }
        return out;
    }

    // ------------------------------------------------------------------ distances on samples

    /**
     * PSI of two numerical samples; see {@link #psi(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the PSI (no p-value)
     */
    public static StatResult psi(double[] reference, double[] current) {
        return StatResult.distance(psi(shares(reference, current)));
    }

    /**
     * PSI of two categorical samples; see {@link #psi(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the PSI (no p-value)
     */
    public static StatResult psi(String[] reference, String[] current) {
        return StatResult.distance(psi(shares(reference, current)));
    }

    /**
     * KL divergence of two numerical samples; see {@link #klDivergence(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return KL(reference ‖ current) (no p-value)
     */
    public static StatResult klDivergence(double[] reference, double[] current) {
        return StatResult.distance(klDivergence(shares(reference, current)));
    }

    /**
     * KL divergence of two categorical samples; see {@link #klDivergence(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return KL(reference ‖ current) (no p-value)
     */
    public static StatResult klDivergence(String[] reference, String[] current) {
        return StatResult.distance(klDivergence(shares(reference, current)));
    }

    /**
     * Jensen–Shannon distance of two numerical samples; see {@link #jensenShannon(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the distance (no p-value)
     */
    public static StatResult jensenShannon(double[] reference, double[] current) {
        return StatResult.distance(jensenShannon(shares(reference, current)));
    }

    /**
     * Jensen–Shannon distance of two categorical samples; see {@link #jensenShannon(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the distance (no p-value)
     */
    public static StatResult jensenShannon(String[] reference, String[] current) {
        return StatResult.distance(jensenShannon(shares(reference, current)));
    }

    /**
     * Hellinger distance of two numerical samples; see {@link #hellinger(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the distance (no p-value)
     */
    public static StatResult hellinger(double[] reference, double[] current) {
        return StatResult.distance(hellinger(shares(reference, current)));
    }

    /**
     * Hellinger distance of two categorical samples; see {@link #hellinger(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the distance (no p-value)
     */
    public static StatResult hellinger(String[] reference, String[] current) {
        return StatResult.distance(hellinger(shares(reference, current)));
    }

    /**
     * Total variation distance of two numerical samples; see {@link #totalVariation(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the distance (no p-value)
     */
    public static StatResult totalVariation(double[] reference, double[] current) {
        return StatResult.distance(totalVariation(shares(reference, current)));
    }

    /**
     * Total variation distance of two categorical samples; see {@link #totalVariation(BinnedShares)}.
     *
     * @param reference reference sample
     * @param current   current sample
     * @return the distance (no p-value)
     */
    public static StatResult totalVariation(String[] reference, String[] current) {
        return StatResult.distance(totalVariation(shares(reference, current)));
    }
}
