package dev.mlops.gates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;

/** Interim copy of core's JSON mapper until the one strict JSON layer lands: no default typing, unknown fields ignored so the format can grow. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            // a repeated key is refused, never silently replaced by its last value
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(16 * 1024 * 1024).build());
    }

    private Json() {
    }

    /** The text field {@code field} of {@code o}; {@code at} names the object in the message. */
    static String text(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new ValidationException(at + " lacks text field " + Names.quote(field));
        }
        return v.textValue();
    }

    /** The number field {@code field} of {@code o}; {@code at} names the object in the message. */
    static double number(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            throw new ValidationException(at + " lacks number field " + Names.quote(field));
        }
        return v.doubleValue();
    }

    /** The integer field {@code field} of {@code o}; {@code at} names the object in the message. */
    static long integer(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new ValidationException(at + " lacks integer field " + Names.quote(field));
        }
        return v.longValue();
    }

    // interim copy of quality's document header rules (QualityJson), until the one JSON layer lands
    static final int SCHEMA_VERSION = 1;

    static String write(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** The document's root object, before its header is checked (a reader of several versions checks it itself). */
    static JsonNode tree(String json, String kind) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            java.util.regex.Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            if (dup.matches() && e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p) {
                throw new ValidationException(kind.replace('-', ' ') + ": " + path(p.getParsingContext(), dup.group(1))
                        + ": the field appears twice");
            }
            throw new ValidationException("not valid JSON for a " + kind + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("a " + kind + " must be a JSON object");
        }
        return root;
    }

    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("Duplicate field '(.*)'");

    /** {@code rules[0].min}: where in the document the parser is, ending with {@code field}. */
    private static String path(com.fasterxml.jackson.core.JsonStreamContext context, String field) {
        StringBuilder sb = new StringBuilder();
        for (com.fasterxml.jackson.core.JsonStreamContext c = context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            String step = c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName();
            sb.insert(0, step);
        }
        sb.append('.').append(field);
        return sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
    }

    static JsonNode parse(String json, String kind) {
        JsonNode root = tree(json, kind);
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

}
