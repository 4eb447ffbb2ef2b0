package dev.mlops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@code --json} output: one JSON document per command on stdout, snake_case keys, map
 * entries sorted by key. Only the view records of {@link Views} and plain maps and lists are
 * written; no type information.
 */
final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output: " + e.getOriginalMessage(), e);
        }
        out.flush();
    }

    /** A page of a listing: {@code {"<key>": [...], "next_page_token": ...}}. */
    static Map<String, Object> page(String key, List<?> items, Optional<String> nextPageToken) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, items);
        m.put("next_page_token", nextPageToken.orElse(null));
        return m;
    }
}
