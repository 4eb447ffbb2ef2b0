package dev.mlops.bench;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftAnalysis;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 3, must-show 3(b), and issue 16: a whole dataset report, {@link DriftAnalysis#compare} of
 * 100 numerical columns × 200,000 reference rows against 200,000 current rows with Evidently's
 * defaults (reference &gt; 1,000 rows: {@code wasserstein_norm} per column, plus the chart bins),
 * with {@code parallelism} 1 and 2. {@code compare} sorts each column with the radix sort;
 * {@code compareArraysSort} is the same report in a JVM started with
 * {@code -Dmlops.drift.sort=arrays}, every sort an {@code Arrays.sort} again (the baseline, same
 * run). <b>Targets: {@code compare} with parallelism 2 ≤ 1 s, or ≥ 20 × faster than the scipy
 * per-column loop of {@code mlops-bench/scripts/scipy_drift_baseline.py}; parallelism 2 at least
 * 1.7 × faster than 1 on 2 cores</b> (compare the scores of one run).
 *
 * <p>Columns: normal, uniform, exponential and rounded (few distinct values, so
 * {@code jensenshannon}) shapes; every third column's current data shifted, 1% missing values in
 * every tenth column. Average time per report.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class DatasetDriftBenchmark {
    /** Threads comparing columns. */
    @Param({"1", "2"})
    public int parallelism;

    /** Numerical columns. */
    @Param("100")
    public int columns;

    /** Rows of each frame. */
    @Param("200000")
    public int rows;

    private Frame reference;
    private Frame current;
    private DriftAnalysis analysis;

    /** Builds both frames and the analysis once. */
    @Setup(Level.Trial)
    public void frames() {
        List<Field> fields = new ArrayList<>();
        List<Object> ref = new ArrayList<>();
        List<Object> cur = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7L);
        for (int c = 0; c < columns; c++) {
            fields.add(new Field("f" + c, FieldType.DOUBLE));
            double shift = c % 3 == 0 ? 0.2 : 0.0;
            ref.add(column(r, c, 0.0));
            cur.add(column(r, c, shift));
        }
        Schema schema = new Schema(fields);
        reference = Frame.ofColumns(schema, ref);
        current = Frame.ofColumns(schema, cur);
        analysis = DriftAnalysis.builder().parallelism(parallelism).build();
        DriftReport check = analysis.compare(reference, current);
        if (check.columns().size() != columns) {
            throw new IllegalStateException("expected " + columns + " columns, got " + check.columns().size());
        }
    }

    private double[] column(SplittableRandom r, int c, double shift) {
        double[] v = new double[rows];
        for (int i = 0; i < rows; i++) {
            double u = r.nextDouble();
            v[i] = switch (c % 4) {
                case 0 -> shift + Math.sqrt(-2.0 * Math.log1p(-u)) * Math.cos(2.0 * Math.PI * r.nextDouble());
                case 1 -> shift + u;
                case 2 -> shift - Math.log1p(-u);
                default -> Math.floor(4 * u + shift);
            };
            if (c % 10 == 9 && i % 100 == 0) {
                v[i] = Double.NaN;
            }
        }
        return v;
    }

    /** @return the report */
    @Benchmark
    public DriftReport compare() {
        return analysis.compare(reference, current);
    }

    /** @return the report with every sort done by {@code Arrays.sort} (the baseline) */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Dmlops.drift.sort=arrays"})
    public DriftReport compareArraysSort() {
        return analysis.compare(reference, current);
    }
}
