package dev.mlops.api.drift;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The drift verdict for one column.
 *
 * @param column column name
 * @param kind numerical or categorical
 * @param method method id, such as {@code ks} or {@code jensenshannon}
 * @param statistic the method's statistic (a distance, or a test statistic)
 * @param pValue the test's p-value, for tests
 * @param adjustedPValue the p-value after multiple-testing correction, when one was applied
 * @param threshold drift when the (adjusted) p-value is below it, or the distance at or above it
 * @param drifted the verdict
 * @param missingShareReference share of missing values in the reference
 * @param missingShareCurrent share of missing values in the current data
 * @param referenceCount non-missing reference values compared
 * @param currentCount non-missing current values compared
 * @param errorBound for results computed from sketches: the bound on the statistic's error
 * @param note why a column has a defined but special result (empty, all missing, constant...)
 * @param distribution reference and current shares for charts
 */
public record ColumnDrift(String column, ColumnKind kind, String method, double statistic, OptionalDouble pValue,
                          OptionalDouble adjustedPValue, double threshold, boolean drifted,
                          double missingShareReference, double missingShareCurrent, long referenceCount,
                          long currentCount, OptionalDouble errorBound, Optional<String> note,
                          Distribution distribution) {
    /** Checks arguments. */
    public ColumnDrift {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pValue, "pValue");
        Objects.requireNonNull(adjustedPValue, "adjustedPValue");
        Objects.requireNonNull(errorBound, "errorBound");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(distribution, "distribution");
    }
}
