package dev.mlops.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.Verdict;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * JSON of a {@link PromotionDecision}, the document stored as attachment
 * {@code promotion-decision-<n>} ({@link AttachmentNames#decision}):
 *
 * <pre>{@code
 * { "schemaVersion" : 1, "kind" : "promotion-decision", "candidate" : "rain/3", "alias" : "production",
 *   "champion" : "rain/2", "decidedAt" : "2026-01-02T03:04:05Z", "policy" : "sha256:...", "passed" : true,
 *   "checks" : [ { "name" : "min:auc", "observed" : 0.91, "required" : ">= 0.85", "verdict" : "PASS", "detail" : "" } ] }
 * }</pre>
 *
 * {@code champion} is absent when no version held the alias; {@code observed} is {@code null}
 * when the check produced no value; {@code passed} is written for readers without this library
 * and ignored when read (it is derived from the checks).
 */
final class DecisionJson {
    static final String KIND = "promotion-decision";

    private DecisionJson() {
    }

    static String write(PromotionDecision d) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", QualityJson.SCHEMA_VERSION).put("kind", KIND);
        root.put("candidate", d.candidate().toString()).put("alias", d.alias());
        d.champion().ifPresent(c -> root.put("champion", c.toString()));
        root.put("decidedAt", d.decidedAt().toString()).put("policy", d.policy()).put("passed", d.passed());
        ArrayNode arr = root.putArray("checks");
        for (CheckResult c : d.checks()) {
            ObjectNode o = arr.addObject();
            o.put("name", c.name());
            if (c.observed().isPresent() && Double.isFinite(c.observed().getAsDouble())) {
                o.put("observed", c.observed().getAsDouble());
            } else {
                o.putNull("observed");
            }
            o.put("required", c.required()).put("verdict", c.verdict().name()).put("detail", c.detail());
        }
        return QualityJson.write(root);
    }

    static PromotionDecision read(String json) {
        JsonNode root = QualityJson.parse(json, KIND);
        String where = "promotion decision";
        JsonNode arr = root.get("checks");
        if (arr == null || !arr.isArray()) {
            throw new ValidationException("the promotion decision has no checks array");
        }
        List<CheckResult> checks = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode o = arr.get(i);
            String at = "checks[" + i + "]";
            if (o == null || !o.isObject()) {
                throw new ValidationException(at + " of the promotion decision is not a JSON object");
            }
            JsonNode obs = o.get("observed");
            OptionalDouble observed;
            if (obs == null || obs.isNull()) {
                observed = OptionalDouble.empty();
            } else if (obs.isNumber()) {
                observed = OptionalDouble.of(obs.doubleValue());
            } else {
                throw new ValidationException(at + " field 'observed' must be a number or null, was " + obs);
            }
            String verdict = text(o, "verdict", at);
            Verdict v;
            try {
                v = Verdict.valueOf(verdict);
            } catch (IllegalArgumentException e) {
                throw new ValidationException(at + " has verdict " + Names.quote(verdict) + ", expected PASS or FAIL");
            }
            checks.add(new CheckResult(text(o, "name", at), observed, text(o, "required", at), v,
                    o.hasNonNull("detail") ? text(o, "detail", at) : ""));
        }
        Optional<ModelRef.Version> champion = root.hasNonNull("champion")
                ? Optional.of(version(text(root, "champion", where), "champion")) : Optional.empty();
        Instant decidedAt;
        String at = text(root, "decidedAt", where);
        try {
            decidedAt = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new ValidationException("the promotion decision's decidedAt " + Names.quote(at)
                    + " is not an ISO-8601 instant such as 2026-01-02T03:04:05Z");
        }
        return new PromotionDecision(version(text(root, "candidate", where), "candidate"), text(root, "alias", where),
                champion, checks, decidedAt, text(root, "policy", where));
    }

    private static ModelRef.Version version(String text, String field) {
        try {
            if (ModelRef.parse(text) instanceof ModelRef.Version v) {
                return v;
            }
        } catch (InvalidNameException e) {
            throw new ValidationException("the promotion decision's " + field + " is not valid: " + e.getMessage());
        }
        throw new ValidationException("the promotion decision's " + field + " " + Names.quote(text)
                + " is not a pinned version such as rain/3");
    }

    private static String text(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new ValidationException(at + " lacks text field " + Names.quote(field));
        }
        return v.textValue();
    }
}
