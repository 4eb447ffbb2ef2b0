package dev.mlops.micrometer;

import dev.mlops.serving.ModelServiceBuilder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ModelService binder against a real service from mlops-core, read through a SimpleMeterRegistry. */
class ModelServiceMetricsTest {

    Mlops mlops;
    SimpleMeterRegistry registry;

    @BeforeEach
    void setUp() {
        mlops = Mlops.builder().store(new InMemoryStore()).build();
        for (int v = 1; v <= 3; v++) {
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.txt", ("v" + v).getBytes(StandardCharsets.UTF_8))).build());
        }
        mlops.models().setAlias("rain", "production", 1);
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void tearDown() {
        mlops.close();
    }

    /** Version v answers input * v and throws for negative inputs. */
    static ModelLoader<Integer, Integer> loader() {
        return ctx -> {
            int v = ctx.version().number();
            return Model.of(in -> {
                if (in < 0) {
                    throw new IllegalArgumentException("negative input " + in);
                }
                return in * v;
            });
        };
    }

    ModelService<Integer, Integer> service() {
        return ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"), loader())
                .name("rain-svc")
                .fallback(in -> 0)
                .shadow(ModelRef.version("rain", 3), 1.0)
                .shadowExecutor(Runnable::run) // shadow calls finish before predict returns: deterministic counts
                .monitor(in -> {
                    if (in == 13) {
                        throw new IllegalStateException("observer fails on 13");
                    }
                }, 1.0)
                .feedbackWindow(1000)
                .build();
    }

    static Tags versionTags(int version) {
        return Tags.of("service", "rain-svc", "model", "rain", "version", Integer.toString(version));
    }

    double counter(String name, Tags tags) {
        FunctionCounter c = registry.find(name).tags(tags).functionCounter();
        assertThat(c).as("%s %s in %s", name, tags, registry.getMetersAsString()).isNotNull();
        return c.count();
    }

    double gauge(String name, Tags tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        assertThat(g).as("%s %s", name, tags).isNotNull();
        return g.value();
    }

    Timer timer(Tags tags) {
        Timer t = registry.find(ModelServiceMetrics.LATENCY).tags(tags).timer();
        assertThat(t).as("%s %s in %s", ModelServiceMetrics.LATENCY, tags, registry.getMetersAsString()).isNotNull();
        return t;
    }

    void traffic(ModelService<Integer, Integer> svc, int from, int to) {
        for (int i = from; i < to; i++) {
            int input = i % 10 == 9 ? -i : i; // every tenth call throws and falls back
            Prediction<Integer> p = svc.predictDetailed(input);
            if (i % 3 == 0) {
                svc.feedback(p.predictionId(), p.output() + (i % 2)); // error 0 or 1
            }
        }
    }

    void assertMatchesSnapshot(ServiceMetrics snap, VersionMetrics vm) {
        Tags t = versionTags(vm.version().number());
        assertThat(counter(ModelServiceMetrics.CALLS, t.and("route", "live"))).isEqualTo(vm.calls());
        assertThat(counter(ModelServiceMetrics.CALLS, t.and("route", "shadow"))).isEqualTo(vm.shadowCalls());
        assertThat(counter(ModelServiceMetrics.ERRORS, t.and("route", "live"))).isEqualTo(vm.errors());
        assertThat(counter(ModelServiceMetrics.ERRORS, t.and("route", "shadow"))).isEqualTo(vm.shadowErrors());
        assertThat(counter(ModelServiceMetrics.FALLBACKS, t)).isEqualTo(vm.fallbacks());
        assertThat(counter(ModelServiceMetrics.SHADOW_AGREEMENTS, t)).isEqualTo(vm.shadowAgreements());
        assertThat(counter(ModelServiceMetrics.FEEDBACK, t)).isEqualTo(vm.feedbackCount());
        // boxed: NaN (no feedback, no shadow answer yet) equals NaN
        assertThat(Double.valueOf(gauge(ModelServiceMetrics.LIVE_ERROR, t))).isEqualTo(Double.valueOf(vm.meanLiveError().orElse(Double.NaN)));
        assertThat(Double.valueOf(gauge(ModelServiceMetrics.SHADOW_AGREEMENT, t)))
                .isEqualTo(Double.valueOf(vm.shadowAgreementRate().orElse(Double.NaN)));
        // the timer times the calls the service's histogram counts (single inputs here), and the failed ones
        assertThat(timer(t.and("outcome", "success")).count()).isEqualTo(vm.latency().count());
        assertThat(timer(t.and("outcome", "error")).count()).isEqualTo(vm.errors());
        if (vm.latency().count() > 0) {
            assertThat(timer(t.and("outcome", "success")).totalTime(TimeUnit.NANOSECONDS)).isPositive();
        }
        Tags s = Tags.of("service", "rain-svc", "model", "rain");
        assertThat(counter(ModelServiceMetrics.SHADOW_DROPPED, s)).isEqualTo(snap.shadowDropped());
        assertThat(counter(ModelServiceMetrics.LOG_DROPPED, s)).isEqualTo(snap.logDropped());
        assertThat(counter(ModelServiceMetrics.OBSERVER_ERRORS, s)).isEqualTo(snap.observerErrors());
    }

    @Test
    void metersEqualTheSnapshotAfterTraffic() {
        try (ModelService<Integer, Integer> svc = service()) {
            ModelServiceMetrics binder = ModelServiceMetrics.bind(svc, registry);
            traffic(svc, 0, 200);
            ServiceMetrics snap = svc.metrics();
            VersionMetrics v1 = snap.version(ModelRef.version("rain", 1)).orElseThrow();
            VersionMetrics v3 = snap.version(ModelRef.version("rain", 3)).orElseThrow();
            // the traffic did what the test means, so the comparisons below are not all zeros
            assertThat(v1.calls()).isEqualTo(200);
            assertThat(v1.errors()).isEqualTo(20);
            assertThat(v1.fallbacks()).isEqualTo(20);
            assertThat(v1.feedbackCount()).isPositive();
            assertThat(v1.latency().count()).isEqualTo(180);
            assertThat(v3.shadowCalls()).isEqualTo(180); // successful requests are mirrored
            assertThat(v3.shadowAgreements()).isEqualTo(1); // input 0 only: 0 * 1 == 0 * 3
            assertThat(snap.observerErrors()).isEqualTo(1);

            assertMatchesSnapshot(snap, v1);
            assertMatchesSnapshot(snap, v3);
            assertThat(counter(ModelServiceMetrics.CALLS, versionTags(1).and("route", "live"))).isEqualTo(200);
            assertThat(gauge(ModelServiceMetrics.LIVE_ERROR, versionTags(1))).isBetween(0.0, 1.0);
            assertThat(gauge(ModelServiceMetrics.SERVING, versionTags(1))).isEqualTo(1);
            assertThat(gauge(ModelServiceMetrics.SERVING, versionTags(3))).isZero();
            assertThat(binder.versions()).containsExactlyInAnyOrder(ModelRef.version("rain", 1), ModelRef.version("rain", 3));

            // counters keep following: more traffic, read again
            traffic(svc, 200, 260);
            assertMatchesSnapshot(svc.metrics(), svc.metrics().version(ModelRef.version("rain", 1)).orElseThrow());
            assertThat(counter(ModelServiceMetrics.CALLS, versionTags(1).and("route", "live"))).isEqualTo(260);
        }
    }

    @Test
    void aNewVersionAppearsAsNewTaggedMetersWhenTheAliasMoves() {
        try (ModelService<Integer, Integer> svc = service()) {
            ModelServiceMetrics.bind(svc, registry);
            traffic(svc, 0, 50);
            assertThat(registry.find(ModelServiceMetrics.CALLS).tag("version", "2").functionCounters()).isEmpty();

            mlops.models().setAlias("rain", "production", 2);
            assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", 2));
            // the swap event registered version 2 before any call reached it
            assertThat(counter(ModelServiceMetrics.CALLS, versionTags(2).and("route", "live"))).isZero();
            assertThat(timer(versionTags(2).and("outcome", "success")).count()).isZero();
            traffic(svc, 50, 120);

            ServiceMetrics snap = svc.metrics();
            VersionMetrics v2 = snap.version(ModelRef.version("rain", 2)).orElseThrow();
            assertThat(v2.calls()).isEqualTo(70);
            assertMatchesSnapshot(snap, v2);
            assertMatchesSnapshot(snap, snap.version(ModelRef.version("rain", 1)).orElseThrow());
            assertThat(counter(ModelServiceMetrics.CALLS, versionTags(1).and("route", "live"))).as("old version stops growing")
                    .isEqualTo(50);
            assertThat(gauge(ModelServiceMetrics.SERVING, versionTags(1))).isZero();
            assertThat(gauge(ModelServiceMetrics.SERVING, versionTags(2))).isEqualTo(1);
            List<String> versions = registry.find(ModelServiceMetrics.CALLS).tag("route", "live").functionCounters().stream()
                    .map(c -> c.getId().getTag("version")).sorted().toList();
            assertThat(versions).containsExactly("1", "2", "3");
        }
    }

    @Test
    void aSecondRegistryGetsEveryKnownVersionAndExtraTagsAreKept() {
        try (ModelService<Integer, Integer> svc = service()) {
            ModelServiceMetrics binder = new ModelServiceMetrics(svc, Tags.of("app", "weather-api"));
            binder.bindTo(registry);
            traffic(svc, 0, 20);
            SimpleMeterRegistry second = new SimpleMeterRegistry();
            binder.bindTo(second);
            FunctionCounter c = second.find(ModelServiceMetrics.CALLS).tags("app", "weather-api", "version", "1", "route", "live")
                    .functionCounter();
            assertThat(c).isNotNull();
            assertThat(c.count()).isEqualTo(20);
            binder.close();
            mlops.models().setAlias("rain", "production", 2);
            svc.refresh();
            assertThat(second.find(ModelServiceMetrics.CALLS).tag("version", "2").meters())
                    .as("after close() swaps are no longer heard").isEmpty();
            binder.refresh();
            assertThat(second.find(ModelServiceMetrics.CALLS).tag("version", "2").meters()).hasSize(2);
        }
    }

    @Test
    void everyMeterHasADescriptionAndConventionalName() {
        try (ModelService<Integer, Integer> svc = service()) {
            ModelServiceMetrics.bind(svc, registry);
            for (Meter m : registry.getMeters()) {
                assertThat(m.getId().getName()).startsWith("mlops.model.").matches("[a-z.]+");
                if (!m.getId().getName().equals(ModelServiceMetrics.LATENCY + ".percentile")) {
                    // the timer's percentile gauges are Micrometer's own, named and described by it
                    assertThat(m.getId().getDescription()).as(m.getId().toString()).isNotBlank();
                }
            }
            assertThat(registry.getMeters().stream().map(m -> m.getId().getName())
                    .filter(n -> !n.equals(ModelServiceMetrics.LATENCY + ".percentile")).distinct()).containsExactlyInAnyOrder(
                    ModelServiceMetrics.CALLS, ModelServiceMetrics.ERRORS, ModelServiceMetrics.FALLBACKS, ModelServiceMetrics.LATENCY,
                    ModelServiceMetrics.SHADOW_AGREEMENTS, ModelServiceMetrics.SHADOW_AGREEMENT,
                    ModelServiceMetrics.FEEDBACK, ModelServiceMetrics.LIVE_ERROR, ModelServiceMetrics.SERVING,
                    ModelServiceMetrics.SHADOW_DROPPED, ModelServiceMetrics.LOG_DROPPED, ModelServiceMetrics.OBSERVER_ERRORS);
        }
    }
}
