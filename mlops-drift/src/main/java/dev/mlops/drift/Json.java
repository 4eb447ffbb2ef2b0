package dev.mlops.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;

/** Small JSON helpers for the profile and window formats: typed reads that name the field. Package-private. */
final class Json {

    private Json() {
    }

    static JsonNode field(JsonNode o, String name) {
        JsonNode v = o == null ? null : o.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field " + Names.quote(name) + " is missing");
        }
        return v;
    }

    static String text(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field " + Names.quote(name) + " must be a string");
        }
        return v.textValue();
    }

    static int integer(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (!v.isInt()) {
            throw new IllegalArgumentException("field " + Names.quote(name) + " must be an integer");
        }
        return v.intValue();
    }

    static long longValue(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field " + Names.quote(name) + " must be an integer");
        }
        return v.longValue();
    }

    static double doubleValue(JsonNode o, String name) {
        return number(field(o, name), name);
    }

    static JsonNode object(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (!v.isObject()) {
            throw new IllegalArgumentException("field " + Names.quote(name) + " must be an object");
        }
        return v;
    }

    static JsonNode array(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (!v.isArray()) {
            throw new IllegalArgumentException("field " + Names.quote(name) + " must be an array");
        }
        return v;
    }

    static double number(JsonNode v, String what) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(Names.quote(what) + " must be a number (or \"Infinity\", \"-Infinity\", \"NaN\")");
    }

    static double[] doubles(JsonNode a, String what) {
        if (!a.isArray()) {
            throw new IllegalArgumentException(Names.quote(what) + " must be an array");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(a.get(i), what);
        }
        return out;
    }

    static long[] longs(JsonNode a, String what) {
        if (!a.isArray()) {
            throw new IllegalArgumentException(Names.quote(what) + " must be an array");
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new IllegalArgumentException(Names.quote(what) + " must hold integers");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    static void putDouble(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.put(name, Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
    }

    static void putDoubles(ArrayNode a, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.add(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
            }
        }
    }
}
