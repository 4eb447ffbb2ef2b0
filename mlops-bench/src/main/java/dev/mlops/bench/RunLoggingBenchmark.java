package dev.mlops.bench;

import dev.mlops.api.store.Store;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Logging one metric point from a training loop, {@code ActiveRun.logMetric(key, value, step)},
 * amortised over its share of the batch writes: every {@code batch}-th call writes the buffered
 * points (one chunk document per metric and a compare-and-set of the run document; on the
 * filesystem store each is flushed to disk). Two metrics alternate, as a loop logging loss and
 * accuracy would. Each iteration logs to a new run in a new store (set up untimed), so stored
 * points do not pile up in memory or on disk. Target of issue 17: at most 1 µs per point.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RunLoggingBenchmark {
    /** {@code memory} (no I/O: the logger's own cost) or {@code fs} (a real directory, fsync on). */
    @Param({"memory", "fs"})
    public String store;

    /** Points a logger buffers before it writes them. */
    @Param({"1000", "10000"})
    public int batch;

    private Path dir;
    private Mlops mlops;
    private ActiveRun run;
    private long step;

    /** Opens a fresh store and starts a run, so that what one iteration stored does not pile up. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        Store s;
        if (store.equals("fs")) {
            dir = Files.createTempDirectory("mlops-run-bench");
            s = FileSystemStore.open(dir, Clock.systemUTC());
        } else {
            s = new InMemoryStore();
        }
        mlops = Mlops.builder().store(s).metricBatchSize(batch).runHeartbeat(Duration.ZERO).build();
        run = mlops.tracking().startRun("bench", NewRun.builder().build());
    }

    /** Ends the run and removes the directory. */
    @TearDown(Level.Iteration)
    public void close() throws IOException {
        run.close();
        mlops.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One point, alternating between two metrics. */
    @Benchmark
    public void logMetric() {
        long s = step++;
        run.logMetric((s & 1) == 0 ? "loss" : "accuracy", s * 0.001, s >> 1);
    }
}
