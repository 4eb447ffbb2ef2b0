package dev.mlops.gates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The JSON form of a {@link PromotionRule}: {@code {"type": "minimum", "metric": ..., "bound": ...}}.
 * Each rule writes its own fields and has its own reader, which reads them through
 * {@link JsonFields} (strict: a missing, mistyped or unknown field is refused with its path);
 * this class holds the registry from {@code type} to reader.
 */
final class RuleJson {
    /** One line per rule: adding a rule adds its reader here. */
    private static final Map<String, Function<JsonFields, PromotionRule>> READERS = Map.ofEntries(
            Map.entry(PromotionRule.Minimum.TYPE, PromotionRule.Minimum::read),
            Map.entry(PromotionRule.Maximum.TYPE, PromotionRule.Maximum::read),
            Map.entry(PromotionRule.Improvement.TYPE, PromotionRule.Improvement::read),
            Map.entry(PromotionRule.RelativeImprovement.TYPE, PromotionRule.RelativeImprovement::read),
            Map.entry(PromotionRule.NonInferiority.TYPE, PromotionRule.NonInferiority::read),
            Map.entry(PromotionRule.RelativeNonInferiority.TYPE, PromotionRule.RelativeNonInferiority::read),
            Map.entry(PromotionRule.Significance.TYPE, PromotionRule.Significance::read),
            Map.entry(PromotionRule.McNemarTest.TYPE, PromotionRule.McNemarTest::read),
            Map.entry(PromotionRule.LatencyP99.TYPE, PromotionRule.LatencyP99::read),
            Map.entry(PromotionRule.DataValidationRule.TYPE, PromotionRule.DataValidationRule::read),
            Map.entry(PromotionRule.FairnessMax.TYPE, PromotionRule.FairnessMax::read),
            Map.entry(PromotionRule.FairnessMin.TYPE, PromotionRule.FairnessMin::read));

    private RuleJson() {
    }

    /** @return every {@code type} a policy document may name */
    static Set<String> types() {
        return new TreeSet<>(READERS.keySet());
    }

    /** @return the rule as a JSON object, {@code type} first */
    static ObjectNode write(PromotionRule rule) {
        ObjectNode node = StrictJson.objectNode().put("type", rule.type());
        rule.writeJson(node);
        return node;
    }

    /**
     * @param f a rule's JSON object
     * @return the rule
     * @throws ValidationException naming the rule's path and what is wrong: an unknown
     *     {@code type}, a missing, mistyped or unknown field, or an invalid value
     */
    static PromotionRule read(JsonFields f) {
        String type = f.text("type");
        Function<JsonFields, PromotionRule> reader = READERS.get(type);
        if (reader == null) {
            throw f.invalid("type", "unknown rule type " + Names.quote(type) + "; expected one of " + types());
        }
        return readAs(f, reader);
    }

    /**
     * Reads a rule's fields with one rule's reader, then refuses any field it did not ask for.
     *
     * @param f the rule's JSON object
     * @param reader the rule's reader
     * @return the rule
     */
    static PromotionRule readAs(JsonFields f, Function<JsonFields, PromotionRule> reader) {
        PromotionRule rule;
        try {
            rule = reader.apply(f);
        } catch (IllegalArgumentException e) {
            // the constructor runs after every field was asked for, so a misspelt field can be named
            // first: it is the likelier cause of a value that looks wrong
            f.end();
            throw f.invalid(e.getMessage());
        }
        f.end();
        return rule;
    }
}
