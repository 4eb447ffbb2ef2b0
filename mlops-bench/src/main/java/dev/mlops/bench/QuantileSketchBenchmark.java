package dev.mlops.bench;

import dev.mlops.drift.QuantileSketch;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
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
 * Our {@link QuantileSketch} (a deterministic KLL) against Apache DataSketches' {@code KllDoublesSketch}
 * 6.2.0 at the same k (so about the same retained items and memory): cost of one update in steady
 * state, of merging two sketches of 100,000 values into an empty one, of serializing and of
 * deserializing. Run with {@code -prof gc} for allocation per update. Accuracy and sizes are
 * printed by {@link QuantileSketchAccuracy}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class QuantileSketchBenchmark {

    /** Sketch accuracy parameter. */
    @Param({"200"})
    public int k;

    private double[] values;
    private int next;
    private QuantileSketch own;
    private KllDoublesSketch kll;
    private QuantileSketch ownA;
    private QuantileSketch ownB;
    private KllDoublesSketch kllA;
    private KllDoublesSketch kllB;
    private byte[] ownBytes;
    private byte[] kllBytes;

    /** Random normal values; two pre-filled sketches of each kind. */
    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(42);
        values = new double[1 << 16];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextGaussian();
        }
        own = QuantileSketch.create(k);
        kll = KllDoublesSketch.newHeapInstance(k);
        ownA = QuantileSketch.create(k);
        ownB = QuantileSketch.create(k);
        kllA = KllDoublesSketch.newHeapInstance(k);
        kllB = KllDoublesSketch.newHeapInstance(k);
        for (int i = 0; i < 1_000_000; i++) { // grow to steady state
            own.update(values[i & (values.length - 1)]);
            kll.update(values[i & (values.length - 1)]);
        }
        for (int i = 0; i < 100_000; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian() + 0.1;
            ownA.update(a);
            kllA.update(a);
            ownB.update(b);
            kllB.update(b);
        }
        ownBytes = ownA.toBytes();
        kllBytes = kllA.toByteArray();
    }

    private double nextValue() {
        double v = values[next];
        next = (next + 1) & (values.length - 1);
        return v;
    }

    /** @return the sketch after one update */
    @Benchmark
    public Object updateOwn() {
        own.update(nextValue());
        return own;
    }

    /** @return the sketch after one update */
    @Benchmark
    public Object updateDataSketches() {
        kll.update(nextValue());
        return kll;
    }

    /** @return a new sketch of A ∪ B */
    @Benchmark
    public Object mergeOwn() {
        QuantileSketch s = QuantileSketch.create(k);
        s.merge(ownA);
        s.merge(ownB);
        return s;
    }

    /** @return a new sketch of A ∪ B */
    @Benchmark
    public Object mergeDataSketches() {
        KllDoublesSketch s = KllDoublesSketch.newHeapInstance(k);
        s.merge(kllA);
        s.merge(kllB);
        return s;
    }

    /** @return the bytes of a 100,000-value sketch */
    @Benchmark
    public byte[] serializeOwn() {
        return ownA.toBytes();
    }

    /** @return the bytes of a 100,000-value sketch */
    @Benchmark
    public byte[] serializeDataSketches() {
        return kllA.toByteArray();
    }

    /** @return a sketch read back from bytes */
    @Benchmark
    public Object deserializeOwn() {
        return QuantileSketch.fromBytes(ownBytes);
    }

    /** @return a sketch read back from bytes */
    @Benchmark
    public Object deserializeDataSketches() {
        return KllDoublesSketch.heapify(Memory.wrap(kllBytes));
    }
}
