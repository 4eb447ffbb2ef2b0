package dev.mlops.quality;

import com.fasterxml.jackson.annotation.JsonInclude;
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
}
