package dev.mlops.quality.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Loads src/test/resources/quality/sklearn-reference.json (made by src/test/python/generate_quality_reference.py). */
public final class QualityReference {
    public static final JsonNode ROOT = load();

    /** Absolute 1e-12, relative 1e-12 for values above 1 in magnitude (MAPE with eps denominators reaches 1e15). */
    public static final double TOLERANCE = 1e-12;

    private QualityReference() {
    }

    private static JsonNode load() {
        try (InputStream in = QualityReference.class.getResourceAsStream("/quality/sklearn-reference.json")) {
            if (in == null) {
                throw new IllegalStateException("quality/sklearn-reference.json is missing from the test resources");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double allowed(double expected) {
        return TOLERANCE * Math.max(1.0, Math.abs(expected));
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }

    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }

    public static double[][] matrix(JsonNode array) {
        double[][] out = new double[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(array.get(i));
        }
        return out;
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    public static JsonNode classificationCase(String name) {
        for (JsonNode c : ROOT.get("classification")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no classification case " + name);
    }
}
