package dev.mlops.serving;

import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.api.store.ForwardingStore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Signature;
import dev.mlops.api.serving.LoadContext;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ServiceEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A store with versions of model {@code rain} whose artifact is the text {@code vN}, and a
 * loader of {@link TrackingModel}s that answer their version number and catch every misuse:
 * a call after close, a close while a call is inside, a second close.
 */
final class ServingFixture implements AutoCloseable {
    /** The warm-up input; a model of a version in {@link #failWarmUp} throws for it. */
    static final int WARM_UP = -1;

    final InMemoryStore store = new InMemoryStore();
    final Mlops mlops = Mlops.builder().store(store).build();
    /** The registry's versions, counting the alias subscriptions services hold open (none may outlive its service). */
    final CountingSource source = new CountingSource(VersionSource.of(mlops.models()));

    /** A service builder over this fixture's registry whose subscriptions are counted. */
    <I, O> ModelServiceBuilder<I, O> serve(ModelRef ref, ModelLoader<I, O> loader) {
        return ModelServiceBuilder.serve(mlops, ref, loader).source(source);
    }

    /** Counts open alias subscriptions. */
    static final class CountingSource implements VersionSource {
        private final VersionSource delegate;
        private final AtomicInteger open = new AtomicInteger();

        CountingSource(VersionSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public ModelVersion resolve(ModelRef ref) {
            return delegate.resolve(ref);
        }

        @Override
        public void export(ModelVersion version, java.nio.file.Path directory) {
            delegate.export(version, directory);
        }

        @Override
        public dev.mlops.api.Subscription subscribe(String model, dev.mlops.api.AliasListener listener) {
            dev.mlops.api.Subscription s = delegate.subscribe(model, listener);
            open.incrementAndGet();
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            return () -> {
                if (closed.compareAndSet(false, true)) {
                    s.close();
                    open.decrementAndGet();
                }
            };
        }

        /** @return subscriptions not closed yet */
        int open() {
            return open.get();
        }
    }
    final AtomicInteger loaded = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final LongAdder callsAfterClose = new LongAdder();
    final LongAdder closedWhileInUse = new LongAdder();
    final LongAdder closedTwice = new LongAdder();
    final LongAdder loaderCalls = new LongAdder();
    /** Versions whose loader throws. */
    final Set<Integer> failLoad = ConcurrentHashMap.newKeySet();
    /** Versions whose model throws for the warm-up input. */
    final Set<Integer> failWarmUp = ConcurrentHashMap.newKeySet();
    /** Versions whose model throws for every request. */
    final Set<Integer> failPredict = ConcurrentHashMap.newKeySet();
    /** Requests (not warm-up calls) answered, by version. */
    final Map<Integer, LongAdder> served = new ConcurrentHashMap<>();
    final List<TrackingModel> models = new CopyOnWriteArrayList<>();
    /** Versions whose model waits on a latch before answering a request. */
    final Map<Integer, java.util.concurrent.CountDownLatch> gates = new ConcurrentHashMap<>();
    /** Versions whose loader waits on a latch, ignoring interrupts, before it builds the model. */
    final Map<Integer, java.util.concurrent.CountDownLatch> loadGates = new ConcurrentHashMap<>();
    /** Interrupts a loader waiting at a load gate ignored. */
    final LongAdder ignoredInterrupts = new LongAdder();

    ServingFixture(int versions) {
        for (int i = 1; i <= versions; i++) {
            register("rain", Signature.NONE);
        }
        if (versions > 0) {
            mlops.models().setAlias("rain", "production", 1);
        }
    }

    ModelVersion register(String model, Signature signature) {
        int next = mlops.models().findModel(model).map(m -> m.latestVersion() + 1).orElse(1);
        return mlops.models().register(model, NewModelVersion.builder()
                .artifact(Artifact.bytes("model.txt", ("v" + next).getBytes(StandardCharsets.UTF_8)))
                .signature(signature).build());
    }

    /**
     * @return an {@link Mlops} on the same data as another process would see it: the services
     *     of this fixture hear nothing of its alias moves, and only a poll or a refresh finds them
     */
    Mlops otherProcess() {
        return Mlops.builder().store(new ForwardingStore(store) {
            @Override
            public String describe() {
                return "another-process";
            }
        }).build();
    }

    static ModelRef production() {
        return ModelRef.parse("rain@production");
    }

    ModelLoader<Integer, Integer> loader() {
        return this::load;
    }

    private Model<Integer, Integer> load(LoadContext ctx) throws Exception {
        loaderCalls.increment();
        int v = ctx.version().number();
        String content = Files.readString(ctx.singleFile());
        assertThat(content).as("exported artifact of " + ctx.version().ref()).isEqualTo("v" + v);
        if (failLoad.contains(v)) {
            throw new IllegalStateException("loader refuses version " + v);
        }
        java.util.concurrent.CountDownLatch gate = loadGates.get(v);
        while (gate != null) {
            try {
                gate.await();
                gate = null;
            } catch (InterruptedException e) {
                ignoredInterrupts.increment(); // like a loader stuck in native code
            }
        }
        TrackingModel m = new TrackingModel(v);
        models.add(m);
        loaded.incrementAndGet();
        return m;
    }

    /** @return the models loaded for a version, in load order */
    List<TrackingModel> modelsOf(int version) {
        return models.stream().filter(m -> m.version == version).toList();
    }

    long servedBy(int version) {
        LongAdder a = served.get(version);
        return a == null ? 0 : a.sum();
    }

    /** Asserts that no model was misused. */
    void assertNoMisuse() {
        assertThat(callsAfterClose.sum()).as("calls after close").isZero();
        assertThat(closedWhileInUse.sum()).as("closes while a call was inside").isZero();
        assertThat(closedTwice.sum()).as("second closes").isZero();
    }

    @Override
    public void close() {
        mlops.close();
    }

    /** Waits for a condition, bounded by 30 s (a liveness guard, not a timing assertion). */
    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for: " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Events of a service, with a bounded wait for one that matches. */
    static final class Events {
        final List<ServiceEvent> all = new CopyOnWriteArrayList<>();

        void add(ServiceEvent e) {
            synchronized (this) {
                all.add(e);
                notifyAll();
            }
        }

        /** Waits (at most 30 s, a liveness guard, not a timing assertion) until {@code count} events match. */
        synchronized List<ServiceEvent> await(Predicate<ServiceEvent> match, int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (all.stream().filter(match).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited 30 s for " + count + " matching events; have " + all);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return all.stream().filter(match).toList();
        }
    }

    /** A model that answers its version number and records misuse. */
    final class TrackingModel implements Model<Integer, Integer> {
        final int version;
        /** Every call, warm-up included. */
        final AtomicInteger calls = new AtomicInteger();
        /** The thread that closed it first. */
        volatile Thread closedOn;
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean isClosed;

        TrackingModel(int version) {
            this.version = version;
        }

        @Override
        public Integer predict(Integer input) {
            inFlight.incrementAndGet();
            calls.incrementAndGet();
            try {
                if (isClosed) {
                    callsAfterClose.increment();
                }
                if (input != null && input == WARM_UP) {
                    if (failWarmUp.contains(version)) {
                        throw new IllegalStateException("version " + version + " fails its warm-up");
                    }
                    return version;
                }
                served.computeIfAbsent(version, k -> new LongAdder()).increment();
                java.util.concurrent.CountDownLatch gate = gates.get(version);
                if (gate != null) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted at the gate", e);
                    }
                }
                if (failPredict.contains(version)) {
                    throw new IllegalArgumentException("version " + version + " cannot predict " + input);
                }
                return version;
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public void close() {
            if (isClosed) {
                closedTwice.increment();
            } else {
                closedOn = Thread.currentThread();
            }
            isClosed = true;
            if (inFlight.get() > 0) {
                closedWhileInUse.increment();
            }
            closed.incrementAndGet();
        }

        boolean isClosed() {
            return isClosed;
        }
    }
}
