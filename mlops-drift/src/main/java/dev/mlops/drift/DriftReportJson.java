package dev.mlops.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.OutputFiles;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftReport;
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
 * {"schema_version": 1, "created_at": "2025-01-31T12:00:00Z", "reference_rows": 366,
 *  "current_rows": 365, "dataset_drift": true, "drift_share": 0.75, "drift_share_threshold": 0.5,
 *  "correction": "none", "window": null,
 *  "columns": [{"column": "temp_max", "type": "numerical", "method": "ks", "statistic": 0.12,
 *               "statistic_non_finite": null, "p_value": 0.008, "adjusted_p_value": null,
 *               "threshold": 0.05, "drifted": true, "missing_share_reference": 0.0,
 *               "missing_share_current": 0.0, "reference_count": 366, "current_count": 365,
 *               "error_bound": null, "note": null,
 *               "distribution": {"labels": [...], "edges": [...], "reference_shares": [...],
 *                                "current_shares": [...]}}]}
 * }</pre>
 *
 * <p>JSON has no NaN or infinity: a non-finite number is written as {@code null}. For the
 * statistic, {@code statistic_non_finite} then says which ({@code "NaN"}: no verdict,
 * {@code "Infinity"}, {@code "-Infinity"}) and the column's {@code note} says why, so
 * {@link #fromJson} restores the report exactly. Every key is always written; readers ignore
 * keys they do not know, so later versions may add keys without raising
 * {@code schema_version}.
 */
public final class DriftReportJson {

    /** The version of the schema written by {@link #toJson} and read by {@link #fromJson}. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // a repeated key is refused, never silently replaced by its last value
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        try {
            return MAPPER.writeValueAsString(toTree(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a drift report as JSON: " + e.getOriginalMessage(), e);
        }
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
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ValidationException("a drift report is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("a drift report must be a JSON object");
        }
        long version = integer(root, "schema_version", "report");
        if (version != SCHEMA_VERSION) {
            throw new ValidationException("drift report schema_version " + version + " is not supported: this version reads "
                    + SCHEMA_VERSION);
        }
        JsonNode cols = required(root, "columns", "report");
        if (!cols.isArray()) {
            throw new ValidationException("drift report key \"columns\" must be an array");
        }
        List<ColumnDrift> columns = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            columns.add(column(cols.get(i), "columns[" + i + "]"));
        }
        Optional<DriftReport.Window> window = Optional.empty();
        JsonNode w = root.get("window");
        if (w != null && !w.isNull()) {
            window = Optional.of(new DriftReport.Window(instant(w, "start", "window"), instant(w, "end", "window"),
                    integer(w, "sequence", "window")));
        }
        return new DriftReport(instant(root, "created_at", "report"), integer(root, "reference_rows", "report"),
                integer(root, "current_rows", "report"), columns, number(root, "drift_share", "report"),
                number(root, "drift_share_threshold", "report"), bool(root, "dataset_drift", "report"),
                text(root, "correction", "report"), window);
    }

    // ------------------------------------------------------------------ writing

    private static ObjectNode toTree(DriftReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("created_at", r.createdAt().toString());
        root.put("reference_rows", r.referenceRows());
        root.put("current_rows", r.currentRows());
        root.put("dataset_drift", r.datasetDrift());
        putNumber(root, "drift_share", r.driftShare());
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

    private static ColumnDrift column(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw new ValidationException("drift report " + where + " must be an object");
        }
        String name = text(n, "column", where);
        String where2 = where + " (" + Names.quote(name) + ")";
        String type = text(n, "type", where2);
        ColumnKind kind = switch (type) {
            case "numerical" -> ColumnKind.NUMERICAL;
            case "categorical" -> ColumnKind.CATEGORICAL;
            default -> throw new ValidationException("drift report " + where2 + " has type " + Names.quote(type)
                    + ": expected numerical or categorical");
        };
        double statistic = statistic(n, where2);
        JsonNode dn = required(n, "distribution", where2);
        Distribution distribution;
        try {
            distribution = new Distribution(texts(dn, "labels", where2), doubles(dn, "edges", where2),
                    doubles(dn, "reference_shares", where2), doubles(dn, "current_shares", where2));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("drift report " + where2 + " has an inconsistent distribution: " + e.getMessage());
        }
        JsonNode note = n.get("note");
        if (note != null && !note.isNull() && !note.isTextual()) {
            throw new ValidationException("drift report " + where2 + " key \"note\" must be a string or null");
        }
        return new ColumnDrift(name, kind, text(n, "method", where2), statistic, optional(n, "p_value", where2),
                optional(n, "adjusted_p_value", where2), number(n, "threshold", where2), bool(n, "drifted", where2),
                number(n, "missing_share_reference", where2), number(n, "missing_share_current", where2),
                integer(n, "reference_count", where2), integer(n, "current_count", where2),
                optional(n, "error_bound", where2), note == null || note.isNull() ? Optional.empty() : Optional.of(note.asText()),
                distribution);
    }

    private static double statistic(JsonNode n, String where) {
        JsonNode s = required(n, "statistic", where);
        if (s.isNumber()) {
            return s.doubleValue();
        }
        if (!s.isNull()) {
            throw new ValidationException("drift report " + where + " key \"statistic\" must be a number or null");
        }
        JsonNode special = n.get("statistic_non_finite");
        if (special == null || special.isNull()) {
            return Double.NaN;
        }
        return switch (special.asText()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new ValidationException("drift report " + where + " key \"statistic_non_finite\" is "
                    + Names.quote(special.asText()) + ": expected NaN, Infinity or -Infinity");
        };
    }

    private static JsonNode required(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null) {
            throw new ValidationException("drift report " + where + " has no key \"" + key + "\"");
        }
        return v;
    }

    private static String text(JsonNode n, String key, String where) {
        JsonNode v = required(n, key, where);
        if (!v.isTextual()) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" must be a string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode n, String key, String where) {
        JsonNode v = required(n, key, where);
        if (!v.isBoolean()) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" must be true or false");
        }
        return v.booleanValue();
    }

    private static long integer(JsonNode n, String key, String where) {
        JsonNode v = required(n, key, where);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" must be a whole number");
        }
        return v.longValue();
    }

    /** A number; null stands for a non-finite value and reads as NaN. */
    private static double number(JsonNode n, String key, String where) {
        JsonNode v = required(n, key, where);
        if (v.isNull()) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" must be a number");
        }
        return v.doubleValue();
    }

    private static OptionalDouble optional(JsonNode n, String key, String where) {
        JsonNode v = required(n, key, where);
        if (v.isNull()) {
            return OptionalDouble.empty();
        }
        if (!v.isNumber()) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" must be a number or null");
        }
        return OptionalDouble.of(v.doubleValue());
    }

    private static Instant instant(JsonNode n, String key, String where) {
        String t = text(n, key, where);
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" is " + Names.quote(t)
                    + ": expected an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
    }

    private static List<String> texts(JsonNode n, String key, String where) {
        JsonNode v = required(n, key, where);
        if (!v.isArray()) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" must be an array");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new ValidationException("drift report " + where + " key \"" + key + "\" must hold strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static List<Double> doubles(JsonNode n, String key, String where) {
        JsonNode v = required(n, key, where);
        if (!v.isArray()) {
            throw new ValidationException("drift report " + where + " key \"" + key + "\" must be an array");
        }
        List<Double> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (e.isNull()) {
                out.add(Double.NaN);
            } else if (e.isNumber()) {
                out.add(e.doubleValue());
            } else {
                throw new ValidationException("drift report " + where + " key \"" + key + "\" must hold numbers");
            }
        }
        return out;
    }
}
