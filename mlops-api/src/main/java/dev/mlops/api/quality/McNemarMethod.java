package dev.mlops.api.quality;

/** How McNemar's test computes its p-value. */
public enum McNemarMethod {
    /** Exact binomial when the discordant rows number fewer than 25, else chi-square with continuity correction. */
    AUTO,
    /** Exact binomial test on the discordant rows (statsmodels' default, {@code exact=True}). */
    EXACT_BINOMIAL,
    /** Chi-square with one degree of freedom and continuity correction ({@code exact=False, correction=True}). */
    CHI_SQUARE_CORRECTED
}
