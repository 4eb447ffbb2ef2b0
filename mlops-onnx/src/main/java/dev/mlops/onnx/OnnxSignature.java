package dev.mlops.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.mlops.api.MlopsException;
import dev.mlops.api.Names;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the {@link Signature} of an ONNX model (its input and output tensors: names, element
 * types, shapes) with ONNX Runtime, so it is recorded at registration and shown on the model
 * card:
 *
 * <pre>{@code
 * byte[] onnx = Files.readAllBytes(Path.of("model.onnx"));
 * mlops.models().register("rain", NewModelVersion.builder()
 *         .artifact(Artifact.bytes("model.onnx", onnx)).format("onnx")
 *         .signature(OnnxSignature.read(onnx))          // input [?, 3] float -> output [?, 1] float
 *         .build());
 * }</pre>
 *
 * <p>Inputs and outputs are in the model's order; inputs fed by initializers (weights) are not
 * inputs. A dimension is its size, the model's symbolic name for a dimension fixed only at run
 * time ({@code batch}), or {@link TensorSpec#DYNAMIC} ({@code ?}) for a dynamic dimension
 * without a name. Element types are ONNX's names in lower case ({@code float}, {@code double},
 * {@code int64}, {@code string}, {@code bool}, ...); a map input is {@code map(int64,float)}, a
 * sequence {@code sequence(float)} or {@code sequence(map(string,float))}, with no shape.
 *
 * <p>The model is opened without graph optimizations (nothing is run); ONNX Runtime's
 * telemetry is turned off as {@link OnnxModelLoader} does. Thread-safe: no state.
 */
public final class OnnxSignature {

    private OnnxSignature() {
    }

    /**
     * @param model the bytes of an ONNX model file
     * @return its tensor signature
     * @throws MlopsException if ONNX Runtime cannot load the bytes as a model
     */
    public static Signature read(byte[] model) {
        Objects.requireNonNull(model, "model");
        return read(model, null, model.length + " bytes");
    }

    /**
     * @param file an ONNX model file
     * @return its tensor signature
     * @throws MlopsException if the file is missing or ONNX Runtime cannot load it as a model
     */
    public static Signature read(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new MlopsException("cannot read the ONNX signature of " + Names.quote(file.toString())
                    + ": not a regular file (expected an ONNX model file)");
        }
        return read(null, file, Names.quote(file.toString()));
    }

    private static Signature read(byte[] bytes, Path file, String what) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            env.setTelemetry(false); // as OnnxModelLoader: on by default in Microsoft's Windows builds
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            OrtSession session;
            try {
                session = bytes != null ? env.createSession(bytes, options) : env.createSession(file.toString(), options);
            } catch (OrtException e) {
                throw new MlopsException("ONNX Runtime cannot load " + what + ": " + e.getMessage()
                        + " (expected an ONNX model file)", e);
            }
            try (session) {
                return Signature.ofTensors(specs(session.getInputInfo()), specs(session.getOutputInfo()));
            }
        } catch (OrtException e) {
            throw new MlopsException("cannot read the ONNX signature of " + what + ": " + e.getMessage(), e);
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> out = new ArrayList<>(nodes.size());
        for (NodeInfo n : nodes.values()) { // ONNX Runtime keeps the model's order
            ValueInfo info = n.getInfo();
            if (info instanceof TensorInfo t) {
                out.add(new TensorSpec(n.getName(), elementType(t.onnxType), shape(t)));
            } else {
                out.add(new TensorSpec(n.getName(), describe(info), List.of()));
            }
        }
        return out;
    }

    static List<String> shape(TensorInfo t) {
        long[] dims = t.getShape();
        String[] names = t.getDimensionNames();
        List<String> shape = new ArrayList<>(dims.length);
        for (int i = 0; i < dims.length; i++) {
            String name = names != null && i < names.length ? names[i] : "";
            if (dims[i] >= 0) {
                shape.add(Long.toString(dims[i]));
            } else if (name != null && !name.isBlank() && name.chars().noneMatch(Character::isISOControl)) {
                shape.add(name);
            } else {
                shape.add(TensorSpec.DYNAMIC);
            }
        }
        return shape;
    }

    static String elementType(TensorInfo.OnnxTensorType type) {
        String n = type.name();
        String prefix = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";
        return (n.startsWith(prefix) ? n.substring(prefix.length()) : n).toLowerCase(Locale.ROOT);
    }

    private static String describe(ValueInfo info) {
        if (info instanceof MapInfo m) {
            return "map(" + javaType(m.keyType) + "," + javaType(m.valueType) + ")";
        }
        if (info instanceof SequenceInfo s) {
            return s.isSequenceOfMaps() ? "sequence(" + describe(s.mapInfo) + ")" : "sequence(" + javaType(s.sequenceType) + ")";
        }
        return "other";
    }

    private static String javaType(OnnxJavaType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
