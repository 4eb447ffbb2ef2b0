package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.MonitorPolicy;
import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Reference profiles and drift reports from Spark datasets. Each partition is summarised into
 * mlops-drift's mergeable summaries (exact counts, a {@link dev.mlops.drift.QuantileSketch}, a
 * {@link WindowState}) inside a typed Spark {@code Aggregator}, or in one job for the profile's
 * second scan; Spark merges them, and only the merged summaries reach the driver.
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
 * decides the dataset verdict (unlike Evidently's Spark engine, issue 1052).
 *
 * <p>Those methods run on samples only when asked, with {@link #compareSampled}: an exact-size,
 * seeded uniform sample of each side is drawn on Spark and compared in process by a
 * {@link DriftAnalysis}, and every column of the report says it was sampled and from how many
 * rows. See docs/spark.md.
 */
public final class SparkDrift {

    private SparkDrift() {
    }

    /**
     * Profiles a reference dataset in two scans: an aggregation, then one job over the
     * numerical columns that counts bins and grid cells and, for numerical columns with more
     * than a few dozen distinct values, their exact distinct values (sorted per task, shuffled
     * by value range, never Spark's {@code count(distinct)}).
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

    /**
     * Compares uniform samples of the two datasets with a {@link DriftAnalysis}, for the methods
     * a profile cannot carry (cvm, anderson, mann_whitney, t_test, es, energy), or any other.
     * Each side's sample has exactly {@code min(sampleRows, rows)} rows, the rows of lowest
     * seeded hash priority (bottom-k, drawn per partition and merged by Spark; the same rows for
     * the same seed and partitioning), in the dataset's order; only the samples and the two row
     * counts reach the driver. The report is the analysis of the two samples: its row and value
     * counts are the samples', and every column's note says "sampled on Spark" with both sample
     * sizes, both datasets' row counts and the seed (in the JSON and the HTML report). With
     * {@code sampleRows} at least the rows of both sides, it is the in-process analysis of all
     * rows in the datasets' order.
     *
     * @param reference  the reference rows (numbers, strings and booleans)
     * @param current    the current rows
     * @param analysis   methods (any), thresholds, correction and drift share
     * @param sampleRows rows to sample from each side, at least 1
     * @param seed       the sample's seed (the current side uses a different stream of it)
     * @return the report of the samples, its columns marked as sampled
     * @throws IllegalArgumentException if {@code sampleRows} is below 1
     * @throws ValidationException if a column has another Spark type, or the analysis refuses
     *     the columns (see {@link DriftAnalysis#compare})
     */
    public static DriftReport compareSampled(Dataset<Row> reference, Dataset<Row> current, DriftAnalysis analysis,
            int sampleRows, long seed) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(analysis, "analysis");
        if (sampleRows < 1) {
            throw new IllegalArgumentException("sampleRows must be at least 1, got " + sampleRows);
        }
        // every check that needs no value, before any Spark job
        analysis.check(SparkColumns.schema(reference.schema()), SparkColumns.schema(current.schema()));
        RowSampling.Sample ref = RowSampling.sample(reference, sampleRows, seed);
        RowSampling.Sample cur = RowSampling.sample(current, sampleRows, ~seed);
        DriftReport r = analysis.compare(ref.frame(), cur.frame());
        String sampled = String.format(Locale.ROOT, "sampled on Spark: %,d of %,d reference rows, %,d of %,d current rows"
                + " (seed %d)", ref.frame().rowCount(), ref.totalRows(), cur.frame().rowCount(), cur.totalRows(), seed);
        List<ColumnDrift> columns = new ArrayList<>(r.columns().size());
        for (ColumnDrift c : r.columns()) {
            String note = c.note().map(n -> n + "; " + sampled).orElse(sampled);
            columns.add(new ColumnDrift(c.column(), c.kind(), c.method(), c.statistic(), c.pValue(), c.adjustedPValue(),
                    c.threshold(), c.drifted(), c.missingShareReference(), c.missingShareCurrent(), c.referenceCount(),
                    c.currentCount(), c.errorBound(), Optional.of(note), c.distribution(), c.verdict(),
                    c.statisticInterval(), c.pValueInterval(), c.referenceStats(), c.currentStats()));
        }
        return new DriftReport(r.createdAt(), r.referenceRows(), r.currentRows(), columns, r.driftShare(),
                r.driftShareThreshold(), r.datasetDrift(), r.correction(), r.window(), r.inputs(), r.datasetVerdict(),
                r.driftShareInterval());
    }
}
