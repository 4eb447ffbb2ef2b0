package dev.mlops.bench;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelService;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.estimation.Cbpe;
import dev.mlops.estimation.CbpeMetric;
import dev.mlops.estimation.CbpeMonitor;
import dev.mlops.estimation.Chunking;
import dev.mlops.estimation.FittedCbpe;
import dev.mlops.estimation.ModelOutputs;
import dev.mlops.serving.ModelServiceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 14's "per-row cost of online estimation in a monitor (≤ 1 µs per row)": {@link CbpeMonitor}
 * counting one prediction, and a {@link ModelService} feeding it through {@code monitorOutputs},
 * each next to its baseline in the same run.
 *
 * <ul>
 *   <li>{@code rowBaseline}: reading the next precomputed row, what every other benchmark does too;</li>
 *   <li>{@code observeBinary}: {@code CbpeMonitor.observe} for a binary classifier whose reference
 *       needed isotonic calibration (20,000 reference rows: a binary search over the calibrator's
 *       points), six metrics, 1,000 ROC AUC bins, count windows of 100,000 rows (each close
 *       computes a report, spread over its rows);</li>
 *   <li>{@code observeMulticlass}: the same for three classes (three calibrators, a row normalized);</li>
 *   <li>{@code serviceNoOpOutputObserver} / {@code serviceEstimating}: {@code ModelService.predict}
 *       of a trivial model with an output observer that only counts, and with the monitor's observer:
 *       their difference is what estimation adds to a served request.</li>
 * </ul>
 * Run with {@code -prof gc}: gc.alloc.rate.norm ≈ 0 B/op for every benchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Benchmark)
public class OnlineEstimationBenchmark {
    static final int ROWS = 4096;
    static final List<String> CLASSES = List.of("a", "b", "c");

    /** A served answer: class 1's probability and the predicted class. */
    public record Answer(double probability, int predicted) {
    }

    double[] proba;
    int[] predicted;
    Answer[] answers;
    double[][] multiProba;
    int[] multiPredicted;
    int next;
    CbpeMonitor binary;
    CbpeMonitor multiclass;
    Mlops mlops;
    ModelService<Integer, Answer> plain;
    ModelService<Integer, Answer> estimating;
    final LongAdder counted = new LongAdder();

    /** Fits CBPE on generated references and builds the monitors and services. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        int n = 20_000;
        double[] refP = new double[n];
        int[] refPred = new int[n];
        int[] refY = new int[n];
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian() * 1.5;
            refY[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            refP[i] = 1 / (1 + Math.exp(-1.3 * z)); // overconfident: CBPE calibrates it
            refPred[i] = refP[i] >= 0.5 ? 1 : 0;
        }
        CbpeMetric[] six = {CbpeMetric.ROC_AUC, CbpeMetric.F1, CbpeMetric.PRECISION, CbpeMetric.RECALL,
                CbpeMetric.SPECIFICITY, CbpeMetric.ACCURACY};
        FittedCbpe cbpe = Cbpe.builder().metrics(six).chunking(Chunking.bySize(5000))
                .fit(ModelOutputs.binary(refP, refPred).withTargets(refY));
        if (cbpe.calibratedClasses().isEmpty()) {
            throw new IllegalStateException("the benchmark's reference should need calibration");
        }
        binary = CbpeMonitor.builder(cbpe).countWindow(100_000).build();
        double[][] mp = new double[n][3];
        String[] mPred = new String[n];
        String[] mY = new String[n];
        for (int i = 0; i < n; i++) {
            double[] z = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            int y = r.nextInt(3);
            z[y] += 1.2;
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                mp[i][c] = Math.exp(1.4 * z[c]);
                sum += mp[i][c];
            }
            int best = 0;
            for (int c = 0; c < 3; c++) {
                mp[i][c] /= sum;
                best = mp[i][c] > mp[i][best] ? c : best;
            }
            mPred[i] = CLASSES.get(best);
            mY[i] = CLASSES.get(y);
        }
        FittedCbpe mc = Cbpe.builder().metrics(six).chunking(Chunking.bySize(5000))
                .fit(ModelOutputs.multiclass(CLASSES, mp, List.of(mPred)).withTargets(List.of(mY)));
        multiclass = CbpeMonitor.builder(mc).countWindow(100_000).build();

        proba = new double[ROWS];
        predicted = new int[ROWS];
        answers = new Answer[ROWS];
        multiProba = new double[ROWS][];
        multiPredicted = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            proba[i] = 1 / (1 + Math.exp(-1.3 * (r.nextGaussian() * 1.5 - 0.5)));
            predicted[i] = proba[i] >= 0.5 ? 1 : 0;
            answers[i] = new Answer(proba[i], predicted[i]);
            multiProba[i] = mp[i].clone();
            multiPredicted[i] = CLASSES.indexOf(mPred[i]);
        }

        mlops = Mlops.builder().store(new InMemoryStore()).build();
        mlops.models().register("loan", NewModelVersion.builder()
                .artifact(Artifact.bytes("model.bin", new byte[] {1})).format("java-function").build());
        mlops.models().setAlias("loan", "production", 1);
        Model<Integer, Answer> model = Model.of(i -> answers[i]);
        plain = ModelServiceBuilder.serve(mlops, ModelRef.alias("loan", "production"), ctx -> model).name("loan-plain")
                .pollInterval(Duration.ofHours(1)).monitorOutputs((in, out) -> counted.increment(), 1.0).build();
        CbpeMonitor served = CbpeMonitor.builder(cbpe).countWindow(100_000).build();
        estimating = ModelServiceBuilder.serve(mlops, ModelRef.alias("loan", "production"), ctx -> model)
                .name("loan-estimating").pollInterval(Duration.ofHours(1))
                .monitorOutputs(served.binaryObserver(Answer::probability, Answer::predicted), 1.0).build();
    }

    /** Closes the services and the registry. */
    @TearDown(Level.Trial)
    public void tearDown() {
        plain.close();
        estimating.close();
        mlops.close();
    }

    private int row() {
        int i = next;
        next = (i + 1) & (ROWS - 1);
        return i;
    }

    @Benchmark
    public void rowBaseline(Blackhole bh) {
        int i = row();
        bh.consume(proba[i]);
        bh.consume(predicted[i]);
    }

    @Benchmark
    public long observeBinary() {
        int i = row();
        return binary.observe(proba[i], predicted[i]);
    }

    @Benchmark
    public long observeMulticlass() {
        int i = row();
        return multiclass.observe(multiProba[i], multiPredicted[i]);
    }

    @Benchmark
    public Answer serviceNoOpOutputObserver() {
        return plain.predict(row());
    }

    @Benchmark
    public Answer serviceEstimating() {
        return estimating.predict(row());
    }
}
