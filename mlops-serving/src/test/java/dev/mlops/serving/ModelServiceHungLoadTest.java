package dev.mlops.serving;

import dev.mlops.core.Mlops;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.ServiceEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Loads that do not return in time. The load timeouts here are only long enough for a normal
 * load of the fixture's tiny artifacts; the waits are liveness guards of 30 s, never timing
 * assertions.
 */
@DisplayName("A load that hangs")
class ModelServiceHungLoadTest {
    private static final ModelRef.Version V1 = ModelRef.version("rain", 1);
    private static final ModelRef.Version V2 = ModelRef.version("rain", 2);

    @Test
    @DisplayName("and ignores interrupts: the old version keeps serving, later attempts fail at stage timeout without"
            + " starting a thread, close() returns, and the model returned after close is closed unused")
    void ignoresInterrupts() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            CountDownLatch hang = new CountDownLatch(1);
            f.loadGates.put(2, hang);
            ServingService<Integer, Integer> svc = (ServingService<Integer, Integer>) f
                    .serve(ServingFixture.production(), f.loader()).name("hung-load")
                    .pollInterval(Duration.ofDays(1)).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
                    .loadTimeout(Duration.ofSeconds(2)).warmUp(List.of(ServingFixture.WARM_UP)).build();
            Path cache = svc.artifactCacheRoot();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            f.mlops.models().setAlias("rain", "production", 2);

            List<ServiceEvent> failed = events.await(e -> e instanceof ServiceEvent.LoadFailed, 3);
            ServiceEvent.LoadFailed first = (ServiceEvent.LoadFailed) failed.get(0);
            assertThat(first.version()).isEqualTo(V2);
            assertThat(first.stage()).isEqualTo("timeout");
            assertThat(first.attempt()).isEqualTo(1);
            assertThat(first.message()).contains("rain/2").contains("did not finish within PT2S");
            for (ServiceEvent e : failed.subList(1, 3)) {
                assertThat(e).isInstanceOfSatisfying(ServiceEvent.LoadFailed.class, later -> {
                    assertThat(later.stage()).isEqualTo("timeout");
                    assertThat(later.message()).contains("has not returned");
                });
            }
            ServingFixture.awaitTrue(() -> f.ignoredInterrupts.sum() > 0, "the hung loader was interrupted");
            assertThat(f.loaderCalls.sum()).as("version 1 at build, version 2 once: retries start no load").isEqualTo(2);
            assertThat(ModelServiceHotSwapTest.serviceThreads("hung-load")).extracting(Thread::getName)
                    .containsOnlyOnce("mlops-serve-hung-load-load");
            for (int i = 0; i < 1_000; i++) {
                assertThat(svc.predict(i)).isEqualTo(1);
            }
            assertThat(svc.refresh()).as("refresh fails at once while the load hangs").isEqualTo(V1);
            assertThat(svc.currentVersion()).isEqualTo(V1);

            Thread closing = new Thread(svc::close);
            closing.start();
            closing.join(30_000);
            assertThat(closing.isAlive()).as("close() returned while the loader hangs").isFalse();
            assertThatThrownBy(() -> svc.predict(0)).isInstanceOf(IllegalStateException.class);
            assertThat(f.modelsOf(1)).singleElement().satisfies(m -> assertThat(m.isClosed()).isTrue());
            Thread hung = null;
            for (Thread t : ModelServiceHotSwapTest.serviceThreads("hung-load")) {
                if (t.getName().equals("mlops-serve-hung-load-load")) {
                    hung = t;
                } else {
                    t.join(30_000);
                    assertThat(t.isAlive()).as(t.getName() + " still running").isFalse();
                }
            }
            assertThat(hung).as("the hung load's thread is left").isNotNull();
            assertThat(hung.isAlive()).isTrue();
            assertThat(hung.isDaemon()).isTrue();
            assertThat(cache).as("kept while the hung load holds its export").isDirectory();

            hang.countDown();
            hung.join(30_000);
            assertThat(hung.isAlive()).isFalse();
            assertThat(f.modelsOf(2)).singleElement().satisfies(late -> {
                assertThat(late.isClosed()).isTrue();
                assertThat(late.calls.get()).as("calls on the model loaded after close, warm-up included").isZero();
            });
            assertThat(f.closed.get()).isEqualTo(f.loaded.get()).isEqualTo(2);
            assertThat(cache).as("deleted once the late load released its export").doesNotExist();
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("and honours interrupts: it fails at stage timeout, and the retry after the back-off swaps")
    void timesOutThenRetrySwaps() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelLoader<Integer, Integer> fixture = f.loader();
            AtomicInteger loadsOf2 = new AtomicInteger();
            ModelLoader<Integer, Integer> loader = ctx -> {
                if (ctx.version().number() == 2 && loadsOf2.incrementAndGet() == 1) {
                    new CountDownLatch(1).await(); // hangs until interrupted
                }
                return fixture.load(ctx);
            };
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), loader)
                    .pollInterval(Duration.ofDays(1)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(8))
                    .loadTimeout(Duration.ofSeconds(2)).build();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            f.mlops.models().setAlias("rain", "production", 2);

            ServiceEvent.LoadFailed timeout = (ServiceEvent.LoadFailed) events
                    .await(e -> e instanceof ServiceEvent.LoadFailed, 1).get(0);
            assertThat(timeout.version()).isEqualTo(V2);
            assertThat(timeout.stage()).isEqualTo("timeout");
            assertThat(timeout.attempt()).isEqualTo(1);
            assertThat(timeout.retryIn()).isEqualTo(Duration.ofMillis(1));
            assertThat(timeout.message()).contains("did not finish within PT2S");
            events.await(e -> e instanceof ServiceEvent.Swapped s && s.to().equals(V2), 1);
            assertThat(svc.predict(0)).isEqualTo(2);
            assertThat(loadsOf2.get()).isGreaterThanOrEqualTo(2);
            svc.close();
            assertThat(f.closed.get()).isEqualTo(f.loaded.get()).isEqualTo(2);
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("while refresh() waits for it: close() returns, refresh() reports the close, and the model loaded"
            + " afterwards is closed exactly once and never called")
    void closedDuringRefresh() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            CountDownLatch hang = new CountDownLatch(1);
            f.loadGates.put(2, hang);
            ServingService<Integer, Integer> svc = (ServingService<Integer, Integer>) f
                    .serve(ServingFixture.production(), f.loader()).name("closed-in-refresh")
                    .pollInterval(Duration.ofDays(1)).warmUp(List.of(ServingFixture.WARM_UP)).build();
            Path cache = svc.artifactCacheRoot();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            // only the explicit refresh loads version 2
            Mlops otherProcess = f.otherProcess();
            otherProcess.models().setAlias("rain", "production", 2);
            AtomicReference<Throwable> refreshed = new AtomicReference<>();
            Thread refresher = new Thread(() -> {
                try {
                    refreshed.set(new AssertionError("refresh returned " + svc.refresh()));
                } catch (Throwable e) {
                    refreshed.set(e);
                }
            });
            refresher.start();
            ServingFixture.awaitTrue(() -> f.loaderCalls.sum() == 2, "the load of version 2 has started");

            Thread closing = new Thread(svc::close);
            closing.start();
            closing.join(30_000);
            assertThat(closing.isAlive()).as("close() returned while a load hangs").isFalse();
            refresher.join(30_000);
            assertThat(refresher.isAlive()).as("refresh() returned").isFalse();
            assertThat(refreshed.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed during refresh");
            assertThat(events.all).as("a load abandoned by close() is no failure").isEmpty();

            hang.countDown();
            for (Thread t : ModelServiceHotSwapTest.serviceThreads("closed-in-refresh")) {
                t.join(30_000);
                assertThat(t.isAlive()).as(t.getName() + " still running").isFalse();
            }
            assertThat(f.modelsOf(2)).singleElement().satisfies(late -> {
                assertThat(late.isClosed()).isTrue();
                assertThat(late.calls.get()).isZero();
            });
            assertThat(f.closed.get()).isEqualTo(f.loaded.get()).isEqualTo(2);
            assertThat(svc.metrics().version(V2)).as("a version that never served has no metrics").isEmpty();
            assertThat(cache).doesNotExist();
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("at build() fails it at stage timeout, and leaves no thread behind once the loader returns")
    void atBuild() throws Exception {
        try (ServingFixture f = new ServingFixture(1)) {
            ModelLoader<Integer, Integer> hangs = ctx -> {
                new CountDownLatch(1).await(); // until interrupted
                throw new AssertionError("unreachable");
            };
            assertThatThrownBy(() -> f.serve(ModelRef.version("rain", 1), hangs).name("hung-build")
                    .loadTimeout(Duration.ofMillis(200)).build())
                    .isInstanceOf(MlopsException.class)
                    .hasMessageContaining("hung-build").hasMessageContaining("rain/1").hasMessageContaining("failed at timeout");
            for (Thread t : ModelServiceHotSwapTest.serviceThreads("hung-build")) {
                t.join(30_000);
                assertThat(t.isAlive()).as(t.getName() + " still running").isFalse();
            }
            assertThat(f.source.open()).isZero();
        }
    }
}
