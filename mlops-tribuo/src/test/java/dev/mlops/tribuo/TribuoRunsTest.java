package dev.mlops.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.mlops.api.Artifact;
import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.Tracking;
import dev.mlops.core.Mlops;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Tribuo;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

class TribuoRunsTest {
    @TempDir
    Path tmp;
    private Mlops mlops;
    private Tracking tracking;

    @BeforeEach
    void open() {
        mlops = Mlops.open(tmp.resolve("store"));
        tracking = mlops.tracking();
    }

    @AfterEach
    void close() {
        mlops.close();
    }

    /** y = 2 a - b + noise, {@code n} rows; {@code shift} changes one value so the content differs. */
    static Dataset<Regressor> data(int n, double shift) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> d = new MutableDataset<>(
                new SimpleDataSourceProvenance("synthetic y = 2a - b", factory), factory);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            double a = random.nextDouble(-1, 1);
            double b = random.nextDouble(-1, 1) + (i == 0 ? shift : 0);
            double y = 2 * a - b + random.nextDouble(-0.05, 0.05);
            d.add(new ArrayExample<>(new Regressor("y", y), new String[] {"a", "b"}, new double[] {a, b}));
        }
        return d;
    }

    static LinearSGDTrainer trainer(double learningRate, int epochs) {
        return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(learningRate), epochs, 1L);
    }

    @Test
    @DisplayName("training through a run records the trainer's configuration, the dataset and the Tribuo version")
    void trainRecordsProvenance() {
        Dataset<Regressor> train = data(200, 0);
        Model<Regressor> model;
        String id;
        try (ActiveRun run = tracking.startRun("tribuo", NewRun.builder().build())) {
            id = run.id();
            model = TribuoRuns.train(run, trainer(0.1, 5), train);
        }
        Run run = tracking.run(id);
        assertThat(run.params())
                .containsEntry("trainer", LinearSGDTrainer.class.getName())
                .containsEntry("trainer.epochs", "5")
                .containsEntry("trainer.seed", "1")
                .containsEntry("trainer.optimiser", AdaGrad.class.getName())
                .containsEntry("trainer.optimiser.initialLearningRate", "0.1")
                .containsEntry("trainer.objective", SquaredLoss.class.getName())
                .containsEntry("trainer.train-invocation-count", "0");
        assertThat(run.tags())
                .containsEntry("tribuo.version", Tribuo.VERSION)
                .containsEntry("tribuo.model", model.getProvenance().getClassName())
                .containsEntry("tribuo.dataset", MutableDataset.class.getName())
                .containsEntry("tribuo.dataset.examples", "200")
                .containsEntry("tribuo.dataset.features", "2")
                .containsEntry("tribuo.dataset.outputs", "1")
                // the class of the source the provenance describes, as Tribuo names it
                .containsEntry("tribuo.dataset.source", "org.tribuo.DataSource")
                .containsEntry("tribuo.dataset.source.description", "synthetic y = 2a - b")
                .containsEntry("tribuo.dataset.content-sha256", TribuoRuns.contentSha256(train))
                .containsEntry("tribuo.trained-at", model.getProvenance().getTrainingTime().toString());
        assertThat(run.metrics()).containsKey("tribuo.train-seconds");
        assertThat(run.artifacts()).containsKey(TribuoRuns.PROVENANCE_ARTIFACT);

        // the provenance read back from the run is the model's, as Tribuo compares provenance
        ModelProvenance back = TribuoRuns.readProvenance(tracking, id);
        assertThat(back).isEqualTo(model.getProvenance());
        assertThat(back.getDatasetProvenance()).isEqualTo(train.getProvenance());
        assertThat(back.getTrainerProvenance()).isEqualTo(model.getProvenance().getTrainerProvenance());
    }

    @Test
    @DisplayName("the content hash tells datasets apart by their examples, not their source")
    void contentHash() {
        assertThat(TribuoRuns.contentSha256(data(50, 0))).isEqualTo(TribuoRuns.contentSha256(data(50, 0)))
                .matches("[0-9a-f]{64}");
        assertThat(TribuoRuns.contentSha256(data(50, 0))).isNotEqualTo(TribuoRuns.contentSha256(data(50, 1e-9)))
                .isNotEqualTo(TribuoRuns.contentSha256(data(49, 0)));
    }

    @Test
    @DisplayName("a CSV source's path and Tribuo's resource hash become tags")
    void csvSource() throws Exception {
        Path csv = tmp.resolve("train.csv");
        StringBuilder sb = new StringBuilder("a,b,y\n");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            double a = random.nextDouble();
            double b = random.nextDouble();
            sb.append(a).append(',').append(b).append(',').append(2 * a - b).append('\n');
        }
        Files.writeString(csv, sb.toString());
        MutableDataset<Regressor> train = new MutableDataset<>(
                new CSVLoader<>(new RegressionFactory()).loadDataSource(csv, "y"));
        String id;
        Model<Regressor> model;
        try (ActiveRun run = tracking.startRun("tribuo", NewRun.builder().build())) {
            id = run.id();
            model = TribuoRuns.train(run, trainer(0.05, 2), train);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(csv)));
        Run run = tracking.run(id);
        assertThat(run.tags().get("tribuo.dataset.source.resource-hash")).isEqualToIgnoringCase(sha);
        assertThat(run.tags().get("tribuo.dataset.source.data-path")).contains("train.csv");
        assertThat(run.tags()).containsEntry("tribuo.dataset.examples", "100")
                .containsEntry("tribuo.dataset.source", "org.tribuo.data.csv.CSVDataSource");
        assertThat(TribuoRuns.readProvenance(tracking, id)).isEqualTo(model.getProvenance());
    }

    @Test
    @DisplayName("a registered model names its run, the run lists it, and it loads back predicting the same")
    void register() {
        Dataset<Regressor> train = data(100, 0);
        Model<Regressor> model;
        String id;
        try (ActiveRun run = tracking.startRun("tribuo", NewRun.builder().build())) {
            id = run.id();
            model = TribuoRuns.train(run, trainer(0.1, 3), train);
        }
        ModelVersion v = TribuoRuns.register(mlops.models(), "linear", id, model);
        assertThat(v.lineage().run()).contains(id);
        assertThat(tracking.run(id).models()).containsExactly(v.ref());
        assertThat(v.format()).isEqualTo(TribuoRuns.MODEL_FORMAT);
        assertThat(v.params()).containsEntry("trainer.epochs", "3");
        assertThat(v.environment().extra()).containsEntry(TribuoRuns.VERSION_TAG, Tribuo.VERSION);

        Model<?> loaded = TribuoRuns.loadModel(mlops.models(), v.ref());
        assertThat(loaded.getProvenance()).isEqualTo(model.getProvenance());
        @SuppressWarnings("unchecked")
        Model<Regressor> typed = (Model<Regressor>) loaded;
        List<Prediction<Regressor>> expected = model.predict(train);
        List<Prediction<Regressor>> actual = typed.predict(train);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).getOutput().getValues()).isEqualTo(expected.get(i).getOutput().getValues());
        }
    }

    @Test
    @DisplayName("a model trained elsewhere is logged whole; a second, other model in the same run is refused")
    void logModelAndConflict() {
        Model<Regressor> first = trainer(0.1, 2).train(data(60, 0));
        Model<Regressor> other = trainer(0.1, 4).train(data(60, 0));
        try (ActiveRun run = tracking.startRun("tribuo", NewRun.builder().build())) {
            TribuoRuns.logModel(run, first);
            // the same model again changes nothing
            TribuoRuns.logModel(run, first);
            assertThatThrownBy(() -> TribuoRuns.logModel(run, other)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("trainer.epochs");
            assertThat(TribuoRuns.readProvenance(tracking, run.id())).isEqualTo(first.getProvenance());
        }
    }

    @Test
    @DisplayName("reading provenance from a run without it, or with a damaged one, says so")
    void readRefusals() {
        String id;
        try (ActiveRun run = tracking.startRun("tribuo", NewRun.builder().build())) {
            id = run.id();
        }
        assertThatThrownBy(() -> TribuoRuns.readProvenance(tracking, id)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(TribuoRuns.PROVENANCE_ARTIFACT);
        try (ActiveRun run = tracking.startRun("tribuo", NewRun.builder().build())) {
            run.logArtifact(TribuoRuns.PROVENANCE_ARTIFACT, Artifact.bytes(TribuoRuns.PROVENANCE_FILE,
                    "[{\"not\": \"provenance\"}]".getBytes(StandardCharsets.UTF_8)));
            String damaged = run.id();
            assertThatThrownBy(() -> TribuoRuns.readProvenance(tracking, damaged))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining(damaged)
                    .hasMessageContaining("not Tribuo provenance JSON");
        }
    }

    /** Set by {@link Forged}'s static initializer: a class a forged artifact must never get loaded and run. */
    static volatile boolean forgedInitialized;

    /** Not a provenance class; its static initializer stands for any class on the class path. */
    static final class Forged {
        static {
            forgedInitialized = true;
        }
    }

    @Test
    @DisplayName("a provenance artifact naming a class that is not a provenance is refused before that class is initialized")
    void forgedClassRefused() throws Exception {
        Model<Regressor> model = trainer(0.1, 2).train(data(50, 0));
        String json = new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance());
        String forgedName = Forged.class.getName();
        for (String replaced : new String[] {forgedName, "java.lang.ProcessBuilder", "no.such.Klass"}) {
            // Swap the first provenance class the JSON names, as someone able to write the store could.
            String forged = json.replaceFirst("\"provenance-class\"\\s*:\\s*\"[^\"]+\"",
                    java.util.regex.Matcher.quoteReplacement("\"provenance-class\" : \"" + replaced + "\""));
            assertThat(forged).isNotEqualTo(json).contains(replaced);
            String id;
            try (ActiveRun run = tracking.startRun("tribuo", NewRun.builder().build())) {
                run.logArtifact(TribuoRuns.PROVENANCE_ARTIFACT,
                        Artifact.bytes(TribuoRuns.PROVENANCE_FILE, forged.getBytes(StandardCharsets.UTF_8)));
                id = run.id();
            }
            assertThatThrownBy(() -> TribuoRuns.readProvenance(tracking, id)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(id).hasMessageContaining(replaced);
        }
        assertThat(forgedInitialized).as("the forged class's static initializer ran").isFalse();
    }
}
