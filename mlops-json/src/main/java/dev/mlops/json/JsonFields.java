package dev.mlops.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One JSON object of a document read field by field, strictly: each getter takes the field's
 * snake_case name, checks the value's JSON type without coercion (a string is never a number),
 * and refuses with a {@link ValidationException} naming the document, the field's path
 * ({@code thresholds[1].min}) and what was expected. {@link #end()} then refuses any field the
 * reader did not ask for, so a misspelt field cannot be silently ignored.
 *
 * <p>Made by {@link StrictJson#readObject} and {@link StrictJson#fields}. A {@link #legacyCamelCase()}
 * view reads a format's first-version documents, written with camelCase names: a getter for
 * {@code decided_at} then finds {@code decidedAt} (or, where such a document already used
 * snake_case, {@code decided_at}). Not thread-safe; one reader reads one document.
 */
public final class JsonFields {
    private final ObjectNode node;
    private final String what;
    private final String path;
    private final boolean camelCase;
    private final Set<String> asked = new LinkedHashSet<>();

    private JsonFields(ObjectNode node, String what, String path, boolean camelCase) {
        this.node = node;
        this.what = what;
        this.path = path;
        this.camelCase = camelCase;
    }

    static JsonFields root(JsonNode node, String what) {
        if (!node.isObject()) {
            throw new ValidationException(what + ": expected a JSON object, got " + describe(node));
        }
        return new JsonFields((ObjectNode) node, what, "", false);
    }

    /**
     * @return a view of this object (and of the objects read through it) that finds each field
     *     under its camelCase name first, for documents of a format's first schema version
     */
    public JsonFields legacyCamelCase() {
        return new JsonFields(node, what, path, true);
    }

    /**
     * Checks a versioned document's header and returns the view to read the rest through: a
     * document with {@code schema_version} {@code current} (snake_case names) reads as it is; one
     * with {@code schemaVersion} 1, the first version, written with camelCase names, reads through
     * {@link #legacyCamelCase()}. A {@code kind}, when present, must be {@code kind}.
     *
     * @param kind the document's kind, such as {@code promotion-policy}
     * @param current the schema version written now, with snake_case names
     * @return this object, or its camelCase view for a version-1 document
     * @throws ValidationException naming the version or kind found and those expected
     */
    public JsonFields versioned(String kind, int current) {
        boolean camelCase = node.has("schemaVersion");
        JsonFields root = camelCase ? legacyCamelCase() : this;
        int version = root.intValue("schema_version");
        if (version != (camelCase ? 1 : current)) {
            throw root.invalid("schema_version", "version " + version + " is not one this library reads; expected "
                    + current + " (with snake_case names, schema_version) or 1 (with camelCase names, schemaVersion)");
        }
        root.optionalText("kind").filter(k -> !k.equals(kind)).ifPresent(k -> {
            throw root.invalid("kind", "the document is a " + Names.quote(k) + ", expected a " + kind);
        });
        return root;
    }

    /** @return true for a {@link #legacyCamelCase()} view */
    public boolean isLegacyCamelCase() {
        return camelCase;
    }

    /** @return the document's name, as given to {@link StrictJson} */
    public String what() {
        return what;
    }

    /** @return this object's path in the document ({@code thresholds[1]}), empty for the root */
    public String path() {
        return path;
    }

    /** @return the object itself, to copy or write elsewhere */
    public ObjectNode node() {
        return node;
    }

    /**
     * @return the names of all fields present, in document order, for objects whose keys are
     *     data (such as column names); asking for a field by name still marks it as read
     */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * @param field a field's snake_case name
     * @return true if the field is present and not {@code null}
     */
    public boolean has(String field) {
        JsonNode v = get(field);
        return v != null && !v.isNull();
    }

    /**
     * @param field the field's name
     * @return its value, any JSON type but {@code null}
     */
    public JsonNode node(String field) {
        return required(field, "a value");
    }

    /**
     * @param field the field's name
     * @return its value, which may be {@code null} (a null node) but must be present
     */
    public JsonNode nullable(String field) {
        JsonNode v = get(field);
        if (v == null) {
            throw invalid(field, "missing; expected a value or null");
        }
        return v;
    }

    /**
     * @param field the field's name
     * @return its value, empty when absent or {@code null}
     */
    public Optional<JsonNode> optionalNode(String field) {
        JsonNode v = get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    /**
     * @param field the field's name
     * @return its string value
     */
    public String text(String field) {
        return typed(field, "a string", JsonNode::isTextual).textValue();
    }

    /**
     * @param field the field's name
     * @return its string value, empty when absent or {@code null}
     */
    public Optional<String> optionalText(String field) {
        return has(field) ? Optional.of(text(field)) : Optional.empty();
    }

    /**
     * @param field the field's name
     * @return its number value (an integer or a number with a fraction)
     */
    public double number(String field) {
        return typed(field, "a number", JsonNode::isNumber).doubleValue();
    }

    /**
     * @param field the field's name
     * @return its number value, empty when absent or {@code null}
     */
    public OptionalDouble optionalNumber(String field) {
        return has(field) ? OptionalDouble.of(number(field)) : OptionalDouble.empty();
    }

    /**
     * For formats that write non-finite doubles as strings, since JSON has no NaN or infinity.
     *
     * @param field the field's name
     * @return its number value, or NaN or an infinity for the strings {@code "NaN"},
     *     {@code "Infinity"} and {@code "-Infinity"}
     */
    public double numberOrNonFinite(String field) {
        return numberOrNonFinite(required(field, "a number"), pathOf(field));
    }

    /**
     * @param field the field's name
     * @return its integer value (a number without fraction or exponent, within a long)
     */
    public long integer(String field) {
        return typed(field, "an integer", JsonFields::isLong).longValue();
    }

    /**
     * @param field the field's name
     * @return its integer value, empty when absent or {@code null}
     */
    public OptionalLong optionalInteger(String field) {
        return has(field) ? OptionalLong.of(integer(field)) : OptionalLong.empty();
    }

    /**
     * @param field the field's name
     * @return its integer value, which must fit an int
     */
    public int intValue(String field) {
        return typed(field, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE,
                v -> v.isIntegralNumber() && v.canConvertToInt()).intValue();
    }

    /**
     * @param field the field's name
     * @return its boolean value
     */
    public boolean bool(String field) {
        return typed(field, "true or false", JsonNode::isBoolean).booleanValue();
    }

    /**
     * @param field the field's name
     * @return its boolean value, empty when absent or {@code null}
     */
    public Optional<Boolean> optionalBool(String field) {
        return has(field) ? Optional.of(bool(field)) : Optional.empty();
    }

    /**
     * @param field the field's name
     * @return the object it holds, to read field by field (and {@link #end()})
     */
    public JsonFields object(String field) {
        return new JsonFields((ObjectNode) typed(field, "an object", JsonNode::isObject), what, pathOf(field), camelCase);
    }

    /**
     * @param field the field's name
     * @return the object it holds, empty when absent or {@code null}
     */
    public Optional<JsonFields> optionalObject(String field) {
        return has(field) ? Optional.of(object(field)) : Optional.empty();
    }

    /**
     * @param field the field's name
     * @return the array it holds, each element as it is
     */
    public List<JsonNode> array(String field) {
        List<JsonNode> out = new ArrayList<>();
        typed(field, "an array", JsonNode::isArray).forEach(out::add);
        return out;
    }

    /** The array's elements, each checked to be what {@code ok} accepts. */
    private List<JsonNode> elements(String field, String expected, Predicate<JsonNode> ok) {
        List<JsonNode> items = array(field);
        for (int i = 0; i < items.size(); i++) {
            if (!ok.test(items.get(i))) {
                throw new ValidationException(what + ": " + pathOf(field) + "[" + i + "]: expected " + expected + ", got "
                        + describe(items.get(i)));
            }
        }
        return items;
    }

    /**
     * @param field the field's name
     * @return the objects of the array it holds, each at its path ({@code field[i]})
     */
    public List<JsonFields> objects(String field) {
        List<JsonNode> items = elements(field, "an object", JsonNode::isObject);
        List<JsonFields> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(new JsonFields((ObjectNode) items.get(i), what, pathOf(field) + "[" + i + "]", camelCase));
        }
        return out;
    }

    /**
     * @param field the field's name
     * @return as {@link #objects}, or none when the field is absent or {@code null}
     */
    public List<JsonFields> optionalObjects(String field) {
        return has(field) ? objects(field) : List.of();
    }

    /**
     * @param field the field's name
     * @return the strings of the array it holds
     */
    public List<String> texts(String field) {
        return elements(field, "a string", JsonNode::isTextual).stream().map(JsonNode::textValue).toList();
    }

    /**
     * @param field the field's name
     * @return the integers of the array it holds
     */
    public long[] integers(String field) {
        return elements(field, "an integer", JsonFields::isLong).stream().mapToLong(JsonNode::longValue).toArray();
    }

    /**
     * @param field the field's name
     * @return the numbers of the array it holds, with {@code "NaN"}, {@code "Infinity"} and
     *     {@code "-Infinity"} as in {@link #numberOrNonFinite}
     */
    public double[] numbersOrNonFinite(String field) {
        List<JsonNode> items = array(field);
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = numberOrNonFinite(items.get(i), pathOf(field) + "[" + i + "]");
        }
        return out;
    }

    /**
     * Refuses any field of this object that no getter asked for. Call it after reading an
     * object; a field a reader does not want in some case is refused as well.
     *
     * @throws ValidationException naming the first unknown field and the ones expected
     */
    public void end() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!asked.contains(name)) {
                throw new ValidationException(what + ": " + pathOfKey(name) + ": unknown field; expected "
                        + (asked.isEmpty() ? "no fields" : "only " + asked));
            }
        }
    }

    /**
     * For a reader's own checks of a field's value.
     *
     * @param field the field's name
     * @param problem what is wrong and what was expected
     * @return an exception naming the document and the field's path
     */
    public ValidationException invalid(String field, String problem) {
        return new ValidationException(what + ": " + pathOf(field) + ": " + problem);
    }

    /**
     * @param problem what is wrong with this object and what was expected
     * @return an exception naming the document and this object's path
     */
    public ValidationException invalid(String problem) {
        return new ValidationException(what + ": " + JsonErrors.place(path) + problem);
    }

    /**
     * @param field a field's name
     * @return its path in the document, as messages show it
     */
    public String pathOf(String field) {
        return pathOfKey(key(field));
    }

    private String pathOfKey(String key) {
        StringBuilder sb = new StringBuilder(path);
        JsonErrors.appendField(sb, key);
        return sb.toString();
    }

    /** The key a field has in this document: its camelCase form in a legacy document that has it. */
    private String key(String field) {
        if (!camelCase) {
            return field;
        }
        // the camelCase name first; the snake_case one where such a document already used it; a
        // missing field is named as a legacy document would spell it
        String camel = camelCase(field);
        return node.has(camel) || !node.has(field) ? camel : field;
    }

    private JsonNode get(String field) {
        String k = key(field);
        asked.add(k);
        return node.get(k);
    }

    private JsonNode required(String field, String expected) {
        JsonNode v = get(field);
        if (v == null) {
            throw invalid(field, "missing; expected " + expected);
        }
        if (v.isNull()) {
            throw invalid(field, "expected " + expected + ", got null");
        }
        return v;
    }

    /** The field's value, present, not null and accepted by {@code ok}. */
    private JsonNode typed(String field, String expected, Predicate<JsonNode> ok) {
        JsonNode v = required(field, expected);
        if (!ok.test(v)) {
            throw invalid(field, "expected " + expected + ", got " + describe(v));
        }
        return v;
    }

    private static boolean isLong(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToLong();
    }

    private double numberOrNonFinite(JsonNode v, String at) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new ValidationException(what + ": " + at + ": expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got "
                + describe(v));
    }

    /** {@code max_p99_millis} as {@code maxP99Millis}. */
    static String camelCase(String snake) {
        StringBuilder sb = new StringBuilder(snake.length());
        boolean upper = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** What a value is, for "got ..." in a message; strings are quoted and cut by {@link Names#quote}. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isTextual()) {
            return "the string " + Names.quote(v.textValue());
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
