package dev.mlops.drift.multivariate;

/**
 * The outcome of an MMD permutation test.
 *
 * @param mmd2 the unbiased squared maximum mean discrepancy between the two samples
 * @param pValue the share of permutations whose MMD² is at least {@code mmd2} (Alibi Detect's and Evidently's
 *     estimate, without a +1 correction)
 * @param pValueThreshold drift is flagged when {@code pValue} is below this
 * @param distanceThreshold the MMD² above which drift would be flagged: Alibi Detect's
 *     {@code distance_threshold}, the permuted MMD² at position {@code int(pValueThreshold * permutations)}
 *     in descending order
 * @param drift whether {@code pValue < pValueThreshold}
 * @param sigma the Gaussian kernel's bandwidth used
 * @param permutations the number of permutations drawn
 * @param referenceRows rows of the reference sample
 * @param currentRows rows of the current sample
 * @param columns columns (dimensions) of each row
 */
public record MmdResult(double mmd2, double pValue, double pValueThreshold, double distanceThreshold, boolean drift,
                        double sigma, int permutations, int referenceRows, int currentRows, int columns) {
}
