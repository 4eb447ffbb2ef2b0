package dev.mlops.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.ValidationException;
import dev.mlops.json.StrictJson;

/**
 * Core's stored documents (registry and catalog documents, audit records) through the one strict
 * JSON layer, {@link StrictJson}: written with snake_case names, and read also in the camelCase
 * form of the schema versions before, so existing stores still read. A stored document that
 * cannot be read is damaged: {@link IntegrityException}, naming the field.
 */
final class StoredDocuments {
    /** Registry and catalog documents: 2 since field names are snake_case; 1 was camelCase. */
    static final int DOCUMENT_SCHEMA_VERSION = 2;
    private static final String CAMEL_CASE_VERSION = "schemaVersion";
    private static final String VERSION = "schema_version";

    private StoredDocuments() {
    }

    static byte[] write(Object value) {
        return StrictJson.write(value);
    }

    /**
     * A registry or catalog document. One of schema 1 (camelCase) is read as its schema-2 equal,
     * so that a change writes it back in the current form.
     *
     * @param what names the document in the message, e.g. its key
     */
    static <T> T read(byte[] bytes, Class<T> type, String what) {
        return read(bytes, type, what, 1, DOCUMENT_SCHEMA_VERSION, true);
    }

    /**
     * A record that is never rewritten (an audit entry), with the schema version it was written with.
     *
     * @param lastCamelCase the last schema version written with camelCase names
     * @param current the schema version written now
     */
    static <T> T readAsWritten(byte[] bytes, Class<T> type, String what, int lastCamelCase, int current) {
        return read(bytes, type, what, lastCamelCase, current, false);
    }

    private static <T> T read(byte[] bytes, Class<T> type, String what, int lastCamelCase, int current, boolean upgrade) {
        try {
            JsonNode tree = StrictJson.readTree(bytes, what);
            if (tree.isObject() && tree.has(CAMEL_CASE_VERSION)) {
                requireVersion(tree, CAMEL_CASE_VERSION, 1, lastCamelCase, what);
                if (upgrade) {
                    ((ObjectNode) tree).put(CAMEL_CASE_VERSION, current);
                }
                return StrictJson.bindAsNamed(tree, type, what);
            }
            if (tree.isObject()) {
                requireVersion(tree, VERSION, lastCamelCase + 1, current, what);
            }
            return StrictJson.bind(tree, type, what);
        } catch (ValidationException e) {
            throw new IntegrityException("damaged " + e.getMessage(), e);
        }
    }

    private static void requireVersion(JsonNode tree, String field, int min, int max, String what) {
        StrictJson.fields(tree, what).optionalInteger(field).ifPresentOrElse(v -> {
            if (v < min || v > max) {
                throw new ValidationException(what + ": " + field + ": version " + v + " is not one this library reads;"
                        + " expected " + (min == max ? min : min + " to " + max));
            }
        }, () -> {
            throw new ValidationException(what + ": " + field + ": missing; expected " + (min == max ? min : min + " to " + max));
        });
    }
}
