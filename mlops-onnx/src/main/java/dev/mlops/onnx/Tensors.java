package dev.mlops.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Shared checks and conversions of the built-in mappings. */
final class Tensors {
    private Tensors() {
    }

    /** The tensor input or output {@code name}, or a ValidationException listing what the model has. */
    static TensorInfo tensor(Map<String, NodeInfo> infos, String kind, String name, ModelRef.Version version) {
        NodeInfo node = infos.get(name);
        if (node == null) {
            throw new ValidationException("model " + version + " has no " + kind + " " + Names.quote(name)
                    + "; its " + kind + "s are " + infos.keySet());
        }
        if (!(node.getInfo() instanceof TensorInfo t)) {
            throw new ValidationException(kind + " " + Names.quote(name) + " of model " + version + " is "
                    + node.getInfo() + "; expected a tensor");
        }
        return t;
    }

    static void requireType(TensorInfo t, OnnxJavaType expected, String kind, String name, ModelRef.Version version) {
        if (t.type != expected) {
            throw new ValidationException(kind + " " + Names.quote(name) + " of model " + version + " holds "
                    + t.type + "; expected " + expected);
        }
    }

    /** The most inputs per call: 1 if the batch dimension is fixed at 1, else unlimited. */
    static int batchLimit(TensorInfo t) {
        long[] shape = t.getShape();
        return shape.length > 0 && shape[0] == 1 ? 1 : Integer.MAX_VALUE;
    }

    static String shape(long[] shape) {
        return Arrays.toString(shape).replace("-1", "?");
    }

    /** A direct float buffer for {@code elements} values, in the platform's byte order. */
    static FloatBuffer floats(long elements, ModelRef.Version version) {
        return ByteBuffer.allocateDirect(bytes(elements, Float.BYTES, version)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    static int bytes(long elements, int width, ModelRef.Version version) {
        long bytes = elements * width;
        if (elements < 0 || bytes > Integer.MAX_VALUE - 8) {
            throw new ValidationException("a batch of " + elements + " values is too large for one call of model "
                    + version + "; use a smaller batch or maxBatchSize");
        }
        return (int) bytes;
    }

    /** Reads output {@code name} as one flattened float row per input. */
    static List<float[]> floatRows(OrtSession.Result result, String name, int batchSize, ModelRef.Version version)
            throws OrtException {
        OnnxValue value = result.get(name).orElseThrow(() -> new MlopsException(
                "model " + version + " returned no output " + Names.quote(name)));
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new MlopsException("output " + Names.quote(name) + " of model " + version + " is "
                    + value.getInfo() + "; expected a float tensor");
        }
        long[] shape = tensor.getInfo().getShape();
        if (shape.length == 0 || shape[0] != batchSize) {
            throw new MlopsException("output " + Names.quote(name) + " of model " + version + " has shape "
                    + shape(shape) + "; expected " + batchSize + " rows, one per input");
        }
        FloatBuffer all = tensor.getFloatBuffer();
        int width = all.remaining() / batchSize;
        List<float[]> rows = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            float[] row = new float[width];
            all.get(row);
            rows.add(row);
        }
        return rows;
    }
}
