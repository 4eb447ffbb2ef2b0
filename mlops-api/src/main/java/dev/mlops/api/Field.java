package dev.mlops.api;

import java.util.Objects;

/**
 * A named, typed column.
 *
 * @param name column name as in the data (any text without control characters)
 * @param type column type
 */
public record Field(String name, FieldType type) {
    /** Checks arguments. */
    public Field {
        Names.requireValidKey("column name", name);
        Objects.requireNonNull(type, "type");
    }
}
