package dev.mlops.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mlops.api.Artifact;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.ValidationException;
import dev.mlops.api.serving.LoadContext;
import dev.mlops.api.serving.Model;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The ONNX Runtime model loader")
class OnnxModelLoaderTest {
    @TempDir
    Path tmp;

    Mlops mlops;
    final List<Model<?, ?>> opened = new ArrayList<>();

    @BeforeEach
    void openRegistry() {
        mlops = Mlops.builder().store(new InMemoryStore()).actor("test").build();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Model::close);
        mlops.close();
    }

    static byte[] shippedLinearModel() throws IOException {
        try (InputStream in = OnnxModelLoaderTest.class.getResourceAsStream("linear.onnx")) {
            assertThat(in).as("test resource linear.onnx").isNotNull();
            return in.readAllBytes();
        }
    }

    /** Registers an artifact as a new version of "rain" and exports it as a service would. */
    LoadContext register(Artifact artifact) {
        ModelVersion v = mlops.models().register("rain", NewModelVersion.builder().artifact(artifact).format("onnx").build());
        Path dir = tmp.resolve("export-" + v.number());
        mlops.models().exportArtifact(v.ref(), dir);
        return new LoadContext(v, dir);
    }

    LoadContext registerBytes(String name, byte[] model) {
        return register(Artifact.bytes(name, model));
    }

    <I, O> OnnxModel<I, O> load(OnnxModelLoader<I, O> loader, LoadContext context) throws Exception {
        Model<I, O> m = loader.load(context);
        opened.add(m);
        assertThat(m).isInstanceOf(OnnxModel.class);
        return (OnnxModel<I, O>) m;
    }

    /** Rows of multiples of 1/8 in [-50, 50]: with the model's dyadic weights every result is exact in float. */
    static List<float[]> rows(int n, long seed) {
        Random r = new Random(seed);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new float[] {(r.nextInt(801) - 400) / 8f, (r.nextInt(801) - 400) / 8f, (r.nextInt(801) - 400) / 8f});
        }
        return rows;
    }

    static final OnnxModelLoader<float[], float[]> LINEAR = OnnxModelLoader.floatVector("x", "y").intraOpThreads(1);

    @Nested
    @DisplayName("its test model")
    class TestModel {
        @Test
        @DisplayName("is a few hundred bytes, and the shipped linear.onnx is exactly what the generator writes")
        void shippedFileIsGenerated() throws IOException {
            byte[] generated = OnnxTestModels.linear();
            assertThat(shippedLinearModel()).isEqualTo(generated);
            assertThat(generated.length).isBetween(100, 1000);
        }
    }

    @Nested
    @DisplayName("floatVector")
    class FloatVector {
        @Test
        @DisplayName("loads a registered version from its exported artifact and predicts one and a batch exactly as x W + b")
        void registeredVersion() throws Exception {
            Path file = Files.write(tmp.resolve("linear.onnx"), shippedLinearModel());
            LoadContext context = register(Artifact.file(file));
            OnnxModel<float[], float[]> model = load(LINEAR, context);

            float[] x = {1.5f, -2f, 4f};
            assertThat(model.predict(x)).containsExactly(OnnxTestModels.linearExpected(x));
            assertThat(model.predict(x)).containsExactly(0.75f - 4f - 3f + 0.125f, -1.5f - 0.5f + 12f - 2f);
            assertThat(model.sessionRuns()).isEqualTo(2);

            List<float[]> batch = rows(100, 1);
            List<float[]> out = model.predictAll(batch);
            assertThat(model.sessionRuns()).as("one session call for the whole batch").isEqualTo(3);
            assertThat(out).hasSize(100);
            for (int i = 0; i < batch.size(); i++) {
                assertThat(out.get(i)).as("row %d", i).containsExactly(OnnxTestModels.linearExpected(batch.get(i)));
            }
        }

        @Test
        @DisplayName("splits a batch larger than maxBatchSize into several session calls, outputs still in order")
        void maxBatchSize() throws Exception {
            OnnxModel<float[], float[]> model = load(LINEAR.maxBatchSize(16), registerBytes("linear.onnx", OnnxTestModels.linear()));
            List<float[]> batch = rows(50, 2);
            List<float[]> out = model.predictAll(batch);
            assertThat(model.sessionRuns()).isEqualTo(4);
            for (int i = 0; i < batch.size(); i++) {
                assertThat(out.get(i)).containsExactly(OnnxTestModels.linearExpected(batch.get(i)));
            }
        }

        @Test
        @DisplayName("runs a model whose batch dimension is fixed at 1 input by input")
        void fixedBatchOfOne() throws Exception {
            OnnxModel<float[], float[]> model = load(LINEAR, registerBytes("fixed.onnx", OnnxTestModels.linearFixedBatch()));
            List<float[]> batch = rows(5, 3);
            List<float[]> out = model.predictAll(batch);
            assertThat(model.sessionRuns()).isEqualTo(5);
            for (int i = 0; i < batch.size(); i++) {
                assertThat(out.get(i)).containsExactly(OnnxTestModels.linearExpected(batch.get(i)));
            }
        }

        @Test
        @DisplayName("answers an empty batch without calling the session")
        void emptyBatch() throws Exception {
            OnnxModel<float[], float[]> model = load(LINEAR, registerBytes("linear.onnx", OnnxTestModels.linear()));
            assertThat(model.predictAll(List.of())).isEmpty();
            assertThat(model.sessionRuns()).isZero();
        }

        @Test
        @DisplayName("rejects a row of the wrong length, naming the row and the expected length")
        void wrongRowLength() throws Exception {
            OnnxModel<float[], float[]> model = load(LINEAR, registerBytes("linear.onnx", OnnxTestModels.linear()));
            assertThatThrownBy(() -> model.predictAll(List.of(new float[3], new float[2])))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("input 1 of the batch has 2 values")
                    .hasMessageContaining("takes 3");
            assertThatThrownBy(() -> model.predict(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        @DisplayName("serves 4 threads at once from one session, every answer exact")
        void concurrent() throws Exception {
            OnnxModel<float[], float[]> model = load(LINEAR, registerBytes("linear.onnx", OnnxTestModels.linear()));
            int threads = 4;
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger checked = new AtomicInteger();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 100 + t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        List<float[]> inputs = rows(200, seed);
                        for (int i = 0; i < inputs.size(); i++) {
                            float[] x = inputs.get(i);
                            float[] y = i % 10 == 0 ? model.predictAll(inputs.subList(i, i + 10)).get(0) : model.predict(x);
                            assertThat(y).containsExactly(OnnxTestModels.linearExpected(x));
                            checked.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(checked.get()).isEqualTo(threads * 200);
        }

        @Test
        @DisplayName("close() releases the native session; later calls fail clearly; a second close does nothing")
        void closeReleasesSession() throws Exception {
            OnnxModel<float[], float[]> model = load(LINEAR, registerBytes("linear.onnx", OnnxTestModels.linear()));
            OrtSession session = model.session();
            assertThat(session.getInputInfo()).containsKey("x");
            model.close();
            assertThatThrownBy(session::getInputInfo).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> model.predict(new float[3]))
                    .isInstanceOf(IllegalStateException.class).hasMessage("model rain/1 is closed");
            assertThatThrownBy(() -> model.predictAll(List.of(new float[3]))).isInstanceOf(IllegalStateException.class);
            model.close();
        }
    }

    @Nested
    @DisplayName("loading checks the model against the mapping, so a version that does not fit never serves")
    class LoadChecks {
        @Test
        @DisplayName("an unknown input or output name, naming what the model has")
        void unknownNames() {
            LoadContext context = registerBytes("linear.onnx", OnnxTestModels.linear());
            assertThatThrownBy(() -> OnnxModelLoader.floatVector("features", "y").load(context))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("model rain/1 has no input 'features'; its inputs are [x]");
            assertThatThrownBy(() -> OnnxModelLoader.floatVector("x", "score").load(context))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("model rain/1 has no output 'score'; its outputs are [y]");
        }

        @Test
        @DisplayName("a model whose inputs do not fit: floatVector on per-column inputs, tabular on a vector input")
        void shapeMismatch() {
            LoadContext tabularModel = registerBytes("tabular.onnx", OnnxTestModels.tabular());
            assertThatThrownBy(() -> OnnxModelLoader.floatVector("temp", "score").load(tabularModel))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("has 3 inputs");
            LoadContext linearModel = registerBytes("linear.onnx", OnnxTestModels.linear());
            assertThatThrownBy(() -> OnnxModelLoader.tabular("y").load(linearModel))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("input 'x' of model rain/2 has shape [?, 3]")
                    .hasMessageContaining("[batch] or [batch, 1]");
        }

        @Test
        @DisplayName("a file that is not an ONNX model, naming the file and version")
        void notOnnx() {
            LoadContext context = registerBytes("model.onnx", "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThatThrownBy(() -> LINEAR.load(context))
                    .isInstanceOf(MlopsException.class)
                    .hasMessageStartingWith("ONNX Runtime cannot load 'model.onnx' of model rain/1");
        }

        @Test
        @DisplayName("an artifact with several files needs file(path); with it the named file is loaded")
        void severalFiles() throws Exception {
            Path dir = tmp.resolve("bundle");
            Files.createDirectories(dir.resolve("nested"));
            Files.write(dir.resolve("nested/linear.onnx"), OnnxTestModels.linear());
            Files.writeString(dir.resolve("README.txt"), "the linear test model");
            LoadContext context = register(Artifact.directory(dir));
            assertThatThrownBy(() -> LINEAR.load(context)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has 2 artifact files");
            OnnxModel<float[], float[]> model = load(LINEAR.file("nested/linear.onnx"), context);
            assertThat(model.predict(new float[] {1, 1, 1})).containsExactly(OnnxTestModels.linearExpected(new float[] {1, 1, 1}));
            assertThatThrownBy(() -> LINEAR.file("missing.onnx").load(context))
                    .isInstanceOf(dev.mlops.api.NotFoundException.class);
        }

        @Test
        @DisplayName("applies the session options and runs the configurers, in order")
        void sessionOptions() throws Exception {
            List<String> calls = new ArrayList<>();
            OnnxModelLoader<float[], float[]> loader = OnnxModelLoader.floatVector("x", "y")
                    .intraOpThreads(1).interOpThreads(1)
                    .optimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT)
                    .sessionOptions(o -> calls.add("first"))
                    .sessionOptions(o -> {
                        calls.add("second");
                        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                    });
            OnnxModel<float[], float[]> model = load(loader, registerBytes("linear.onnx", OnnxTestModels.linear()));
            assertThat(calls).containsExactly("first", "second");
            assertThat(model.predict(new float[] {2, 0, 0})).containsExactly(1.125f, -4f);

            OnnxModelLoader<float[], float[]> failing = LINEAR.sessionOptions(o -> {
                throw new OrtException("rejected by test");
            });
            assertThatThrownBy(() -> failing.load(registerBytes("linear.onnx", OnnxTestModels.linear())))
                    .isInstanceOf(OrtException.class).hasMessageContaining("rejected by test");
        }
    }

    @Nested
    @DisplayName("tabular")
    class Tabular {
        OnnxModelLoader<Map<String, ? extends Number>, float[]> loader = OnnxModelLoader.tabular("score").intraOpThreads(1);

        @Test
        @DisplayName("feeds each named feature to its input (float, double, int64), one session call per batch")
        void namedFeatures() throws Exception {
            OnnxModel<Map<String, ? extends Number>, float[]> model = load(loader, registerBytes("tabular.onnx", OnnxTestModels.tabular()));
            Map<String, Number> one = Map.of("temp", 12.5, "humidity", 0.75, "hour", 6, "ignored", 99);
            assertThat(model.predict(one)).containsExactly(OnnxTestModels.tabularExpected(12.5, 0.75, 6));
            assertThat(model.predict(one)).containsExactly(6.25f - 1.5f + 1.5f + 1f);

            Random r = new Random(7);
            List<Map<String, ? extends Number>> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Map<String, Number> row = new HashMap<>();
                row.put("temp", (r.nextInt(400) - 200) / 4f);
                row.put("humidity", r.nextInt(100) / 64.0);
                row.put("hour", i % 2 == 0 ? (Number) (long) (i % 24) : (Number) (i % 24));
                batch.add(row);
            }
            List<float[]> out = model.predictAll(batch);
            assertThat(model.sessionRuns()).isEqualTo(3);
            for (int i = 0; i < batch.size(); i++) {
                Map<String, ? extends Number> row = batch.get(i);
                assertThat(out.get(i)).containsExactly(OnnxTestModels.tabularExpected(
                        row.get("temp").doubleValue(), row.get("humidity").doubleValue(), row.get("hour").longValue()));
            }
        }

        @Test
        @DisplayName("rejects a missing feature and a fractional value for an integer input, naming them")
        void badFeatures() throws Exception {
            OnnxModel<Map<String, ? extends Number>, float[]> model = load(loader, registerBytes("tabular.onnx", OnnxTestModels.tabular()));
            assertThatThrownBy(() -> model.predict(Map.of("temp", 1, "hour", 2)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("input 0 of the batch has no feature 'humidity'")
                    .hasMessageContaining("temp").hasMessageContaining("hour");
            assertThatThrownBy(() -> model.predict(Map.of("temp", 1, "humidity", 0.5, "hour", 2.5)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("feature 'hour' of input 0 of the batch is 2.5")
                    .hasMessageContaining("whole number (INT64)");
            assertThat(model.predict(Map.of("temp", 1, "humidity", 0.5, "hour", 2.0)))
                    .as("a whole double is fine").containsExactly(OnnxTestModels.tabularExpected(1, 0.5, 2));
        }
    }

    /** A user's output type for the generic mapping. */
    record Rain(float a, float b) {
    }

    @Nested
    @DisplayName("of(encoder, decoder)")
    class Generic {
        @Test
        @DisplayName("runs any mapping written against the ONNX Runtime API")
        void customMapping() throws Exception {
            OnnxModelLoader<float[], Rain> loader = OnnxModelLoader.<float[], Rain>of(
                    (env, batch) -> Map.of("x", OnnxTensor.createTensor(env, batch.toArray(new float[0][]))),
                    (result, n) -> {
                        float[][] y = (float[][]) result.get("y").orElseThrow().getValue();
                        List<Rain> out = new ArrayList<>();
                        for (float[] row : y) {
                            out.add(new Rain(row[0], row[1]));
                        }
                        return out;
                    }).intraOpThreads(1);
            OnnxModel<float[], Rain> model = load(loader, registerBytes("linear.onnx", OnnxTestModels.linear()));
            List<float[]> batch = rows(10, 9);
            List<Rain> out = model.predictAll(batch);
            assertThat(model.sessionRuns()).isEqualTo(1);
            for (int i = 0; i < batch.size(); i++) {
                float[] e = OnnxTestModels.linearExpected(batch.get(i));
                assertThat(out.get(i)).isEqualTo(new Rain(e[0], e[1]));
            }
        }

        @Test
        @DisplayName("a decoder that returns the wrong number of outputs is reported with the version")
        void wrongDecoder() throws Exception {
            OnnxModelLoader<float[], float[]> loader = OnnxModelLoader.<float[], float[]>of(
                    (env, batch) -> Map.of("x", OnnxTensor.createTensor(env, batch.toArray(new float[0][]))),
                    (result, n) -> List.of());
            OnnxModel<float[], float[]> model = load(loader, registerBytes("linear.onnx", OnnxTestModels.linear()));
            assertThatThrownBy(() -> model.predict(new float[3])).isInstanceOf(MlopsException.class)
                    .hasMessage("decoder of model rain/1 returned 0 outputs for 1 inputs");
        }
    }

    @Nested
    @DisplayName("options")
    class Options {
        @Test
        @DisplayName("fail fast on bad values and never change the loader they are called on")
        void failFastAndImmutable() throws Exception {
            OnnxModelLoader<float[], float[]> base = OnnxModelLoader.floatVector("x", "y");
            assertThatThrownBy(() -> base.intraOpThreads(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("intraOpThreads must be at least 1, was 0");
            assertThatThrownBy(() -> base.interOpThreads(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> base.maxBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> base.file("../model.onnx")).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> base.optimizationLevel(null)).isInstanceOf(NullPointerException.class).hasMessage("level");
            assertThatThrownBy(() -> OnnxModelLoader.floatVector(null, "y")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> OnnxModelLoader.of(null, (r, n) -> List.of())).isInstanceOf(NullPointerException.class);

            OnnxModelLoader<float[], float[]> limited = base.maxBatchSize(2);
            assertThat(limited).isNotSameAs(base);
            LoadContext context = registerBytes("linear.onnx", OnnxTestModels.linear());
            OnnxModel<float[], float[]> unlimited = load(base, context);
            unlimited.predictAll(rows(6, 4));
            assertThat(unlimited.sessionRuns()).as("the base loader kept no limit").isEqualTo(1);
            OnnxModel<float[], float[]> byTwo = load(limited, context);
            byTwo.predictAll(rows(6, 4));
            assertThat(byTwo.sessionRuns()).isEqualTo(3);
        }
    }
}
