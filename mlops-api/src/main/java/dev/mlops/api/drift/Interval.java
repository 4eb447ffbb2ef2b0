package dev.mlops.api.drift;

/**
 * A closed interval {@code [low, high]} that holds an estimated quantity: a statistic computed
 * from a sketch or a grid of a profile, or the p-value derived from it.
 *
 * @param low the smallest value the quantity can have
 * @param high the largest value the quantity can have
 */
public record Interval(double low, double high) {
    /** Checks that the interval is not empty and has no NaN end. */
    public Interval {
        if (Double.isNaN(low) || Double.isNaN(high) || low > high) {
            throw new IllegalArgumentException("an interval needs low <= high, got [" + low + ", " + high + "]");
        }
    }

    /**
     * @param value a value
     * @return whether {@code low <= value <= high}
     */
    public boolean contains(double value) {
        return low <= value && value <= high;
    }
}
