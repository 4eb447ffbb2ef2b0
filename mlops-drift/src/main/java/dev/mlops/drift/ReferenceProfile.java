package dev.mlops.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.CategoryColumn;
import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A compact summary of a reference data set (the training data), built once and stored with a
 * model version, so a serving process can test drift without the raw reference.
 *
 * <pre>{@code
 * ReferenceProfile profile = ReferenceProfile.of(trainingFrame);
 * registry.register("rain", NewModelVersion.builder()...attachment("drift-profile", profile.toJsonBytes())...);
 * // later, in the serving process
 * ReferenceProfile p = ReferenceProfile.fromJson(bytes);
 * DriftReport r = p.compare(todayFrame);
 * }</pre>
 *
 * <p>Per numerical column (schema type INTEGER or DOUBLE): count, missing, min, max, mean, std
 * (population), distinct count, a {@link QuantileSketch}, the reference-fixed <b>bins</b> and an
 * exact <b>CDF grid</b>. Per categorical column (every other type): count, missing, distinct
 * count, the top-K categories with their counts and the count of the rest ("other").
 *
 * <p><b>Bins</b> (for psi, kl_div, jensenshannon, hellinger, tvd; fixed by the reference alone, so
 * every current window is binned the same way): explicit edges when
 * {@link ProfileOptions#binEdges} names the column; else one bin per distinct value when the
 * reference has at most {@value BinnedDistances#MAX_VALUE_BINS} distinct values (current values
 * not among them share one "other" bin); else Sturges bins of the reference's finite values,
 * {@code numpy.histogram_bin_edges(reference, 'sturges')}. Interval bins are [e_i, e_{i+1}), the
 * last closed; for current values the first bin extends to −∞ and the last to +∞.
 *
 * <p><b>CDF grid</b> (for ks and wasserstein from window counts): cut points c_0 &lt; … &lt; c_{L−1} =
 * the reference's exact quantiles at i/gridCells, its min, the successor of its max, every bin
 * edge and, for value bins, each value and its successor; with the exact number of reference
 * values below each cut. Current values are counted per cell [c_{j−1}, c_j), so the CDFs are known
 * exactly at every cut and bounded in between: the error bound of a KS or Wasserstein statistic
 * computed this way is deterministic.
 *
 * <p>JSON format: see {@link #toJson()}. Instances are immutable and thread-safe.
 */
public final class ReferenceProfile {

    /** The version of the JSON format written by {@link #toJson()}. */
    public static final int SCHEMA_VERSION = 1;
    /** The {@code kind} field of the JSON document. */
    public static final String KIND = "mlops-drift-profile";
    /** Label of the bin that collects values or categories the profile does not list. */
    public static final String OTHER = "(other)";

    private final long rows;
    private final ProfileOptions options;
    private final List<Column> columns;
    private final String json;
    private final String sha256;
    private volatile ProfileLayout layout;

    private ReferenceProfile(long rows, ProfileOptions options, List<Column> columns) {
        this.rows = rows;
        this.options = options;
        this.columns = List.copyOf(columns);
        this.json = render();
        this.sha256 = sha256(json);
    }

    // ------------------------------------------------------------------ building

    /**
     * Profiles a reference frame with {@link ProfileOptions#defaults()}.
     *
     * @param reference the reference data
     * @return the profile
     */
    public static ReferenceProfile of(Frame reference) {
        return of(reference, ProfileOptions.defaults());
    }

    /**
     * Profiles a reference frame.
     *
     * @param reference the reference data
     * @param options   sketch, top-K, grid and bin settings
     * @return the profile
     * @throws ValidationException if explicit bin edges name a missing or non-numerical column
     */
    public static ReferenceProfile of(Frame reference, ProfileOptions options) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(options, "options");
        for (String c : options.binEdges().keySet()) {
            Field f = reference.schema().field(c).orElseThrow(() -> new ValidationException("bin edges were given for column "
                    + Names.quote(c) + ", which the reference does not have"));
            if (!f.type().isNumeric()) {
                throw new ValidationException("bin edges were given for column " + Names.quote(c) + ", which is "
                        + f.type() + ", not numerical");
            }
        }
        List<Column> cols = new ArrayList<>();
        for (Field f : reference.schema().fields()) {
            if (f.type().isNumeric()) {
                // numeric() is a copy of the frame's column: build may sort it in place
                cols.add(NumericalColumn.build(f.name(), reference.numeric(f.name()), options));
            } else {
                cols.add(CategoricalColumn.build(f.name(), reference.categories(f.name()), options.topK()));
            }
        }
        return new ReferenceProfile(reference.rowCount(), options, cols);
    }

    /**
     * Assembles a profile from column summaries computed elsewhere, e.g. merged from the
     * partitions of a batch engine (mlops-spark). The columns check their own consistency (bin
     * counts and the sketch add up to the count, the grid increases); {@link #of(Frame)} remains
     * the way to profile data held in memory.
     *
     * @param rows    rows of the reference
     * @param options the options the summaries were built with
     * @param columns the columns in reference order, names distinct
     * @return the profile
     * @throws IllegalArgumentException if a name repeats or a column claims more values than rows
     */
    public static ReferenceProfile ofColumns(long rows, ProfileOptions options, List<Column> columns) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(columns, "columns");
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Column c : columns) {
            Objects.requireNonNull(c, "column");
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("column " + Names.quote(c.name()) + " is given twice");
            }
            if (c.count() + c.missing() != rows) {
                throw new IllegalArgumentException("column " + Names.quote(c.name()) + " has " + c.count() + " values and "
                        + c.missing() + " missing, but the reference has " + rows + " rows");
            }
        }
        return new ReferenceProfile(rows, options, columns);
    }

    // ------------------------------------------------------------------ accessors

    /** @return rows of the reference */
    public long rows() {
        return rows;
    }

    /** @return the options the profile was built with */
    public ProfileOptions options() {
        return options;
    }

    /** @return the columns in reference order */
    public List<Column> columns() {
        return columns;
    }

    /**
     * @param name a column name
     * @return its summary, if the reference had it
     */
    public Optional<Column> column(String name) {
        Objects.requireNonNull(name, "name");
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** @return SHA-256 (hex) of {@link #toJson()}: identifies the profile in window states */
    public String sha256() {
        return sha256;
    }

    // ------------------------------------------------------------------ comparing

    /**
     * Compares a current frame with this profile using the default method per column (see
     * {@link MonitorPolicy}). KS uses the reference sketch against the exact current values (error
     * bound: the sketch's rank error, 0 while it is exact); binned methods bin the current values
     * exactly on the reference bins; categorical tests use counts.
     *
     * @param current current data with every profiled column
     * @return the report
     */
    public DriftReport compare(Frame current) {
        return compare(current, MonitorPolicy.defaults(), Clock.systemUTC());
    }

    /**
     * Compares a current frame with this profile.
     *
     * @param current current data with every profiled column (extra columns are ignored)
     * @param policy  methods, thresholds, drift share
     * @param clock   for {@link DriftReport#createdAt()}
     * @return the report
     * @throws ValidationException if a profiled column is missing or has another type
     */
    public DriftReport compare(Frame current, MonitorPolicy policy, Clock clock) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        ProfileLayout layout = layout();
        ProfileLayout.Choice[] choices = layout.resolve(policy);
        WindowData data = layout.newData();
        double[][] exactCurrent = layout.addFrame(data, current);
        return layout.report(data, exactCurrent, choices, policy.driftShare(), clock.instant(), Optional.empty());
    }

    /**
     * Compares a monitor window (or a merge of windows from several monitors) with this profile.
     * KS and Wasserstein come from the exact reference CDF grid and the window's cell counts; their
     * {@code errorBound} is deterministic.
     *
     * @param window a window state of a monitor built on this profile
     * @param policy methods, thresholds, drift share
     * @param clock  for {@link DriftReport#createdAt()}
     * @return the report, with {@link DriftReport#window()} from the state
     * @throws IllegalArgumentException if the state belongs to another profile
     */
    public DriftReport compare(WindowState window, MonitorPolicy policy, Clock clock) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        window.requireProfile(this);
        ProfileLayout layout = layout();
        return layout.report(window.data(), null, layout.resolve(policy), policy.driftShare(), clock.instant(),
                Optional.of(window.window()));
    }

    /** The counters layout of this profile (computed once). */
    ProfileLayout layout() {
        ProfileLayout l = layout;
        if (l == null) {
            l = ProfileLayout.of(this);
            layout = l;
        }
        return l;
    }

    // ------------------------------------------------------------------ JSON

    /**
     * The profile as JSON (UTF-8, deterministic: the same reference and options give the same
     * text):
     *
     * <pre>{@code
     * {"schema_version": 1, "kind": "mlops-drift-profile", "rows": 366,
     *  "options": {"sketch_k": 200, "top_k": 100, "grid_cells": 128},
     *  "columns": [
     *   {"name": "temp_max", "type": "numerical", "count": 366, "missing": 0, "distinct": 67,
     *    "min": -1.6, "max": 35.6, "mean": 15.27, "std": 7.36,
     *    "bins": {"kind": "interval", "edges": [-1.6, ...], "counts": [4, ...]},
     *       // or {"kind": "values", "values": [0.0, 1.0], "counts": [120, 246]}
     *    "grid": {"cuts": [-1.6, ...], "below": [0, ...]},
     *    "sketch": "AQAAAMgAAA..."},                      // QuantileSketch.toBase64()
     *   {"name": "weather", "type": "categorical", "count": 366, "missing": 0, "distinct": 5,
     *    "categories": [{"value": "rain", "count": 191}, ...], "other_count": 0}]}
     * }</pre>
     *
     * Non-finite numbers are written as the strings {@code "Infinity"}, {@code "-Infinity"},
     * {@code "NaN"}. Readers must check {@code schema_version}.
     *
     * @return the JSON text
     */
    public String toJson() {
        return json;
    }

    /** @return {@link #toJson()} as UTF-8 bytes, e.g. for a model version attachment */
    public byte[] toJsonBytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param bytes UTF-8 JSON written by {@link #toJsonBytes()}
     * @return the profile
     * @throws ValidationException if the document is not a valid profile
     */
    public static ReferenceProfile fromJson(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return fromJson(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * @param text JSON written by {@link #toJson()}
     * @return the profile
     * @throws ValidationException if the document is not a valid profile (the message says which field)
     */
    public static ReferenceProfile fromJson(String text) {
        Objects.requireNonNull(text, "text");
        JsonFields root = StrictJson.readObject(text, "drift profile");
        try {
            int version = root.intValue("schema_version");
            if (version != SCHEMA_VERSION) {
                throw root.invalid("schema_version", "version " + version + " is not supported; expected " + SCHEMA_VERSION);
            }
            String kind = root.text("kind");
            if (!KIND.equals(kind)) {
                throw root.invalid("kind", "the document is a " + Names.quote(kind) + ", expected " + Names.quote(KIND));
            }
            JsonFields o = root.object("options");
            ProfileOptions.Builder ob = ProfileOptions.builder().sketchK(o.intValue("sketch_k"))
                    .topK(o.intValue("top_k")).gridCells(o.intValue("grid_cells"));
            Optional<JsonFields> edges = o.optionalObject("bin_edges");
            if (edges.isPresent()) {
                for (String column : edges.get().fieldNames()) {
                    ob.binEdges(column, edges.get().numbersOrNonFinite(column));
                }
                edges.get().end();
            }
            o.end();
            List<Column> cols = new ArrayList<>();
            for (JsonFields c : root.objects("columns")) {
                String type = c.text("type");
                switch (type) {
                    case "numerical" -> cols.add(NumericalColumn.fromJson(c));
                    case "categorical" -> cols.add(CategoricalColumn.fromJson(c));
                    default -> throw c.invalid("type", "column type " + Names.quote(type)
                            + " is neither \"numerical\" nor \"categorical\"");
                }
                c.end();
            }
            ReferenceProfile p = new ReferenceProfile(root.integer("rows"), ob.build(), cols);
            root.end();
            return p;
        } catch (IllegalArgumentException e) {
            throw new ValidationException("invalid drift profile: " + e.getMessage());
        }
    }

    private String render() {
        ObjectNode root = StrictJson.objectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("kind", KIND);
        root.put("rows", rows);
        ObjectNode o = root.putObject("options");
        o.put("sketch_k", options.sketchK());
        o.put("top_k", options.topK());
        o.put("grid_cells", options.gridCells());
        if (!options.binEdges().isEmpty()) {
            ObjectNode be = o.putObject("bin_edges");
            for (Map.Entry<String, double[]> e : options.binEdges().entrySet()) {
                numbers(be.putArray(e.getKey()), e.getValue());
            }
        }
        ArrayNode cols = root.putArray("columns");
        for (Column c : columns) {
            if (c instanceof NumericalColumn n) {
                n.toJson(cols.addObject());
            } else {
                ((CategoricalColumn) c).toJson(cols.addObject());
            }
        }
        // the profile's sha256 is that of this text: its bytes must not change with the writer
        return StrictJson.writeString(root);
    }

    /** Non-finite values as the strings {@code NaN}, {@code Infinity}, {@code -Infinity}. */
    private static void numbers(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(StrictJson.numberOrNonFinite(v));
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReferenceProfile p && json.equals(p.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "ReferenceProfile[" + rows + " rows, columns " + columns.stream().map(Column::name).toList() + "]";
    }

    // ------------------------------------------------------------------ columns

    /** The summary of one reference column. */
    public sealed interface Column permits NumericalColumn, CategoricalColumn {
        /** @return the column name */
        String name();

        /** @return non-missing values */
        long count();

        /** @return missing values (NaN or null) */
        long missing();

        /** @return distinct non-missing values */
        long distinct();

        /** @return missing / (count + missing), 0 for an empty column */
        default double missingShare() {
            long all = count() + missing();
            return all == 0 ? 0.0 : (double) missing() / all;
        }
    }

    /** Summary of a numerical reference column. Immutable; accessors return copies. */
    public static final class NumericalColumn implements Column {
        private final String name;
        private final long count;
        private final long missing;
        private final long distinct;
        private final double min;
        private final double max;
        private final double mean;
        private final double std;
        /** Interval edges (bins + 1), or empty for value bins. */
        final double[] edges;
        /** Distinct values for value bins, or empty. */
        final double[] values;
        /** Reference count per bin (value bins: per value; "other" is implicit and 0). */
        final long[] binCounts;
        final double[] cuts;
        final long[] below;
        private final QuantileSketch sketch;

        NumericalColumn(String name, long count, long missing, long distinct, double min, double max, double mean, double std,
                double[] edges, double[] values, long[] binCounts, double[] cuts, long[] below, QuantileSketch sketch) {
            this.name = name;
            this.count = count;
            this.missing = missing;
            this.distinct = distinct;
            this.min = min;
            this.max = max;
            this.mean = mean;
            this.std = std;
            this.edges = edges;
            this.values = values;
            this.binCounts = binCounts;
            this.cuts = cuts;
            this.below = below;
            this.sketch = sketch;
            check();
        }

        /**
         * A numerical column from summaries computed elsewhere (see
         * {@link ReferenceProfile#ofColumns}). Bins are either interval {@code binEdges} (numpy's
         * Sturges edges, {@link BinnedDistances#sturgesEdges}, or explicit ones) or distinct
         * {@code binValues}; the grid is any increasing finite cut points with the exact number of
         * values below each.
         *
         * @param name      the column name
         * @param count     non-missing values (±Infinity included)
         * @param missing   NaN or null values
         * @param distinct  distinct non-missing values
         * @param min       smallest value (NaN when empty)
         * @param max       largest value (NaN when empty)
         * @param mean      mean of the values (NaN when empty or when a value is infinite)
         * @param std       population standard deviation, likewise
         * @param binEdges  interval edges, or empty for value bins
         * @param binValues distinct values as bins, or empty for interval bins
         * @param binCounts values per bin
         * @param gridCuts  increasing finite cut points
         * @param gridBelow values strictly below each cut
         * @param sketch    a quantile sketch of the non-missing values (copied)
         * @return the column
         * @throws IllegalArgumentException if the parts do not add up
         */
        public static NumericalColumn of(String name, long count, long missing, long distinct, double min, double max,
                double mean, double std, double[] binEdges, double[] binValues, long[] binCounts, double[] gridCuts,
                long[] gridBelow, QuantileSketch sketch) {
            Objects.requireNonNull(name, "name");
            return new NumericalColumn(name, count, missing, distinct, min, max, mean, std, binEdges.clone(), binValues.clone(),
                    binCounts.clone(), gridCuts.clone(), gridBelow.clone(), sketch.copy());
        }

        /**
         * Summarises a column, a copy of the reference's own: {@code column} is reordered (its
         * values other than NaN sorted to the front), so that a column of ten million values is
         * copied once, not three times. Nothing is boxed and no pass allocates per value: the
         * value bins are the runs of the sorted values, the finite values a range of them.
         */
        static NumericalColumn build(String name, double[] column, ProfileOptions options) {
            // the sketch sees the values in row order (its coin makes the order matter), before the sort
            QuantileSketch sketch = QuantileSketch.create(options.sketchK());
            for (double v : column) {
                if (!Double.isNaN(v)) {
                    sketch.update(v);
                }
            }
            double[] sorted = Samples.sortPresent(column);
            long missing = column.length - sorted.length;
            int n = sorted.length;
            if (n == 0) {
                return new NumericalColumn(name, 0, missing, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, new double[0],
                        new double[0], new long[0], new double[0], new long[0], sketch);
            }
            long distinct = 1;
            for (int i = 1; i < n; i++) {
                if (sorted[i] != sorted[i - 1]) {
                    distinct++;
                }
            }
            // the finite values are sorted[lo, hi): -Infinity sorts first, +Infinity last
            int lo = 0;
            while (lo < n && sorted[lo] == Double.NEGATIVE_INFINITY) {
                lo++;
            }
            int hi = n;
            while (hi > lo && sorted[hi - 1] == Double.POSITIVE_INFINITY) {
                hi--;
            }
            int finite = hi - lo;
            double mean = Double.NaN;
            double std = Double.NaN;
            if (finite == n) {
                double[] moments = Summaries.moments(sorted);
                mean = moments[0];
                std = moments[1];
            }
            double[] edges;
            double[] values;
            long[] binCounts;
            Optional<double[]> explicit = options.edgesFor(name);
            if (explicit.isPresent()) {
                edges = explicit.get();
                values = new double[0];
                binCounts = intervalCounts(sorted, edges);
            } else if (distinct <= BinnedDistances.MAX_VALUE_BINS || finite == 0) {
                // one bin per run of equal values: sorted without NaN or -0.0, so the runs are
                // the distinct values in Double.compare order
                int runs = Math.toIntExact(distinct);
                values = new double[runs];
                binCounts = new long[runs];
                int run = 0;
                int runStart = 0;
                for (int i = 1; i <= n; i++) {
                    if (i == n || sorted[i] != sorted[i - 1]) {
                        values[run] = sorted[runStart];
                        binCounts[run++] = i - runStart;
                        runStart = i;
                    }
                }
                edges = new double[0];
            } else {
                edges = BinnedDistances.sturgesEdges(sorted[lo], sorted[hi - 1], finite);
                values = new double[0];
                binCounts = intervalCounts(sorted, edges);
            }
            // grid cut points
            java.util.TreeSet<Double> cutSet = new java.util.TreeSet<>();
            int q = options.gridCells();
            if (finite > 0) {
                cutSet.add(sorted[lo]);
                cutSet.add(Math.nextUp(sorted[hi - 1]));
                for (int i = 1; i < q; i++) {
                    int idx = (int) Math.min(finite - 1, (long) Math.ceil((double) i * finite / q) - 1);
                    cutSet.add(sorted[lo + Math.max(0, idx)]);
                }
            }
            for (double e : edges) {
                cutSet.add(e);
            }
            for (double v : values) {
                if (Double.isFinite(v)) {
                    cutSet.add(v);
                    cutSet.add(Math.nextUp(v));
                }
            }
            cutSet.removeIf(v -> !Double.isFinite(v));
            double[] cuts = cutSet.stream().mapToDouble(Double::doubleValue).toArray();
            long[] below = new long[cuts.length];
            for (int i = 0; i < cuts.length; i++) {
                below[i] = lowerBound(sorted, cuts[i]);
            }
            return new NumericalColumn(name, n, missing, distinct, sorted[0], sorted[n - 1], mean, std, edges, values, binCounts,
                    cuts, below, sketch);
        }

        /** Counts of sorted values per interval bin, outer bins open-ended. */
        static long[] intervalCounts(double[] sorted, double[] edges) {
            long[] counts = new long[edges.length - 1];
            for (double v : sorted) {
                counts[intervalBin(edges, v)]++;
            }
            return counts;
        }

        /** Bin of a value: [e_i, e_i+1), last bin closed, below the first edge → 0, above the last → last. */
        static int intervalBin(double[] edges, double v) {
            int bins = edges.length - 1;
            int lo = 0;
            int hi = edges.length;
            while (lo < hi) { // number of edges <= v
                int mid = (lo + hi) >>> 1;
                if (edges[mid] <= v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return Math.max(0, Math.min(bins - 1, lo - 1));
        }

        private static int lowerBound(double[] a, double key) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private void check() {
            if (count < 0 || missing < 0) {
                throw new IllegalArgumentException("column " + Names.quote(name) + ": negative count");
            }
            if (cuts.length != below.length) {
                throw new IllegalArgumentException("column " + Names.quote(name) + ": grid cuts and below differ in length");
            }
            for (int i = 0; i < cuts.length; i++) {
                if (!Double.isFinite(cuts[i]) || (i > 0 && !(cuts[i] > cuts[i - 1])) || below[i] < 0 || below[i] > count
                        || (i > 0 && below[i] < below[i - 1])) {
                    throw new IllegalArgumentException("column " + Names.quote(name) + ": grid is not increasing at " + i);
                }
            }
            if (edges.length > 0 && values.length > 0) {
                throw new IllegalArgumentException("column " + Names.quote(name) + ": bins have both edges and values");
            }
            int bins = edges.length > 0 ? edges.length - 1 : values.length;
            if (binCounts.length != bins) {
                throw new IllegalArgumentException("column " + Names.quote(name) + ": " + binCounts.length + " bin counts for "
                        + bins + " bins");
            }
            long sum = 0;
            for (long c : binCounts) {
                sum += c;
            }
            if (sum != count) {
                throw new IllegalArgumentException("column " + Names.quote(name) + ": bin counts sum to " + sum + ", count is " + count);
            }
            if (sketch.n() != count) {
                throw new IllegalArgumentException("column " + Names.quote(name) + ": sketch holds " + sketch.n()
                        + " values, count is " + count);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public long missing() {
            return missing;
        }

        @Override
        public long distinct() {
            return distinct;
        }

        /** @return smallest value (NaN when empty) */
        public double min() {
            return min;
        }

        /** @return largest value (NaN when empty) */
        public double max() {
            return max;
        }

        /** @return mean (NaN when empty or when a value is infinite) */
        public double mean() {
            return mean;
        }

        /** @return population standard deviation (NaN when empty or when a value is infinite) */
        public double std() {
            return std;
        }

        /** @return interval bin edges, empty when the bins are distinct values */
        public double[] binEdges() {
            return edges.clone();
        }

        /** @return the distinct values used as bins, empty for interval bins */
        public double[] binValues() {
            return values.clone();
        }

        /** @return reference count per bin */
        public long[] binCounts() {
            return binCounts.clone();
        }

        /** @return the CDF grid's cut points (see the class comment) */
        public double[] gridCuts() {
            return cuts.clone();
        }

        /** @return the exact number of reference values below each grid cut */
        public long[] gridBelow() {
            return below.clone();
        }

        /** @return a copy of the quantile sketch of the values */
        public QuantileSketch sketch() {
            return sketch.copy();
        }

        QuantileSketch sketchView() {
            return sketch;
        }

        void toJson(ObjectNode o) {
            o.put("name", name);
            o.put("type", "numerical");
            o.put("count", count);
            o.put("missing", missing);
            o.put("distinct", distinct);
            o.set("min", StrictJson.numberOrNonFinite(min));
            o.set("max", StrictJson.numberOrNonFinite(max));
            o.set("mean", StrictJson.numberOrNonFinite(mean));
            o.set("std", StrictJson.numberOrNonFinite(std));
            ObjectNode b = o.putObject("bins");
            if (values.length > 0 || edges.length == 0) {
                b.put("kind", "values");
                numbers(b.putArray("values"), values);
            } else {
                b.put("kind", "interval");
                numbers(b.putArray("edges"), edges);
            }
            ArrayNode counts = b.putArray("counts");
            for (long c : binCounts) {
                counts.add(c);
            }
            ObjectNode g = o.putObject("grid");
            numbers(g.putArray("cuts"), cuts);
            ArrayNode bl = g.putArray("below");
            for (long c : below) {
                bl.add(c);
            }
            o.put("sketch", sketch.toBase64());
        }

        static NumericalColumn fromJson(JsonFields o) {
            String name = o.text("name");
            JsonFields b = o.object("bins");
            String kind = b.text("kind");
            double[] edges = new double[0];
            double[] values = new double[0];
            if ("interval".equals(kind)) {
                edges = b.numbersOrNonFinite("edges");
            } else if ("values".equals(kind)) {
                values = b.numbersOrNonFinite("values");
            } else {
                throw b.invalid("kind", "expected \"interval\" or \"values\"");
            }
            long[] binCounts = b.integers("counts");
            b.end();
            JsonFields g = o.object("grid");
            double[] cuts = g.numbersOrNonFinite("cuts");
            long[] below = g.integers("below");
            g.end();
            QuantileSketch sketch = QuantileSketch.fromBase64(o.text("sketch"));
            return new NumericalColumn(name, o.integer("count"), o.integer("missing"), o.integer("distinct"),
                    o.numberOrNonFinite("min"), o.numberOrNonFinite("max"), o.numberOrNonFinite("mean"),
                    o.numberOrNonFinite("std"), edges, values, binCounts, cuts, below, sketch);
        }
    }

    /** Summary of a categorical reference column. Immutable. */
    public static final class CategoricalColumn implements Column {
        private final String name;
        private final long count;
        private final long missing;
        private final long distinct;
        final String[] categories;
        final long[] counts;
        private final long otherCount;

        CategoricalColumn(String name, long count, long missing, long distinct, String[] categories, long[] counts, long otherCount) {
            this.name = name;
            this.count = count;
            this.missing = missing;
            this.distinct = distinct;
            this.categories = categories;
            this.counts = counts;
            this.otherCount = otherCount;
            long sum = otherCount;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < categories.length; i++) {
                if (categories[i] == null || !seen.add(categories[i]) || counts[i] <= 0) {
                    throw new IllegalArgumentException("column " + Names.quote(name) + ": categories must be distinct, non-null, counted");
                }
                sum += counts[i];
            }
            if (categories.length != counts.length || sum != count || otherCount < 0 || missing < 0) {
                throw new IllegalArgumentException("column " + Names.quote(name) + ": category counts sum to " + sum + ", count is " + count);
            }
        }

        /**
         * A categorical column from counts computed elsewhere (see {@link ReferenceProfile#ofColumns}).
         *
         * @param name       the column name
         * @param count      non-missing values
         * @param missing    null values
         * @param distinct   distinct non-missing values
         * @param categories the kept categories, most frequent first (ties by name)
         * @param counts     the count of each kept category
         * @param otherCount values in the categories not kept
         * @return the column
         * @throws IllegalArgumentException if the counts do not add up or a category repeats
         */
        public static CategoricalColumn of(String name, long count, long missing, long distinct, List<String> categories,
                long[] counts, long otherCount) {
            Objects.requireNonNull(name, "name");
            return new CategoricalColumn(name, count, missing, distinct, categories.toArray(new String[0]), counts.clone(),
                    otherCount);
        }

        /**
         * Summarises a dictionary-encoded column by counting its codes: no string is decoded,
         * compared or hashed per row.
         *
         * @throws ValidationException if the column holds values that were not kept
         */
        static CategoricalColumn build(String name, CategoryColumn column, int topK) {
            if (!column.complete()) {
                column.values(); // throws, naming the rows whose values were not kept
            }
            List<String> dictionary = column.dictionary();
            int[] codeCounts = column.counts();
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < codeCounts.length; c++) {
                if (codeCounts[c] > 0) {
                    order.add(c);
                }
            }
            // most frequent first, ties by name (the dictionary's values are distinct)
            order.sort((a, b) -> codeCounts[a] != codeCounts[b] ? Integer.compare(codeCounts[b], codeCounts[a])
                    : dictionary.get(a).compareTo(dictionary.get(b)));
            int keep = Math.min(topK, order.size());
            String[] cats = new String[keep];
            long[] cs = new long[keep];
            long other = 0;
            for (int i = 0; i < order.size(); i++) {
                int c = order.get(i);
                if (i < keep) {
                    cats[i] = dictionary.get(c);
                    cs[i] = codeCounts[c];
                } else {
                    other += codeCounts[c];
                }
            }
            long missing = column.missing();
            return new CategoricalColumn(name, column.size() - missing, missing, order.size(), cats, cs, other);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public long missing() {
            return missing;
        }

        @Override
        public long distinct() {
            return distinct;
        }

        /** @return the kept categories, most frequent first (ties by name) */
        public List<String> categories() {
            return List.of(categories);
        }

        /** @return the reference count of each kept category */
        public long[] categoryCounts() {
            return counts.clone();
        }

        /** @return reference values in categories beyond the top K */
        public long otherCount() {
            return otherCount;
        }

        void toJson(ObjectNode o) {
            o.put("name", name);
            o.put("type", "categorical");
            o.put("count", count);
            o.put("missing", missing);
            o.put("distinct", distinct);
            ArrayNode a = o.putArray("categories");
            for (int i = 0; i < categories.length; i++) {
                ObjectNode c = a.addObject();
                c.put("value", categories[i]);
                c.put("count", counts[i]);
            }
            o.put("other_count", otherCount);
        }

        static CategoricalColumn fromJson(JsonFields o) {
            String name = o.text("name");
            List<JsonFields> a = o.objects("categories");
            String[] cats = new String[a.size()];
            long[] cs = new long[a.size()];
            for (int i = 0; i < cats.length; i++) {
                cats[i] = a.get(i).text("value");
                cs[i] = a.get(i).integer("count");
                a.get(i).end();
            }
            return new CategoricalColumn(name, o.integer("count"), o.integer("missing"), o.integer("distinct"), cats, cs,
                    o.integer("other_count"));
        }
    }
}
