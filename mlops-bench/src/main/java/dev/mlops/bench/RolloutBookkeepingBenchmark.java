package dev.mlops.bench;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.rollout.Arm;
import dev.mlops.rollout.ArmRecorder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-request cost of a guarded rollout's bookkeeping: {@link ArmRecorder#record} as the service's
 * {@link LatencyListener} calls it (counters, the control's latency histogram, the exceedance
 * checks against the predictable thresholds), against a baseline that only reads the same
 * latency. The difference is what a rollout adds to a request; the budget is 50 ns. The
 * 2-thread variant shows the cost under contention on the shared counters. Runs in about 2
 * minutes: {@code java -jar mlops-bench/target/benchmarks.jar RolloutBookkeepingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RolloutBookkeepingBenchmark {

    private static final ModelRef.Version CONTROL = new ModelRef.Version("rain", 3);
    private static final ModelRef.Version CANDIDATE = new ModelRef.Version("rain", 4);
    private static final int MASK = 4095;

    private final long[] latencies = new long[MASK + 1];
    private final ModelRef.Version[] versions = new ModelRef.Version[MASK + 1];
    private ArmRecorder recorder;
    private LatencyListener listener;

    /** Each thread's own position in the samples: a shared index would make the threads contend on it. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    /** Log-normal latencies around 20 ms, 10% of requests to the candidate; thresholds established. */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i <= MASK; i++) {
            latencies[i] = (long) Math.exp(Math.log(2e7) + 0.5 * random.nextGaussian());
            versions[i] = random.nextDouble() < 0.1 ? CANDIDATE : CONTROL;
        }
        recorder = new ArmRecorder();
        listener = recorder.latencyListener(CONTROL, CANDIDATE);
        for (int i = 0; i < 10_000; i++) {
            recorder.record(Arm.CONTROL, false, latencies[i & MASK]);
        }
    }

    /**
     * @param cursor this thread's position
     * @param bh sink
     */
    @Benchmark
    public void baseline(Cursor cursor, Blackhole bh) {
        int i = cursor.next++ & MASK;
        bh.consume(versions[i]);
        bh.consume(latencies[i]);
    }

    /**
     * @param cursor this thread's position
     * @return the slot used; the listener the service calls, version comparison included
     */
    @Benchmark
    public int listener(Cursor cursor) {
        int i = cursor.next++ & MASK;
        listener.timed(versions[i], false, 1, latencies[i]);
        return i;
    }

    /**
     * @param cursor this thread's position
     * @return the slot used; the same from two threads at once
     */
    @Benchmark
    @Threads(2)
    public int listenerTwoThreads(Cursor cursor) {
        int i = cursor.next++ & MASK;
        listener.timed(versions[i], false, 1, latencies[i]);
        return i;
    }
}
