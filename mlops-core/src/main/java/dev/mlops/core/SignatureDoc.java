package dev.mlops.core;

import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import java.util.List;

/**
 * Stored form of a {@link Signature} inside a version document. The tensor lists are null (so
 * left out of the JSON) when empty: a signature of columns only is written exactly as before
 * tensors existed, so older documents, and the fingerprints of registrations claimed before,
 * still match.
 */
record SignatureDoc(Schema inputs, Schema outputs, List<TensorSpec> inputTensors, List<TensorSpec> outputTensors) {

    static final SignatureDoc NONE = of(Signature.NONE);

    SignatureDoc {
        inputs = inputs == null ? Schema.EMPTY : inputs;
        outputs = outputs == null ? Schema.EMPTY : outputs;
        inputTensors = inputTensors == null || inputTensors.isEmpty() ? null : List.copyOf(inputTensors);
        outputTensors = outputTensors == null || outputTensors.isEmpty() ? null : List.copyOf(outputTensors);
    }

    static SignatureDoc of(Signature s) {
        return new SignatureDoc(s.inputs(), s.outputs(), s.inputTensors(), s.outputTensors());
    }

    Signature toSignature() {
        return new Signature(inputs, outputs, inputTensors == null ? List.of() : inputTensors,
                outputTensors == null ? List.of() : outputTensors);
    }
}
