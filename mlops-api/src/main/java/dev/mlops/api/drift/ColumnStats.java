package dev.mlops.api.drift;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Summary statistics of one side (reference or current) of a compared column, shown side by side
 * in reports. A number the source cannot give is empty: a monitor window keeps counts per cell of
 * the profile's grid, not every value, so it has no mean or standard deviation, and its quartiles
 * are estimated.
 *
 * @param count non-missing values
 * @param missing missing values
 * @param mean mean of the finite values (numerical columns)
 * @param std sample standard deviation of the finite values (numerical columns)
 * @param min smallest value (numerical columns)
 * @param q1 first quartile (numerical columns)
 * @param median median (numerical columns)
 * @param q3 third quartile (numerical columns)
 * @param max largest value (numerical columns)
 * @param quantilesEstimated whether the quartiles come from a sketch or grid, not from the values
 * @param topCategories the most frequent categories, most frequent first (categorical columns)
 */
public record ColumnStats(long count, long missing, OptionalDouble mean, OptionalDouble std, OptionalDouble min,
                          OptionalDouble q1, OptionalDouble median, OptionalDouble q3, OptionalDouble max,
                          boolean quantilesEstimated, List<CategoryShare> topCategories) {
    /** Checks and copies. */
    public ColumnStats {
        if (count < 0 || missing < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got count " + count + " and missing " + missing);
        }
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(q1, "q1");
        Objects.requireNonNull(median, "median");
        Objects.requireNonNull(q3, "q3");
        Objects.requireNonNull(max, "max");
        topCategories = List.copyOf(topCategories);
    }

    /**
     * One category and how often it occurs.
     *
     * @param value the category
     * @param count values equal to it
     * @param share {@code count} over the side's non-missing values
     */
    public record CategoryShare(String value, long count, double share) {
        /** Checks arguments. */
        public CategoryShare {
            Objects.requireNonNull(value, "value");
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
        }
    }
}
