package dev.mlops.drift;

import java.util.OptionalDouble;

/**
 * The outcome of one drift method on one pair of samples: the statistic and, for hypothesis
 * tests, the p-value.
 *
 * <p>For distance methods ({@link DriftMethod#yieldsPValue()} false) {@link #pValue()} is empty
 * and the statistic itself is compared with the threshold. For tests the statistic is the one
 * scipy reports for the same call (see each function's Javadoc), and the p-value is in [0, 1].
 *
 * @param statistic the test statistic or distance; may be {@code +Infinity} where documented
 *                  (chi-square against a category the reference never had), never NaN
 * @param pValue    the p-value of a hypothesis test, empty for distances
 */
public record StatResult(double statistic, OptionalDouble pValue) {

    /**
     * Checks the components.
     *
     * @param statistic the statistic, not NaN
     * @param pValue    the p-value in [0, 1], or empty
     * @throws IllegalArgumentException if the statistic is NaN or the p-value is outside [0, 1]
     */
    public StatResult {
        java.util.Objects.requireNonNull(pValue, "pValue");
        if (Double.isNaN(statistic)) {
            throw new IllegalArgumentException("statistic is NaN: every method must give a number");
        }
        if (pValue.isPresent() && !(pValue.getAsDouble() >= 0.0 && pValue.getAsDouble() <= 1.0)) {
            throw new IllegalArgumentException("p-value " + pValue.getAsDouble() + " is outside [0, 1]");
        }
    }

    /**
     * A hypothesis-test result.
     *
     * @param statistic the test statistic
     * @param pValue    the p-value in [0, 1]
     * @return the result
     */
    public static StatResult test(double statistic, double pValue) {
        return new StatResult(statistic, OptionalDouble.of(pValue));
    }

    /**
     * A distance result (no p-value).
     *
     * @param distance the distance
     * @return the result
     */
    public static StatResult distance(double distance) {
        return new StatResult(distance, OptionalDouble.empty());
    }
}
