package dev.mlops.quality;

/**
 * How many distinct non-missing values a column has, and how many of them occur exactly once:
 * what a uniqueness constraint needs, which no bounded per-partition summary carries (on Spark
 * it is a group-by of the column). Numbers are compared as doubles, -0.0 equal to 0.0.
 *
 * @param distinct distinct non-missing values
 * @param once values occurring exactly once
 */
public record DistinctCounts(long distinct, long once) {
    /** Checks arguments. */
    public DistinctCounts {
        if (once < 0 || distinct < once) {
            throw new IllegalArgumentException("distinct counts (" + distinct + " distinct, " + once
                    + " once) are invalid: expected 0 <= once <= distinct");
        }
    }
}
