package dev.mlops.tribuo;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.io.ProvenanceSerializationException;
import dev.mlops.api.Artifact;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.StorageException;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.Tracking;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

/**
 * Records Tribuo models into tracked runs. What one model leaves in its run:
 *
 * <ul>
 *   <li>params: {@code trainer} (the trainer's class), {@code trainer.FIELD} for each configured
 *   field, nested configured objects below their field ({@code trainer.optimiser.initialLearningRate}),
 *   and {@code trainer.train-invocation-count};</li>
 *   <li>tags: {@code tribuo.version}, {@code tribuo.model} (the model's class),
 *   {@code tribuo.trained-at}, and the dataset's provenance: {@code tribuo.dataset} (its class),
 *   {@code tribuo.dataset.examples}, {@code .features}, {@code .outputs}, {@code .source} (the
 *   data source's class) and {@code tribuo.dataset.source.FIELD} for each simple field of the
 *   source (its path, {@code resource-hash}, times);</li>
 *   <li>the artifact {@value #PROVENANCE_ARTIFACT} with the file {@value #PROVENANCE_FILE}: the
 *   whole provenance in Tribuo's own JSON form (olcut's {@code JsonProvenanceSerialization}),
 *   which {@link #readProvenance} reads back equal to the model's.</li>
 * </ul>
 *
 * <p>{@link #train} does the same around a training, and adds the tag
 * {@code tribuo.dataset.content-sha256}, a hash of the examples themselves (outputs, weights,
 * feature names and values), which tells apart in-memory datasets that Tribuo's source provenance
 * does not. {@link #register} stores the model (Tribuo's protobuf form, {@value #MODEL_FILE}) as
 * a version whose lineage names the run. One run records one model: a second model's other
 * parameter values are refused, as any changed parameter is.
 *
 * <p>Reading the provenance back instantiates the provenance classes the JSON names (Tribuo's
 * unmarshalling does). {@link #readProvenance} first refuses any named class that is not an olcut
 * provenance class, without initializing it; what remains is the constructors of provenance
 * classes on the class path. {@link #loadModel} reads Tribuo's protobuf form, which instantiates
 * the classes it names as any Tribuo model file does: load models only from a store whose writers
 * you trust.
 */
public final class TribuoRuns {
    /** The run artifact holding the provenance. */
    public static final String PROVENANCE_ARTIFACT = "tribuo-provenance";
    /** The provenance file inside {@link #PROVENANCE_ARTIFACT}. */
    public static final String PROVENANCE_FILE = "provenance.json";
    /** The model file of a version {@link #register} stores: Tribuo's protobuf serialization. */
    public static final String MODEL_FILE = "model.tribuo";
    /** The format of such a version. */
    public static final String MODEL_FORMAT = "tribuo";
    /** The tag (and version environment entry) with the Tribuo version that trained the model. */
    public static final String VERSION_TAG = "tribuo.version";
    /** The param holding the trainer's class; its fields are {@code trainer.FIELD}. */
    public static final String TRAINER_PARAM = "trainer";

    /** Longest tag key segment taken from a provenance field's name, so a key stays within {@link Names#MAX_NAME_LENGTH}. */
    private static final int MAX_FIELD_SEGMENT = 60;

    private TribuoRuns() {
    }

    /**
     * Records a trained model's provenance into a run: params, tags and the provenance artifact.
     *
     * @param run the run's logger
     * @param model a trained model
     * @throws dev.mlops.api.ConflictException if the run already has other values for these params
     *     (another model), or has ended
     */
    public static void logModel(ActiveRun run, Model<?> model) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(model, "model");
        ModelProvenance p = model.getProvenance();
        TrainerProvenance trainer = p.getTrainerProvenance();
        Map<String, String> params = new LinkedHashMap<>(ProvenanceFields.configured(TRAINER_PARAM, trainer));
        PrimitiveProvenance<?> invocations = trainer.getInstanceValues().get(TrainerProvenance.TRAIN_INVOCATION_COUNT);
        if (invocations != null) {
            params.put(TRAINER_PARAM + "." + TrainerProvenance.TRAIN_INVOCATION_COUNT,
                    String.valueOf(invocations.getValue()));
        }
        run.logParams(params);
        run.setTag(VERSION_TAG, p.getTribuoVersion());
        run.setTag("tribuo.model", p.getClassName());
        run.setTag("tribuo.trained-at", p.getTrainingTime().toString());
        logDataset(run, p.getDatasetProvenance());
        String json = new JsonProvenanceSerialization(true).marshalAndSerialize(p);
        run.logArtifact(PROVENANCE_ARTIFACT, Artifact.bytes(PROVENANCE_FILE, json.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Trains a model through a run: the trainer's configuration and the dataset's provenance and
     * content hash are logged before training (so a training that fails still shows what it
     * tried), the training's duration as the metric {@code tribuo.train-seconds}, then
     * {@link #logModel}.
     *
     * @param run the run's logger
     * @param trainer the trainer
     * @param dataset the training data
     * @param <T> the output type
     * @return the trained model
     */
    public static <T extends Output<T>> Model<T> train(ActiveRun run, Trainer<T> trainer, Dataset<T> dataset) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(dataset, "dataset");
        run.logParams(ProvenanceFields.configured(TRAINER_PARAM, trainer.getProvenance()));
        logDataset(run, dataset.getProvenance());
        run.setTag("tribuo.dataset.content-sha256", contentSha256(dataset));
        long start = System.nanoTime();
        Model<T> model = trainer.train(dataset);
        run.logMetric("tribuo.train-seconds", (System.nanoTime() - start) / 1e9);
        logModel(run, model);
        return model;
    }

    private static void logDataset(ActiveRun run, DatasetProvenance d) {
        run.setTag("tribuo.dataset", d.getClassName());
        run.setTag("tribuo.dataset.examples", Integer.toString(d.getNumExamples()));
        run.setTag("tribuo.dataset.features", Integer.toString(d.getNumFeatures()));
        run.setTag("tribuo.dataset.outputs", Integer.toString(d.getNumOutputs()));
        DataProvenance source = d.getSourceProvenance();
        if (source != null) {
            run.setTag("tribuo.dataset.source", source.getClassName());
            ProvenanceFields.primitives(source).forEach((k, v) -> {
                String segment = ProvenanceFields.tagSegment(k);
                if (segment.length() > MAX_FIELD_SEGMENT) {
                    segment = segment.substring(0, MAX_FIELD_SEGMENT).replaceAll("[-_.]+$", "");
                }
                run.setTag("tribuo.dataset.source." + segment, v);
            });
        }
    }

    /**
     * A SHA-256 of a dataset's examples in order: each example's output, weight, and features'
     * names and values. Equal datasets hash equal whatever their source.
     *
     * @param dataset the data
     * @return 64 lower-case hex digits
     */
    public static String contentSha256(Dataset<?> dataset) {
        Objects.requireNonNull(dataset, "dataset");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
            for (Example<?> e : dataset) {
                writeText(out, e.getOutput().getSerializableForm(false));
                out.writeFloat(e.getWeight());
                out.writeInt(e.size());
                for (Feature f : e) {
                    writeText(out, f.getName());
                    out.writeDouble(f.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Length-prefixed, so that no two sequences of texts write the same bytes. */
    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * Reads a run's recorded provenance back, as Tribuo unmarshals it.
     *
     * @param tracking the store's tracking
     * @param runId the run
     * @return the provenance, equal to the recorded model's {@link Model#getProvenance()}
     * @throws dev.mlops.api.NotFoundException if the run has no provenance artifact
     * @throws IntegrityException if the artifact is not a model's provenance in Tribuo's JSON form
     */
    public static ModelProvenance readProvenance(Tracking tracking, String runId) {
        Objects.requireNonNull(tracking, "tracking");
        Run.requireValidId(runId);
        String json;
        try (InputStream in = tracking.openArtifact(runId, PROVENANCE_ARTIFACT, PROVENANCE_FILE)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("could not read the Tribuo provenance of run " + runId + ": " + e.getMessage(), e);
        }
        ObjectProvenance p;
        try {
            List<ObjectMarshalledProvenance> marshalled = new JsonProvenanceSerialization(true).deserializeFromString(json);
            for (ObjectMarshalledProvenance m : marshalled) {
                requireProvenanceClass(runId, m.getProvenanceClassName());
            }
            p = ProvenanceUtil.unmarshalProvenance(marshalled);
        } catch (ProvenanceSerializationException | RuntimeException e) {
            if (e instanceof IntegrityException refused) {
                throw refused;
            }
            throw new IntegrityException("the Tribuo provenance of run " + runId + " (" + PROVENANCE_ARTIFACT + "/"
                    + PROVENANCE_FILE + ") is not Tribuo provenance JSON: " + e.getMessage(), e);
        }
        if (!(p instanceof ModelProvenance mp)) {
            throw new IntegrityException("the Tribuo provenance of run " + runId + " is a " + p.getClass().getName()
                    + ", expected a model's provenance (" + ModelProvenance.class.getName() + ")");
        }
        return mp;
    }

    /**
     * Refuses a class name that is not an olcut {@link ObjectProvenance}, before Tribuo's
     * unmarshalling loads it: that loads with initialization, so a forged artifact could otherwise
     * run the static initializer of any class on the class path. Loading here does not initialize.
     */
    private static void requireProvenanceClass(String runId, String className) {
        Class<?> c;
        try {
            c = Class.forName(className, false, TribuoRuns.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IntegrityException("the Tribuo provenance of run " + runId + " names the class " + className
                    + ", which is not on the class path: " + e.getMessage(), e);
        }
        if (!ObjectProvenance.class.isAssignableFrom(c)) {
            throw new IntegrityException("the Tribuo provenance of run " + runId + " names the class " + className
                    + " as a provenance class; expected a subtype of " + ObjectProvenance.class.getName()
                    + " (refused before loading it)");
        }
    }

    /**
     * Registers a trained model as a version of {@code name} whose lineage names the run (and the
     * run lists the version). The version holds the model in Tribuo's protobuf form
     * ({@value #MODEL_FILE}, format {@value #MODEL_FORMAT}), the trainer's params and the Tribuo
     * version as an environment entry.
     *
     * @param models the registry
     * @param name the model's name
     * @param runId the run that trained it
     * @param model the model
     * @return the version
     */
    public static ModelVersion register(ModelRegistry models, String name, String runId, Model<?> model) {
        Objects.requireNonNull(models, "models");
        Names.requireValid(Names.Kind.MODEL, name);
        Run.requireValidId(runId);
        Objects.requireNonNull(model, "model");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            model.serializeToStream(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModelProvenance p = model.getProvenance();
        NewModelVersion.Builder b = NewModelVersion.builder()
                .artifact(Artifact.bytes(MODEL_FILE, bytes.toByteArray())).format(MODEL_FORMAT)
                .environment(VERSION_TAG, p.getTribuoVersion()).tag("tribuo.model", p.getClassName()).fromRun(runId);
        ProvenanceFields.configured(TRAINER_PARAM, p.getTrainerProvenance()).forEach(b::param);
        return models.register(name, b.build());
    }

    /**
     * Loads a model that {@link #register} stored.
     *
     * @param models the registry
     * @param version the version
     * @return the model, deserialized from Tribuo's protobuf form
     * @throws IntegrityException if the version's {@value #MODEL_FILE} is not a Tribuo model
     */
    public static Model<?> loadModel(ModelRegistry models, ModelRef.Version version) {
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(version, "version");
        try (InputStream in = models.openArtifact(version, MODEL_FILE)) {
            return Model.deserializeFromStream(in);
        } catch (IOException | RuntimeException e) {
            if (e instanceof dev.mlops.api.MlopsException m) {
                throw m;
            }
            throw new IntegrityException(version + "'s " + MODEL_FILE + " is not a Tribuo model: " + e.getMessage(), e);
        }
    }
}
