package dev.mlops.api;

import java.util.List;
import java.util.Objects;

/**
 * A named tensor a model takes or returns, as recorded in a tensor {@link Signature} (such as an
 * ONNX model's inputs and outputs).
 *
 * <p>{@code shape} holds one entry per dimension: a size ({@code "3"}), a symbolic name given by
 * the model for a dimension fixed only at run time ({@code "batch"}), or {@code "?"} for a
 * dynamic dimension without a name. A scalar has no dimensions. For values that are not tensors
 * (an ONNX map or sequence), {@code elementType} says what they are ({@code "map(int64,float)"},
 * {@code "sequence"}) and {@code shape} is empty.
 *
 * @param name the tensor's name in the model
 * @param elementType the element type in the model format's own words, such as {@code float},
 *     {@code double}, {@code int64}, {@code string}, {@code bool}
 * @param shape the dimensions, outermost first
 */
public record TensorSpec(String name, String elementType, List<String> shape) {
    /** The entry of a dynamic dimension without a name. */
    public static final String DYNAMIC = "?";

    /** Copies and checks: names and dimensions non-empty, without control characters. */
    public TensorSpec {
        Names.requireValidKey("tensor name", name);
        Names.requireValidKey("element type of tensor " + Names.quote(name), elementType);
        Objects.requireNonNull(shape, "shape");
        shape = List.copyOf(shape);
        for (String d : shape) {
            Names.requireValidKey("dimension of tensor " + Names.quote(name), d);
        }
    }

    /** @return the shape as {@code [?, 3]}; {@code []} for a scalar */
    public String shapeText() {
        return "[" + String.join(", ", shape) + "]";
    }
}
