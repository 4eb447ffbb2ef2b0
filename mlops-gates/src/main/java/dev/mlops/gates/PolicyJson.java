package dev.mlops.gates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON document of a {@link PromotionPolicy}. Writes schema version 2 (snake_case, one
 * {@code rules} array of typed rules, each read by {@link RuleJson}); reads version 2 and the
 * version 1 documents of earlier builds (camelCase, a section per kind of rule), which it turns
 * into version 2 rule objects so that each rule is still read in one place.
 */
final class PolicyJson {
    static final int SCHEMA_VERSION = 2;
    private static final String KIND = PromotionPolicy.KIND;

    private PolicyJson() {
    }

    static String write(PromotionPolicy policy) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION).put("kind", KIND).put("name", policy.name())
                .put("require_champion", policy.requireChampion());
        ArrayNode rules = root.putArray("rules");
        policy.rules().forEach(r -> rules.add(RuleJson.write(r)));
        policy.predictions().ifPresent(p -> {
            ObjectNode o = root.putObject("predictions").put("label", p.label()).put("prediction", p.prediction());
            p.championPrediction().ifPresent(c -> o.put("champion_prediction", c));
            p.positiveClass().ifPresent(c -> o.put("positive_class", c));
        });
        return Json.write(root);
    }

    static PromotionPolicy read(String json) {
        JsonNode root = Json.tree(json, KIND);
        JsonNode kind = root.get("kind");
        if (kind != null && !kind.asText().equals(KIND)) {
            throw new ValidationException("the document is a " + Names.quote(kind.asText()) + ", expected a " + KIND);
        }
        try {
            if (root.has("schema_version")) {
                requireVersion(root, "schema_version", SCHEMA_VERSION);
                return readVersion2(root);
            }
            if (root.has("schemaVersion")) {
                requireVersion(root, "schemaVersion", 1);
                return readVersion1(root);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ValidationException("policy: " + e.getMessage());
        }
        throw new ValidationException("the " + KIND + " has no schema_version; expected " + SCHEMA_VERSION);
    }

    private static void requireVersion(JsonNode root, String field, int expected) {
        JsonNode v = root.get(field);
        if (!v.isIntegralNumber() || v.intValue() != expected) {
            throw new ValidationException("the " + KIND + " has " + field + " " + v + "; this library reads"
                    + " schema_version " + SCHEMA_VERSION + " and the schemaVersion 1 of earlier builds");
        }
    }

    // ---- version 2 ----------------------------------------------------------------------------

    private static PromotionPolicy readVersion2(JsonNode root) {
        allowOnly(root, "policy", "schema_version", "kind", "name", "require_champion", "rules", "predictions");
        PromotionPolicy.Builder b = PromotionPolicy.builder(Json.text(root, "name", "policy"));
        b.requireChampion(bool(root, "require_champion", "policy"));
        int i = 0;
        for (JsonNode o : array(root, "rules")) {
            String at = "rules[" + i++ + "]";
            add(b, RuleJson.read(o, at), at);
        }
        JsonNode p = root.get("predictions");
        if (p != null) {
            b.predictions(predictions(p, "champion_prediction", "positive_class"));
        }
        return b.build();
    }

    private static void add(PromotionPolicy.Builder b, PromotionRule rule, String at) {
        try {
            b.rule(rule);
        } catch (IllegalStateException e) {
            throw new ValidationException(at + ": " + e.getMessage());
        }
    }

    private static PromotionPolicy.PredictionColumns predictions(JsonNode p, String championField, String positiveField) {
        String at = "predictions";
        allowOnly(p, at, "label", "prediction", championField, positiveField);
        try {
            return new PromotionPolicy.PredictionColumns(Json.text(p, "label", at), Json.text(p, "prediction", at),
                    p.has(championField) ? Optional.of(Json.text(p, championField, at)) : Optional.empty(),
                    p.has(positiveField) ? Optional.of(Json.text(p, positiveField, at)) : Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(at + ": " + e.getMessage());
        }
    }

    // ---- version 1: a section per kind of rule, turned into version 2 rule objects ------------

    private static PromotionPolicy readVersion1(JsonNode root) {
        allowOnly(root, "policy", "schemaVersion", "kind", "name", "requireChampion", "thresholds", "relative",
                "nonInferiority", "significance", "latency", "dataValidation", "fairness", "predictions");
        PromotionPolicy.Builder b = PromotionPolicy.builder(Json.text(root, "name", "policy"));
        b.requireChampion(bool(root, "requireChampion", "policy"));
        int i = 0;
        for (JsonNode o : array(root, "thresholds")) {
            String at = "thresholds[" + i++ + "]";
            allowOnly(o, at, "metric", "min", "max");
            boolean min = exactlyOne(o, at, "min", "max");
            add(b, v1Rule(at, min ? "minimum" : "maximum", o, "metric", "metric", min ? "min" : "max", "bound"), at);
        }
        i = 0;
        for (JsonNode o : array(root, "relative")) {
            String at = "relative[" + i++ + "]";
            allowOnly(o, at, "metric", "greaterIsBetter", "minAbsoluteChange", "minRelativeChange");
            requireBoolean(o, at, "greaterIsBetter", " (as MLflow's MetricThreshold)");
            if (!o.has("minAbsoluteChange") && !o.has("minRelativeChange")) {
                throw new ValidationException(at + " needs 'minAbsoluteChange' or 'minRelativeChange' (or both)");
            }
            if (o.has("minAbsoluteChange")) {
                add(b, v1Rule(at, "improvement", o, "metric", "metric", "greaterIsBetter", "greater_is_better",
                        "minAbsoluteChange", "min_change"), at);
            }
            if (o.has("minRelativeChange")) {
                add(b, v1Rule(at, "relative_improvement", o, "metric", "metric", "greaterIsBetter", "greater_is_better",
                        "minRelativeChange", "min_fraction"), at);
            }
        }
        i = 0;
        for (JsonNode o : array(root, "nonInferiority")) {
            String at = "nonInferiority[" + i++ + "]";
            allowOnly(o, at, "metric", "greaterIsBetter", "maxAbsoluteLoss", "maxRelativeLoss");
            requireBoolean(o, at, "greaterIsBetter", "");
            boolean absolute = exactlyOne(o, at, "maxAbsoluteLoss", "maxRelativeLoss");
            add(b, absolute
                    ? v1Rule(at, "non_inferiority", o, "metric", "metric", "greaterIsBetter", "greater_is_better",
                            "maxAbsoluteLoss", "max_loss")
                    : v1Rule(at, "relative_non_inferiority", o, "metric", "metric", "greaterIsBetter",
                            "greater_is_better", "maxRelativeLoss", "max_loss_fraction"), at);
        }
        i = 0;
        for (JsonNode o : array(root, "significance")) {
            String at = "significance[" + i++ + "]";
            allowOnly(o, at, "metric", "test", "alpha", "resamples", "confidence", "seed");
            String test = o.has("test") ? Json.text(o, "test", at) : "paired_bootstrap";
            if (test.equals("mcnemar")) {
                Json.text(o, "metric", at); // version 1 named the metric, always accuracy
                add(b, v1Rule(at, "mcnemar", o, "alpha", "alpha"), at);
            } else if (test.equals("paired_bootstrap")) {
                add(b, v1Rule(at, "significance", o, "metric", "metric", "alpha", "alpha", "resamples", "resamples",
                        "confidence", "confidence", "seed", "seed"), at);
            } else {
                throw new ValidationException(at + " has test " + Names.quote(test)
                        + "; expected 'paired_bootstrap' or 'mcnemar'");
            }
        }
        JsonNode latency = root.get("latency");
        if (latency != null) {
            allowOnly(latency, "latency", "maxP99Millis");
            add(b, v1Rule("latency", "latency_p99", latency, "maxP99Millis", "max_millis"), "latency");
        }
        JsonNode suite = root.get("dataValidation");
        if (suite != null) {
            ObjectNode rule = Json.MAPPER.createObjectNode().put("type", "data_validation");
            rule.set("suite", suite);
            add(b, RuleJson.read(rule, "dataValidation"), "dataValidation");
        }
        i = 0;
        for (JsonNode o : array(root, "fairness")) {
            String at = "fairness[" + i++ + "]";
            allowOnly(o, at, "column", "metric", "min", "max");
            boolean max = exactlyOne(o, at, "max", "min");
            add(b, v1Rule(at, max ? "fairness_max" : "fairness_min", o, "column", "column", "metric", "metric",
                    max ? "max" : "min", "bound"), at);
        }
        JsonNode p = root.get("predictions");
        if (p != null) {
            b.predictions(predictions(p, "championPrediction", "positiveClass"));
        }
        return b.build();
    }

    /**
     * A version 2 rule object from a version 1 one: {@code renames} pairs each old field with its
     * new name; a field the old object lacks stays absent, so the rule's reader names it.
     */
    private static PromotionRule v1Rule(String at, String type, JsonNode old, String... renames) {
        ObjectNode rule = Json.MAPPER.createObjectNode().put("type", type);
        for (int k = 0; k < renames.length; k += 2) {
            JsonNode v = old.get(renames[k]);
            if (v != null) {
                rule.set(renames[k + 1], v);
            } else if (!Set.of("resamples", "confidence", "seed").contains(renames[k])) {
                throw new ValidationException(at + " lacks field " + Names.quote(renames[k]));
            }
        }
        try {
            return RuleJson.read(rule, at);
        } catch (ValidationException e) {
            // name the field as the version 1 document spells it
            String message = e.getMessage();
            for (int k = 0; k < renames.length; k += 2) {
                message = message.replace(Names.quote(renames[k + 1]), Names.quote(renames[k]));
            }
            throw new ValidationException(message);
        }
    }

    private static boolean exactlyOne(JsonNode o, String at, String first, String second) {
        boolean hasFirst = o.has(first);
        if (hasFirst == o.has(second)) {
            throw new ValidationException(at + " needs exactly one of " + Names.quote(first) + " and "
                    + Names.quote(second));
        }
        return hasFirst;
    }

    private static void requireBoolean(JsonNode o, String at, String field, String hint) {
        JsonNode v = o.get(field);
        if (v == null || !v.isBoolean()) {
            throw new ValidationException(at + " needs " + Names.quote(field) + ": true or false" + hint);
        }
    }

    // ---- shared -------------------------------------------------------------------------------

    private static boolean bool(JsonNode root, String field, String at) {
        JsonNode v = root.get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new ValidationException(at + " field " + Names.quote(field) + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static void allowOnly(JsonNode o, String at, String... fields) {
        if (!o.isObject()) {
            throw new ValidationException(at + " must be a JSON object, got " + o);
        }
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ValidationException(at + " has unknown field " + Names.quote(f) + "; expected "
                        + List.of(fields));
            }
        }
    }

    private static List<JsonNode> array(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ValidationException("policy field " + Names.quote(field) + " must be an array");
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }
}
