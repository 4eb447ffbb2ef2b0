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
 * @param verdict drift, no drift, uncertain (an estimated statistic whose interval straddles the
 *     threshold) or not compared; {@code drifted} is {@code verdict == DRIFT}
 * @param statisticInterval for an estimated statistic (from a sketch or a profile's grid): the
 *     interval that holds the exact statistic; empty when the statistic is exact
 * @param pValueInterval for an estimated statistic of a test: the p-values at the interval's ends
 * @param referenceStats summary statistics of the reference side
 * @param currentStats summary statistics of the current side
 */
public record ColumnDrift(String column, ColumnKind kind, String method, double statistic, OptionalDouble pValue,
                          OptionalDouble adjustedPValue, double threshold, boolean drifted,
                          double missingShareReference, double missingShareCurrent, long referenceCount,
                          long currentCount, OptionalDouble errorBound, Optional<String> note,
                          Distribution distribution, Verdict verdict, Optional<Interval> statisticInterval,
                          Optional<Interval> pValueInterval, Optional<ColumnStats> referenceStats,
                          Optional<ColumnStats> currentStats) {
    /** Checks arguments: {@code drifted} must agree with {@code verdict}. */
    public ColumnDrift {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pValue, "pValue");
        Objects.requireNonNull(adjustedPValue, "adjustedPValue");
        Objects.requireNonNull(errorBound, "errorBound");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(statisticInterval, "statisticInterval");
        Objects.requireNonNull(pValueInterval, "pValueInterval");
        Objects.requireNonNull(referenceStats, "referenceStats");
        Objects.requireNonNull(currentStats, "currentStats");
        if (drifted != (verdict == Verdict.DRIFT)) {
            throw new IllegalArgumentException("column " + column + ": drifted is " + drifted + " but the verdict is "
                    + verdict.label());
        }
    }

    /**
     * A result without interval or summary statistics, its verdict taken from {@code drifted}:
     * drift, else not compared for a NaN statistic or a side without values, else no drift.
     *
     * @param column column name
     * @param kind numerical or categorical
     * @param method method id
     * @param statistic the statistic
     * @param pValue the p-value, for tests
     * @param adjustedPValue the adjusted p-value
     * @param threshold the threshold
     * @param drifted the verdict
     * @param missingShareReference missing share of the reference
     * @param missingShareCurrent missing share of the current data
     * @param referenceCount reference values compared
     * @param currentCount current values compared
     * @param errorBound error bound of a sketched statistic
     * @param note a note
     * @param distribution shares for charts
     */
    public ColumnDrift(String column, ColumnKind kind, String method, double statistic, OptionalDouble pValue,
                       OptionalDouble adjustedPValue, double threshold, boolean drifted,
                       double missingShareReference, double missingShareCurrent, long referenceCount,
                       long currentCount, OptionalDouble errorBound, Optional<String> note, Distribution distribution) {
        this(column, kind, method, statistic, pValue, adjustedPValue, threshold, drifted, missingShareReference,
                missingShareCurrent, referenceCount, currentCount, errorBound, note, distribution,
                drifted ? Verdict.DRIFT : Double.isNaN(statistic) || referenceCount == 0 || currentCount == 0
                        ? Verdict.NOT_COMPARED : Verdict.NO_DRIFT,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** @return whether the statistic was estimated (it then has an interval) */
    public boolean estimated() {
        return statisticInterval.isPresent();
    }

    /**
     * @param referenceStats reference summary
     * @param currentStats current summary
     * @return this result with the two summaries
     */
    public ColumnDrift withStats(Optional<ColumnStats> referenceStats, Optional<ColumnStats> currentStats) {
        return new ColumnDrift(column, kind, method, statistic, pValue, adjustedPValue, threshold, drifted,
                missingShareReference, missingShareCurrent, referenceCount, currentCount, errorBound, note, distribution,
                verdict, statisticInterval, pValueInterval, referenceStats, currentStats);
    }
}
