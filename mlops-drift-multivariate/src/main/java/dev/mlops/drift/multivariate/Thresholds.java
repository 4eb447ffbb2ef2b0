package dev.mlops.drift.multivariate;

import java.util.OptionalDouble;

/**
 * NannyML's thresholds ({@code nannyml/thresholds.py}). mlops-estimation has the same rule for CBPE
 * but keeps it package-private, so the standard-deviation rule is written again here.
 */
final class Thresholds {
    private Thresholds() {
    }

    /**
     * {@code StandardDeviationThreshold} through {@code calculate_threshold_values}: mean ∓ multiplier × population
     * standard deviation of the reference chunks' values (NaN left out); a threshold at or past its limit is
     * dropped ({@code override_using_none=True}, as the data-reconstruction calculator asks).
     *
     * @return {lower, upper}, empty when dropped
     */
    static OptionalDouble[] standardDeviation(double[] referenceValues, double lowerMultiplier, double upperMultiplier,
                                              double lowerLimit) {
        double sum = 0;
        int n = 0;
        for (double v : referenceValues) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new OptionalDouble[] {OptionalDouble.empty(), OptionalDouble.empty()};
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : referenceValues) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double std = Math.sqrt(ss / n);
        double lower = mean - lowerMultiplier * std;
        double upper = mean + upperMultiplier * std;
        return new OptionalDouble[] {lower <= lowerLimit ? OptionalDouble.empty() : OptionalDouble.of(lower),
                OptionalDouble.of(upper)};
    }
}
