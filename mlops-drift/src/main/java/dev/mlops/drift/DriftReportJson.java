package dev.mlops.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.OutputFiles;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.ColumnStats;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The JSON form of a {@link DriftReport}: a stable, documented schema with snake_case keys
 * (docs/drift.md, "Report JSON schema"), written and read without any type information.
 *
 * <pre>{@code
 * {"schema_version": 2, "created_at": "2025-01-31T12:00:00Z", "reference_rows": 366,
 *  "current_rows": 365, "dataset_drift": true, "dataset_verdict": "drift", "drift_share": 0.75,
 *  "drift_share_interval": {"low": 0.75, "high": 0.75}, "drift_share_threshold": 0.5,
 *  "correction": "none", "window": null,
 *  "inputs": {"model": "temp-max/1", "profile": "sha256:...",
 *             "reference": {"dataset": "weather-2012/1", "file": null, "time": null},
 *             "current": {"dataset": null, "file": "weather-2015.csv",
 *                         "time": {"first": "2015-01-01T00:00:00Z", "last": "2015-12-31T00:00:00Z",
 *                                  "event_time": true, "column": "date"}}},
 *  "columns": [{"column": "temp_max", "type": "numerical", "method": "ks", "statistic": 0.12,
 *               "statistic_non_finite": null, "p_value": 0.008, "adjusted_p_value": null,
 *               "threshold": 0.05, "drifted": true, "missing_share_reference": 0.0,
 *               "missing_share_current": 0.0, "reference_count": 366, "current_count": 365,
 *               "error_bound": null, "note": null, "verdict": "drift",
 *               "statistic_interval": null, "p_value_interval": null,
 *               "reference_stats": {"count": 366, "missing": 0, "mean": 15.3, "std": 7.4, "min": -1.6,
 *                                   "q1": 9.4, "median": 15.6, "q3": 21.1, "max": 35.6,
 *                                   "quantiles_estimated": false, "top_categories": []},
 *               "current_stats": {...},
 *               "distribution": {"labels": [...], "edges": [...], "reference_shares": [...],
 *                                "current_shares": [...]}}]}
 * }</pre>
 *
 * <p>JSON has no NaN or infinity: a non-finite number is written as {@code null}. For the
 * statistic, {@code statistic_non_finite} then says which ({@code "NaN"}: no verdict,
 * {@code "Infinity"}, {@code "-Infinity"}) and the column's {@code note} says why, so
 * {@link #fromJson} restores the report exactly. Every key is always written, and
 * {@link #fromJson} reads strictly (as every format, see {@link StrictJson}): an unknown key, a
 * repeated key or a mistyped value is refused naming its path, so a later version that adds a
 * key raises {@code schema_version}.
 *
 * <p>Version 2 added {@code dataset_verdict}, {@code drift_share_interval}, {@code inputs}, and per
 * column {@code verdict}, {@code statistic_interval}, {@code p_value_interval} ({@code {"low",
 * "high"}} or null: present exactly when the statistic is an estimate) and the two
 * {@code *_stats}. Version 1 documents are still read: their reports name no inputs, have no
 * intervals or summaries, and take their verdicts from {@code drifted} and {@code dataset_drift}.
 * Interval ends and the summaries' min, quartiles and max may be infinite: they are written as
 * {@code "Infinity"} and {@code "-Infinity"}.
 */
public final class DriftReportJson {

    /** The version of the schema written by {@link #toJson} and read by {@link #fromJson}. */
    public static final int SCHEMA_VERSION = 2;

    private DriftReportJson() {
    }

    /**
     * Writes a report as indented JSON.
     *
     * @param report the report
     * @return the JSON text
     */
    public static String toJson(DriftReport report) {
        Objects.requireNonNull(report, "report");
        return StrictJson.writePretty(toTree(report));
    }

    /**
     * Writes {@link #toJson} with a final newline to {@code file} (UTF-8), as
     * {@link DriftReportHtml#write} writes the page, by {@link OutputFiles}' rule: through a
     * temporary file in the same directory, forced to disk and moved over {@code file}, so a
     * reader never sees part of it; a target that is not a new path or a regular file is refused.
     *
     * @param report the report
     * @param file the file to write; its directory must exist
     * @throws ValidationException if {@code file} is not a new path or a regular file
     * @throws StorageException if the file cannot be written
     */
    public static void write(DriftReport report, Path file) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(file, "file");
        OutputFiles.write("cannot write the drift report JSON to", file, (toJson(report) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a report written by {@link #toJson}.
     *
     * @param json the JSON text
     * @return the report, equal to the one written
     * @throws ValidationException if the text is not JSON, has another {@code schema_version},
     *     or lacks a key or has a value of the wrong type (the message names it)
     */
    public static DriftReport fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonFields root = StrictJson.readObject(json, "drift report");
        long version = root.integer("schema_version");
        if (version != 1 && version != SCHEMA_VERSION) {
            throw root.invalid("schema_version", "version " + version + " is not supported: this version reads 1 and "
                    + SCHEMA_VERSION);
        }
        boolean v2 = version == SCHEMA_VERSION;
        List<ColumnDrift> columns = new ArrayList<>();
        for (JsonFields c : root.objects("columns")) {
            columns.add(column(c, v2));
        }
        Optional<DriftReport.Window> window = Optional.empty();
        if (root.nullable("window").isObject()) {
            JsonFields w = root.object("window");
            window = Optional.of(new DriftReport.Window(instant(w, "start"), instant(w, "end"), w.integer("sequence")));
            w.end();
        } else if (!root.nullable("window").isNull()) {
            throw root.invalid("window", "expected an object or null");
        }
        Instant createdAt = instant(root, "created_at");
        long referenceRows = root.integer("reference_rows");
        long currentRows = root.integer("current_rows");
        double driftShare = number(root, "drift_share");
        double driftShareThreshold = number(root, "drift_share_threshold");
        boolean datasetDrift = root.bool("dataset_drift");
        String correction = root.text("correction");
        DriftReport r;
        if (v2) {
            Verdict verdict = verdict(root, "dataset_verdict");
            Interval shares = interval(root, "drift_share_interval")
                    .orElseThrow(() -> root.invalid("drift_share_interval", "expected an object, not null"));
            DriftInputs inputs = inputs(root.object("inputs"));
            try {
                r = new DriftReport(createdAt, referenceRows, currentRows, columns, driftShare, driftShareThreshold,
                        datasetDrift, correction, window, inputs, verdict, shares);
            } catch (IllegalArgumentException e) {
                throw root.invalid("dataset_verdict", e.getMessage());
            }
        } else {
            // version 1 had exact results only
            r = new DriftReport(createdAt, referenceRows, currentRows, columns, driftShare, driftShareThreshold,
                    datasetDrift, correction, window);
        }
        root.end();
        return r;
    }

    // ------------------------------------------------------------------ writing

    private static ObjectNode toTree(DriftReport r) {
        ObjectNode root = StrictJson.objectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("created_at", r.createdAt().toString());
        root.put("reference_rows", r.referenceRows());
        root.put("current_rows", r.currentRows());
        root.put("dataset_drift", r.datasetDrift());
        root.put("dataset_verdict", r.datasetVerdict().id());
        putNumber(root, "drift_share", r.driftShare());
        putInterval(root, "drift_share_interval", Optional.of(r.driftShareInterval()));
        putNumber(root, "drift_share_threshold", r.driftShareThreshold());
        root.put("correction", r.correction());
        if (r.window().isPresent()) {
            DriftReport.Window w = r.window().get();
            ObjectNode wn = root.putObject("window");
            wn.put("start", w.start().toString());
            wn.put("end", w.end().toString());
            wn.put("sequence", w.sequence());
        } else {
            root.putNull("window");
        }
        ObjectNode in = root.putObject("inputs");
        putText(in, "model", r.inputs().model());
        putText(in, "profile", r.inputs().profile());
        side(in.putObject("reference"), r.inputs().reference());
        side(in.putObject("current"), r.inputs().current());
        ArrayNode cols = root.putArray("columns");
        for (ColumnDrift c : r.columns()) {
            ObjectNode cn = cols.addObject();
            cn.put("column", c.column());
            cn.put("type", c.kind().name().toLowerCase(Locale.ROOT));
            cn.put("method", c.method());
            putNumber(cn, "statistic", c.statistic());
            if (Double.isFinite(c.statistic())) {
                cn.putNull("statistic_non_finite");
            } else {
                cn.put("statistic_non_finite", Double.toString(c.statistic()));
            }
            putOptional(cn, "p_value", c.pValue());
            putOptional(cn, "adjusted_p_value", c.adjustedPValue());
            putNumber(cn, "threshold", c.threshold());
            cn.put("drifted", c.drifted());
            putNumber(cn, "missing_share_reference", c.missingShareReference());
            putNumber(cn, "missing_share_current", c.missingShareCurrent());
            cn.put("reference_count", c.referenceCount());
            cn.put("current_count", c.currentCount());
            putOptional(cn, "error_bound", c.errorBound());
            if (c.note().isPresent()) {
                cn.put("note", c.note().get());
            } else {
                cn.putNull("note");
            }
            cn.put("verdict", c.verdict().id());
            putInterval(cn, "statistic_interval", c.statisticInterval());
            putInterval(cn, "p_value_interval", c.pValueInterval());
            putStats(cn, "reference_stats", c.referenceStats());
            putStats(cn, "current_stats", c.currentStats());
            ObjectNode dn = cn.putObject("distribution");
            Distribution d = c.distribution();
            ArrayNode labels = dn.putArray("labels");
            d.labels().forEach(labels::add);
            numbers(dn.putArray("edges"), d.edges());
            numbers(dn.putArray("reference_shares"), d.referenceShares());
            numbers(dn.putArray("current_shares"), d.currentShares());
        }
        return root;
    }

    private static void side(ObjectNode n, DriftInputs.Side side) {
        putText(n, "dataset", side.dataset());
        putText(n, "file", side.file());
        if (side.time().isPresent()) {
            DriftInputs.TimeRange t = side.time().get();
            ObjectNode tn = n.putObject("time");
            tn.put("first", t.first().toString());
            tn.put("last", t.last().toString());
            tn.put("event_time", t.eventTime());
            putText(tn, "column", t.column());
        } else {
            n.putNull("time");
        }
    }

    private static void putText(ObjectNode n, String key, Optional<String> value) {
        if (value.isPresent()) {
            n.put(key, value.get());
        } else {
            n.putNull(key);
        }
    }

    private static void putInterval(ObjectNode n, String key, Optional<Interval> interval) {
        if (interval.isPresent()) {
            ObjectNode in = n.putObject(key);
            in.set("low", StrictJson.numberOrNonFinite(interval.get().low()));
            in.set("high", StrictJson.numberOrNonFinite(interval.get().high()));
        } else {
            n.putNull(key);
        }
    }

    private static void putStats(ObjectNode n, String key, Optional<ColumnStats> stats) {
        if (stats.isEmpty()) {
            n.putNull(key);
            return;
        }
        ColumnStats s = stats.get();
        ObjectNode sn = n.putObject(key);
        sn.put("count", s.count());
        sn.put("missing", s.missing());
        putOptional(sn, "mean", s.mean());
        putOptional(sn, "std", s.std());
        putExtreme(sn, "min", s.min());
        putExtreme(sn, "q1", s.q1());
        putExtreme(sn, "median", s.median());
        putExtreme(sn, "q3", s.q3());
        putExtreme(sn, "max", s.max());
        sn.put("quantiles_estimated", s.quantilesEstimated());
        ArrayNode top = sn.putArray("top_categories");
        for (ColumnStats.CategoryShare c : s.topCategories()) {
            top.addObject().put("value", c.value()).put("count", c.count()).put("share", c.share());
        }
    }

    private static void putExtreme(ObjectNode n, String key, OptionalDouble value) {
        if (value.isPresent()) {
            n.set(key, StrictJson.numberOrNonFinite(value.getAsDouble()));
        } else {
            n.putNull(key);
        }
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    private static void putOptional(ObjectNode node, String key, OptionalDouble value) {
        if (value.isPresent()) {
            putNumber(node, key, value.getAsDouble());
        } else {
            node.putNull(key);
        }
    }

    private static void numbers(ArrayNode array, List<Double> values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        }
    }

    // ------------------------------------------------------------------ reading

    private static ColumnDrift column(JsonFields n, boolean v2) {
        String name = n.text("column");
        String type = n.text("type");
        ColumnKind kind = switch (type) {
            case "numerical" -> ColumnKind.NUMERICAL;
            case "categorical" -> ColumnKind.CATEGORICAL;
            default -> throw n.invalid("type", "column " + Names.quote(name) + " has type " + Names.quote(type)
                    + ": expected numerical or categorical");
        };
        double statistic = statistic(n);
        JsonFields dn = n.object("distribution");
        Distribution distribution;
        try {
            distribution = new Distribution(dn.texts("labels"), doubles(dn, "edges"), doubles(dn, "reference_shares"),
                    doubles(dn, "current_shares"));
        } catch (IllegalArgumentException e) {
            throw dn.invalid("column " + Names.quote(name) + " has an inconsistent distribution: " + e.getMessage());
        }
        dn.end();
        Optional<String> note = n.nullable("note").isNull() ? Optional.empty() : Optional.of(n.text("note"));
        ColumnDrift c = new ColumnDrift(name, kind, n.text("method"), statistic, optional(n, "p_value"),
                optional(n, "adjusted_p_value"), number(n, "threshold"), n.bool("drifted"),
                number(n, "missing_share_reference"), number(n, "missing_share_current"), n.integer("reference_count"),
                n.integer("current_count"), optional(n, "error_bound"), note, distribution);
        if (v2) {
            Verdict verdict = verdict(n, "verdict");
            try {
                c = new ColumnDrift(c.column(), c.kind(), c.method(), c.statistic(), c.pValue(), c.adjustedPValue(),
                        c.threshold(), c.drifted(), c.missingShareReference(), c.missingShareCurrent(), c.referenceCount(),
                        c.currentCount(), c.errorBound(), c.note(), c.distribution(), verdict,
                        interval(n, "statistic_interval"), interval(n, "p_value_interval"), stats(n, "reference_stats"),
                        stats(n, "current_stats"));
            } catch (IllegalArgumentException e) {
                throw n.invalid("verdict", e.getMessage());
            }
        }
        n.end();
        return c;
    }

    private static Verdict verdict(JsonFields n, String key) {
        String v = n.text(key);
        try {
            return Verdict.parse(v);
        } catch (IllegalArgumentException e) {
            throw n.invalid(key, e.getMessage());
        }
    }

    private static Optional<Interval> interval(JsonFields n, String key) {
        if (n.nullable(key).isNull()) {
            return Optional.empty();
        }
        JsonFields in = n.object(key);
        Interval interval;
        try {
            interval = new Interval(in.numberOrNonFinite("low"), in.numberOrNonFinite("high"));
        } catch (IllegalArgumentException e) {
            throw n.invalid(key, e.getMessage());
        }
        in.end();
        return Optional.of(interval);
    }

    private static DriftInputs inputs(JsonFields n) {
        DriftInputs inputs = new DriftInputs(optionalText(n, "model"), optionalText(n, "profile"),
                side(n.object("reference")), side(n.object("current")));
        n.end();
        return inputs;
    }

    private static DriftInputs.Side side(JsonFields n) {
        Optional<String> dataset = optionalText(n, "dataset");
        Optional<String> file = optionalText(n, "file");
        Optional<DriftInputs.TimeRange> time = Optional.empty();
        if (!n.nullable("time").isNull()) {
            JsonFields t = n.object("time");
            try {
                time = Optional.of(new DriftInputs.TimeRange(instant(t, "first"), instant(t, "last"), t.bool("event_time"),
                        optionalText(t, "column")));
            } catch (IllegalArgumentException e) {
                throw n.invalid("time", e.getMessage());
            }
            t.end();
        }
        n.end();
        return new DriftInputs.Side(dataset, file, time);
    }

    private static Optional<String> optionalText(JsonFields n, String key) {
        return n.nullable(key).isNull() ? Optional.empty() : Optional.of(n.text(key));
    }

    private static Optional<ColumnStats> stats(JsonFields n, String key) {
        if (n.nullable(key).isNull()) {
            return Optional.empty();
        }
        JsonFields s = n.object(key);
        List<ColumnStats.CategoryShare> top = new ArrayList<>();
        for (JsonFields c : s.objects("top_categories")) {
            try {
                top.add(new ColumnStats.CategoryShare(c.text("value"), c.integer("count"), c.number("share")));
            } catch (IllegalArgumentException e) {
                throw c.invalid(e.getMessage());
            }
            c.end();
        }
        ColumnStats stats;
        try {
            stats = new ColumnStats(s.integer("count"), s.integer("missing"), optional(s, "mean"), optional(s, "std"),
                    extreme(s, "min"), extreme(s, "q1"), extreme(s, "median"), extreme(s, "q3"), extreme(s, "max"),
                    s.bool("quantiles_estimated"), top);
        } catch (IllegalArgumentException e) {
            throw n.invalid(key, e.getMessage());
        }
        s.end();
        return Optional.of(stats);
    }

    private static OptionalDouble extreme(JsonFields n, String key) {
        return n.nullable(key).isNull() ? OptionalDouble.empty() : OptionalDouble.of(n.numberOrNonFinite(key));
    }

    private static double statistic(JsonFields n) {
        double statistic = number(n, "statistic");
        String special = n.nullable("statistic_non_finite").isNull() ? null : n.text("statistic_non_finite");
        if (!Double.isNaN(statistic) || special == null) {
            return statistic;
        }
        return switch (special) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw n.invalid("statistic_non_finite", Names.quote(special) + ": expected NaN, Infinity or -Infinity");
        };
    }

    /** A number that must be present; null stands for a non-finite value and reads as NaN. */
    private static double number(JsonFields n, String key) {
        return n.nullable(key).isNull() ? Double.NaN : n.number(key);
    }

    private static OptionalDouble optional(JsonFields n, String key) {
        return n.nullable(key).isNull() ? OptionalDouble.empty() : OptionalDouble.of(n.number(key));
    }

    private static Instant instant(JsonFields n, String key) {
        String t = n.text(key);
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw n.invalid(key, Names.quote(t) + ": expected an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
    }

    /** Numbers, each null standing for a non-finite value (read as NaN). */
    private static List<Double> doubles(JsonFields n, String key) {
        List<JsonNode> v = n.array(key);
        List<Double> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isNull()) {
                out.add(Double.NaN);
            } else if (e.isNumber()) {
                out.add(e.doubleValue());
            } else {
                throw n.invalid(key, "element " + i + " is not a number or null");
            }
        }
        return out;
    }
}
