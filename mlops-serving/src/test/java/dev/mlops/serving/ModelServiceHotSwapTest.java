package dev.mlops.serving;

import dev.mlops.core.Mlops;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.ServiceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Hot swap by alias")
class ModelServiceHotSwapTest {
    private static final int VERSIONS = 5;

    /**
     * The alias history as the mover records it, readable by request threads while it grows.
     * Sequence numbers: the mover writes a window's bounds first and then publishes the number
     * in {@code seq} (it is the only writer), so a request that read {@code seq == e} sees every
     * bound up to {@code e}. Version {@code target[i]} may serve from the start of move i (its
     * alias is set) to the end of move i+1 (the refresh that replaced it returned); an end not
     * yet written is {@code Long.MAX_VALUE}.
     */
    private static final class History {
        final AtomicLong seq = new AtomicLong();
        final AtomicIntegerArray target;
        final AtomicLongArray moveStart;
        final AtomicLongArray moveEnd;
        volatile int current;

        History(int moves, int initial) {
            target = new AtomicIntegerArray(moves + 2);
            moveStart = new AtomicLongArray(moves + 2);
            moveEnd = new AtomicLongArray(moves + 2);
            for (int i = 0; i < moves + 2; i++) {
                moveEnd.set(i, Long.MAX_VALUE);
            }
            target.set(0, initial);
        }

        void start(int move, int version) {
            long next = seq.get() + 1;
            target.set(move, version);
            moveStart.set(move, next);
            current = move;
            seq.set(next);
        }

        void end(int move) {
            long next = seq.get() + 1;
            moveEnd.set(move, next);
            seq.set(next);
        }

        /** @return whether {@code version} had a window overlapping [start, end] */
        boolean liveDuring(int version, long start, long end) {
            for (int i = current; i >= 0; i--) {
                if (moveEnd.get(i + 1) < start) {
                    return false; // every earlier window ended earlier still
                }
                if (moveStart.get(i) <= end && target.get(i) == version) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    @DisplayName("under 2 request threads, 1,000 alias moves fail no call, serve only versions live during the call,"
            + " and never call or close a model in use")
    void thousandMovesUnderLoad() throws Exception {
        int moves = 1_000;
        try (ServingFixture f = new ServingFixture(VERSIONS)) {
            ServingService<Integer, Integer> svc = (ServingService<Integer, Integer>) f
                    .serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofHours(1)).warmUp(List.of(ServingFixture.WARM_UP)).build();
            History h = new History(moves, 1);
            AtomicBoolean moverDone = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicLong checked = new AtomicLong();
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            List<Thread> requesters = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    long mine = 0;
                    int i = 0;
                    while (!moverDone.get() || mine < 2_000) {
                        long s = h.seq.get();
                        try {
                            Prediction<Integer> p = svc.predictDetailed(i++);
                            long e = h.seq.get();
                            int v = p.servedBy().number();
                            if (p.output() != v || !h.liveDuring(v, s, e)) {
                                wrong.add("version " + v + " answered " + p.output() + " between " + s + " and " + e);
                            }
                            seen.add(v);
                            mine++;
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                    checked.addAndGet(mine);
                }, "requester-" + t);
                th.start();
                requesters.add(th);
            }
            try {
                for (int i = 1; i <= moves; i++) {
                    int v = i % VERSIONS + 1;
                    h.start(i, v);
                    f.mlops.models().setAlias("rain", "production", v);
                    assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", v));
                    h.end(i);
                }
            } finally {
                moverDone.set(true);
            }
            for (Thread th : requesters) {
                th.join();
            }
            assertThat(failures).as("failed calls").isEmpty();
            assertThat(wrong).as("answers from a version not live during the call").isEmpty();
            assertThat(checked.get()).isGreaterThanOrEqualTo(4_000);
            assertThat(seen).as("versions seen by requests").hasSizeGreaterThan(1);
            System.out.println("hot swap under load: " + checked.get() + " calls checked over " + moves + " moves");
            f.assertNoMisuse();
            svc.awaitQueuedCloses();
            assertThat(f.loaded.get() - f.closed.get()).as("models open besides the live one").isEqualTo(1);
            svc.close();
            assertThat(f.closed.get()).isEqualTo(f.loaded.get());
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("the check of served versions rejects a version outside its window")
    void historyCheckCanFail() {
        History h = new History(3, 1);
        h.start(1, 2);
        h.end(1);      // seq 2: version 1 live until here
        h.start(2, 3); // seq 3
        h.end(2);      // seq 4: version 2 live until here
        assertThat(h.liveDuring(1, 0, 0)).isTrue();
        assertThat(h.liveDuring(1, 2, 2)).isTrue();
        assertThat(h.liveDuring(1, 3, 4)).as("version 1 ended at 2").isFalse();
        assertThat(h.liveDuring(2, 4, 4)).isTrue();
        assertThat(h.liveDuring(2, 5, 9)).isFalse();
        assertThat(h.liveDuring(3, 2, 2)).as("version 3 starts at 3").isFalse();
        assertThat(h.liveDuring(3, 3, 100)).isTrue();
        assertThat(h.liveDuring(4, 0, 100)).isFalse();
    }

    @Test
    @DisplayName("10,000 swaps under 2 request threads leak no thread, model, artifact directory or listener")
    void tenThousandSwapsLeakNothing() throws Exception {
        int swaps = 10_000;
        try (ServingFixture f = new ServingFixture(2)) {
            String store = f.store.describe();
            ModelVersion[] versions = {null, f.mlops.models().version("rain", 1), f.mlops.models().version("rain", 2)};
            AtomicInteger pointer = new AtomicInteger(1);
            VersionSource real = f.source;
            // resolution of the alias comes from memory: 10,000 real moves would grow the model document
            VersionSource fast = new VersionSource() {
                @Override
                public ModelVersion resolve(ModelRef ref) {
                    return ref instanceof ModelRef.Alias ? versions[pointer.get()] : real.resolve(ref);
                }

                @Override
                public void export(ModelVersion version, Path directory) {
                    real.export(version, directory);
                }

                @Override
                public dev.mlops.api.Subscription subscribe(String model, dev.mlops.api.AliasListener listener) {
                    return real.subscribe(model, listener);
                }
            };
            int threadsBefore = serviceThreads("leak-test").size();
            assertThat(threadsBefore).isZero();
            ServingService<Integer, Integer> svc = (ServingService<Integer, Integer>) f
                    .serve(ServingFixture.production(), f.loader()).name("leak-test").source(fast)
                    .pollInterval(Duration.ofHours(1)).build();
            Path cache = svc.artifactCacheRoot();
            assertThat(f.source.open()).isEqualTo(1);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong answered = new AtomicLong();
            List<Thread> requesters = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        try {
                            int out = svc.predict(i++);
                            assertThat(out).isBetween(1, 2);
                            answered.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                });
                th.start();
                requesters.add(th);
            }
            int maxOpen = 0;
            int maxDirs = 0;
            try {
                for (int i = 1; i <= swaps; i++) {
                    pointer.set(i % 2 + 1);
                    assertThat(svc.refresh().number()).isEqualTo(i % 2 + 1);
                    // live + at most one retired per request thread + none being loaded now, once
                    // the closes handed to the closer so far have run
                    svc.awaitQueuedCloses();
                    maxOpen = Math.max(maxOpen, f.loaded.get() - f.closed.get());
                    if (i % 500 == 0) {
                        try (Stream<Path> dirs = Files.list(cache)) {
                            maxDirs = (int) Math.max(maxDirs, dirs.count());
                        }
                        // load threads end with their load; the closer lives as long as the service
                        assertThat(serviceThreads("leak-test")).extracting(Thread::getName)
                                .containsExactlyInAnyOrder("mlops-serve-leak-test-worker", "mlops-serve-leak-test-closer");
                    }
                }
            } finally {
                stop.set(true);
            }
            for (Thread th : requesters) {
                th.join();
            }
            assertThat(failures).isEmpty();
            assertThat(answered.get()).isPositive();
            svc.awaitQueuedCloses();
            assertThat(svc.loadCount()).isEqualTo(swaps + 1);
            assertThat(svc.artifacts().exports()).as("exports: each immutable version once").isEqualTo(2);
            assertThat(maxOpen).as("models open at once").isLessThanOrEqualTo(3);
            assertThat(maxDirs).as("artifact directories at once").isLessThanOrEqualTo(3);
            assertThat(f.loaded.get() - f.closed.get()).as("open after the requests stopped").isEqualTo(1);
            assertThat(svc.metrics().versions()).hasSize(2);
            f.assertNoMisuse();

            svc.close();
            assertThat(f.closed.get()).isEqualTo(f.loaded.get()).isEqualTo(swaps + 1);
            assertThat(f.models).as("models closed on the closer thread, not by the requests that released them last")
                    .allMatch(m -> m.closedOn.getName().equals("mlops-serve-leak-test-closer"));
            assertThat(cache).doesNotExist();
            assertThat(f.source.open()).isZero();
            for (Thread th : serviceThreads("leak-test")) {
                th.join(30_000);
                assertThat(th.isAlive()).as(th.getName() + " still running").isFalse();
            }
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("closes a retired model exactly once on the service's closer thread, not on the request that"
            + " released it last nor on the caller of refresh()")
    void retiredModelClosedOffRequestThread() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            CountDownLatch gate = new CountDownLatch(1);
            f.gates.put(1, gate);
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .name("closer-test").pollInterval(Duration.ofDays(1)).build();
            String closerThread = "mlops-serve-closer-test-closer";
            AtomicReference<Integer> answer = new AtomicReference<>();
            Thread request = new Thread(() -> answer.set(svc.predict(7)), "last-request");
            request.start();
            ServingFixture.awaitTrue(() -> f.servedBy(1) > 0, "the request is inside version 1");
            f.mlops.models().setAlias("rain", "production", 2);
            assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", 2));
            ServingFixture.TrackingModel one = f.modelsOf(1).get(0);
            assertThat(one.isClosed()).as("a call is still inside version 1").isFalse();
            gate.countDown();
            request.join(30_000);
            assertThat(answer.get()).isEqualTo(1);
            ServingFixture.awaitTrue(one::isClosed, "version 1 is closed");
            assertThat(one.closedOn).isNotSameAs(request);
            assertThat(one.closedOn.getName()).isEqualTo(closerThread);

            // retired with no call inside: closed on the closer too, not by refresh()
            f.mlops.models().setAlias("rain", "production", 1);
            assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", 1));
            ServingFixture.TrackingModel two = f.modelsOf(2).get(0);
            ServingFixture.awaitTrue(two::isClosed, "version 2 is closed");
            assertThat(two.closedOn.getName()).isEqualTo(closerThread);
            svc.close();
            assertThat(f.models).hasSize(3).allSatisfy(m -> {
                assertThat(m.isClosed()).isTrue();
                assertThat(m.closedOn.getName()).isEqualTo(closerThread);
            });
            assertThat(f.closed.get()).isEqualTo(f.loaded.get()).isEqualTo(3);
            f.assertNoMisuse();
        }
    }

    static List<Thread> serviceThreads(String service) {
        Thread[] all = new Thread[Thread.activeCount() * 2 + 10];
        int n = Thread.enumerate(all);
        return Arrays.stream(all, 0, n).filter(t -> t.getName().startsWith("mlops-serve-" + service + "-")).toList();
    }

    @Test
    @DisplayName("sees an alias move made through another Mlops instance of this JVM at once, without polling")
    void inProcessNotice() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).build();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            Mlops other = Mlops.builder().store(f.store).build();
            other.models().setAlias("rain", "production", 2);
            List<ServiceEvent> swaps = events.await(e -> e instanceof ServiceEvent.Swapped, 1);
            assertThat(swaps.get(0)).isInstanceOfSatisfying(ServiceEvent.Swapped.class, s -> {
                assertThat(s.from()).contains(ModelRef.version("rain", 1));
                assertThat(s.to()).isEqualTo(ModelRef.version("rain", 2));
            });
            assertThat(svc.currentVersion()).isEqualTo(ModelRef.version("rain", 2));
            assertThat(svc.predict(0)).isEqualTo(2);
            other.models().rollback("rain", "production");
            events.await(e -> e instanceof ServiceEvent.Swapped s && s.to().number() == 1, 1);
            assertThat(svc.predict(0)).isEqualTo(1);
            svc.close();
        }
    }

    @Test
    @DisplayName("sees a move made by another process (a store it hears nothing from) at its next poll")
    void polling() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofMillis(5)).build();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            Mlops otherProcess = f.otherProcess();
            otherProcess.models().setAlias("rain", "production", 2);
            events.await(e -> e instanceof ServiceEvent.Swapped s && s.to().number() == 2, 1);
            assertThat(svc.predict(0)).isEqualTo(2);
            svc.close();
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("a pinned version starts no thread and ignores alias moves")
    void pinned() {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ModelRef.version("rain", 1), f.loader())
                    .name("pinned-test").build();
            assertThat(serviceThreads("pinned-test")).isEmpty();
            f.mlops.models().setAlias("rain", "production", 2);
            assertThat(svc.refresh()).isEqualTo(ModelRef.version("rain", 1));
            assertThat(svc.predict(0)).isEqualTo(1);
            assertThat(svc.ref()).isEqualTo(ModelRef.version("rain", 1));
            svc.close();
            assertThat(f.closed.get()).isEqualTo(1);
        }
    }
}
