package dev.mlops.api.quality;

import java.util.Objects;

/**
 * McNemar's test on paired correctness of candidate and champion.
 *
 * @param rows rows compared
 * @param candidateOnlyCorrect rows the candidate gets right and the champion wrong
 * @param championOnlyCorrect rows the champion gets right and the candidate wrong
 * @param method the method used (never {@link McNemarMethod#AUTO})
 * @param statistic exact: {@code min(b, c)} as statsmodels reports it; chi-square:
 *     {@code (|b - c| - 1)^2 / (b + c)}
 * @param pValue two-sided p-value of "equal accuracy", as statsmodels' {@code mcnemar}
 * @param pValueImprovement one-sided p-value of "the candidate is not more accurate"
 */
public record McNemarResult(int rows, int candidateOnlyCorrect, int championOnlyCorrect, McNemarMethod method,
                            double statistic, double pValue, double pValueImprovement) {
    /** Checks arguments. */
    public McNemarResult {
        Objects.requireNonNull(method, "method");
    }

    /**
     * @param alpha significance level, such as 0.05
     * @return true if the candidate is significantly more accurate ({@code pValueImprovement < alpha})
     */
    public boolean significantImprovement(double alpha) {
        return pValueImprovement < alpha;
    }
}
