package dev.mlops.quality;

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
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON for quality documents, written and read through explicit trees with {@link StrictJson}
 * (no default typing, no annotations on the API records), each with {@code schema_version} and
 * {@code kind}. Schema 2 has snake_case field names; schema 1, written camelCase, is still read.
 */
final class QualityJson {
    /** 2: snake_case field names. 1: camelCase ({@code schemaVersion}, {@code fieldType}, ...). */
    static final int SCHEMA_VERSION = 2;

    private QualityJson() {
    }

    static String write(JsonNode node) {
        return StrictJson.writePretty(node);
    }

    /**
     * Parses a document of {@code kind} and checks its header; a schema-1 document is read
     * through a camelCase view. The caller reads the other fields and calls {@link JsonFields#end()}.
     */
    static JsonFields parse(String json, String kind) {
        String what = kind.equals("fairness") ? "fairness report" : kind.replace('-', ' ');
        return readHeader(StrictJson.readObject(json, what), kind);
    }

    /** Checks the header of a document of {@code kind} read from a tree, such as one embedded in a policy. */
    static JsonFields readHeader(JsonFields doc, String kind) {
        return doc.versioned(kind, SCHEMA_VERSION);
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
        ObjectNode o = StrictJson.objectNode();
        if (c instanceof Constraint.HasType x) {
            o.put("type", "has_type").put("column", x.column()).put("field_type", x.type().name());
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
            o.put("max_outside_share", x.maxOutsideShare());
        } else if (c instanceof Constraint.Uniqueness x) {
            o.put("type", "uniqueness").put("column", x.column()).put("min", x.min());
        } else if (c instanceof Constraint.MatchesPattern x) {
            o.put("type", "pattern").put("column", x.column()).put("regex", x.regex()).put("min_share", x.minShare());
        } else if (c instanceof Constraint.Mean x) {
            o.put("type", "mean").put("column", x.column()).put("min", x.min()).put("max", x.max());
        } else if (c instanceof Constraint.StandardDeviation x) {
            o.put("type", "stddev").put("column", x.column()).put("min", x.min()).put("max", x.max());
        } else if (c instanceof Constraint.RowCount x) {
            o.put("type", "row_count").put("min", x.min()).put("max", x.max());
        } else if (c instanceof Constraint.Custom x) {
            // written in results only (for the record); never read back
            o.put("type", "custom").put("name", x.name()).put("column", x.column()).put("min_share", x.minShare());
        }
        return o;
    }

    static ValidationSuite readSuite(String json) {
        return readSuite(parse(json, "validation-suite"));
    }

    /** @param root a suite's fields, its header checked by {@link #header} */
    static ValidationSuite readSuite(JsonFields root) {
        String name = root.text("name");
        List<Constraint> out = new ArrayList<>();
        for (JsonFields c : root.objects("constraints")) {
            out.add(readConstraint(c));
        }
        root.end();
        try {
            return new ValidationSuite(name, out);
        } catch (IllegalArgumentException e) {
            throw root.invalid("the validation suite is invalid: " + e.getMessage());
        }
    }

    private static Constraint readConstraint(JsonFields o) {
        String type = o.text("type");
        try {
            Constraint c = switch (type) {
                case "has_type" -> new Constraint.HasType(o.text("column"), fieldType(o));
                case "completeness" -> new Constraint.Completeness(o.text("column"), o.number("min"));
                case "non_negative" -> new Constraint.NonNegative(o.text("column"));
                case "min" -> new Constraint.Minimum(o.text("column"), o.number("bound"));
                case "max" -> new Constraint.Maximum(o.text("column"), o.number("bound"));
                case "contained_in" -> new Constraint.ContainedIn(o.text("column"), o.texts("allowed"),
                        o.number("max_outside_share"));
                case "uniqueness" -> new Constraint.Uniqueness(o.text("column"), o.number("min"));
                case "pattern" -> new Constraint.MatchesPattern(o.text("column"), o.text("regex"), o.number("min_share"));
                case "mean" -> new Constraint.Mean(o.text("column"), o.number("min"), o.number("max"));
                case "stddev" -> new Constraint.StandardDeviation(o.text("column"), o.number("min"), o.number("max"));
                case "row_count" -> new Constraint.RowCount(o.integer("min"), o.integer("max"));
                case "custom" -> throw o.invalid("type", "a custom predicate (code), which JSON cannot hold");
                default -> throw o.invalid("type", "unknown type " + Names.quote(type)
                        + "; expected has_type, completeness, non_negative, min, max, contained_in, uniqueness, pattern, "
                        + "mean, stddev or row_count");
            };
            o.end();
            return c;
        } catch (IllegalArgumentException e) {
            throw o.invalid("the " + type + " constraint is invalid: " + e.getMessage());
        }
    }

    private static FieldType fieldType(JsonFields o) {
        String s = o.text("field_type");
        try {
            return FieldType.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw o.invalid("field_type", "unknown type " + Names.quote(s) + "; expected one of " + List.of(FieldType.values()));
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
        root.put("metric", r.metric()).put("greater_is_better", r.greaterIsBetter()).put("baseline", r.baseline())
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
        JsonFields root = parse(json, "permutation-importance");
        List<FeatureImportance> features = new ArrayList<>();
        for (JsonFields o : root.objects("features")) {
            List<Double> imps = new ArrayList<>();
            for (double v : o.numbersOrNonFinite("importances")) {
                imps.add(v);
            }
            features.add(new FeatureImportance(o.text("feature"), o.numberOrNonFinite("mean"), o.numberOrNonFinite("std"), imps));
            o.end();
        }
        ImportanceReport r = new ImportanceReport(root.text("metric"), root.bool("greater_is_better"),
                root.numberOrNonFinite("baseline"), root.intValue("rows"), root.intValue("repeats"), root.integer("seed"),
                features);
        root.end();
        return r;
    }

    // ---- fairness

    static String fairness(FairnessReport r) {
        ObjectNode root = header("fairness");
        root.put("sensitive", r.sensitive()).put("positive_class", r.positiveClass());
        ArrayNode arr = root.putArray("slices");
        for (SliceMetrics s : r.slices()) {
            arr.addObject().put("slice", s.slice()).put("count", s.count()).put("actual_positives", s.actualPositives())
                    .put("predicted_positives", s.predictedPositives()).put("selection_rate", s.selectionRate())
                    .put("true_positive_rate", s.truePositiveRate()).put("false_positive_rate", s.falsePositiveRate())
                    .put("accuracy", s.accuracy());
        }
        ObjectNode gaps = root.putObject("gaps");
        r.metrics().forEach(m -> gaps.put(m.name(), m.value()));
        return write(root);
    }

    static FairnessReport readFairness(String json) {
        JsonFields root = parse(json, "fairness");
        List<SliceMetrics> slices = new ArrayList<>();
        for (JsonFields o : root.objects("slices")) {
            slices.add(new SliceMetrics(o.text("slice"), o.intValue("count"), o.intValue("actual_positives"),
                    o.intValue("predicted_positives"), o.numberOrNonFinite("selection_rate"),
                    o.numberOrNonFinite("true_positive_rate"), o.numberOrNonFinite("false_positive_rate"),
                    o.numberOrNonFinite("accuracy")));
            o.end();
        }
        JsonFields gaps = root.object("gaps");
        FairnessReport r = new FairnessReport(root.text("sensitive"), root.text("positive_class"), slices,
                gaps.numberOrNonFinite("demographic_parity_difference"), gaps.numberOrNonFinite("demographic_parity_ratio"),
                gaps.numberOrNonFinite("equalized_odds_difference"), gaps.numberOrNonFinite("equal_opportunity_difference"));
        gaps.end();
        root.end();
        return r;
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
        JsonFields root = parse(json, "metric-estimates");
        List<MetricEstimate> out = new ArrayList<>();
        for (JsonFields o : root.objects("metrics")) {
            out.add(new MetricEstimate(o.text("metric"), o.numberOrNonFinite("value"), o.numberOrNonFinite("lower"),
                    o.numberOrNonFinite("upper"), o.number("confidence"), o.intValue("resamples"), o.intValue("skipped"),
                    o.integer("seed")));
            o.end();
        }
        root.end();
        return out;
    }

    // ---- helpers

    private static ObjectNode header(String kind) {
        ObjectNode root = StrictJson.objectNode();
        root.put("schema_version", SCHEMA_VERSION).put("kind", kind);
        return root;
    }
}
