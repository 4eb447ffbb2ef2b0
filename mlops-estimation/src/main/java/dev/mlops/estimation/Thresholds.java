package dev.mlops.estimation;

import java.util.OptionalDouble;

/**
 * NannyML's {@code StandardDeviationThreshold} with {@code calculate_threshold_values}: the mean of
 * the reference chunks' realized values minus / plus a multiple (3) of their population standard
 * deviation (NaN chunks left out), replaced by the metric's limit when it reaches past it.
 *
 * @param lower the lower threshold, if any
 * @param upper the upper threshold, if any
 */
record Thresholds(OptionalDouble lower, OptionalDouble upper) {

    static Thresholds of(double[] referenceValues, double lowerMultiplier, double upperMultiplier,
                         double lowerLimit, double upperLimit) {
        double sum = 0;
        int n = 0;
        for (double v : referenceValues) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new Thresholds(OptionalDouble.empty(), OptionalDouble.empty());
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : referenceValues) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double std = Math.sqrt(ss / n);
        double lower = mean - std * lowerMultiplier;
        double upper = mean + std * upperMultiplier;
        if (lower <= lowerLimit) {
            lower = lowerLimit;
        }
        if (upper >= upperLimit) {
            upper = upperLimit;
        }
        return new Thresholds(Double.isInfinite(lower) ? OptionalDouble.empty() : OptionalDouble.of(lower),
                Double.isInfinite(upper) ? OptionalDouble.empty() : OptionalDouble.of(upper));
    }

    /** Refuses multipliers that are negative, infinite or NaN, naming them (the builders' check). */
    static void checkMultipliers(double lower, double upper) {
        if (!(lower >= 0) || !(upper >= 0) || Double.isInfinite(lower) || Double.isInfinite(upper)) {
            throw new IllegalArgumentException("threshold multipliers are " + lower + " and " + upper
                    + ", expected finite numbers >= 0");
        }
    }

    boolean alert(double value) {
        return (lower.isPresent() && value < lower.getAsDouble()) || (upper.isPresent() && value > upper.getAsDouble());
    }
}
