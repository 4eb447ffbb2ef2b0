package dev.mlops.api;

/** The type of a column in a {@link Schema}. */
public enum FieldType {
    /** Whole numbers. */
    INTEGER,
    /** Floating-point numbers. */
    DOUBLE,
    /** true / false. */
    BOOLEAN,
    /** Calendar dates, ISO-8601 {@code yyyy-MM-dd}. */
    DATE,
    /** Any text; categorical data. */
    STRING,
    /** Tensors and other values described only by their name (model signatures). */
    OTHER;

    /** @return true for {@link #INTEGER} and {@link #DOUBLE} */
    public boolean isNumeric() {
        return this == INTEGER || this == DOUBLE;
    }
}
