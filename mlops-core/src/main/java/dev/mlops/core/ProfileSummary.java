package dev.mlops.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Summarizes a drift reference profile (mlops-drift's {@code ReferenceProfile} JSON, kind
 * {@code mlops-drift-profile}) without depending on mlops-drift: core reads the document as a
 * Jackson tree and keeps only what a model card shows. Fields it does not know are ignored;
 * numbers written as text ({@code "NaN"}, {@code "Infinity"}) are treated as absent.
 */
final class ProfileSummary {
    /** The profile's {@code kind}, as mlops-drift writes it. */
    static final String KIND = "mlops-drift-profile";
    /** Categories shown per categorical column. */
    static final int TOP_CATEGORIES = 5;

    private ProfileSummary() {
    }

    static ModelCard.DriftBaseline read(String json) {
        // strict parsing (repeated keys, limits); the fields are mlops-drift's to check
        JsonNode root = dev.mlops.json.StrictJson.readTree(json, "drift profile");
        if (!root.isObject()) {
            throw new ValidationException("a drift profile must be a JSON object");
        }
        JsonNode kind = root.get("kind");
        if (kind != null && !KIND.equals(kind.asText())) {
            throw new ValidationException("the document is a " + Names.quote(kind.asText()) + ", expected a " + KIND);
        }
        JsonNode version = root.get("schema_version");
        if (version != null && version.asInt() != 1) {
            throw new ValidationException("the drift profile has schema_version " + version + "; this card reads 1");
        }
        JsonNode cols = root.get("columns");
        if (cols == null || !cols.isArray()) {
            throw new ValidationException("the drift profile has no columns array");
        }
        List<ModelCard.BaselineColumn> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            JsonNode c = cols.get(i);
            String at = "columns[" + i + "]";
            if (c == null || !c.isObject() || !c.path("name").isTextual()) {
                throw new ValidationException(at + " of the drift profile has no text field 'name'");
            }
            List<ModelCard.CategoryCount> top = new ArrayList<>();
            JsonNode cats = c.get("categories");
            if (cats != null && cats.isArray()) {
                for (JsonNode cat : cats) {
                    if (top.size() == TOP_CATEGORIES) {
                        break;
                    }
                    if (cat.path("value").isTextual()) {
                        top.add(new ModelCard.CategoryCount(cat.get("value").textValue(), cat.path("count").asLong()));
                    }
                }
            }
            out.add(new ModelCard.BaselineColumn(c.get("name").textValue(), c.path("type").asText("unknown"),
                    count(c, "count", at), count(c, "missing", at), optionalCount(c, "distinct"), number(c, "min"),
                    number(c, "max"), number(c, "mean"), number(c, "std"), top));
        }
        JsonNode rows = root.get("rows");
        long n = rows != null && rows.isIntegralNumber() ? rows.longValue()
                : out.isEmpty() ? 0 : out.get(0).count() + out.get(0).missing();
        return new ModelCard.DriftBaseline(n, out);
    }

    private static long count(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || v.longValue() < 0) {
            throw new ValidationException(at + " of the drift profile lacks a whole number " + Names.quote(field));
        }
        return v.longValue();
    }

    private static OptionalLong optionalCount(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && v.isIntegralNumber() ? OptionalLong.of(v.longValue()) : OptionalLong.empty();
    }

    private static OptionalDouble number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && v.isNumber() && Double.isFinite(v.doubleValue()) ? OptionalDouble.of(v.doubleValue())
                : OptionalDouble.empty();
    }
}
