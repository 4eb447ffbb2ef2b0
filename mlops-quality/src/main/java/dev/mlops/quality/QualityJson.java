package dev.mlops.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.FieldType;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.Constraint;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.SliceMetrics;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON for quality documents, written and read through explicit trees (no default typing, no
 * annotations on the API records), each with {@code schemaVersion} and {@code kind}.
 */
final class QualityJson {
    static final int SCHEMA_VERSION = 1;

    private QualityJson() {
    }

    static String write(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static JsonNode parse(String json, String kind) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ValidationException("not valid JSON for a " + kind + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("a " + kind + " must be a JSON object");
        }
        JsonNode v = root.get("schemaVersion");
        if (v == null || !v.canConvertToInt()) {
            throw new ValidationException("the " + kind + " has no schemaVersion; expected " + SCHEMA_VERSION);
        }
        if (v.intValue() != SCHEMA_VERSION) {
            throw new ValidationException("the " + kind + " has schemaVersion " + v.intValue() + "; this library reads "
                    + SCHEMA_VERSION);
        }
        JsonNode k = root.get("kind");
        if (k != null && !k.asText().equals(kind)) {
            throw new ValidationException("the document is a " + Names.quote(k.asText()) + ", expected a " + kind);
        }
        return root;
    }

    // ---- validation suite

    static String suite(ValidationSuite suite) {
        ObjectNode root = header("validation-suite");
        root.put("name", suite.name());
        ArrayNode arr = root.putArray("constraints");
        for (Constraint c : suite.constraints()) {
            if (c instanceof Constraint.Custom custom) {
                throw new ValidationException("constraint " + Names.quote(custom.name())
                        + " is a custom predicate (code) and cannot be written as JSON; remove it from the suite before "
                        + "storing it (toBuilder().remove(name)) and add it again in code after reading");
            }
            arr.add(constraint(c));
        }
        return write(root);
    }

    static ObjectNode constraint(Constraint c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (c instanceof Constraint.HasType x) {
            o.put("type", "has_type").put("column", x.column()).put("fieldType", x.type().name());
        } else if (c instanceof Constraint.Completeness x) {
            o.put("type", "completeness").put("column", x.column()).put("min", x.min());
        } else if (c instanceof Constraint.NonNegative x) {
            o.put("type", "non_negative").put("column", x.column());
        } else if (c instanceof Constraint.Minimum x) {
            o.put("type", "min").put("column", x.column()).put("bound", x.bound());
        } else if (c instanceof Constraint.Maximum x) {
            o.put("type", "max").put("column", x.column()).put("bound", x.bound());
        } else if (c instanceof Constraint.ContainedIn x) {
            o.put("type", "contained_in").put("column", x.column());
            ArrayNode a = o.putArray("allowed");
            x.allowed().forEach(a::add);
            o.put("maxOutsideShare", x.maxOutsideShare());
        } else if (c instanceof Constraint.Uniqueness x) {
            o.put("type", "uniqueness").put("column", x.column()).put("min", x.min());
        } else if (c instanceof Constraint.MatchesPattern x) {
            o.put("type", "pattern").put("column", x.column()).put("regex", x.regex()).put("minShare", x.minShare());
        } else if (c instanceof Constraint.Mean x) {
            o.put("type", "mean").put("column", x.column()).put("min", x.min()).put("max", x.max());
        } else if (c instanceof Constraint.StandardDeviation x) {
            o.put("type", "stddev").put("column", x.column()).put("min", x.min()).put("max", x.max());
        } else if (c instanceof Constraint.RowCount x) {
            o.put("type", "row_count").put("min", x.min()).put("max", x.max());
        } else if (c instanceof Constraint.Custom x) {
            // written in results only (for the record); never read back
            o.put("type", "custom").put("name", x.name()).put("column", x.column()).put("minShare", x.minShare());
        }
        return o;
    }

    static ValidationSuite readSuite(String json) {
        JsonNode root = parse(json, "validation-suite");
        String name = Json.text(root, "name", "validation suite");
        JsonNode arr = root.get("constraints");
        if (arr == null || !arr.isArray()) {
            throw new ValidationException("the validation suite " + Names.quote(name) + " has no constraints array");
        }
        List<Constraint> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            out.add(readConstraint(arr.get(i), "constraints[" + i + "]"));
        }
        try {
            return new ValidationSuite(name, out);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("the validation suite is invalid: " + e.getMessage());
        }
    }

    private static Constraint readConstraint(JsonNode o, String where) {
        if (o == null || !o.isObject()) {
            throw new ValidationException(where + " is not a JSON object");
        }
        String type = Json.text(o, "type", where);
        String at = where + " (" + type + ")";
        try {
            return switch (type) {
                case "has_type" -> new Constraint.HasType(Json.text(o, "column", at), fieldType(Json.text(o, "fieldType", at), at));
                case "completeness" -> new Constraint.Completeness(Json.text(o, "column", at), Json.number(o, "min", at));
                case "non_negative" -> new Constraint.NonNegative(Json.text(o, "column", at));
                case "min" -> new Constraint.Minimum(Json.text(o, "column", at), Json.number(o, "bound", at));
                case "max" -> new Constraint.Maximum(Json.text(o, "column", at), Json.number(o, "bound", at));
                case "contained_in" -> new Constraint.ContainedIn(Json.text(o, "column", at), texts(o, "allowed", at),
                        Json.number(o, "maxOutsideShare", at));
                case "uniqueness" -> new Constraint.Uniqueness(Json.text(o, "column", at), Json.number(o, "min", at));
                case "pattern" -> new Constraint.MatchesPattern(Json.text(o, "column", at), Json.text(o, "regex", at),
                        Json.number(o, "minShare", at));
                case "mean" -> new Constraint.Mean(Json.text(o, "column", at), Json.number(o, "min", at), Json.number(o, "max", at));
                case "stddev" -> new Constraint.StandardDeviation(Json.text(o, "column", at), Json.number(o, "min", at),
                        Json.number(o, "max", at));
                case "row_count" -> new Constraint.RowCount(Json.integer(o, "min", at), Json.integer(o, "max", at));
                case "custom" -> throw new ValidationException(at + " is a custom predicate, which JSON cannot hold");
                default -> throw new ValidationException(where + " has unknown type " + Names.quote(type)
                        + "; known: has_type, completeness, non_negative, min, max, contained_in, uniqueness, pattern, "
                        + "mean, stddev, row_count");
            };
        } catch (IllegalArgumentException e) {
            throw new ValidationException(at + " is invalid: " + e.getMessage());
        }
    }

    private static FieldType fieldType(String s, String at) {
        try {
            return FieldType.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(at + " has unknown fieldType " + Names.quote(s) + "; expected one of "
                    + List.of(FieldType.values()));
        }
    }

    // ---- validation result (written for the record, e.g. in a gate decision)

    static String result(ValidationResult r) {
        ObjectNode root = header("validation-result");
        root.put("suite", r.suite()).put("rows", r.rows()).put("passed", r.passed());
        ArrayNode arr = root.putArray("results");
        for (ConstraintResult c : r.results()) {
            ObjectNode o = arr.addObject();
            o.put("name", c.name()).put("verdict", c.verdict().name());
            if (Double.isNaN(c.observed())) {
                o.putNull("observed");
            } else {
                o.put("observed", c.observed());
            }
            o.put("message", c.message());
            o.set("constraint", constraint(c.constraint()));
        }
        return write(root);
    }

    // ---- permutation importance

    static String importance(ImportanceReport r) {
        ObjectNode root = header("permutation-importance");
        root.put("metric", r.metric()).put("greaterIsBetter", r.greaterIsBetter()).put("baseline", r.baseline())
                .put("rows", r.rows()).put("repeats", r.repeats()).put("seed", r.seed());
        ArrayNode arr = root.putArray("features");
        for (FeatureImportance f : r.features()) {
            ObjectNode o = arr.addObject();
            o.put("feature", f.feature()).put("mean", f.mean()).put("std", f.std());
            ArrayNode imps = o.putArray("importances");
            f.importances().forEach(imps::add);
        }
        return write(root);
    }

    static ImportanceReport readImportance(String json) {
        JsonNode root = parse(json, "permutation-importance");
        String where = "permutation importance";
        JsonNode arr = root.get("features");
        if (arr == null || !arr.isArray()) {
            throw new ValidationException("the permutation importance has no features array");
        }
        List<FeatureImportance> features = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode o = arr.get(i);
            String at = "features[" + i + "]";
            List<Double> imps = new ArrayList<>();
            JsonNode a = o.get("importances");
            if (a == null || !a.isArray()) {
                throw new ValidationException(at + " has no importances array");
            }
            a.forEach(v -> imps.add(v.doubleValue()));
            features.add(new FeatureImportance(Json.text(o, "feature", at), Json.number(o, "mean", at), Json.number(o, "std", at), imps));
        }
        JsonNode gib = root.get("greaterIsBetter");
        if (gib == null || !gib.isBoolean()) {
            throw new ValidationException(where + " lacks boolean 'greaterIsBetter'");
        }
        return new ImportanceReport(Json.text(root, "metric", where), gib.booleanValue(), Json.number(root, "baseline", where),
                (int) Json.integer(root, "rows", where), (int) Json.integer(root, "repeats", where), Json.integer(root, "seed", where),
                features);
    }

    // ---- fairness

    static String fairness(FairnessReport r) {
        ObjectNode root = header("fairness");
        root.put("sensitive", r.sensitive()).put("positiveClass", r.positiveClass());
        ArrayNode arr = root.putArray("slices");
        for (SliceMetrics s : r.slices()) {
            arr.addObject().put("slice", s.slice()).put("count", s.count()).put("actualPositives", s.actualPositives())
                    .put("predictedPositives", s.predictedPositives()).put("selectionRate", s.selectionRate())
                    .put("truePositiveRate", s.truePositiveRate()).put("falsePositiveRate", s.falsePositiveRate())
                    .put("accuracy", s.accuracy());
        }
        ObjectNode gaps = root.putObject("gaps");
        r.metrics().forEach(m -> gaps.put(m.name(), m.value()));
        return write(root);
    }

    static FairnessReport readFairness(String json) {
        JsonNode root = parse(json, "fairness");
        JsonNode arr = root.get("slices");
        if (arr == null || !arr.isArray()) {
            throw new ValidationException("the fairness report has no slices array");
        }
        List<SliceMetrics> slices = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode o = arr.get(i);
            String at = "slices[" + i + "]";
            slices.add(new SliceMetrics(Json.text(o, "slice", at), (int) Json.integer(o, "count", at),
                    (int) Json.integer(o, "actualPositives", at), (int) Json.integer(o, "predictedPositives", at),
                    Json.number(o, "selectionRate", at), Json.number(o, "truePositiveRate", at), Json.number(o, "falsePositiveRate", at),
                    Json.number(o, "accuracy", at)));
        }
        JsonNode gaps = root.get("gaps");
        if (gaps == null || !gaps.isObject()) {
            throw new ValidationException("the fairness report has no gaps object");
        }
        return new FairnessReport(Json.text(root, "sensitive", "fairness report"), Json.text(root, "positiveClass", "fairness report"),
                slices, Json.number(gaps, "demographic_parity_difference", "gaps"), Json.number(gaps, "demographic_parity_ratio", "gaps"),
                Json.number(gaps, "equalized_odds_difference", "gaps"), Json.number(gaps, "equal_opportunity_difference", "gaps"));
    }

    // ---- metric estimates (metrics with bootstrap intervals)

    static String estimates(List<MetricEstimate> estimates) {
        ObjectNode root = header("metric-estimates");
        ArrayNode arr = root.putArray("metrics");
        for (MetricEstimate e : estimates) {
            arr.addObject().put("metric", e.metric()).put("value", e.value()).put("lower", e.lower())
                    .put("upper", e.upper()).put("confidence", e.confidence()).put("resamples", e.resamples())
                    .put("skipped", e.skipped()).put("seed", e.seed());
        }
        return write(root);
    }

    static List<MetricEstimate> readEstimates(String json) {
        JsonNode root = parse(json, "metric-estimates");
        JsonNode arr = root.get("metrics");
        if (arr == null || !arr.isArray()) {
            throw new ValidationException("the metric estimates have no metrics array");
        }
        List<MetricEstimate> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode o = arr.get(i);
            String at = "metrics[" + i + "]";
            out.add(new MetricEstimate(Json.text(o, "metric", at), Json.number(o, "value", at), Json.number(o, "lower", at),
                    Json.number(o, "upper", at), Json.number(o, "confidence", at), (int) Json.integer(o, "resamples", at),
                    (int) Json.integer(o, "skipped", at), Json.integer(o, "seed", at)));
        }
        return out;
    }

    // ---- helpers

    private static ObjectNode header(String kind) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION).put("kind", kind);
        return root;
    }

    private static List<String> texts(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isArray()) {
            throw new ValidationException(at + " lacks array field " + Names.quote(field));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new ValidationException(at + " field " + Names.quote(field) + " holds a non-text value " + e);
            }
            out.add(e.textValue());
        }
        return out;
    }
}
