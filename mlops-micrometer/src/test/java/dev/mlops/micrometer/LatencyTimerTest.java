package dev.mlops.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelService;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.serving.ModelServiceBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@value ModelServiceMetrics#LATENCY} timer: fed per call by the service's latency hook, with
 * percentiles over a decaying window. The window turns on Micrometer's {@link MockClock}, so
 * nothing here sleeps; a slow call is a model that spins until {@link #SLOW_NANOS} have passed
 * by {@code System.nanoTime()}, which bounds its latency from below, never from above.
 */
@DisplayName("The model latency timer")
class LatencyTimerTest {
    /** A call with this input spins at least this long. */
    static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final int SLOW = -1;
    static final Duration EXPIRY = Duration.ofSeconds(30);

    Mlops mlops;
    MockClock clock;
    SimpleMeterRegistry registry;
    ModelService<Integer, Integer> service;

    @BeforeEach
    void setUp() {
        mlops = Mlops.builder().store(new InMemoryStore()).build();
        mlops.models().register("rain", NewModelVersion.builder()
                .artifact(Artifact.bytes("model.txt", "v1".getBytes(StandardCharsets.UTF_8))).build());
        mlops.models().setAlias("rain", "production", 1);
        clock = new MockClock();
        registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        service = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"), ctx -> Model.<Integer, Integer>of(in -> {
            if (in == SLOW) {
                long end = System.nanoTime() + SLOW_NANOS;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
            }
            if (in == Integer.MIN_VALUE) {
                throw new IllegalArgumentException("no answer for MIN_VALUE");
            }
            return in;
        })).name("rain-svc").build();
    }

    @AfterEach
    void tearDown() {
        service.close();
        mlops.close();
    }

    Timer timer(String outcome) {
        Timer t = registry.find(ModelServiceMetrics.LATENCY)
                .tags("service", "rain-svc", "model", "rain", "version", "1", "outcome", outcome).timer();
        assertThat(t).as("timer %s in %s", outcome, registry.getMetersAsString()).isNotNull();
        return t;
    }

    static double percentile(Timer t, double p) {
        for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
            if (v.percentile() == p) {
                return v.value(TimeUnit.NANOSECONDS);
            }
        }
        throw new AssertionError("timer publishes no p" + p);
    }

    @Test
    @DisplayName("times every call by default, and the service's sample with latencySampling(16), the calls counter counting all")
    void sampledWhenSamplingIsSet() {
        try (ModelService<Integer, Integer> sampled = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"),
                ctx -> Model.<Integer, Integer>of(in -> in)).name("rain-sampled").latencySampling(16).build()) {
            ModelServiceMetrics.bind(sampled, registry);
            for (int i = 0; i < 1_600; i++) {
                sampled.predict(i);
            }
            Timer t = registry.find(ModelServiceMetrics.LATENCY)
                    .tags("service", "rain-sampled", "version", "1", "outcome", "success").timer();
            assertThat(t).isNotNull();
            assertThat(t.count()).as("one thread: exactly one call in 16").isEqualTo(100);
            assertThat(registry.find(ModelServiceMetrics.CALLS).tags("service", "rain-sampled", "version", "1")
                    .functionCounter().count()).isEqualTo(1_600.0);
        }
    }

    @Test
    @DisplayName("shows a latency regression after many fast calls in p99 within one expiry, then forgets it")
    void regressionMovesP99WithinTheExpiry() {
        ModelServiceMetrics.builder(service).distributionStatisticExpiry(EXPIRY).distributionStatisticBufferLength(3)
                .build().bindTo(registry);
        Timer t = timer("success");
        for (int i = 0; i < 20_000; i++) {
            service.predict(i);
        }
        assertThat(t.count()).isEqualTo(20_000);
        // a day of fast calls would weigh the same in a lifetime percentile: 20 slow calls are 0.1 % of them.
        // The window only holds calls of the last expiry: once it has passed, the fast ones are out of it.
        clock.add(EXPIRY);
        for (int i = 0; i < 20; i++) {
            service.predict(SLOW);
        }
        assertThat(t.count()).as("the count is cumulative").isEqualTo(20_020);
        assertThat(percentile(t, 0.99)).as("p99 within the expiry of the regression").isGreaterThanOrEqualTo(SLOW_NANOS / 2.0);
        assertThat(percentile(t, 0.5)).as("p50: every call in the window is slow").isGreaterThanOrEqualTo(SLOW_NANOS / 2.0);
        assertThat(t.max(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(SLOW_NANOS);
        assertThat(service.metrics().version(ModelRef.version("rain", 1)).orElseThrow().latency().count())
                .as("the service's lifetime histogram saw the same calls").isEqualTo(20_020);

        // nothing recorded for a whole expiry: the window is empty again
        clock.add(EXPIRY);
        assertThat(percentile(t, 0.99)).isZero();
        assertThat(percentile(t, 0.5)).isZero();
    }

    @Test
    @DisplayName("publishes p50, p95 and p99 by default, the histogram when asked, and times failed calls apart")
    void defaultsAndOptions() {
        ModelServiceMetrics.bind(service, registry);
        service.predict(1);
        HistogramSnapshot s = timer("success").takeSnapshot();
        assertThat(s.percentileValues()).extracting(ValueAtPercentile::percentile).containsExactly(0.5, 0.95, 0.99);
        assertThat(s.histogramCounts()).as("no buckets unless asked").isEmpty();
        assertThat(registry.find(ModelServiceMetrics.LATENCY + ".histogram").meters()).isEmpty();
        assertThatThrownBy(() -> service.predict(Integer.MIN_VALUE)).hasMessageContaining("MIN_VALUE");
        assertThat(timer("error").count()).isOne();
        assertThat(timer("success").count()).isOne();

        SimpleMeterRegistry second = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        // a filter sees the configuration the binder gave each meter (SimpleMeterRegistry draws no buckets itself)
        Map<String, DistributionStatisticConfig> configs = new HashMap<>();
        second.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                configs.put(id.getName() + " " + id.getTag("outcome"), config);
                return config;
            }
        });
        ModelServiceMetrics binder = ModelServiceMetrics.builder(service).percentiles(0.9).percentileHistogram(true)
                .distributionStatisticExpiry(Duration.ofMinutes(5)).distributionStatisticBufferLength(5).build();
        binder.bindTo(second);
        service.predict(2);
        Timer t2 = second.find(ModelServiceMetrics.LATENCY).tags("version", "1", "outcome", "success").timer();
        assertThat(t2).isNotNull();
        assertThat(t2.count()).as("only calls after it was bound").isOne();
        assertThat(t2.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile).containsExactly(0.9);
        DistributionStatisticConfig c = configs.get(ModelServiceMetrics.LATENCY + " success");
        assertThat(c).isNotNull();
        assertThat(c.isPercentileHistogram()).isTrue();
        assertThat(c.getExpiry()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.getBufferLength()).isEqualTo(5);
        binder.close();
        service.predict(3);
        assertThat(t2.count()).as("a closed binder records nothing").isOne();
        assertThat(timer("success").count()).as("the other binder still records").isEqualTo(3);
    }

    @Test
    @DisplayName("refuses options that make no window, naming the value")
    void badOptions() {
        ModelServiceMetrics.Builder b = ModelServiceMetrics.builder(service);
        assertThatThrownBy(() -> b.percentiles(0.5, 99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("percentile 99.0 is not in [0, 1]");
        assertThatThrownBy(() -> b.percentiles(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> b.distributionStatisticExpiry(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> b.distributionStatisticBufferLength(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
