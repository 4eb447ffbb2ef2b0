package dev.mlops.bench;

import dev.mlops.serving.ModelServiceBuilder;
import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.InferenceLog;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.micrometer.ModelServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call cost of {@link ModelService#predict} (metrics always on) against calling the same
 * {@link Model} directly, in the same run: for a trivial model and for a model of about one
 * microsecond, with an inference log and an input monitor both sampling 100%, and with a
 * Micrometer binder attached ({@link ModelServiceMetrics} on a {@link SimpleMeterRegistry}: every
 * call recorded in the version's latency timer, p50/p95/p99 over a decaying window). The
 * {@code trivialService} against {@code trivialServiceMicrometer} difference is what the timer
 * costs per call; {@code trivialService} itself includes the one volatile read of the latency
 * hook that no listener uses.
 *
 * <p>The services time one call in 16 (the default {@code latencySampling}); the
 * {@code *ServiceEveryCall} variants time every call ({@code latencySampling(1)}), as every
 * service did before issue 16. The {@code *2Threads} variants run two threads on the same
 * service ({@code @Threads(2)}): both add to the deployment's reference count and the version's
 * success count, each in its thread's cell. <b>Targets (issue 16): {@code trivialService} −
 * {@code trivialDirect} ≤ 30 ns at p50 ({@code -bm sample}); {@code microService} ≤ 1.03 ×
 * {@code microDirect}.</b>
 *
 * <p>The models allocate nothing (their outputs come from the {@code Integer} cache), so
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} shows the service's own allocation per call.
 *
 * <pre>
 * mvn -B -q -pl mlops-bench -am package -DskipTests
 * java -jar mlops-bench/target/benchmarks.jar ServingBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServingBenchmark {

    /** Rounds over the 16 features in the ~1 us model; each step is a dependent multiply-add. */
    @Param("40")
    public int rounds;

    private double[] features;
    private InMemoryStore store;
    private Mlops mlops;
    private Model<double[], Integer> trivial;
    private Model<double[], Integer> micro;
    private ModelService<double[], Integer> trivialService;
    private ModelService<double[], Integer> microService;
    private ModelService<double[], Integer> trivialObserved;
    private ModelService<double[], Integer> microObserved;
    private ModelService<double[], Integer> trivialTimed;
    private ModelService<double[], Integer> microTimed;
    private ModelService<double[], Integer> trivialEveryCall;
    private ModelService<double[], Integer> microEveryCall;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountingLog log = new CountingLog();
    private final LongAdder observed = new LongAdder();

    @Setup(Level.Trial)
    public void setUp() {
        features = new double[16];
        for (int i = 0; i < features.length; i++) {
            features[i] = 0.25 * i - 1.5;
        }
        int r = rounds;
        trivial = in -> in.length;
        micro = in -> {
            double acc = 0;
            for (int k = 0; k < r; k++) {
                for (double v : in) {
                    acc = acc * 0.999_999 + v;
                }
            }
            return (int) acc & 127;
        };
        store = new InMemoryStore();
        mlops = Mlops.builder().store(store).build();
        for (String name : new String[] {"trivial", "micro"}) {
            mlops.models().register(name, NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", new byte[] {1})).format("java-function").build());
            mlops.models().setAlias(name, "production", 1);
        }
        ModelLoader<double[], Integer> trivialLoader = ctx -> trivial;
        ModelLoader<double[], Integer> microLoader = ctx -> micro;
        trivialService = serve("trivial", trivialLoader, false);
        microService = serve("micro", microLoader, false);
        trivialObserved = serve("trivial", trivialLoader, true);
        microObserved = serve("micro", microLoader, true);
        trivialTimed = serve("trivial", trivialLoader, false, "-micrometer");
        microTimed = serve("micro", microLoader, false, "-micrometer");
        trivialEveryCall = ModelServiceBuilder.serve(mlops, ModelRef.alias("trivial", "production"), trivialLoader)
                .name("trivial-every-call").pollInterval(Duration.ofHours(1)).latencySampling(1).build();
        microEveryCall = ModelServiceBuilder.serve(mlops, ModelRef.alias("micro", "production"), microLoader)
                .name("micro-every-call").pollInterval(Duration.ofHours(1)).latencySampling(1).build();
        ModelServiceMetrics.bind(trivialTimed, registry);
        ModelServiceMetrics.bind(microTimed, registry);
    }

    private ModelService<double[], Integer> serve(String name, ModelLoader<double[], Integer> loader, boolean observe) {
        return serve(name, loader, observe, observe ? "-observed" : "");
    }

    private ModelService<double[], Integer> serve(String name, ModelLoader<double[], Integer> loader, boolean observe,
                                                  String suffix) {
        var b = ModelServiceBuilder.serve(mlops, ModelRef.alias(name, "production"), loader).name(name + suffix)
                .pollInterval(Duration.ofHours(1));
        if (observe) {
            b.inferenceLog(log, 1.0).monitor(x -> observed.increment(), 1.0);
        }
        return b.build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trivialService.close();
        microService.close();
        trivialObserved.close();
        microObserved.close();
        trivialTimed.close();
        microTimed.close();
        trivialEveryCall.close();
        microEveryCall.close();
        registry.close();
        mlops.close();
    }

    @Benchmark
    public Integer trivialDirect() {
        return trivial.predict(features);
    }

    @Benchmark
    public Integer trivialService() {
        return trivialService.predict(features);
    }

    @Benchmark
    public Integer trivialServiceLogAndMonitor() {
        return trivialObserved.predict(features);
    }

    @Benchmark
    public Integer trivialServiceMicrometer() {
        return trivialTimed.predict(features);
    }

    @Benchmark
    public Integer microDirect() {
        return micro.predict(features);
    }

    @Benchmark
    public Integer microService() {
        return microService.predict(features);
    }

    @Benchmark
    public Integer microServiceLogAndMonitor() {
        return microObserved.predict(features);
    }

    @Benchmark
    public Integer microServiceMicrometer() {
        return microTimed.predict(features);
    }

    @Benchmark
    public Integer trivialServiceEveryCall() {
        return trivialEveryCall.predict(features);
    }

    @Benchmark
    public Integer microServiceEveryCall() {
        return microEveryCall.predict(features);
    }

    @Benchmark
    @Threads(2)
    public Integer trivialDirect2Threads() {
        return trivial.predict(features);
    }

    @Benchmark
    @Threads(2)
    public Integer trivialService2Threads() {
        return trivialService.predict(features);
    }

    @Benchmark
    @Threads(2)
    public Integer trivialServiceEveryCall2Threads() {
        return trivialEveryCall.predict(features);
    }

    @Benchmark
    @Threads(2)
    public Integer microDirect2Threads() {
        return micro.predict(features);
    }

    @Benchmark
    @Threads(2)
    public Integer microService2Threads() {
        return microService.predict(features);
    }

    /** An inference log that only counts: the cost measured is the service's, not a writer's. */
    static final class CountingLog implements InferenceLog {
        final LongAdder offered = new LongAdder();

        @Override
        public boolean offer(InferenceRecord record) {
            offered.increment();
            return true;
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public long written() {
            return offered.sum();
        }

        @Override
        public void close() {
        }
    }
}
