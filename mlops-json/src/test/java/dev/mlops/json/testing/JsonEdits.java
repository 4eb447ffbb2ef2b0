package dev.mlops.json.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.Names;
import dev.mlops.json.StrictJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Test support: hostile edits of a valid JSON document, for the strictness tests of each format
 * reader. Shared by the modules' tests through mlops-json's test-jar.
 */
public final class JsonEdits {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private JsonEdits() {
    }

    /**
     * A document with one key written twice.
     *
     * @param json the document with that key once
     * @param path the key's path as {@link StrictJson}'s messages name it ({@code rules[2].min})
     */
    public record Duplicate(String json, String path) {
    }

    /**
     * @param json a valid document with at least one object field
     * @param choice picks the field (taken modulo the number of fields)
     * @return the document with that field written a second time, right after the first
     */
    public static Duplicate duplicateField(String json, int choice) {
        JsonNode root = StrictJson.readTree(json, "test document");
        List<String> paths = new ArrayList<>();
        collect(root, "", paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("the document has no object field to repeat");
        }
        String target = paths.get(Math.floorMod(choice, paths.size()));
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, root, "", target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Duplicate(out.toString(), target);
    }

    /** @return the paths of every object field of the document, as the messages write them */
    public static List<String> fieldPaths(String json) {
        List<String> paths = new ArrayList<>();
        collect(StrictJson.readTree(json, "test document"), "", paths);
        return paths;
    }

    /**
     * @param depth levels of arrays
     * @return {@code [[[...]]]}, {@code depth} levels deep
     */
    public static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** @return a number one digit longer than {@link StrictJson#MAX_NUMBER_LENGTH} allows */
    public static String tooLongNumber() {
        return "1" + "0".repeat(StrictJson.MAX_NUMBER_LENGTH);
    }

    /** @return a JSON string one character longer than {@link StrictJson#MAX_STRING_LENGTH} allows, quoted */
    public static String tooLongString() {
        return "\"" + "x".repeat(StrictJson.MAX_STRING_LENGTH + 1) + "\"";
    }

    /**
     * A tree any test can change and write back with {@link StrictJson#writeString}, read
     * leniently (for documents the strict reader would refuse).
     *
     * @param json a document
     * @return its tree
     */
    public static JsonNode lenientTree(String json) {
        try {
            return PLAIN.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode n, String path, List<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = field(path, e.getKey());
                out.add(p);
                collect(e.getValue(), p, out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collect(n.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static void write(JsonGenerator g, JsonNode n, String path, String target) throws IOException {
        if (n.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = field(path, e.getKey());
                g.writeFieldName(e.getKey());
                write(g, e.getValue(), p, target);
                if (p.equals(target)) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue(), p, target);
                }
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (int i = 0; i < n.size(); i++) {
                write(g, n.get(i), path + "[" + i + "]", target);
            }
            g.writeEndArray();
        } else {
            PLAIN.writeTree(g, n);
        }
    }

    private static String field(String path, String name) {
        if (PLAIN_NAME.matcher(name).matches()) {
            return path.isEmpty() ? name : path + "." + name;
        }
        return path + "[" + Names.quote(name) + "]";
    }
}
