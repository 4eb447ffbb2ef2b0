package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.ServiceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A version that fails to load or warm up")
class ModelServiceLoadFailureTest {

    @Test
    @DisplayName("whose loader throws never serves: the old version answers, LoadFailed events count attempts"
            + " with doubling back-off, and it serves once it loads")
    void loaderThrows() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            f.failLoad.add(2);
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(8)).build();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            f.mlops.models().setAlias("rain", "production", 2);
            // the notice and then the back-off schedule retry on the worker, without any request
            List<ServiceEvent> failed = events.await(e -> e instanceof ServiceEvent.LoadFailed, 6);
            for (int i = 0; i < 1_000; i++) {
                assertThat(svc.predict(i)).isEqualTo(1);
            }
            assertThat(svc.currentVersion()).isEqualTo(ModelRef.version("rain", 1));
            long[] expectedMillis = {1, 2, 4, 8, 8, 8};
            for (int i = 0; i < 6; i++) {
                ServiceEvent.LoadFailed e = (ServiceEvent.LoadFailed) failed.get(i);
                assertThat(e.version()).isEqualTo(ModelRef.version("rain", 2));
                assertThat(e.stage()).isEqualTo("load");
                assertThat(e.message()).contains("loader refuses version 2");
                assertThat(e.attempt()).isEqualTo(i + 1);
                assertThat(e.retryIn()).isEqualTo(Duration.ofMillis(expectedMillis[i]));
            }
            assertThat(f.servedBy(2)).isZero();
            assertThat(svc.metrics().version(ModelRef.version("rain", 2))).isEmpty();

            f.failLoad.remove(2);
            events.await(e -> e instanceof ServiceEvent.Swapped s && s.to().number() == 2, 1);
            assertThat(svc.predict(0)).isEqualTo(2);
            svc.close();
            assertThat(f.closed.get()).isEqualTo(f.loaded.get());
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("whose warm-up fails never serves, is closed, and is reported at stage warm-up")
    void warmUpFails() throws Exception {
        try (ServingFixture f = new ServingFixture(3)) {
            f.failWarmUp.add(3);
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).warmUp(List.of(ServingFixture.WARM_UP)).build();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            f.mlops.models().setAlias("rain", "production", 3);
            assertThat(svc.refresh()).as("explicit refresh keeps the old version").isEqualTo(ModelRef.version("rain", 1));
            for (int i = 0; i < 1_000; i++) {
                assertThat(svc.predict(i)).isEqualTo(1);
            }
            List<ServiceEvent> failed = events.await(e -> e instanceof ServiceEvent.LoadFailed, 1);
            ServiceEvent.LoadFailed e = (ServiceEvent.LoadFailed) failed.get(0);
            assertThat(e.version()).isEqualTo(ModelRef.version("rain", 3));
            assertThat(e.stage()).isEqualTo("warm-up");
            assertThat(e.message()).contains("fails its warm-up");
            assertThat(f.servedBy(3)).isZero();
            assertThat(f.models).filteredOn(m -> m.version == 3).isNotEmpty().allMatch(ServingFixture.TrackingModel::isClosed);
            assertThat(events.all).noneMatch(x -> x instanceof ServiceEvent.Swapped);

            // a good version after the failing one swaps in at once: back-off is per version
            f.mlops.models().setAlias("rain", "production", 2);
            assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", 2));
            svc.close();
            f.assertNoMisuse();
            assertThat(f.closed.get()).isEqualTo(f.loaded.get());
        }
    }

    @Test
    @DisplayName("at build() throws naming the version and stage, and leaves no thread, model or directory behind")
    void failsAtBuild(@TempDir Path cache) throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            f.mlops.models().setAlias("rain", "production", 2);
            f.failWarmUp.add(2);
            assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader()).name("fails-at-build")
                    .artifactCache(cache).warmUp(List.of(ServingFixture.WARM_UP)).build())
                    .isInstanceOf(MlopsException.class)
                    .hasMessageContaining("rain/2").hasMessageContaining("warm-up").hasMessageContaining("fails-at-build");
            f.failWarmUp.clear();
            f.failLoad.add(1);
            assertThatThrownBy(() -> f.serve(ModelRef.version("rain", 2), f.loader()).name("fails-at-build")
                    .artifactCache(cache).fallback(ModelRef.version("rain", 1)).build())
                    .isInstanceOf(MlopsException.class)
                    .hasMessageContaining("fallback version rain/1 failed at load");
            assertThatThrownBy(() -> f.serve(ModelRef.parse("rain@staging"), f.loader()).build())
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("staging");
            assertThat(ModelServiceHotSwapTest.serviceThreads("fails-at-build")).allMatch(t -> !t.isAlive());
            assertThat(f.closed.get()).isEqualTo(f.loaded.get());
            assertThat(f.source.open()).isZero();
            try (Stream<Path> left = Files.list(cache)) {
                assertThat(left).isEmpty();
            }
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("keeps serving when its alias is removed, and follows it again when it is set")
    void aliasRemoved() {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).build();
            f.mlops.models().removeAlias("rain", "production");
            assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", 1));
            assertThat(svc.predict(0)).isEqualTo(1);
            f.mlops.models().setAlias("rain", "production", 2);
            assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", 2));
            svc.close();
        }
    }

    @Test
    @DisplayName("backs off exponentially up to the maximum without overflow")
    void backoffArithmetic() {
        try (ServingFixture f = new ServingFixture(1)) {
            ServingService<Integer, Integer> svc = (ServingService<Integer, Integer>) f
                    .serve(ModelRef.version("rain", 1), f.loader())
                    .retryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5)).build();
            assertThat(svc.backoffNanos(1)).isEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(svc.backoffNanos(2)).isEqualTo(Duration.ofSeconds(2).toNanos());
            assertThat(svc.backoffNanos(9)).isEqualTo(Duration.ofSeconds(256).toNanos());
            assertThat(svc.backoffNanos(10)).isEqualTo(Duration.ofMinutes(5).toNanos());
            assertThat(svc.backoffNanos(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5).toNanos());
            svc.close();
        }
    }
}
