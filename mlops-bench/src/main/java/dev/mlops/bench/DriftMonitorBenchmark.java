package dev.mlops.bench;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.ReferenceProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Must-show 3(c): {@code DriftMonitor.observe} for rows of 20 numerical + 5 categorical
 * features, on one thread and on two threads sharing one monitor. <b>Target: ≤ 500 ns per row,
 * no allocation in steady state</b> (run with {@code -prof gc}: gc.alloc.rate.norm ≈ 0 B/op).
 *
 * <p>The profile is built from 10,000 reference rows (numerical columns normal with different
 * scales, categorical columns with 12 categories); rows are drawn from 4,096 precomputed rows
 * that include missing values and unseen categories. {@code window=count}: tumbling windows of
 * 1,000,000 rows (each close computes a report: its cost and allocation are spread over the
 * rows); {@code window=time}: 1-minute windows on the system clock (one clock read per row).
 * Memory per column is printed by {@link DriftMonitorFootprint}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DriftMonitorBenchmark {

    static final int NUMERICAL = 20;
    static final int CATEGORICAL = 5;

    /** The shared monitor. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** count or time windows. */
        @Param({"count", "time"})
        public String window;

        DriftMonitor monitor;

        /** Builds the profile and the monitor. */
        @Setup(Level.Trial)
        public void setUp() {
            monitor = monitor(window);
        }
    }

    /** Per-thread rows. */
    @State(Scope.Thread)
    public static class Rows {
        double[][] numerical;
        String[][] categorical;
        int next;

        /** 4,096 rows per thread. */
        @Setup(Level.Trial)
        public void setUp() {
            Random r = new Random(Thread.currentThread().getId());
            numerical = new double[4096][NUMERICAL];
            categorical = new String[4096][CATEGORICAL];
            for (int i = 0; i < 4096; i++) {
                for (int c = 0; c < NUMERICAL; c++) {
                    numerical[i][c] = r.nextInt(50) == 0 ? Double.NaN : r.nextGaussian() * (c + 1) + 0.1 * c;
                }
                for (int c = 0; c < CATEGORICAL; c++) {
                    int k = r.nextInt(13);
                    categorical[i][c] = k == 12 ? "unseen" : "cat-" + k;
                }
            }
        }
    }

    static ReferenceProfile profile() {
        Random r = new Random(1);
        int n = 10_000;
        List<Field> fields = new ArrayList<>();
        List<Object> cols = new ArrayList<>();
        for (int c = 0; c < NUMERICAL; c++) {
            fields.add(new Field("n" + c, FieldType.DOUBLE));
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextGaussian() * (c + 1);
            }
            cols.add(v);
        }
        for (int c = 0; c < CATEGORICAL; c++) {
            fields.add(new Field("c" + c, FieldType.STRING));
            String[] v = new String[n];
            for (int i = 0; i < n; i++) {
                v[i] = "cat-" + r.nextInt(12);
            }
            cols.add(v);
        }
        return ReferenceProfile.of(Frame.ofColumns(new Schema(fields), cols));
    }

    static DriftMonitor monitor(String window) {
        DriftMonitor.Builder b = DriftMonitor.builder(profile()).clock(Clock.systemUTC());
        if ("time".equals(window)) {
            b.timeWindow(Duration.ofMinutes(1));
        } else {
            b.countWindow(1_000_000);
        }
        return b.build();
    }

    private static void observe(Shared s, Rows rows) {
        int i = rows.next;
        rows.next = (i + 1) & 4095;
        s.monitor.observe(rows.numerical[i], rows.categorical[i]);
    }

    /** @param s monitor @param rows this thread's rows */
    @Benchmark
    @Threads(1)
    public void observeOneThread(Shared s, Rows rows) {
        observe(s, rows);
    }

    /** @param s monitor shared by both threads @param rows this thread's rows */
    @Benchmark
    @Threads(2)
    public void observeTwoThreads(Shared s, Rows rows) {
        observe(s, rows);
    }
}
