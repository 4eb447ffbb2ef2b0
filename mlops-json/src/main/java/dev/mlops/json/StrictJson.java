package dev.mlops.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.mlops.api.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The one JSON layer of mlops-java: every reader and writer of a stored or user-written format
 * (registry documents, audit entries, promotion policies and decisions, quality reports, drift
 * profiles, reports and window states, inference log lines, the CLI's {@code --json} output)
 * goes through here, so all of them refuse the same bad input in the same words.
 *
 * <h2>Reading is strict</h2>
 * <ul>
 *   <li>a key repeated in one object is refused (a repeated key would otherwise silently win,
 *       and a policy with two {@code "thresholds"} would lose its first rules);</li>
 *   <li>a field the format does not have is refused, by data binding and by
 *       {@link JsonFields#end()} for formats read from a tree;</li>
 *   <li>values are not coerced: a string is not a number, a number is not a boolean or a
 *       string, {@code 1.5} is not an integer, {@code null} is not a primitive, an empty string
 *       is not an absent value;</li>
 *   <li>input is bounded: at most {@value #MAX_NESTING_DEPTH} levels of nesting, numbers of at
 *       most {@value #MAX_NUMBER_LENGTH} digits, strings of at most
 *       {@value #MAX_STRING_LENGTH} characters, documents of at most
 *       {@value #MAX_DOCUMENT_LENGTH} bytes (or characters);</li>
 *   <li>anything after the document is refused;</li>
 *   <li>no default typing, and class-name type ids ({@code @JsonTypeInfo(use = CLASS)}) are
 *       refused by an empty subtype validator: a document never names a Java class to
 *       instantiate; nothing is read or written with Java serialization.</li>
 * </ul>
 * Every refusal is a {@link ValidationException} whose message names the document, the place of
 * the problem as a path ({@code thresholds}, {@code rules[2].min}) and what was expected, such as
 * {@code promotion policy: thresholds: the field appears twice; expected each field once}.
 *
 * <h2>One naming style</h2>
 * Field names are snake_case in every format ({@link #write}, {@link #read}). Documents of a
 * format's first schema version that were written with Java's camelCase names are read with
 * {@link #bindAsNamed} or {@link JsonFields#legacyCamelCase()}, so existing stores still read.
 * A user's own values embedded in a format (an inference log's {@code input}) keep the names
 * their types give them ({@link #valueToTree}).
 *
 * <p>The mappers behind this class are built once and never handed out, so nobody can loosen
 * them; {@link ObjectMapper} instances are not exposed. Thread-safe.
 */
public final class StrictJson {
    /**
     * Deepest nesting of objects and arrays accepted. The deepest format (a policy embedding a
     * validation suite) nests 5 levels; 64 leaves room and stops stack-exhausting input.
     */
    public static final int MAX_NESTING_DEPTH = 64;
    /**
     * Longest number accepted, in digits. A double needs at most 17 and a long 19; parsing very
     * long numbers costs quadratic time.
     */
    public static final int MAX_NUMBER_LENGTH = 100;
    /**
     * Longest string accepted, in characters (16 MiB). The longest strings written are drift
     * profiles' base64 quantile sketches: about 2 MiB at the largest sketch size.
     */
    public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;
    /**
     * Longest document accepted, in bytes or characters (256 MiB): a drift profile of thousands
     * of columns stays far below; the readers hold the whole document in memory anyway.
     */
    public static final long MAX_DOCUMENT_LENGTH = 256L * 1024 * 1024;

    /** Stored formats: snake_case, compact, null-valued fields left out. */
    private static final ObjectMapper SNAKE_CASE = hardened(PropertyNamingStrategies.SNAKE_CASE, JsonInclude.Include.NON_NULL);
    /** Java's own names: schema-1 documents written camelCase, and users' values embedded in a format. */
    private static final ObjectMapper AS_NAMED = hardened(null, JsonInclude.Include.ALWAYS);
    /** Output for people and scripts: snake_case, every field written, null ones as null. */
    private static final ObjectMapper OUTPUT = hardened(PropertyNamingStrategies.SNAKE_CASE, JsonInclude.Include.ALWAYS);
    private static final ObjectWriter PRETTY = SNAKE_CASE.writerWithDefaultPrettyPrinter();
    private static final ObjectWriter OUTPUT_WRITER = OUTPUT.writer()
            .with(SerializationFeature.INDENT_OUTPUT).with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private StrictJson() {
    }

    /** The one mapper factory: every mapper of this class is built here and differs only in naming and inclusion. */
    private static ObjectMapper hardened(PropertyNamingStrategy naming, JsonInclude.Include inclusion) {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                        .build())
                .build();
        JsonMapper.Builder b = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // no class named by a document, even where an annotated type asks for class-name type ids
                .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
                .withCoercionConfigDefaults(c -> c.setAcceptBlankAsEmpty(false)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .serializationInclusion(inclusion);
        if (naming != null) {
            b.propertyNamingStrategy(naming);
        }
        return b.build();
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * Parses a document into a tree, strictly.
     *
     * @param json the document as UTF-8 (or UTF-16/32 with a byte order mark) bytes
     * @param what names the document in messages, such as {@code "promotion policy"}
     * @return its root, never null
     * @throws ValidationException naming the place and the problem: not JSON, a repeated key,
     *     a limit passed, content after the document, or no document at all
     */
    public static JsonNode readTree(byte[] json, String what) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(what, "what");
        return parse(() -> SNAKE_CASE.createParser(json), what);
    }

    /**
     * As {@link #readTree(byte[], String)}, for text.
     *
     * @param json the document
     * @param what names the document in messages
     * @return its root, never null
     */
    public static JsonNode readTree(String json, String what) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(what, "what");
        return parse(() -> SNAKE_CASE.createParser(json), what);
    }

    /**
     * Parses a document whose root must be an object, for reading field by field.
     *
     * @param json the document
     * @param what names the document in messages
     * @return its fields
     */
    public static JsonFields readObject(String json, String what) {
        return fields(readTree(json, what), what);
    }

    /**
     * As {@link #readObject(String, String)}, for bytes.
     *
     * @param json the document as UTF-8 bytes
     * @param what names the document in messages
     * @return its fields
     */
    public static JsonFields readObject(byte[] json, String what) {
        return fields(readTree(json, what), what);
    }

    /**
     * The fields of an object already parsed (by {@link #readTree}), as the root of a document.
     *
     * @param node an object node
     * @param what names the document in messages
     * @return its fields
     * @throws ValidationException if the node is not an object
     */
    public static JsonFields fields(JsonNode node, String what) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(what, "what");
        return JsonFields.root(node, what);
    }

    /**
     * Reads a document into a type by data binding, with snake_case field names.
     *
     * @param json the document as UTF-8 bytes
     * @param type a record or other type Jackson binds without annotations naming classes
     * @param what names the document in messages
     * @param <T> the type
     * @return the value, never null
     * @throws ValidationException naming the field and what was expected
     */
    public static <T> T read(byte[] json, Class<T> type, String what) {
        return bind(readTree(json, what), type, what);
    }

    /**
     * As {@link #read(byte[], Class, String)}, for text.
     *
     * @param json the document
     * @param type the type
     * @param what names the document in messages
     * @param <T> the type
     * @return the value, never null
     */
    public static <T> T read(String json, Class<T> type, String what) {
        return bind(readTree(json, what), type, what);
    }

    /**
     * Binds a parsed tree to a type with snake_case field names.
     *
     * @param tree a tree from {@link #readTree}
     * @param type the type
     * @param what names the document in messages
     * @param <T> the type
     * @return the value, never null
     * @throws ValidationException naming the field and what was expected
     */
    public static <T> T bind(JsonNode tree, Class<T> type, String what) {
        return bind(SNAKE_CASE, tree, type, what);
    }

    /**
     * Binds a parsed tree to a type with the field names Java gives it (camelCase), for the
     * documents of a format's first schema version, written before every format used snake_case.
     * Equally strict otherwise.
     *
     * @param tree a tree from {@link #readTree}
     * @param type the type
     * @param what names the document in messages
     * @param <T> the type
     * @return the value, never null
     */
    public static <T> T bindAsNamed(JsonNode tree, Class<T> type, String what) {
        return bind(AS_NAMED, tree, type, what);
    }

    private static <T> T bind(ObjectMapper mapper, JsonNode tree, Class<T> type, String what) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(what, "what");
        if (tree.isNull() || tree.isMissingNode()) {
            throw new ValidationException(what + ": the document is null; expected " + JsonErrors.expected(type));
        }
        try (JsonParser p = mapper.treeAsTokens(tree)) {
            try {
                T value = mapper.readValue(p, type);
                if (value == null) {
                    throw new ValidationException(what + ": the document is null; expected " + JsonErrors.expected(type));
                }
                return value;
            } catch (JsonProcessingException e) {
                throw JsonErrors.translate(what, p, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface ParserSource {
        JsonParser open() throws IOException;
    }

    private static JsonNode parse(ParserSource source, String what) {
        try (JsonParser p = source.open()) {
            try {
                if (p.nextToken() == null) {
                    throw new ValidationException(what + ": the document is empty; expected a JSON value");
                }
                JsonNode root = SNAKE_CASE.readTree(p);
                if (p.nextToken() != null) {
                    throw new ValidationException(what + ": line " + p.currentLocation().getLineNr() + ", column "
                            + p.currentLocation().getColumnNr() + ": content after the document; expected one JSON value");
                }
                return root;
            } catch (JsonProcessingException e) {
                throw JsonErrors.translate(what, p, e);
            }
        } catch (IOException e) {
            // reading from an array or a string: only a parser's own refusals, handled above
            throw new UncheckedIOException(e);
        }
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * Writes a value (a record, a map, a tree) compactly as UTF-8: snake_case field names,
     * null-valued fields left out, trees as they are.
     *
     * @param value the value
     * @return the JSON bytes
     * @throws IllegalStateException if Jackson cannot write the value (a programming error)
     */
    public static byte[] write(Object value) {
        return writing(value, () -> SNAKE_CASE.writeValueAsBytes(value));
    }

    /**
     * As {@link #write}, as text.
     *
     * @param value the value
     * @return the JSON text
     */
    public static String writeString(Object value) {
        return writing(value, () -> SNAKE_CASE.writeValueAsString(value));
    }

    /**
     * As {@link #writeString}, indented for people ({@code "key" : value}, two spaces a level).
     *
     * @param value the value
     * @return the JSON text
     */
    public static String writePretty(Object value) {
        return writing(value, () -> PRETTY.writeValueAsString(value));
    }

    /**
     * Writes output for people and scripts (the CLI's {@code --json}): snake_case, indented, map
     * entries sorted by key, every field written (absent ones as {@code null}).
     *
     * @param value the value
     * @return the JSON text
     */
    public static String writeOutput(Object value) {
        return writing(value, () -> OUTPUT_WRITER.writeValueAsString(value));
    }

    @FunctionalInterface
    private interface Writing<T> {
        T write() throws JsonProcessingException;
    }

    private static <T> T writing(Object value, Writing<T> writing) {
        try {
            return writing.write();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + (value == null ? "null" : value.getClass().getSimpleName())
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A user's value as a tree, with the names its type gives its fields (not renamed: the
     * value is the user's data, such as a model's input, not a field of our format).
     *
     * @param value a record, bean, map, collection, array, string or number
     * @return its tree
     * @throws IllegalArgumentException if Jackson cannot write the value (a cycle, a getter that
     *     throws, a type that needs a Jackson module)
     */
    public static JsonNode valueToTree(Object value) {
        return AS_NAMED.valueToTree(value);
    }

    /**
     * For formats that keep non-finite doubles, which JSON numbers cannot hold: the inverse of
     * {@link JsonFields#numberOrNonFinite}.
     *
     * @param value any double
     * @return a number node when finite, else the string {@code "NaN"}, {@code "Infinity"} or
     *     {@code "-Infinity"}
     */
    public static JsonNode numberOrNonFinite(double value) {
        if (Double.isFinite(value)) {
            return JsonNodeFactory.instance.numberNode(value);
        }
        return JsonNodeFactory.instance.textNode(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    /** @return a new empty object node, to build a document written with {@link #write} */
    public static ObjectNode objectNode() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** @return a new empty array node */
    public static ArrayNode arrayNode() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** @return the read limits of every mapper of this class, for a test to pin */
    static java.util.List<StreamReadConstraints> readConstraints() {
        return java.util.List.of(SNAKE_CASE.getFactory().streamReadConstraints(),
                AS_NAMED.getFactory().streamReadConstraints(), OUTPUT.getFactory().streamReadConstraints());
    }

}
