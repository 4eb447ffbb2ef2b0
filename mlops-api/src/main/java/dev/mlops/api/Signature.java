package dev.mlops.api;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a model takes and returns: named, typed columns (a tabular model's features), named
 * tensors with element types and shapes (an ONNX model's inputs and outputs, as
 * {@code OnnxSignature.read} in mlops-onnx records them), or both.
 *
 * <p>Only the columns are checked by serving's input check; tensors describe the model.
 *
 * @param inputs input columns
 * @param outputs output columns
 * @param inputTensors input tensors, in the model's order
 * @param outputTensors output tensors, in the model's order
 */
public record Signature(Schema inputs, Schema outputs, List<TensorSpec> inputTensors, List<TensorSpec> outputTensors) {
    /** A signature that declares nothing. */
    public static final Signature NONE = new Signature(Schema.EMPTY, Schema.EMPTY);

    /** Checks arguments; tensor lists are copied, and tensor names must be unique on each side. */
    public Signature {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(outputs, "outputs");
        inputTensors = unique("input", inputTensors);
        outputTensors = unique("output", outputTensors);
    }

    /**
     * A signature of columns only.
     *
     * @param inputs input columns
     * @param outputs output columns
     */
    public Signature(Schema inputs, Schema outputs) {
        this(inputs, outputs, List.of(), List.of());
    }

    /**
     * @param inputs input tensors, in the model's order
     * @param outputs output tensors, in the model's order
     * @return a signature of tensors only
     */
    public static Signature ofTensors(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        return new Signature(Schema.EMPTY, Schema.EMPTY, inputs, outputs);
    }

    /** @return true when the signature declares no column and no tensor */
    public boolean isEmpty() {
        return inputs.size() == 0 && outputs.size() == 0 && inputTensors.isEmpty() && outputTensors.isEmpty();
    }

    private static List<TensorSpec> unique(String side, List<TensorSpec> tensors) {
        Objects.requireNonNull(tensors, side + "Tensors");
        List<TensorSpec> copy = List.copyOf(tensors);
        Set<String> seen = new HashSet<>();
        for (TensorSpec t : copy) {
            if (!seen.add(t.name())) {
                throw new ValidationException(side + " tensor " + Names.quote(t.name()) + " appears twice in the signature");
            }
        }
        return copy;
    }
}
