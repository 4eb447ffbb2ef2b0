package dev.mlops.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parameters of a request's query string, each name with its values in order. */
final class Query {
    /** Longest query string read; a longer one is refused. */
    static final int MAX_LENGTH = 8_192;

    private final Map<String, List<String>> values;

    private Query(Map<String, List<String>> values) {
        this.values = values;
    }

    static Query parse(String raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new Query(values);
        }
        if (raw.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("query string of " + raw.length() + " characters: expected at most " + MAX_LENGTH);
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new Query(values);
    }

    Optional<String> first(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** A page size: the parameter when given (1 to max), else the default. */
    int size(String name, int defaultSize, int max) {
        Optional<String> v = first(name);
        if (v.isEmpty()) {
            return defaultSize;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below with the value
        }
        throw new IllegalArgumentException(name + "=" + v.get() + ": expected a whole number from 1 to " + max);
    }
}
