package dev.mlops.gates;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import dev.mlops.quality.DataValidation;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The JSON document of a {@link PromotionPolicy}, read and written through mlops-json's
 * {@link StrictJson}. Writes schema version 2 (snake_case, one {@code rules} array of typed rules,
 * each read by {@link RuleJson}); reads version 2 and the version 1 documents of earlier builds
 * (camelCase, a section per kind of rule), whose sections become the same rules.
 */
final class PolicyJson {
    static final int SCHEMA_VERSION = 2;
    private static final String KIND = PromotionPolicy.KIND;
    /** Names the document in messages: {@code promotion policy: rules[1].bound: ...}. */
    private static final String WHAT = "promotion policy";
    /** Version 1's top-level sections, one per kind of rule (their snake_case names: read through the camelCase view). */
    private static final List<String> VERSION_1_SECTIONS = List.of("thresholds", "relative", "non_inferiority",
            "significance", "latency", "data_validation", "fairness");

    private PolicyJson() {
    }

    static String write(PromotionPolicy policy) {
        ObjectNode root = StrictJson.objectNode();
        root.put("schema_version", SCHEMA_VERSION).put("kind", KIND).put("name", policy.name())
                .put("require_champion", policy.requireChampion());
        ArrayNode rules = root.putArray("rules");
        policy.rules().forEach(r -> rules.add(RuleJson.write(r)));
        policy.predictions().ifPresent(p -> {
            ObjectNode o = root.putObject("predictions").put("label", p.label()).put("prediction", p.prediction());
            p.championPrediction().ifPresent(c -> o.put("champion_prediction", c));
            p.positiveClass().ifPresent(c -> o.put("positive_class", c));
        });
        return StrictJson.writePretty(root);
    }

    static PromotionPolicy read(String json) {
        JsonFields doc = StrictJson.readObject(json, WHAT);
        JsonFields root;
        if (doc.has("schema_version") || doc.node().has("schemaVersion")) {
            root = doc.versioned(KIND, SCHEMA_VERSION);
        } else {
            // a hand-written policy may leave its version out: it is written in the current form
            root = doc;
            root.optionalText("kind").filter(k -> !k.equals(KIND)).ifPresent(k -> {
                throw root.invalid("kind", "the document is a " + Names.quote(k) + ", expected a " + KIND);
            });
        }
        PromotionPolicy.Builder b = guard(root, () -> PromotionPolicy.builder(root.text("name")));
        b.requireChampion(root.optionalBool("require_champion").orElse(false));
        // every top-level field is asked for before any rule is read, so a misspelt one is named first
        List<String> fields = root.isLegacyCamelCase() ? VERSION_1_SECTIONS : List.of("rules");
        fields.forEach(root::has);
        root.has("predictions");
        root.end();
        if (root.isLegacyCamelCase()) {
            readVersion1Rules(root, b);
        } else {
            for (JsonFields o : root.optionalObjects("rules")) {
                add(b, o, RuleJson.read(o));
            }
        }
        Optional<JsonFields> p = root.optionalObject("predictions");
        if (p.isPresent()) {
            b.predictions(predictions(p.get()));
        }
        return guard(root, b::build);
    }

    private static PromotionPolicy.PredictionColumns predictions(JsonFields p) {
        String label = p.text("label");
        String prediction = p.text("prediction");
        Optional<String> champion = p.optionalText("champion_prediction");
        Optional<String> positive = p.optionalText("positive_class");
        p.end();
        return guard(p, () -> new PromotionPolicy.PredictionColumns(label, prediction, champion, positive));
    }

    // ---- version 1: a section per kind of rule, read through the camelCase view ----------------

    private static void readVersion1Rules(JsonFields root, PromotionPolicy.Builder b) {
        for (JsonFields o : root.optionalObjects("thresholds")) {
            String metric = o.text("metric");
            boolean min = exactlyOne(o, "min", "max");
            double bound = o.number(min ? "min" : "max");
            add(b, o, rule(o, () -> min ? new PromotionRule.Minimum(metric, bound) : new PromotionRule.Maximum(metric, bound)));
        }
        for (JsonFields o : root.optionalObjects("relative")) {
            String metric = o.text("metric");
            boolean gib = o.bool("greater_is_better");
            var abs = o.optionalNumber("min_absolute_change");
            var rel = o.optionalNumber("min_relative_change");
            if (abs.isEmpty() && rel.isEmpty()) {
                o.end();
                throw o.invalid("needs " + Names.quote(key(o, "min_absolute_change")) + " or "
                        + Names.quote(key(o, "min_relative_change")) + " (or both)");
            }
            if (abs.isPresent()) {
                add(b, o, rule(o, () -> new PromotionRule.Improvement(metric, gib, abs.getAsDouble())));
            }
            if (rel.isPresent()) {
                add(b, o, rule(o, () -> new PromotionRule.RelativeImprovement(metric, gib, rel.getAsDouble())));
            }
        }
        for (JsonFields o : root.optionalObjects("non_inferiority")) {
            String metric = o.text("metric");
            boolean gib = o.bool("greater_is_better");
            boolean absolute = exactlyOne(o, "max_absolute_loss", "max_relative_loss");
            double loss = o.number(absolute ? "max_absolute_loss" : "max_relative_loss");
            add(b, o, rule(o, () -> absolute ? new PromotionRule.NonInferiority(metric, gib, loss)
                    : new PromotionRule.RelativeNonInferiority(metric, gib, loss)));
        }
        for (JsonFields o : root.optionalObjects("significance")) {
            String test = o.optionalText("test").orElse("paired_bootstrap");
            if (test.equals("mcnemar")) {
                o.text("metric"); // version 1 named the metric, always accuracy
                add(b, o, RuleJson.readAs(o, PromotionRule.McNemarTest::read));
            } else if (test.equals("paired_bootstrap")) {
                add(b, o, RuleJson.readAs(o, PromotionRule.Significance::read));
            } else {
                throw o.invalid("test", "unknown test " + Names.quote(test) + "; expected 'paired_bootstrap' or 'mcnemar'");
            }
        }
        Optional<JsonFields> latency = root.optionalObject("latency");
        if (latency.isPresent()) {
            JsonFields o = latency.get();
            double ms = o.number("max_p99_millis");
            add(b, o, rule(o, () -> new PromotionRule.LatencyP99(ms)));
        }
        Optional<JsonFields> suite = root.optionalObject("data_validation");
        if (suite.isPresent()) {
            JsonFields o = suite.get();
            PromotionRule.DataValidationRule r;
            try {
                r = new PromotionRule.DataValidationRule(DataValidation.fromJson(StrictJson.writeString(o.node())));
            } catch (ValidationException e) {
                throw o.invalid(e.getMessage());
            }
            add(b, o, r);
        }
        for (JsonFields o : root.optionalObjects("fairness")) {
            String column = o.text("column");
            String metric = o.text("metric");
            boolean max = exactlyOne(o, "max", "min");
            double bound = o.number(max ? "max" : "min");
            add(b, o, rule(o, () -> max ? new PromotionRule.FairnessMax(column, metric, bound)
                    : new PromotionRule.FairnessMin(column, metric, bound)));
        }
    }

    /** Ends {@code o} (no field beyond those read and these two) and says whether it has {@code first}: exactly one must be present. */
    private static boolean exactlyOne(JsonFields o, String first, String second) {
        boolean hasFirst = o.has(first);
        boolean hasSecond = o.has(second);
        o.end();
        if (hasFirst == hasSecond) {
            throw o.invalid("needs exactly one of " + Names.quote(key(o, first)) + " and " + Names.quote(key(o, second)));
        }
        return hasFirst;
    }

    /** The name {@code field} has in {@code o}'s document: camelCase in a version 1 policy. */
    private static String key(JsonFields o, String field) {
        String path = o.pathOf(field);
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** Ends {@code o}, then makes its rule; an invalid value is refused naming {@code o}'s path. */
    private static PromotionRule rule(JsonFields o, Supplier<PromotionRule> make) {
        o.end();
        return guard(o, make);
    }

    private static void add(PromotionPolicy.Builder b, JsonFields at, PromotionRule rule) {
        guard(at, () -> b.rule(rule));
    }

    private static <T> T guard(JsonFields at, Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw at.invalid(e.getMessage());
        }
    }
}
