package dev.mlops.drift;

/** Midranks of two pooled samples, as scipy.stats.rankdata(method='average'). Package-private. */
final class Ranks {

    /** Ranks of the first sample (in its sorted order). */
    final double[] first;
    /** Ranks of the second sample (in its sorted order). */
    final double[] second;
    /** Σ (t³ − t) over groups of t tied values in the pooled sample. */
    final double tieTerm;
    /** True when some value occurs more than once in the pooled sample. */
    final boolean hasTies;

    private Ranks(double[] first, double[] second, double tieTerm, boolean hasTies) {
        this.first = first;
        this.second = second;
        this.tieTerm = tieTerm;
        this.hasTies = hasTies;
    }

    /**
     * Ranks (1-based, ties averaged) of two SORTED samples within their union.
     *
     * @param a first sample, ascending
     * @param b second sample, ascending
     * @return ranks and tie summary
     */
    static Ranks of(double[] a, double[] b) {
        double[] ra = new double[a.length];
        double[] rb = new double[b.length];
        int i = 0;
        int j = 0;
        long pos = 0; // number of values already ranked
        double tieTerm = 0.0;
        boolean ties = false;
        while (i < a.length || j < b.length) {
            double v = (j >= b.length || (i < a.length && a[i] <= b[j])) ? a[i] : b[j];
            int i2 = i;
            while (i2 < a.length && a[i2] == v) {
                i2++;
            }
            int j2 = j;
            while (j2 < b.length && b[j2] == v) {
                j2++;
            }
            long t = (i2 - i) + (j2 - j);
            double rank = (2 * pos + t + 1) / 2.0; // mean of pos+1 .. pos+t
            for (int k = i; k < i2; k++) {
                ra[k] = rank;
            }
            for (int k = j; k < j2; k++) {
                rb[k] = rank;
            }
            if (t > 1) {
                ties = true;
                double td = t;
                tieTerm += td * td * td - td;
            }
            pos += t;
            i = i2;
            j = j2;
        }
        return new Ranks(ra, rb, tieTerm, ties);
    }
}
