package dev.mlops.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** float[] rows into a rank-2 float input, float rows out of a float output. */
record FloatVectorCodec(String inputName, String outputName) implements OnnxModelLoader.Codec<float[], float[]> {

    @Override
    public Binding<float[], float[]> bind(OrtSession session, ModelRef.Version version) throws OrtException {
        TensorInfo in = Tensors.tensor(session.getInputInfo(), "input", inputName, version);
        Tensors.requireType(in, OnnxJavaType.FLOAT, "input", inputName, version);
        long[] shape = in.getShape();
        if (shape.length != 2) {
            throw new ValidationException("input " + Names.quote(inputName) + " of model " + version + " has shape "
                    + Tensors.shape(shape) + "; floatVector needs a rank-2 input [batch, features]");
        }
        if (session.getNumInputs() != 1) {
            throw new ValidationException("model " + version + " has " + session.getNumInputs() + " inputs "
                    + session.getInputNames() + "; floatVector feeds only " + Names.quote(inputName)
                    + " (use OnnxModelLoader.of for several)");
        }
        TensorInfo out = Tensors.tensor(session.getOutputInfo(), "output", outputName, version);
        Tensors.requireType(out, OnnxJavaType.FLOAT, "output", outputName, version);
        long width = shape[1];
        OnnxModelLoader.Encoder<float[]> encoder = (env, batch) -> {
            int n = batch.size();
            int k = width > 0 ? (int) width : batch.get(0).length;
            FloatBuffer buffer = Tensors.floats((long) n * k, version);
            for (int i = 0; i < n; i++) {
                float[] row = batch.get(i);
                if (row.length != k) {
                    throw new ValidationException("input " + i + " of the batch has " + row.length
                            + " values; input " + Names.quote(inputName) + " of model " + version + " takes " + k
                            + (width > 0 ? "" : " (the length of the batch's first input)"));
                }
                buffer.put(row);
            }
            buffer.rewind();
            return Map.of(inputName, OnnxTensor.createTensor(env, buffer, new long[] {n, k}));
        };
        OnnxModelLoader.Decoder<float[]> decoder = (result, n) -> Tensors.floatRows(result, outputName, n, version);
        return new Binding<>(encoder, decoder, Optional.of(Set.of(outputName)), Tensors.batchLimit(in));
    }

    @Override
    public String toString() {
        return "floatVector(" + inputName + " -> " + outputName + ")";
    }
}
