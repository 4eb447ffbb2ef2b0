package dev.mlops.drift;


/**
 * k-sample Anderson–Darling test, midrank variant (Scholz &amp; Stephens 1987, eq. 7), as scipy
 * 1.17 {@code anderson_ksamp(samples)} with its default {@code midrank=True} / {@code
 * variant='midrank'} and no permutation {@code method} (scipy/stats/_morestats.py). scipy is
 * BSD-3-Clause licensed.
 */
final class AndersonDarling {

    private static final double[] B0 = {0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085};
    private static final double[] B1 = {-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615};
    private static final double[] B2 = {-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154};
    private static final double[] SIG = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};

    private AndersonDarling() {
    }

    static StatResult test(double[][] samples) {
        int k = samples.length;
        double[][] sorted = new double[k][];
        int bigN = 0;
        for (int i = 0; i < k; i++) {
            sorted[i] = Samples.sorted(samples[i]);
            bigN += sorted[i].length;
        }
        if (bigN < 4) {
            throw new IllegalArgumentException("the samples hold " + bigN
                    + " values in total: the Anderson-Darling test needs at least 4");
        }
        double[] z = new double[bigN];
        int off = 0;
        for (double[] s : sorted) {
            System.arraycopy(s, 0, z, off, s.length);
            off += s.length;
        }
        DoubleSort.sort(z);
        // distinct values, their multiplicity lj and left position
        double[] zstar = new double[bigN];
        int[] lj = new int[bigN];
        int[] left = new int[bigN];
        int nstar = 0;
        for (int i = 0; i < bigN; ) {
            int j = i;
            while (j < bigN && z[j] == z[i]) {
                j++;
            }
            zstar[nstar] = z[i];
            lj[nstar] = j - i;
            left[nstar] = i;
            nstar++;
            i = j;
        }
        double a2akn = 0.0;
        if (nstar >= 2) {
            for (int i = 0; i < k; i++) {
                double[] s = sorted[i];
                double ni = s.length;
                double inner = 0.0;
                int p = 0;
                for (int j = 0; j < nstar; j++) {
                    int lo = p;
                    while (p < s.length && s[p] == zstar[j]) {
                        p++;
                    }
                    // s sorted and zstar covers all values of s, so s[lo..p) are the ties with zstar[j]
                    double fij = p - lo;
                    double mij = p - fij / 2.0;
                    double l = lj[j];
                    double bj = left[j] + l / 2.0;
                    double d = bigN * mij - bj * ni;
                    inner += l / (double) bigN * d * d / (bj * (bigN - bj) - bigN * l / 4.0);
                }
                a2akn += inner / ni;
            }
            a2akn *= (bigN - 1.0) / bigN;
        }
        // a constant pooled sample: the samples are identical, the sum is 0 (scipy raises here)
        double bigH = 0.0;
        for (double[] s : sorted) {
            bigH += 1.0 / s.length;
        }
        double cum = 0.0;
        double g = 0.0;
        for (int idx = 0, denom = bigN - 1; denom >= 2; idx++, denom--) {
            cum += 1.0 / denom;
            g += cum / (idx + 2);
        }
        double h = cum + 1;
        double a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * bigH;
        double b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * bigH - 8 * h + 4 * g - 6;
        double c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * bigH + 4 * h;
        double d = (2 * h + 6) * k * k - 4 * h * k;
        double nn = bigN;
        double sigmasq = (a * nn * nn * nn + b * nn * nn + c * nn + d) / ((nn - 1.0) * (nn - 2.0) * (nn - 3.0));
        int m = k - 1;
        double a2 = (a2akn - m) / Math.sqrt(sigmasq);
        return StatResult.test(a2, pValue(a2, m));
    }

    /**
     * scipy's p-value without a permutation method: a quadratic fit of log(significance) against
     * the Scholz–Stephens critical values, capped to [0.001, 0.25] outside their range.
     */
    static double pValue(double a2, int m) {
        double[] critical = new double[SIG.length];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < SIG.length; i++) {
            critical[i] = B0[i] + B1[i] / Math.sqrt(m) + B2[i] / m;
            min = Math.min(min, critical[i]);
            max = Math.max(max, critical[i]);
        }
        if (a2 < min) {
            return 0.25;
        }
        if (a2 > max) {
            return 0.001;
        }
        double[] logSig = new double[SIG.length];
        for (int i = 0; i < SIG.length; i++) {
            logSig[i] = Math.log(SIG[i]);
        }
        double[] c = polyfit2(critical, logSig);
        return Math.exp((c[0] * a2 + c[1]) * a2 + c[2]);
    }

    /** Least-squares quadratic fit (highest power first), by QR of the column-scaled Vandermonde. */
    static double[] polyfit2(double[] x, double[] y) {
        int n = x.length;
        double[][] col = new double[3][n];
        for (int i = 0; i < n; i++) {
            col[0][i] = x[i] * x[i];
            col[1][i] = x[i];
            col[2][i] = 1.0;
        }
        double[] scale = new double[3];
        for (int j = 0; j < 3; j++) {
            scale[j] = Math.sqrt(dot(col[j], col[j]));
            for (int i = 0; i < n; i++) {
                col[j][i] /= scale[j];
            }
        }
        double[][] r = new double[3][3];
        double[] rhs = y.clone();
        double[] qty = new double[3];
        for (int j = 0; j < 3; j++) {
            r[j][j] = Math.sqrt(dot(col[j], col[j]));
            for (int i = 0; i < n; i++) {
                col[j][i] /= r[j][j];
            }
            for (int l = j + 1; l < 3; l++) {
                r[j][l] = dot(col[j], col[l]);
                for (int i = 0; i < n; i++) {
                    col[l][i] -= r[j][l] * col[j][i];
                }
            }
            qty[j] = dot(col[j], rhs);
            for (int i = 0; i < n; i++) {
                rhs[i] -= qty[j] * col[j][i];
            }
        }
        double[] c = new double[3];
        for (int j = 2; j >= 0; j--) {
            double s = qty[j];
            for (int l = j + 1; l < 3; l++) {
                s -= r[j][l] * c[l];
            }
            c[j] = s / r[j][j];
        }
        for (int j = 0; j < 3; j++) {
            c[j] /= scale[j];
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
