package dev.mlops.quality;

import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.McNemarMethod;
import dev.mlops.api.quality.McNemarResult;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Objects;

/**
 * McNemar's test of equal accuracy for two classifiers on the same rows, as statsmodels'
 * {@code statsmodels.stats.contingency_tables.mcnemar}: with {@code exact=True} (its default) a
 * two-sided binomial test on the discordant rows, {@code p = min(1, 2 * P[X <= min(b, c)])} with
 * {@code X ~ Bin(b + c, 1/2)}; with {@code exact=False, correction=True} the chi-square statistic
 * {@code (|b - c| - 1)^2 / (b + c)} with one degree of freedom. {@link McNemarMethod#AUTO} uses the
 * exact test when {@code b + c < 25} (the usual rule of thumb below which the chi-square
 * approximation is poor) and the corrected chi-square otherwise. With no discordant row both
 * p-values are 1. The one-sided p-value for "the candidate is more accurate" is
 * {@code P[X >= c]} (exact), or half the chi-square p-value when {@code c > b} and one minus half
 * otherwise.
 */
public final class McNemar {
    /** Below this many discordant rows {@link McNemarMethod#AUTO} uses the exact binomial test. */
    public static final int EXACT_BELOW = 25;

    private McNemar() {
    }

    /**
     * @param candidate the candidate's predictions with the labels
     * @param champion the champion's predictions on the same rows
     * @return the test with {@link McNemarMethod#AUTO}
     */
    public static McNemarResult test(ClassificationData candidate, ClassificationData champion) {
        return test(candidate, champion, McNemarMethod.AUTO);
    }

    /**
     * @param candidate the candidate's predictions with the labels
     * @param champion the champion's predictions on the same rows, same labels
     * @param method how to compute the p-value
     * @return the test
     * @throws ValidationException if the two do not cover the same rows
     */
    public static McNemarResult test(ClassificationData candidate, ClassificationData champion, McNemarMethod method) {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(method, "method");
        if (candidate.size() != champion.size()) {
            throw new ValidationException("candidate has " + candidate.size() + " rows but champion has "
                    + champion.size() + "; McNemar's test needs the same rows");
        }
        if (!candidate.classes().equals(champion.classes())) {
            throw new ValidationException("candidate classes " + candidate.classes() + " differ from champion classes "
                    + champion.classes());
        }
        int[] a = candidate.actual();
        int[] a2 = champion.actual();
        int[] pc = candidate.predicted();
        int[] ph = champion.predicted();
        int b = 0;
        int c = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != a2[i]) {
                throw new ValidationException("row " + i + " has actual class " + a[i] + " for the candidate but " + a2[i]
                        + " for the champion; McNemar's test needs the same rows in the same order");
            }
            boolean candRight = pc[i] == a[i];
            boolean champRight = ph[i] == a[i];
            if (candRight && !champRight) {
                c++;
            } else if (champRight && !candRight) {
                b++;
            }
        }
        return fromCounts(a.length, c, b, method);
    }

    /**
     * @param rows rows compared
     * @param candidateOnlyCorrect rows only the candidate gets right (c)
     * @param championOnlyCorrect rows only the champion gets right (b)
     * @param method how to compute the p-value
     * @return the test
     */
    public static McNemarResult fromCounts(int rows, int candidateOnlyCorrect, int championOnlyCorrect,
                                           McNemarMethod method) {
        Objects.requireNonNull(method, "method");
        int c = candidateOnlyCorrect;
        int b = championOnlyCorrect;
        if (b < 0 || c < 0 || (long) b + c > rows) {
            throw new IllegalArgumentException("discordant counts b=" + b + ", c=" + c + " do not fit " + rows + " rows");
        }
        int n = b + c;
        McNemarMethod used = method == McNemarMethod.AUTO
                ? (n < EXACT_BELOW ? McNemarMethod.EXACT_BINOMIAL : McNemarMethod.CHI_SQUARE_CORRECTED) : method;
        if (n == 0) {
            return new McNemarResult(rows, c, b, used, 0.0, 1.0, 1.0);
        }
        if (used == McNemarMethod.EXACT_BINOMIAL) {
            double p = Math.min(1.0, 2.0 * binomialHalfCdf(n, Math.min(b, c)));
            double oneSided = c == 0 ? 1.0 : 1.0 - binomialHalfCdf(n, c - 1);
            return new McNemarResult(rows, c, b, used, Math.min(b, c), p, oneSided);
        }
        double diff = Math.abs(b - c) - 1.0;
        double stat = diff * diff / n;
        double p = chiSquare1Sf(stat);
        double oneSided = c > b ? p / 2 : 1 - p / 2;
        return new McNemarResult(rows, c, b, used, stat, p, oneSided);
    }

    /** P[X <= k] for X ~ Bin(n, 1/2), exactly: sum of C(n, i), i <= k, over 2^n. */
    static double binomialHalfCdf(int n, int k) {
        if (k < 0) {
            return 0.0;
        }
        if (k >= n) {
            return 1.0;
        }
        BigInteger coef = BigInteger.ONE;
        BigInteger sum = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            coef = coef.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
            sum = sum.add(coef);
        }
        return new BigDecimal(sum).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL128)
                .doubleValue();
    }

    /** Survival function of chi-square with one degree of freedom: Q(1/2, x/2), the regularized upper gamma. */
    static double chiSquare1Sf(double x) {
        if (x <= 0) {
            return 1.0;
        }
        return upperGammaHalf(x / 2);
    }

    private static final double LN_GAMMA_HALF = 0.5 * Math.log(Math.PI);

    /** Q(1/2, x): series for x < 1.5, Lentz continued fraction above (Numerical Recipes 6.2). */
    static double upperGammaHalf(double x) {
        final double a = 0.5;
        final double tiny = 1e-300;
        final double eps = 1e-17;
        double front = Math.exp(-x + a * Math.log(x) - LN_GAMMA_HALF);
        if (x < a + 1) {
            double ap = a;
            double del = 1.0 / a;
            double sum = del;
            for (int i = 0; i < 10_000; i++) {
                ap += 1;
                del *= x / ap;
                sum += del;
                if (Math.abs(del) < Math.abs(sum) * eps) {
                    break;
                }
            }
            return 1.0 - sum * front;
        }
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < eps) {
                break;
            }
        }
        return front * h;
    }
}
