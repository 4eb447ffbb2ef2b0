package dev.mlops.drift;

/**
 * Distributions of the Kolmogorov–Smirnov statistics, ported from scipy 1.17 so that p-values
 * agree with {@code scipy.stats.ks_2samp(method='auto')}:
 * <ul>
 *   <li>{@link #twoSampleExactSf}: scipy/stats/_stats_py.py {@code _attempt_exact_2kssamp} with
 *       {@code _compute_prob_outside_square} (n1 == n2) and
 *       {@code _stats_pythran._compute_outer_prob_inside_method} (Hodges' inside method, with
 *       Viehmann's recursion for 1 − p);</li>
 *   <li>{@link #kolmogorovSf}: scipy/stats/_ksstats.py {@code _kolmogn(n, x, cdf=False)}, the
 *       one-sample two-sided distribution {@code kstwo} that scipy's asymptotic two-sample branch
 *       evaluates at n = round(n1·n2/(n1+n2)) (Simard &amp; L'Ecuyer 2011: Durbin matrix, Pomeranz,
 *       Pelz–Good, Ruben–Gambino and 2·Smirnov, chosen by the same cut-offs);</li>
 *   <li>{@link #smirnovSf}: the one-sided Smirnov survival function of
 *       xsf/cephes/kolmogorov.h ({@code _smirnov}), evaluated here in log space in double
 *       precision instead of double-double (relative error about n·1e-16).</li>
 * </ul>
 * scipy is BSD-3-Clause licensed; this is an independent Java translation of its algorithms.
 */
final class Kolmogorov {

    private static final int E128 = 128;
    private static final double EP128 = 0x1p128;
    private static final double EM128 = 0x1p-128;
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN_LOG = -708;
    private static final double SQRT3 = Math.sqrt(3);
    private static final double PI_SQUARED = Math.PI * Math.PI;
    private static final double PI_FOUR = PI_SQUARED * PI_SQUARED;
    private static final double PI_SIX = PI_FOUR * PI_SQUARED;
    /** cephes MINLOG = log(2^-1022). */
    private static final double CEPHES_MINLOG = -7.08396418532264106224E2;
    private static final int SMIRNOV_MAX_COMPUTE_N = 1_000_000;
    private static final double[] STIRLING_COEFFS = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
        7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    private Kolmogorov() {
    }

    // ---------------------------------------------------------------- two-sample exact

    /**
     * P(D_{n1,n2} ≥ h/lcm) for the two-sided two-sample statistic, or NaN when the computation
     * leaves [0, 1] (scipy then falls back to the asymptotic distribution).
     */
    static double twoSampleExactSf(int n1, int n2, long g, long h) {
        double prob;
        if (n1 == n2) {
            prob = probOutsideSquare(n1, h);
        } else {
            prob = outerProbInsideMethod(n1, n2, g, h);
        }
        if (!(prob >= 0.0 && prob <= 1.0)) {
            return Double.NaN;
        }
        return prob;
    }

    /** scipy {@code _compute_prob_outside_square(n, h)}: P(D_{n,n} ≥ h/n). */
    static double probOutsideSquare(long n, long h) {
        double p = 0.0;
        long k = (long) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (double) (n - k * h - j) * p1 / (double) (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /** scipy {@code _compute_outer_prob_inside_method(m, n, g, h)}. */
    static double outerProbInsideMethod(long m, long n, long g, long h) {
        if (m < n) {
            long t = m;
            m = n;
            n = t;
        }
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
        int curlen = maxj - minj;
        // scipy allocates min(2*maxj+2, n+1) ones; a longer array of ones reads the same values
        double[] a = new double[(int) n + 2];
        java.util.Arrays.fill(a, 1.0);
        for (int j = minj; j < maxj; j++) {
            a[j] = 0.0;
        }
        for (long i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max((long) Math.floor((double) (ng * i - h) / mg) + 1, 0);
            minj = (int) Math.min(minj, n);
            maxj = (int) Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                java.util.Arrays.fill(a, maxj - minj, maxj - minj + (lastlen - curlen), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    // ---------------------------------------------------------------- kstwo (one-sample two-sided)

    private static double clip(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }

    /** scipy {@code kstwo.sf(x, n)} = {@code _kolmogn(n, x, cdf=False)}. */
    static double kolmogorovSf(int n, double x) {
        return kolmogn(n, x, false);
    }

    /** scipy {@code kstwo.cdf(x, n)}. */
    static double kolmogorovCdf(int n, double x) {
        return kolmogn(n, x, true);
    }

    private static double select(double cdfprob, double sfprob, boolean cdf) {
        return clip(cdf ? cdfprob : sfprob);
    }

    static double kolmogn(int n, double x, boolean cdf) {
        if (n <= 0) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return select(1.0, 0.0, cdf);
        }
        if (x <= 0.0) {
            return select(0.0, 1.0, cdf);
        }
        double t = n * x;
        if (t <= 1.0) { // Ruben-Gambino: 1/2n <= x <= 1/n
            if (t <= 0.5) {
                return select(0.0, 1.0, cdf);
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                for (int i = 1; i <= n; i++) {
                    prob *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
            }
            return select(prob, 1.0 - prob, cdf);
        }
        if (t >= n - 1) { // Ruben-Gambino
            double prob = 2 * Math.pow(1.0 - x, n);
            return select(1 - prob, prob, cdf);
        }
        if (x >= 0.5) { // exact: 2 * smirnov
            double prob = 2 * smirnovSf(n, x);
            return select(1.0 - prob, prob, cdf);
        }
        double nxsquared = t * x;
        if (n <= 140) {
            if (nxsquared <= 0.754693) {
                double prob = durbinMatrix(n, x);
                return select(prob, 1.0 - prob, cdf);
            }
            if (nxsquared <= 4) {
                double prob = pomeranz(n, x);
                return select(prob, 1.0 - prob, cdf);
            }
            double prob = 2 * smirnovSf(n, x);
            return select(1.0 - prob, prob, cdf);
        }
        if (!cdf) {
            if (nxsquared >= 370.0) {
                return 0.0;
            }
            if (nxsquared >= 2.2) {
                return clip(2 * smirnovSf(n, x));
            }
        }
        double cdfprob;
        if (nxsquared >= 18.0) {
            cdfprob = 1.0;
        } else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdfprob = durbinMatrix(n, x);
        } else {
            cdfprob = pelzGood(n, x);
        }
        return select(cdfprob, 1.0 - cdfprob, cdf);
    }

    /** log(n!/n^n) by Stirling's series, as scipy's {@code _log_nfactorial_div_n_pow_n}. */
    private static double logNFactorialDivNPowN(int n) {
        double rn = 1.0 / n;
        double x = rn / n;
        double poly = 0.0;
        for (double c : STIRLING_COEFFS) {
            poly = poly * x + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /** CDF P(D_n ≤ d) by the Marsaglia–Tsang–Wang form of Durbin's matrix algorithm. */
    static double durbinMatrix(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[][] hm = new double[m][m];
        double[] v = new double[m];
        double[] w = new double[m];
        for (int j = 1; j <= m; j++) {
            v[j - 1] = 1.0 - Math.pow(h, j);
        }
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] hpwr = new double[m][m];
        for (int i = 0; i < m; i++) {
            hpwr[i][i] = 1.0;
        }
        int nn = n;
        int expnt = 0;
        int hexpnt = 0;
        while (nn > 0) {
            if (nn % 2 != 0) {
                hpwr = matmul(hpwr, hm);
                expnt += hexpnt;
            }
            hm = matmul(hm, hm);
            hexpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                for (double[] row : hm) {
                    for (int c = 0; c < m; c++) {
                        row[c] /= EP128;
                    }
                }
                hexpnt += E128;
            }
            nn /= 2;
        }
        double p = hpwr[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                expnt -= E128;
            }
        }
        if (expnt != 0) {
            p = Math.scalb(p, expnt);
        }
        return clip(p);
    }

    private static double[][] matmul(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int k = 0; k < m; k++) {
                double aik = a[i][k];
                if (aik == 0.0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < m; j++) {
                    ci[j] += aik * bk[j];
                }
            }
        }
        return c;
    }

    private static int[] pomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        } else {
            int ip1div2 = (i + 1) / 2;
            int ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0) {
                if (ip1div2 == n + 1) {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** CDF P(D_n ≤ x) by the Pomeranz recursion. */
    static double pomeranz(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0;
        int roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        double[] gpower = new double[npwrs];
        double[] twogpower = new double[npwrs];
        double[] onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0;
        int v1s = 0;
        int[] jj = pomeranzJ1J2(0, n, ll, ceilf, roundf);
        int j1 = jj[0];
        int j2;
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j1;
            double[] tmp = v0;
            v0 = v1;
            v1 = tmp;
            int tmps = v0s;
            v0s = v1s;
            v1s = tmps;
            java.util.Arrays.fill(v1, 0.0);
            jj = pomeranzJ1J2(i, n, ll, ceilf, roundf);
            j1 = jj[0];
            j2 = jj[1];
            double[] pwrs;
            if (i == 1 || i == 2 * n + 1) {
                pwrs = gpower;
            } else {
                pwrs = i % 2 != 0 ? twogpower : onem2gpower;
            }
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0) {
                int start = k1 - v0s;
                int convStart = j1 - k1;
                int convLen = j2 - j1 + 1;
                double max = 0.0;
                for (int c = 0; c < convLen; c++) {
                    int idx = convStart + c; // index into the full convolution
                    double s = 0.0;
                    for (int a = Math.max(0, idx - (ln2 - 1)); a <= Math.min(idx, ln2 - 1); a++) {
                        int vi = start + a;
                        if (vi >= 0 && vi < npwrs) {
                            s += v0[vi] * pwrs[idx - a];
                        }
                    }
                    v1[c] = s;
                    max = Math.max(max, s);
                }
                if (max > 0 && max < EM128) {
                    for (int c = 0; c < npwrs; c++) {
                        v1[c] *= EP128;
                    }
                    expnt -= E128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        double ans = v1[n - v1s];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(ans) > EP128) {
                ans *= EM128;
                expnt += E128;
            }
            ans *= m;
        }
        if (expnt != 0) {
            ans = Math.scalb(ans, expnt);
        }
        return clip(ans);
    }

    /** Pelz–Good approximation of the CDF P(D_n ≤ x). */
    static double pelzGood(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double zsquared = z * z;
        double zthree = zsquared * z;
        double zfour = zsquared * zsquared;
        double zsix = zfour * zsquared;
        double qlog = -PI_SQUARED / 8 / zsquared;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -zsquared;
        double k1b = PI_SQUARED / 4;
        double k2a = 6 * zsix + 2 * zfour;
        double k2b = (2 * zfour - 5 * zsquared) * PI_SQUARED / 4;
        double k2c = PI_FOUR * (1 - 2 * zsquared) / 16;
        double k3d = PI_SIX * (5 - 30 * zsquared) / 64;
        double k3c = PI_FOUR * (-60 * zsquared + 212 * zfour) / 16;
        double k3b = PI_SQUARED * (135 * zfour - 96 * zsix) / 4;
        double k3a = -30 * zsix - 90 * Math.pow(z, 8);
        double[] k0to3 = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--) {
            double m = 2 * k - 1;
            double msquared = m * m;
            double mfour = msquared * msquared;
            double msix = mfour * msquared;
            double qpower = Math.pow(q, 8 * k);
            double[] coeffs = {1.0, k1a + k1b * msquared, k2a + k2b * msquared + k2c * mfour,
                k3a + k3b * msquared + k3c * mfour + k3d * msix};
            for (int i = 0; i < 4; i++) {
                k0to3[i] = k0to3[i] * qpower + coeffs[i];
            }
        }
        double[] div = {z, 6 * zfour, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            k0to3[i] = k0to3[i] * q * SQRT2PI / div[i];
        }
        double q2 = Math.exp(-PI_SQUARED / 2 / zsquared);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0.0;
        double k3extra = 0.0;
        for (int k = maxk; k > 0; k--) {
            double ksquared = (double) k * k;
            double qp = Math.pow(q2, ksquared);
            double kspi = Math.PI * k;
            k2extra += ksquared * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qp;
        }
        k2extra *= PI_SQUARED * SQRT2PI / (-36 * zthree);
        k0to3[2] += k2extra;
        k3extra *= PI_SQUARED * SQRT2PI / (216 * zsix);
        k0to3[3] += k3extra;
        double nd = n;
        k0to3[1] /= Math.pow(nd, 0.5);
        k0to3[2] /= nd;
        k0to3[3] /= Math.pow(nd, 1.5);
        return ((k0to3[0] + k0to3[1]) + k0to3[2]) + k0to3[3];
    }

    // ---------------------------------------------------------------- Smirnov (one-sided)

    /** One-sided Smirnov survival function P(D_n^+ ≥ x), as {@code scipy.special.smirnov(n, x)}. */
    static double smirnovSf(int n, double x) {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1 - x;
        }
        if (x == 0.0) {
            return 1.0;
        }
        if (x == 1.0) {
            return 0.0;
        }
        double nxExact = n * x;
        int nxfl = (int) Math.floor(nxExact);
        double alpha = nxExact - nxfl;
        // double-double in scipy; a product of an int and a double has its rounding error in fma
        double err = Math.fma(n, x, -nxExact);
        if (alpha == 0.0 && err < 0) {
            nxfl -= 1;
            alpha = 1.0 + err;
        } else {
            alpha += err;
        }
        if (alpha >= 1.0) {
            nxfl += 1;
            alpha = 0.0;
        }
        int n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        int n1mxceil = n - nxfl;
        if (alpha == 0) {
            n1mxfl -= 1;
            n1mxceil += 1;
        }
        if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {
            double tpow = Math.pow(1 + x, n - 1);
            double cdf = x * tpow;
            return clip(1 - cdf);
        }
        if (-2 * n * x * x < CEPHES_MINLOG) {
            return 0.0;
        }
        if (nxfl >= n - 1) {
            return clip(Math.pow(1 - x, n));
        }
        if (n > SMIRNOV_MAX_COMPUTE_N) {
            double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            if (logp < -Math.log(2)) {
                return clip(Math.exp(logp));
            }
            return clip(1 - (-Math.expm1(logp)));
        }
        int nUpperTerms = n - n1mxceil + 1;
        boolean useUpperSum = nUpperTerms <= 1 && x < 0.5;
        useUpperSum = useUpperSum || (n >= 10 && nUpperTerms <= 3 && x <= 0.5 / Math.sqrt(n));
        if (useUpperSum) {
            // CDF = x * sum_{v = n .. n1mxceil} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v); few terms
            double sum = 0.0;
            double binom = 1.0;
            for (int j = 0; j < nUpperTerms; j++) {
                int v = n - j;
                double t1 = Math.pow((double) v / n + x, v - 1);
                double t2 = Math.pow((double) (n - v) / n - x, n - v);
                sum += binom * t1 * t2;
                binom = binom * v / (j + 1);
            }
            return clip(1 - x * sum);
        }
        // SF = x * sum_{v = 0 .. n1mxfl} C(n, v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), all terms positive
        int nTerms = n1mxfl + 1;
        double logx = Math.log(x);
        double first = n * Math.log1p(-x) - logx; // v = 0 term (without the binomial, which is 1)
        double sum = Math.exp(first);
        double logBinom = 0.0;
        int vmid = n / 2;
        for (int v = 1; v < nTerms; v++) {
            logBinom += Math.log((double) (n - v + 1) / v);
            double s = x + (double) v / n;
            double logT = logBinom + (n - v) * Math.log1p(-s) + (v - 1) * Math.log(s);
            double av = Math.exp(logT);
            sum += av;
            if (av != 0.0) {
                if (4.0 * (nTerms - v) * av < Math.ulp(1.0) * sum && v != nTerms - 1) {
                    break;
                }
            } else if (v > vmid) {
                break;
            }
        }
        return clip(x * sum);
    }
}
