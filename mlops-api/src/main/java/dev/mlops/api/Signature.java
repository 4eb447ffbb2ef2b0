package dev.mlops.api;

import java.util.Objects;

/**
 * What a model takes and returns, as named, typed columns.
 *
 * @param inputs input columns
 * @param outputs output columns
 */
public record Signature(Schema inputs, Schema outputs) {
    /** A signature that declares nothing. */
    public static final Signature NONE = new Signature(Schema.EMPTY, Schema.EMPTY);

    /** Checks arguments. */
    public Signature {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(outputs, "outputs");
    }
}
