package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.MonitorPolicy;
import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Reference profiles and drift reports from Spark datasets. Each partition is summarised into
 * mlops-drift's mergeable summaries (exact counts, a {@link dev.mlops.drift.QuantileSketch}, a
 * {@link WindowState}) inside a typed Spark {@code Aggregator}; Spark merges them, and only the
 * merged summaries reach the driver.
 *
 * <pre>{@code
 * ReferenceProfile profile = SparkDrift.profile(spark.table("training"), ProfileOptions.defaults());
 * DriftReport report = SparkDrift.compare(profile, spark.table("today"), MonitorPolicy.defaults(), Clock.systemUTC());
 * }</pre>
 *
 * <p>A report from Spark is the report of {@link ReferenceProfile#compare(WindowState,
 * MonitorPolicy, Clock)} on the window of all current rows: bit for bit what a monitor fed the
 * same rows reports, whatever the partitioning. The methods it computes are
 * {@link MonitorPolicy#SUPPORTED}; the others (cvm, anderson, mann_whitney, t_test, es, energy)
 * need the raw reference sample, which a profile does not keep, and a {@link MonitorPolicy} naming
 * one is refused when it is built, before any Spark job. The policy's drift share
 * decides the dataset verdict (unlike Evidently's Spark engine, issue 1052). See docs/spark.md.
 */
public final class SparkDrift {

    private SparkDrift() {
    }

    /**
     * Profiles a reference dataset: two aggregations over the data, and one exact
     * {@code count(distinct)} for numerical columns with more than a few dozen distinct values.
     * Counts, extremes, distinct counts, bins, categories and the counts below every grid cut are
     * exact; the grid's cut points come from the merged sketch (the in-process profile takes
     * exact quantiles there); mean and standard deviation are merged moments, equal to the
     * in-process ones up to rounding.
     *
     * @param reference the reference rows (numbers, strings and booleans)
     * @param options   sketch, top-K, grid and bin settings
     * @return the profile
     * @throws ValidationException if a column has another Spark type, or explicit bin edges name
     *     a missing or non-numerical column
     */
    public static ReferenceProfile profile(Dataset<Row> reference, ProfileOptions options) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(options, "options");
        return SparkProfiles.profile(reference, options);
    }

    /**
     * Counts the current rows into a window of the profile, partition by partition, merged by
     * Spark.
     *
     * @param profile the reference profile
     * @param current rows with every profiled column (others are ignored)
     * @param window  the window the rows stand for
     * @return the merged window state, as {@link WindowState#of} on all rows gives it
     * @throws ValidationException if a profiled column is missing or has another kind
     */
    public static WindowState window(ReferenceProfile profile, Dataset<Row> current, DriftReport.Window window) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(window, "window");
        StructType struct = current.schema();
        List<String> names = profile.columns().stream().map(ReferenceProfile.Column::name).toList();
        int[] indices = SparkColumns.indices(struct, names);
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < indices.length; i++) {
            Field f = new Field(names.get(i), SparkColumns.type(struct.fields()[indices[i]]));
            boolean numeric = profile.columns().get(i) instanceof ReferenceProfile.NumericalColumn;
            if (f.type().isNumeric() != numeric) {
                throw new ValidationException("column " + Names.quote(f.name()) + " is " + (numeric ? "numerical" : "categorical")
                        + " in the profile but " + f.type() + " in the Spark data");
            }
            fields.add(f);
        }
        String json = current.select(new WindowCounting(profile, indices, fields, window).toColumn()).first();
        return WindowState.fromJson(json, profile);
    }

    /**
     * Compares the current rows with the profile: {@link #window} over all rows, then
     * {@link ReferenceProfile#compare(WindowState, MonitorPolicy, Clock)}.
     *
     * @param profile the reference profile
     * @param current rows with every profiled column
     * @param policy  methods, thresholds and the drift share that decides the dataset verdict
     * @param clock   for the report's time and window
     * @return the report
     */
    public static DriftReport compare(ReferenceProfile profile, Dataset<Row> current, MonitorPolicy policy, Clock clock) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        Instant now = clock.instant();
        WindowState state = window(profile, current, new DriftReport.Window(now, now, 0));
        return profile.compare(state, policy, clock);
    }
}
