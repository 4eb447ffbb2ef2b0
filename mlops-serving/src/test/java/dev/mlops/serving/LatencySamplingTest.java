package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.PredictionException;
import dev.mlops.api.serving.VersionMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Latency sampling of a model service")
class LatencySamplingTest {
    private static final ModelRef.Version V1 = ModelRef.version("rain", 1);

    @Test
    @DisplayName("times one call in 16 by default, the first included, and keeps every count exact")
    void defaultSample() {
        // one thread, one counter cell: calls 1, 17, 33 and 49 are timed. The model is slow on
        // exactly those inputs, so the histogram's median says which calls it saw.
        try (ServingFixture f = new ServingFixture(1);
             ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(),
                     ctx -> Model.<Integer, Integer>of(in -> {
                         if (in % 16 == 0) {
                             spin(2_000_000L);
                         }
                         return in;
                     })).pollInterval(Duration.ofDays(1)).build()) {
            for (int i = 0; i < 64; i++) {
                svc.predict(i);
            }
            VersionMetrics m = svc.metrics().version(V1).orElseThrow();
            assertThat(m.calls()).isEqualTo(64);
            assertThat(m.latency().count()).as("successful calls, every one counted").isEqualTo(64);
            assertThat(m.latency().p50Nanos()).as("the timed calls are the slow ones").isGreaterThanOrEqualTo(1_500_000L);
        }
    }

    @Test
    @DisplayName("by default a subscribed listener hears every call, batches included, with exact counts")
    void listenersHearEveryCallByDefault() {
        try (ServingFixture f = new ServingFixture(1);
             ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                     .pollInterval(Duration.ofDays(1)).build()) {
            for (int i = 0; i < 10; i++) {
                svc.predict(i);
            }
            LatencyListenerTest.Recorder r = new LatencyListenerTest.Recorder();
            svc.onLatency(r);
            for (int i = 0; i < 64; i++) {
                svc.predict(i);
            }
            VersionMetrics m = svc.metrics().version(V1).orElseThrow();
            assertThat(r.calls).as("every call after subscribing").hasSize(64);
            assertThat(m.latency().count()).isEqualTo(74);
            assertThat(m.latency().maxNanos()).isGreaterThanOrEqualTo(r.calls.stream()
                    .mapToLong(LatencyListenerTest.Timed::nanos).max().orElseThrow());
            svc.predictAll(List.of(1, 2, 3));
            assertThat(r.calls).as("a batch is one call").hasSize(65);
            assertThat(svc.metrics().version(V1).orElseThrow().latency().count()).isEqualTo(77);
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    @DisplayName("with latencySampling(n) times one call in n; with 1, every call")
    void configured() {
        for (int every : new int[] {1, 4, 64}) {
            try (ServingFixture f = new ServingFixture(1);
                 ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                         .pollInterval(Duration.ofDays(1)).latencySampling(every).build()) {
                LatencyListenerTest.Recorder r = new LatencyListenerTest.Recorder();
                svc.onLatency(r);
                for (int i = 0; i < 128; i++) {
                    svc.predict(i);
                }
                assertThat(r.calls).as("every %d", every).hasSize(128 / every);
                assertThat(svc.metrics().version(V1).orElseThrow().latency().count()).isEqualTo(128);
            }
        }
    }

    @Test
    @DisplayName("a stage that does not read latency (an output monitor) leaves calls sampled")
    void outputMonitorDoesNotTimeEveryCall() {
        try (ServingFixture f = new ServingFixture(1)) {
            java.util.concurrent.atomic.AtomicInteger observed = new java.util.concurrent.atomic.AtomicInteger();
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).latencySampling(4)
                    .monitorOutputs((in, out) -> observed.incrementAndGet(), 1.0).build()) {
                LatencyListenerTest.Recorder r = new LatencyListenerTest.Recorder();
                svc.onLatency(r);
                for (int i = 0; i < 128; i++) {
                    svc.predict(i);
                }
                assertThat(observed.get()).isEqualTo(128);
                assertThat(r.calls).hasSize(32);
            }
        }
    }

    @Test
    @DisplayName("counts failed calls exactly whether or not they were timed")
    void failuresCountedExactly() {
        try (ServingFixture f = new ServingFixture(1)) {
            f.failPredict.add(1);
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).build()) {
                LatencyListenerTest.Recorder r = new LatencyListenerTest.Recorder();
                svc.onLatency(r);
                for (int i = 0; i < 20; i++) {
                    assertThatThrownBy(() -> svc.predict(7)).isInstanceOf(PredictionException.class);
                }
                VersionMetrics m = svc.metrics().version(V1).orElseThrow();
                assertThat(m.errors()).isEqualTo(20);
                assertThat(m.calls()).isEqualTo(20);
                assertThat(m.latency().count()).isZero();
                // no success moves the cell's count, so every failed call is still the cell's "first"
                assertThat(r.calls).hasSize(20).allSatisfy(t -> assertThat(t.failed()).isTrue());
            }
        }
    }

    @Test
    @DisplayName("counts every call of many threads exactly")
    void threadsCountExactly() throws Exception {
        int threads = 4;
        int each = 5_000;
        try (ServingFixture f = new ServingFixture(1);
             ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                     .pollInterval(Duration.ofDays(1)).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            svc.predict(i);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> d : done) {
                    d.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            VersionMetrics m = svc.metrics().version(V1).orElseThrow();
            assertThat(m.calls()).isEqualTo((long) threads * each);
            assertThat(m.latency().count()).isEqualTo((long) threads * each);
        }
    }

    @Test
    @DisplayName("refuses a sampling that is not a power of two from 1 to 65,536, naming the value")
    void refusesBadSampling() {
        try (ServingFixture f = new ServingFixture(1)) {
            for (int bad : new int[] {0, -4, 3, 10, 1 << 17}) {
                assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader()).latencySampling(bad))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("power of two").hasMessageContaining("got " + bad);
            }
            assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader()).latencySampling(2)
                    .latencySampling(4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("latencySampling");
        }
    }
}
