package dev.mlops.gates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The JSON form of a {@link PromotionRule}: {@code {"type": "minimum", "metric": ..., "bound": ...}}.
 * Each rule writes its own fields and has its own reader; this class holds the registry from
 * {@code type} to reader, and the strict field access the readers share.
 */
final class RuleJson {
    /** One line per rule: adding a rule adds its reader here. */
    private static final Map<String, Function<Fields, PromotionRule>> READERS = Map.ofEntries(
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
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", rule.type());
        rule.writeJson(node);
        return node;
    }

    /**
     * @param node a rule's JSON object
     * @param at its place in the document, such as {@code rules[2]}, for messages
     * @return the rule
     * @throws ValidationException naming the place and what is wrong: an unknown {@code type}, a
     *     missing, mistyped or unknown field, or an invalid value
     */
    static PromotionRule read(JsonNode node, String at) {
        if (!node.isObject()) {
            throw new ValidationException(at + " must be a JSON object, got " + node);
        }
        String type = Json.text(node, "type", at);
        Function<Fields, PromotionRule> reader = READERS.get(type);
        if (reader == null) {
            throw new ValidationException(at + " has unknown rule type " + Names.quote(type) + "; expected one of "
                    + types());
        }
        Fields f = new Fields(node, at);
        PromotionRule rule;
        try {
            rule = reader.apply(f);
        } catch (IllegalArgumentException e) {
            // the constructor runs after every field was asked for, so a misspelt field can be named
            // first: it is the likelier cause of a value that looks wrong
            f.requireNoOthers();
            throw new ValidationException(at + ": " + e.getMessage());
        } catch (ValidationException e) {
            // a missing or mistyped field; the Json helpers name the place, a nested document does not
            throw e.getMessage().startsWith(at) ? e : new ValidationException(at + ": " + e.getMessage());
        }
        f.requireNoOthers();
        return rule;
    }

    /**
     * A rule's fields, read strictly: each accessor names the place and field when the field is
     * missing or of the wrong type, and a field no accessor asked for is refused afterwards.
     */
    static final class Fields {
        private final JsonNode node;
        private final String at;
        private final Set<String> asked = new LinkedHashSet<>(List.of("type"));

        Fields(JsonNode node, String at) {
            this.node = node;
            this.at = at;
        }

        boolean has(String field) {
            asked.add(field);
            return node.has(field);
        }

        String text(String field) {
            asked.add(field);
            return Json.text(node, field, at);
        }

        double number(String field) {
            asked.add(field);
            return Json.number(node, field, at);
        }

        long integer(String field) {
            asked.add(field);
            return Json.integer(node, field, at);
        }

        int intValue(String field) {
            long v = integer(field);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new ValidationException(at + " field " + Names.quote(field) + " is " + v
                        + ", expected a 32-bit integer");
            }
            return (int) v;
        }

        boolean bool(String field) {
            asked.add(field);
            JsonNode v = node.get(field);
            if (v == null || !v.isBoolean()) {
                throw new ValidationException(at + " needs " + Names.quote(field) + ": true or false");
            }
            return v.booleanValue();
        }

        JsonNode object(String field) {
            asked.add(field);
            JsonNode v = node.get(field);
            if (v == null || !v.isObject()) {
                throw new ValidationException(at + " lacks object field " + Names.quote(field));
            }
            return v;
        }

        void requireNoOthers() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!asked.contains(f)) {
                    throw new ValidationException(at + " has unknown field " + Names.quote(f) + "; a "
                            + Names.quote(node.get("type").textValue()) + " rule has " + new ArrayList<>(asked));
                }
            }
        }
    }
}
