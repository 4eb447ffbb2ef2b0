package dev.mlops.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** A loaded ONNX model: one session, run concurrently, closed once. */
final class OnnxModel<I, O> implements Model<I, O> {
    private final ModelRef.Version version;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final OnnxModelLoader.Encoder<I> encoder;
    private final OnnxModelLoader.Decoder<O> decoder;
    private final java.util.Set<String> outputs;
    private final int maxBatch;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder sessionRuns = new LongAdder();

    OnnxModel(ModelRef.Version version, OrtEnvironment env, OrtSession session, OrtSession.SessionOptions options,
              OnnxModelLoader.Codec.Binding<I, O> binding, int maxBatch) {
        this.version = version;
        this.env = env;
        this.session = session;
        this.options = options;
        this.encoder = binding.encoder();
        this.decoder = binding.decoder();
        this.outputs = binding.outputs().orElse(null);
        this.maxBatch = maxBatch;
    }

    @Override
    public O predict(I input) {
        Objects.requireNonNull(input, "input");
        return run(Collections.singletonList(input)).get(0);
    }

    @Override
    public List<O> predictAll(List<I> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            return List.of();
        }
        for (int i = 0; i < inputs.size(); i++) {
            Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]");
        }
        if (inputs.size() <= maxBatch) {
            return run(inputs);
        }
        List<O> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += maxBatch) {
            out.addAll(run(inputs.subList(from, Math.min(inputs.size(), from + maxBatch))));
        }
        return out;
    }

    private List<O> run(List<? extends I> batch) {
        if (closed.get()) {
            throw new IllegalStateException("model " + version + " is closed");
        }
        Map<String, OnnxTensor> tensors = null;
        try {
            tensors = encoder.encode(env, batch);
            sessionRuns.increment();
            try (OrtSession.Result result = outputs == null ? session.run(tensors) : session.run(tensors, outputs)) {
                List<O> out = decoder.decode(result, batch.size());
                if (out == null || out.size() != batch.size()) {
                    throw new MlopsException("decoder of model " + version + " returned "
                            + (out == null ? "null" : out.size() + " outputs") + " for " + batch.size() + " inputs");
                }
                return out;
            }
        } catch (OrtException e) {
            throw new MlopsException("ONNX Runtime failed running model " + version + " on " + batch.size()
                    + " inputs: " + e.getMessage(), e);
        } finally {
            if (tensors != null) {
                for (OnnxTensor t : tensors.values()) {
                    t.close();
                }
            }
        }
    }

    /** Closes the session; later calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new MlopsException("closing the ONNX Runtime session of model " + version + " failed: "
                    + e.getMessage(), e);
        } finally {
            options.close();
        }
    }

    /** Test seam: the session, to check it is released. */
    OrtSession session() {
        return session;
    }

    /** Test seam: how many times the session was run. */
    long sessionRuns() {
        return sessionRuns.sum();
    }

    @Override
    public String toString() {
        return "OnnxModel[" + version + "]";
    }
}
