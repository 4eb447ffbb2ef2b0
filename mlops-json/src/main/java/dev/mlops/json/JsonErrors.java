package dev.mlops.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Turns Jackson's refusals into {@link ValidationException}s that name the place and what was expected. */
final class JsonErrors {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private JsonErrors() {
    }

    static ValidationException translate(String what, JsonParser parser, JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return new ValidationException(what + ": " + place(pathOf(parser)) + limit(e.getOriginalMessage()));
        }
        if (e instanceof DatabindException d) {
            return bindingProblem(what, parser, (JsonMappingException) d);
        }
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Duplicate field")) {
            return new ValidationException(what + ": " + place(pathOf(parser))
                    + "the field appears twice; expected each field once in an object");
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return new ValidationException(what + ": " + where + "not valid JSON (" + message + ")");
    }

    private static ValidationException bindingProblem(String what, JsonParser parser, JsonMappingException e) {
        String path = path(e.getPath());
        String problem;
        if (e instanceof PropertyBindingException u) {
            problem = "unknown field; expected one of " + known(u.getKnownPropertyIds());
        } else if (e instanceof InvalidNullException n) {
            problem = "expected " + expected(n.getTargetType()) + ", got null";
        } else if (e instanceof InvalidFormatException f) {
            problem = "expected " + expected(f.getTargetType()) + ", got " + shown(f.getValue());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            problem = "expected " + expected(m.getTargetType()) + ", got " + token(parser);
        } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            problem = firstLine(v.getCause().getMessage());
        } else {
            problem = firstLine(e.getOriginalMessage());
        }
        return new ValidationException(what + ": " + place(path) + problem);
    }

    /** What a value of {@code type} looks like in JSON, for "expected ..." */
    static String expected(Type type) {
        if (!(type instanceof Class<?> c)) {
            return "a JSON value";
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                || c == Short.class || c == byte.class || c == Byte.class || c == java.math.BigInteger.class) {
            return "an integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class
                || c == java.math.BigDecimal.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == String.class || c == char.class || c == Character.class) {
            return "a string";
        }
        if (c.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : c.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return "one of " + names;
        }
        if (c.isArray() || Collection.class.isAssignableFrom(c)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(c) || c.isRecord()) {
            return "an object";
        }
        return "a JSON value";
    }

    private static String limit(String jacksonMessage) {
        String m = firstLine(jacksonMessage);
        if (m.startsWith("Document nesting depth")) {
            return "nested too deeply; expected at most " + StrictJson.MAX_NESTING_DEPTH + " levels of objects and arrays";
        }
        if (m.startsWith("Number value length") || m.startsWith("Number length")) {
            return "a number too long; expected at most " + StrictJson.MAX_NUMBER_LENGTH + " digits";
        }
        if (m.startsWith("String value length") || m.startsWith("String length")) {
            return "a string too long; expected at most " + StrictJson.MAX_STRING_LENGTH + " characters";
        }
        if (m.startsWith("Document length")) {
            return "the document is too long; expected at most " + StrictJson.MAX_DOCUMENT_LENGTH + " bytes";
        }
        if (m.startsWith("Name length")) {
            return "a field name too long (" + m + ")";
        }
        return "a limit passed (" + m + ")";
    }

    private static String token(JsonParser parser) {
        JsonToken t = parser == null ? null : parser.currentToken();
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction or exponent";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "a " + t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String shown(Object value) {
        if (value instanceof String s) {
            return "the string " + Names.quote(s);
        }
        return value == null ? "null" : Names.quote(String.valueOf(value));
    }

    private static String known(Collection<Object> ids) {
        if (ids == null) {
            return "[]";
        }
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return names.toString();
    }

    /** {@code "rules[2].min: "}, or nothing for the document itself. */
    static String place(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    /** The path of a data-binding failure, as {@code rules[2].min}. */
    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                appendField(sb, r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The path of the parser's current place, as {@code rules[2].min}. */
    static String pathOf(JsonParser parser) {
        if (parser == null) {
            return "";
        }
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(c);
        }
        Collections.reverse(chain);
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inObject() && c.getCurrentName() != null) {
                appendField(sb, c.getCurrentName());
            } else if (c.inArray()) {
                sb.append('[').append(Math.max(c.getCurrentIndex(), 0)).append(']');
            }
        }
        return sb.toString();
    }

    /** Appends a field to a path: plain names as {@code .name}, others quoted as {@code ['a b']}. */
    static void appendField(StringBuilder path, String name) {
        if (PLAIN_NAME.matcher(name).matches()) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(name);
        } else {
            path.append('[').append(Names.quote(name)).append(']');
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
