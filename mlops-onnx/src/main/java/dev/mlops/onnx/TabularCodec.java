package dev.mlops.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One model input per named feature ([batch] or [batch, 1]), a float output. */
record TabularCodec(String outputName) implements OnnxModelLoader.Codec<Map<String, ? extends Number>, float[]> {
    private static final Set<OnnxJavaType> TYPES =
            Set.of(OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE, OnnxJavaType.INT64, OnnxJavaType.INT32);

    /** One feature input: its name, element type and shape. */
    private record Column(String name, OnnxJavaType type, long[] shape) {
    }

    @Override
    public Binding<Map<String, ? extends Number>, float[]> bind(OrtSession session, ModelRef.Version version)
            throws OrtException {
        List<Column> columns = new ArrayList<>();
        int batchLimit = Integer.MAX_VALUE;
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            String name = e.getKey();
            TensorInfo t = Tensors.tensor(session.getInputInfo(), "input", name, version);
            long[] shape = t.getShape();
            if (!TYPES.contains(t.type)) {
                throw new ValidationException("input " + Names.quote(name) + " of model " + version + " holds " + t.type
                        + "; tabular feeds FLOAT, DOUBLE, INT64 or INT32 (use OnnxModelLoader.of for others)");
            }
            if (!(shape.length == 1 || shape.length == 2 && (shape[1] == 1 || shape[1] == -1))) {
                throw new ValidationException("input " + Names.quote(name) + " of model " + version + " has shape "
                        + Tensors.shape(shape) + "; tabular needs one value per input: [batch] or [batch, 1]");
            }
            batchLimit = Math.min(batchLimit, Tensors.batchLimit(t));
            columns.add(new Column(name, t.type, shape));
        }
        TensorInfo out = Tensors.tensor(session.getOutputInfo(), "output", outputName, version);
        Tensors.requireType(out, OnnxJavaType.FLOAT, "output", outputName, version);
        List<String> names = columns.stream().map(Column::name).toList();

        OnnxModelLoader.Encoder<Map<String, ? extends Number>> encoder = (env, batch) -> {
            Map<String, OnnxTensor> tensors = new HashMap<>();
            try {
                for (Column c : columns) {
                    tensors.put(c.name(), column(env, c, batch, names, version));
                }
            } catch (OrtException | RuntimeException ex) {
                tensors.values().forEach(OnnxTensor::close);
                throw ex;
            }
            return tensors;
        };
        OnnxModelLoader.Decoder<float[]> decoder = (result, n) -> Tensors.floatRows(result, outputName, n, version);
        return new Binding<>(encoder, decoder, Optional.of(Set.of(outputName)), batchLimit);
    }

    private static OnnxTensor column(OrtEnvironment env, Column c, List<? extends Map<String, ? extends Number>> batch,
                                     List<String> names, ModelRef.Version version) throws OrtException {
        int n = batch.size();
        long[] shape = c.shape().length == 1 ? new long[] {n} : new long[] {n, 1};
        int width = c.type() == OnnxJavaType.DOUBLE || c.type() == OnnxJavaType.INT64 ? 8 : 4;
        ByteBuffer bytes = ByteBuffer.allocateDirect(Tensors.bytes(n, width, version)).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            Number v = batch.get(i).get(c.name());
            if (v == null) {
                throw new ValidationException("input " + i + " of the batch has no feature " + Names.quote(c.name())
                        + "; model " + version + " needs " + names);
            }
            switch (c.type()) {
                case FLOAT -> bytes.putFloat(v.floatValue());
                case DOUBLE -> bytes.putDouble(v.doubleValue());
                case INT64 -> bytes.putLong(whole(v, Long.MIN_VALUE, Long.MAX_VALUE, i, c, version));
                case INT32 -> bytes.putInt((int) whole(v, Integer.MIN_VALUE, Integer.MAX_VALUE, i, c, version));
                default -> throw new IllegalStateException("unexpected type " + c.type());
            }
        }
        bytes.rewind();
        return switch (c.type()) {
            case FLOAT -> OnnxTensor.createTensor(env, bytes.asFloatBuffer(), shape);
            case DOUBLE -> OnnxTensor.createTensor(env, bytes.asDoubleBuffer(), shape);
            case INT64 -> OnnxTensor.createTensor(env, bytes.asLongBuffer(), shape);
            case INT32 -> OnnxTensor.createTensor(env, bytes.asIntBuffer(), shape);
            default -> throw new IllegalStateException("unexpected type " + c.type());
        };
    }

    /** The value as a whole number in [min, max], or a ValidationException naming the feature. */
    private static long whole(Number v, long min, long max, int row, Column c, ModelRef.Version version) {
        boolean integral = v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof AtomicInteger || v instanceof AtomicLong || v instanceof BigInteger;
        long value;
        if (integral) {
            if (v instanceof BigInteger b && b.bitLength() > 63) {
                value = b.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
                integral = false;
            } else {
                value = v.longValue();
            }
        } else {
            double d = v instanceof BigDecimal b ? b.doubleValue() : v.doubleValue();
            integral = Double.isFinite(d) && d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63;
            value = (long) d;
        }
        if (!integral || value < min || value > max) {
            throw new ValidationException("feature " + Names.quote(c.name()) + " of input " + row + " of the batch is "
                    + v + "; model " + version + " takes a whole number (" + c.type() + ") there");
        }
        return value;
    }

    @Override
    public String toString() {
        return "tabular(-> " + outputName + ")";
    }
}
