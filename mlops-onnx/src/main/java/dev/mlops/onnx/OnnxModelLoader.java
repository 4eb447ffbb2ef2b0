package dev.mlops.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.serving.LoadContext;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ModelLoader} for ONNX models, run by ONNX Runtime in-process (CPU; native libraries
 * bundled for Linux, macOS and Windows).
 *
 * <pre>{@code
 * ModelLoader<float[], float[]> loader = OnnxModelLoader.floatVector("x", "y").intraOpThreads(1);
 * try (ModelService<float[], float[]> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"), loader).build()) {
 *     float[] y = svc.predict(new float[] {12.5f, 0.8f, 3f});
 * }
 * }</pre>
 *
 * Three ways to map inputs and outputs:
 * <ul>
 *   <li>{@link #floatVector}: one {@code float[]} per request fed to a rank-2 float input
 *       {@code [batch, k]}; one {@code float[]} per request read from a float output
 *       {@code [batch, ...]};</li>
 *   <li>{@link #tabular}: a map of named numbers per request, one model input per feature
 *       ({@code [batch]} or {@code [batch, 1]}; float, double, int64 or int32), as converters
 *       such as skl2onnx produce for per-column inputs;</li>
 *   <li>{@link #of}: any mapping, written against the ONNX Runtime API.</li>
 * </ul>
 *
 * <p>The session is created from {@link LoadContext#singleFile()}, or from {@link #file(String)}
 * for artifacts with several files, and checked against the mapping (input and output names,
 * element types, ranks) when loaded, so a version that does not fit never serves. The
 * {@link Model} it returns is thread-safe (ONNX Runtime sessions run concurrently);
 * {@link Model#predictAll} runs one session call per batch (at most {@link #maxBatchSize}
 * inputs; a model whose batch dimension is fixed at 1 is run input by input);
 * {@link Model#close()} releases the native session.
 *
 * <p>Loading turns ONNX Runtime's telemetry events off ({@code OrtEnvironment.setTelemetry(false)}:
 * the environment is one per process, so this holds for every session in it).
 *
 * <p>Instances are immutable: each option returns a new loader, so one loader can be shared.
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class OnnxModelLoader<I, O> implements ModelLoader<I, O> {

    private final Codec<I, O> codec;
    private final String file;
    private final int intraOpThreads;
    private final int interOpThreads;
    private final OrtSession.SessionOptions.OptLevel optimizationLevel;
    private final List<SessionConfigurer> configurers;
    private final int maxBatchSize;

    private OnnxModelLoader(Codec<I, O> codec, String file, int intraOpThreads, int interOpThreads,
                            OrtSession.SessionOptions.OptLevel optimizationLevel, List<SessionConfigurer> configurers,
                            int maxBatchSize) {
        this.codec = codec;
        this.file = file;
        this.intraOpThreads = intraOpThreads;
        this.interOpThreads = interOpThreads;
        this.optimizationLevel = optimizationLevel;
        this.configurers = List.copyOf(configurers);
        this.maxBatchSize = maxBatchSize;
    }

    private static <I, O> OnnxModelLoader<I, O> create(Codec<I, O> codec) {
        return new OnnxModelLoader<>(codec, null, 0, 0, null, List.of(), Integer.MAX_VALUE);
    }

    /**
     * Float vectors in, float vectors out: each input is one row of the rank-2 float input
     * {@code inputName} ({@code [batch, k]}, k fixed by the model or equal for every row of a
     * batch); each output is that row of the float output {@code outputName}, flattened when
     * the output has more than two dimensions.
     *
     * @param inputName the model input to feed
     * @param outputName the model output to read
     * @return the loader
     */
    public static OnnxModelLoader<float[], float[]> floatVector(String inputName, String outputName) {
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(outputName, "outputName");
        return create(new FloatVectorCodec(inputName, outputName));
    }

    /**
     * Named features in, a float vector out: each model input is one feature, of shape
     * {@code [batch]} or {@code [batch, 1]} and element type float, double, int64 or int32, fed
     * from the input map's entry of the same name (extra entries are ignored; a missing one is
     * a {@link dev.mlops.api.ValidationException}; an integer input needs a whole number).
     * Each output is that row of the float output {@code outputName}.
     *
     * @param outputName the model output to read
     * @return the loader
     */
    public static OnnxModelLoader<Map<String, ? extends Number>, float[]> tabular(String outputName) {
        Objects.requireNonNull(outputName, "outputName");
        return create(new TabularCodec(outputName));
    }

    /**
     * Any mapping: {@code encoder} builds the input tensors of a batch, {@code decoder} reads one
     * output per input from the session's result. The model closes the tensors and the result
     * after each call, so the decoder must copy what it returns.
     *
     * @param encoder builds the named input tensors of a batch
     * @param decoder reads the outputs of a batch
     * @param <I> input type
     * @param <O> output type
     * @return the loader
     */
    public static <I, O> OnnxModelLoader<I, O> of(Encoder<I> encoder, Decoder<O> decoder) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        return create((session, version) -> new Codec.Binding<>(encoder, decoder, Optional.empty(), Integer.MAX_VALUE));
    }

    /**
     * @param path the artifact file to load, for artifacts with several files (such as
     *     {@code model/model.onnx}); by default the artifact's only file
     * @return a loader that loads that file
     */
    public OnnxModelLoader<I, O> file(String path) {
        Names.requireValidPath(path);
        return new OnnxModelLoader<>(codec, path, intraOpThreads, interOpThreads, optimizationLevel, configurers,
                maxBatchSize);
    }

    /**
     * @param threads threads one session call may use inside an operator; at least 1. Unset,
     *     ONNX Runtime chooses (one per physical core); 1 suits many concurrent small requests.
     * @return a loader with that setting
     */
    public OnnxModelLoader<I, O> intraOpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, was " + threads);
        }
        return new OnnxModelLoader<>(codec, file, threads, interOpThreads, optimizationLevel, configurers,
                maxBatchSize);
    }

    /**
     * @param threads threads for running independent operators in parallel; at least 1. Unset,
     *     ONNX Runtime chooses.
     * @return a loader with that setting
     */
    public OnnxModelLoader<I, O> interOpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("interOpThreads must be at least 1, was " + threads);
        }
        return new OnnxModelLoader<>(codec, file, intraOpThreads, threads, optimizationLevel, configurers,
                maxBatchSize);
    }

    /**
     * @param level graph optimization level; unset, ONNX Runtime's default (all optimizations)
     * @return a loader with that setting
     */
    public OnnxModelLoader<I, O> optimizationLevel(OrtSession.SessionOptions.OptLevel level) {
        Objects.requireNonNull(level, "level");
        return new OnnxModelLoader<>(codec, file, intraOpThreads, interOpThreads, level, configurers, maxBatchSize);
    }

    /**
     * Adds a step that configures the session options before the session is created, for
     * anything not covered here (execution providers, memory arenas, session config entries).
     * Steps run in the order added, after the other options.
     *
     * @param configurer the step
     * @return a loader with that step added
     */
    public OnnxModelLoader<I, O> sessionOptions(SessionConfigurer configurer) {
        Objects.requireNonNull(configurer, "configurer");
        List<SessionConfigurer> all = new ArrayList<>(configurers);
        all.add(configurer);
        return new OnnxModelLoader<>(codec, file, intraOpThreads, interOpThreads, optimizationLevel, all,
                maxBatchSize);
    }

    /**
     * @param inputs the most inputs one session call gets; {@link Model#predictAll} splits larger
     *     batches. At least 1; default unlimited (or 1 for a model whose batch dimension is fixed
     *     at 1).
     * @return a loader with that limit
     */
    public OnnxModelLoader<I, O> maxBatchSize(int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + inputs);
        }
        return new OnnxModelLoader<>(codec, file, intraOpThreads, interOpThreads, optimizationLevel, configurers,
                inputs);
    }

    /**
     * Creates the session and checks the model against the mapping.
     *
     * @param context the version and its artifact files
     * @return the model; its {@link Model#close()} closes the session
     * @throws OrtException if ONNX Runtime rejects a session option
     * @throws MlopsException if the file is not a model ONNX Runtime can load
     * @throws dev.mlops.api.ValidationException if the model's inputs or outputs do not fit the mapping
     */
    @Override
    public Model<I, O> load(LoadContext context) throws OrtException {
        Objects.requireNonNull(context, "context");
        ModelRef.Version version = context.version().ref();
        Path path = file == null ? context.singleFile() : context.file(file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        env.setTelemetry(false); // on by default in Microsoft's Windows builds; see docs/security.md
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            if (interOpThreads > 0) {
                options.setInterOpNumThreads(interOpThreads);
            }
            if (optimizationLevel != null) {
                options.setOptimizationLevel(optimizationLevel);
            }
            for (SessionConfigurer c : configurers) {
                c.configure(options);
            }
            try {
                session = env.createSession(path.toString(), options);
            } catch (OrtException e) {
                throw new MlopsException("ONNX Runtime cannot load " + Names.quote(path.getFileName().toString())
                        + " of model " + version + ": " + e.getMessage() + " (expected an ONNX model file)", e);
            }
            Codec.Binding<I, O> binding = codec.bind(session, version);
            int batch = Math.min(maxBatchSize, binding.batchLimit());
            return new OnnxModel<>(version, env, session, options, binding, batch);
        } catch (OrtException | RuntimeException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            options.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "OnnxModelLoader[" + codec + (file == null ? "" : ", file=" + file) + "]";
    }

    /**
     * Builds the named input tensors of a batch.
     *
     * @param <I> input type
     */
    @FunctionalInterface
    public interface Encoder<I> {
        /**
         * @param env the environment to create tensors in
         * @param batch the inputs, at least one
         * @return input name to tensor; the model closes them after the call
         * @throws OrtException if a tensor cannot be created
         */
        Map<String, OnnxTensor> encode(OrtEnvironment env, List<? extends I> batch) throws OrtException;
    }

    /**
     * Reads one output per input from a session result.
     *
     * @param <O> output type
     */
    @FunctionalInterface
    public interface Decoder<O> {
        /**
         * @param result the session's outputs; closed by the model afterwards
         * @param batchSize how many inputs the call had
         * @return exactly {@code batchSize} outputs, in input order, copied out of the result
         * @throws OrtException if a value cannot be read
         */
        List<O> decode(OrtSession.Result result, int batchSize) throws OrtException;
    }

    /** Configures session options before a session is created. */
    @FunctionalInterface
    public interface SessionConfigurer {
        /**
         * @param options the options of the session about to be created
         * @throws OrtException if ONNX Runtime rejects a setting
         */
        void configure(OrtSession.SessionOptions options) throws OrtException;
    }

    /** Package-private: checks a session against a mapping and returns the encoder and decoder. */
    @FunctionalInterface
    interface Codec<I, O> {
        Binding<I, O> bind(OrtSession session, ModelRef.Version version) throws OrtException;

        /**
         * @param outputs the outputs to compute, or empty for all
         * @param batchLimit the most inputs per call the model accepts
         */
        record Binding<I, O>(Encoder<I> encoder, Decoder<O> decoder, Optional<Set<String>> outputs, int batchLimit) {
        }
    }
}
