package dev.mlops.drift;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;

/**
 * Two-sample Cramér–von Mises test, ported from scipy 1.17
 * ({@code scipy/stats/_hypotests.py}: {@code cramervonmises_2samp}, {@code _pval_cvm_2samp_exact},
 * {@code _pval_cvm_2samp_asymptotic}, {@code _cdf_cvm_inf}). scipy is BSD-3-Clause licensed.
 */
final class CramerVonMises {

    private CramerVonMises() {
    }

    static StatResult test(double[] x, double[] y) {
        int nx = x.length;
        int ny = y.length;
        if (nx < 2 || ny < 2) {
            String side = nx < 2 ? Samples.REFERENCE : Samples.CURRENT;
            throw new IllegalArgumentException(side + " sample has " + Math.min(nx, ny)
                    + " value: the Cramér-von Mises test needs at least 2 in each sample");
        }
        boolean exact = Math.max(nx, ny) <= 20;
        double[] xs = Samples.sorted(x);
        double[] ys = Samples.sorted(y);
        Ranks r = Ranks.of(xs, ys);
        double sx = 0.0;
        for (int i = 0; i < nx; i++) {
            double d = r.first[i] - (i + 1);
            sx += d * d;
        }
        double sy = 0.0;
        for (int j = 0; j < ny; j++) {
            double d = r.second[j] - (j + 1);
            sy += d * d;
        }
        double u = nx * sx + ny * sy;
        long k = (long) nx * ny;
        long bigN = nx + ny;
        double t = u / (double) (k * bigN) - (double) (4 * k - 1) / (double) (6 * bigN);
        double p;
        if (exact) {
            p = exactPValue(u, nx, ny);
        } else {
            p = asymptoticPValue(t, bigN, nx, ny, k);
        }
        return StatResult.test(t, Math.max(0.0, Math.min(1.0, p)));
    }

    /** scipy {@code _pval_cvm_2samp_asymptotic}. */
    static double asymptoticPValue(double t, long bigN, long nx, long ny, long k) {
        double et = (1 + 1.0 / bigN) / 6;
        BigInteger n = BigInteger.valueOf(bigN);
        BigInteger kk = BigInteger.valueOf(k);
        BigInteger num = n.add(BigInteger.ONE).multiply(
                BigInteger.valueOf(4).multiply(kk).multiply(n)
                        .subtract(BigInteger.valueOf(3).multiply(
                                BigInteger.valueOf(nx).pow(2).add(BigInteger.valueOf(ny).pow(2))))
                        .subtract(BigInteger.TWO.multiply(kk)));
        BigInteger den = BigInteger.valueOf(45).multiply(n.pow(2)).multiply(BigInteger.valueOf(4)).multiply(kk);
        double vt = new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL128).doubleValue();
        double tn = 1.0 / 6 + (t - et) / Math.sqrt(45 * vt);
        if (tn < 0.003) {
            return 1.0;
        }
        return Math.max(1.0 - cdfInfinite(tn), 0.0);
    }

    /**
     * CDF of the limiting one-sample Cramér–von Mises distribution (Csörgő &amp; Faraway 1996,
     * eq. 1.2), summed as scipy does: terms are added until one is below 1e-7 in magnitude.
     */
    static double cdfInfinite(double x) {
        double tot = 0.0;
        double gammaRatio = Math.sqrt(Math.PI); // Γ(k + 1/2) / Γ(k + 1) at k = 0
        for (int k = 0; ; k++) {
            double u = gammaRatio / (Math.pow(Math.PI, 1.5) * Math.sqrt(x));
            double y = 4 * k + 1;
            double q = y * y / (16 * x);
            // exp(-q) * K_{1/4}(q) = exp(-2q) * (e^q K_{1/4}(q))
            double term = u * Math.sqrt(y) * Math.exp(-2 * q) * Bessel.kScaled(0.25, q);
            tot += term;
            if (!(Math.abs(term) >= 1e-7)) {
                break;
            }
            gammaRatio *= (k + 0.5) / (k + 1);
        }
        return tot;
    }

    /**
     * scipy {@code _pval_cvm_2samp_exact(s, m, n)}: the exact null distribution of U by the
     * frequency-table recursion of Xiao, Gordon &amp; Yakovlev (2006), Algorithm 1.
     */
    static double exactPValue(double s, int m, int n) {
        long lcm = (long) m / Samples.gcd(m, n) * n;
        long a = lcm / m;
        long b = lcm / n;
        long mn = (long) m * n;
        double numerator = (double) (lcm * lcm * (m + n)) * (6 * s - (double) (mn * (4 * mn - 1)));
        double zeta = floorDivide(numerator, (double) (6 * mn * mn));
        // gs[v]: sorted distinct values and their frequencies
        long[][] values = new long[m + 1][];
        long[][] freqs = new long[m + 1][];
        values[0] = new long[] {0};
        freqs[0] = new long[] {1};
        for (int v = 1; v <= m; v++) {
            values[v] = new long[0];
            freqs[v] = new long[0];
        }
        for (int u = 0; u <= n; u++) {
            long[] tmpV = new long[0];
            long[] tmpF = new long[0];
            long[][] nextV = new long[m + 1][];
            long[][] nextF = new long[m + 1][];
            for (int v = 0; v <= m; v++) {
                long[][] merged = merge(tmpV, tmpF, values[v], freqs[v]);
                tmpV = merged[0];
                tmpF = merged[1];
                long res = a * v - b * u;
                res *= res;
                for (int i = 0; i < tmpV.length; i++) {
                    tmpV[i] += res;
                }
                nextV[v] = tmpV;
                nextF[v] = tmpF;
            }
            values = nextV;
            freqs = nextF;
        }
        long count = 0;
        long[] fv = values[m];
        long[] ff = freqs[m];
        for (int i = 0; i < fv.length; i++) {
            if ((double) fv[i] >= zeta) {
                count += ff[i];
            }
        }
        return (double) count / (double) binomial(m + n, m);
    }

    /** Merges two sorted value/frequency tables, adding frequencies of equal values (new arrays). */
    private static long[][] merge(long[] av, long[] af, long[] bv, long[] bf) {
        long[] v = new long[av.length + bv.length];
        long[] f = new long[av.length + bv.length];
        int i = 0;
        int j = 0;
        int o = 0;
        while (i < av.length || j < bv.length) {
            if (j >= bv.length || (i < av.length && av[i] < bv[j])) {
                v[o] = av[i];
                f[o++] = af[i++];
            } else if (i >= av.length || bv[j] < av[i]) {
                v[o] = bv[j];
                f[o++] = bf[j++];
            } else {
                v[o] = av[i];
                f[o++] = af[i++] + bf[j++];
            }
        }
        return new long[][] {Arrays.copyOf(v, o), Arrays.copyOf(f, o)};
    }

    private static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /** numpy/CPython float floor division ({@code npy_divmod}). */
    static double floorDivide(double a, double b) {
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0.0) {
            if ((b < 0) != (mod < 0)) {
                div -= 1.0;
            }
        }
        if (div != 0.0) {
            double floordiv = Math.floor(div);
            if (div - floordiv > 0.5) {
                floordiv += 1.0;
            }
            return floordiv;
        }
        return Math.copySign(0.0, a / b);
    }
}
