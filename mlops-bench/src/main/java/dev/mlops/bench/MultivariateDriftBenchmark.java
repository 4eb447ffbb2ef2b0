package dev.mlops.bench;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.drift.multivariate.DataReconstructionDrift;
import dev.mlops.drift.multivariate.FittedMultivariateDrift;
import dev.mlops.drift.multivariate.MmdDrift;
import dev.mlops.drift.multivariate.MmdResult;
import dev.mlops.drift.multivariate.MultivariateDriftResult;
import dev.mlops.estimation.Chunking;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multivariate drift (mlops-drift-multivariate), average time per call, single thread:
 *
 * <ul>
 *   <li>{@code reconstructionFit}: {@link DataReconstructionDrift} fitted on 100,000 rows of 10 correlated
 *       numeric columns (imputation, standardisation, covariance, eigen-decomposition, then the reference
 *       chunks' errors, 10 chunks);</li>
 *   <li>{@code reconstructionCalculate}: the fitted method on another 100,000 rows (10 chunks of 10,000);</li>
 *   <li>{@code mmd1kVs1k}: {@link MmdDrift} (Alibi Detect's defaults, 100 permutations) on 1,000 against 1,000
 *       rows of 10 columns.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class MultivariateDriftBenchmark {
    private static final int COLUMNS = 10;
    private static final int ROWS = 100_000;
    private Frame reference;
    private Frame analysis;
    private FittedMultivariateDrift fitted;
    private double[][] mmdReference;
    private double[][] mmdCurrent;
    private final MmdDrift mmd = MmdDrift.alibi().seed(1).build();

    /** Builds the data: columns that share a latent factor, so PCA has structure to find. */
    @Setup(Level.Trial)
    public void data() {
        SplittableRandom random = new SplittableRandom(42);
        reference = frame(random, ROWS, 0);
        analysis = frame(random, ROWS, 0.2);
        fitted = fit();
        mmdReference = rows(random, 1000, 0);
        mmdCurrent = rows(random, 1000, 0.1);
    }

    private static Frame frame(SplittableRandom random, int rows, double shift) {
        List<Field> fields = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        for (int j = 0; j < COLUMNS; j++) {
            fields.add(new Field("x" + j, FieldType.DOUBLE));
            columns.add(new double[rows]);
        }
        for (int i = 0; i < rows; i++) {
            double latent = gaussian(random);
            for (int j = 0; j < COLUMNS; j++) {
                columns.get(j)[i] = (j % 2 == 0 ? latent : -latent) * (1 + shift * j) + gaussian(random);
            }
        }
        return Frame.ofColumns(Schema.of(fields.toArray(Field[]::new)), columns);
    }

    private static double[][] rows(SplittableRandom random, int rows, double shift) {
        double[][] x = new double[rows][COLUMNS];
        for (double[] row : x) {
            for (int j = 0; j < COLUMNS; j++) {
                row[j] = gaussian(random) + shift;
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private FittedMultivariateDrift fit() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < COLUMNS; j++) {
            names.add("x" + j);
        }
        return DataReconstructionDrift.builder().columns(names).chunking(Chunking.bySize(10_000)).fit(reference);
    }

    /** @return the fitted method */
    @Benchmark
    public FittedMultivariateDrift reconstructionFit() {
        return fit();
    }

    /** @return the analysis chunks' errors */
    @Benchmark
    public MultivariateDriftResult reconstructionCalculate() {
        return fitted.calculate(analysis);
    }

    /** @return the MMD² and p-value */
    @Benchmark
    public MmdResult mmd1kVs1k() {
        return mmd.test(mmdReference, mmdCurrent);
    }
}
