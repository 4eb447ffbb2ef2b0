package dev.mlops.api.quality;

/**
 * Which suggestion rules run beyond Deequ's default set (completeness, type, categories,
 * non-negativity) and their thresholds.
 *
 * @param ranges suggest {@code min}/{@code max} at the observed range (Deequ's {@code HasMin}
 *     and {@code HasMax}); default true
 * @param statistics suggest mean and standard deviation within the observed value ± the given
 *     relative tolerance (Deequ's {@code HasMean}, {@code HasStandardDeviation} use the observed
 *     value exactly); default false
 * @param statisticsTolerance relative tolerance for the statistics rules, default 0.1
 * @param maxCategories a column with more distinct values is not categorical (Deequ's
 *     {@code lowCardinalityHistogramThreshold}, default 120)
 */
public record SuggestionOptions(boolean ranges, boolean statistics, double statisticsTolerance, int maxCategories) {
    /** Checks arguments. */
    public SuggestionOptions {
        if (!(statisticsTolerance >= 0.0) || Double.isInfinite(statisticsTolerance)) {
            throw new IllegalArgumentException("statisticsTolerance is " + statisticsTolerance + ", expected >= 0");
        }
        if (maxCategories < 1) {
            throw new IllegalArgumentException("maxCategories is " + maxCategories + ", expected >= 1");
        }
    }

    /** @return ranges on, statistics off (tolerance 0.1), at most 120 categories */
    public static SuggestionOptions defaults() {
        return new SuggestionOptions(true, false, 0.1, 120);
    }

    /**
     * @param on whether to suggest observed ranges
     * @return a copy
     */
    public SuggestionOptions withRanges(boolean on) {
        return new SuggestionOptions(on, statistics, statisticsTolerance, maxCategories);
    }

    /**
     * @param on whether to suggest mean and standard deviation
     * @param tolerance relative tolerance around the observed values
     * @return a copy
     */
    public SuggestionOptions withStatistics(boolean on, double tolerance) {
        return new SuggestionOptions(ranges, on, tolerance, maxCategories);
    }

    /**
     * @param max the largest number of distinct values a categorical column may have
     * @return a copy
     */
    public SuggestionOptions withMaxCategories(int max) {
        return new SuggestionOptions(ranges, statistics, statisticsTolerance, max);
    }
}
