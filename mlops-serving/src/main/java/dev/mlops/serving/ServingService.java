package dev.mlops.serving;

import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.StorageException;
import dev.mlops.api.serving.InferenceLog;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.api.serving.LoadContext;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.PredictionException;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.core.StripedLongs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToDoubleBiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ModelService} behind {@link ModelServiceBuilder}.
 *
 * <p>Request path, one for all calls ({@link #serve}): pick the slot (primary or challenger),
 * acquire its live {@link Deployment} (one atomic add to the thread's cell of its reference
 * count), run the stages before the model, call the model, count the success (one atomic add to
 * the thread's cell), and on one call in {@code latencySampling} (every call if a stage after
 * the answer needs the latency, or a latency listener is subscribed and the sampling was not
 * set) time it between two {@code System.nanoTime()} reads, add the
 * latency to the version's histogram (one atomic add) and hand the same reading to the
 * {@link LatencyListeners} if any (a volatile read when there are none); run the stages after
 * the answer, release (one atomic add to the same cell). The
 * optional features are {@link RequestStages} built once; one not configured has no stage. A
 * model failure takes one path too ({@link #failed}): the {@link Fallback} chosen at build time
 * answers, or {@link PredictionException} names the version. Nothing is allocated unless a
 * feature that needs it (detailed prediction, sampled log record, shadow) is on for that request.
 *
 * <p>Swap path, always under {@link #lock}: resolve the reference; export, load and warm up the
 * new version on a load thread of its own ({@link LoadTask}) while the swapping thread waits at
 * most the load timeout; publish it in the slot, then drop the service's reference to the old
 * deployment. Whoever releases the old deployment last hands its close to the closer thread.
 * The swapping thread is the service's worker (alias notices, polling, retries) or the caller
 * of {@link #refresh()} and {@code build()}. One load runs at a time: a load abandoned after its
 * timeout keeps its thread, and no other load starts until it returns.
 *
 * <p>{@link #close()} takes no lock, so nothing a swap waits for can hold it up: it abandons the
 * running load, empties the slots by get-and-set (a swap publishes by compare-and-set, so it
 * cannot bring a deployment back), and waits at most the close timeout for calls in flight and
 * queued closes.
 */
final class ServingService<I, O> implements ModelService<I, O> {
    private static final Logger LOG = LoggerFactory.getLogger(ServingService.class);
    static final int SPLIT_BUCKETS = 10_000;

    private final String name;
    private final ModelRef ref;
    private final ModelLoader<I, O> loader;
    private final VersionSource source;
    private final Clock clock;
    private final List<I> warmUp;
    private final long pollNanos;
    private final long backoffInitialNanos;
    private final long backoffMaxNanos;
    private final long loadTimeoutNanos;
    private final long closeTimeoutNanos;

    private final ServiceSlot<I, O> primary;
    private final ServiceSlot<I, O> challenger;
    /** The buckets (of {@link #SPLIT_BUCKETS}) the challenger answers; set at run time by a rollout. */
    private volatile int challengerBuckets;
    private volatile double challengerShare;
    private final Fallback<I, O> fallback;
    private final ShadowRunner<I, O> shadow;
    private final ExecutorService ownedShadowExecutor;
    private final InferenceLog log;
    private final FeedbackWindow feedback;
    private final ToDoubleBiFunction<? super O, ? super O> errorFunction;
    // the optional features' stages, by hook (see RequestStages); empty when none is configured
    private final RequestStages.BeforeModel<I, O>[] before;
    private final RequestStages.AfterAnswer<I, O>[] afterAnswer;
    private final RequestStages.AfterServe<I, O>[] afterServe;
    /** Whether an answered request has stages to run after it. */
    private final boolean afterStages;
    /** A stage reads each call's latency (the inference log), so every call is timed. */
    private final boolean stagesUseLatency;
    /** latencySampling − 1: a call is timed when its thread cell's success count has these bits clear. */
    private final long sampleMask;
    /**
     * Whether a latency listener hears every call: unless latencySampling was set, a listener (a
     * Micrometer timer, whose count users build rates on) must see the calls as they were.
     */
    private final boolean listenersHearEveryCall;

    private final List<ServiceSlot<I, O>> slots = new ArrayList<>();
    private final Path cacheRoot;
    private final boolean ownsCache;
    private final ArtifactCache artifacts;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    /** The load started last; it may be running, abandoned, or done. */
    private volatile LoadTask<Loaded<I, O>> loading;
    /** Closes retired models off the request threads; its thread starts at the first retirement. */
    private final ThreadPoolExecutor closer;
    /** Deployments whose model is not closed yet: live, retired with calls inside, or queued for the closer. */
    private final Set<Deployment<I, O>> open = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor worker;
    private volatile Thread workerThread;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final List<dev.mlops.api.Subscription> subscriptions = new ArrayList<>();
    private final CopyOnWriteArrayList<Consumer<? super ServiceEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Told each timed model call; read once per call, null inside while nobody listens. */
    private final LatencyListeners latencyListeners;
    private final ConcurrentHashMap<ModelRef.Version, VersionStats> statsByVersion = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<VersionStats> statsInOrder = new CopyOnWriteArrayList<>();
    private final String idPrefix;
    private final AtomicLong idCounter = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    private final LongAdder observerErrors = new LongAdder();
    private final LongAdder logFailures = new LongAdder();
    private volatile ModelRef.Version current;

    @SuppressWarnings("unchecked")
    ServingService(ModelServiceBuilder<I, O> b) {
        byte[] seed = new byte[6];
        new SecureRandom().nextBytes(seed);
        StringBuilder p = new StringBuilder(14);
        for (byte x : seed) {
            p.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        this.idPrefix = p.append('-').toString();
        this.ref = b.ref;
        this.name = b.name != null ? b.name : b.ref.toString();
        this.latencyListeners = new LatencyListeners(name);
        this.loader = b.loader;
        this.source = b.source;
        this.clock = b.clock;
        this.warmUp = b.warmUp != null ? b.warmUp : List.of();
        this.pollNanos = (b.pollInterval != null ? b.pollInterval : ModelServiceBuilder.DEFAULT_POLL).toNanos();
        this.backoffInitialNanos = (b.backoffInitial != null ? b.backoffInitial
                : ModelServiceBuilder.DEFAULT_BACKOFF_INITIAL).toNanos();
        this.backoffMaxNanos = (b.backoffMax != null ? b.backoffMax : ModelServiceBuilder.DEFAULT_BACKOFF_MAX).toNanos();
        this.loadTimeoutNanos = saturatedNanos(b.loadTimeout != null ? b.loadTimeout
                : ModelServiceBuilder.DEFAULT_LOAD_TIMEOUT);
        this.closeTimeoutNanos = saturatedNanos(b.closeTimeout != null ? b.closeTimeout
                : ModelServiceBuilder.DEFAULT_CLOSE_TIMEOUT);

        this.primary = new ServiceSlot<>("primary", b.ref);
        slots.add(primary);
        if (b.challenger != null) {
            this.challenger = new ServiceSlot<>("challenger", b.challenger);
            this.challengerBuckets = (int) Math.round(b.challengerShare * SPLIT_BUCKETS);
            this.challengerShare = b.challengerShare;
            slots.add(challenger);
        } else {
            this.challenger = null;
            this.challengerBuckets = 0;
            this.challengerShare = 0;
        }
        if (b.fallbackRef != null) {
            ServiceSlot<I, O> s = new ServiceSlot<>("fallback", b.fallbackRef);
            slots.add(s);
            this.fallback = Fallback.of(s, name, latencyListeners);
        } else {
            this.fallback = b.fallbackFunction != null ? Fallback.of(b.fallbackFunction) : Fallback.none();
        }
        if (b.shadow != null) {
            ServiceSlot<I, O> s = new ServiceSlot<>("shadow", b.shadow);
            slots.add(s);
            this.ownedShadowExecutor = b.shadowExecutor == null
                    ? Executors.newSingleThreadExecutor(daemon("shadow", null)) : null;
            this.shadow = new ShadowRunner<>(s, b.agreement,
                    b.shadowQueue == 0 ? ModelServiceBuilder.DEFAULT_SHADOW_QUEUE : b.shadowQueue,
                    b.shadowExecutor != null ? b.shadowExecutor : ownedShadowExecutor);
        } else {
            this.ownedShadowExecutor = null;
            this.shadow = null;
        }
        this.log = b.log;
        this.feedback = b.feedbackWindow > 0 ? new FeedbackWindow(b.feedbackWindow) : null;
        this.errorFunction = b.errorFunction != null ? b.errorFunction
                : (ToDoubleBiFunction<? super O, ? super O>) (ToDoubleBiFunction<Object, Object>) ModelServiceBuilder::defaultError;
        RequestStages<I, O> stages = new RequestStages<>(b, shadow, feedback, clock, this::nextId, observerErrors,
                logFailures);
        this.before = stages.before;
        this.afterAnswer = stages.afterAnswer;
        this.afterServe = stages.afterServe;
        this.afterStages = afterAnswer.length + afterServe.length > 0;
        this.stagesUseLatency = java.util.Arrays.stream(afterAnswer).anyMatch(RequestStages.AfterAnswer::usesLatency);
        this.sampleMask = (b.latencySampling != null ? b.latencySampling : ModelServiceBuilder.DEFAULT_LATENCY_SAMPLING) - 1;
        this.listenersHearEveryCall = b.latencySampling == null;

        if (b.artifactCache != null) {
            this.cacheRoot = b.artifactCache;
            this.ownsCache = false;
        } else {
            try {
                this.cacheRoot = Files.createTempDirectory("mlops-serve-");
            } catch (IOException e) {
                throw new StorageException("cannot create a temporary artifact cache for model service "
                        + Names.quote(name) + ": " + e, e);
            }
            this.ownsCache = true;
        }
        this.artifacts = new ArtifactCache(cacheRoot, source, idPrefix);
        this.closer = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemon("closer", null));
        boolean follows = slots.stream().anyMatch(s -> s.ref instanceof ModelRef.Alias);
        if (follows) {
            this.worker = new ScheduledThreadPoolExecutor(1, daemon("worker", t -> workerThread = t));
            worker.setRemoveOnCancelPolicy(true);
            worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        } else {
            this.worker = null;
        }
    }

    private static long saturatedNanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    private String threadName(String role) {
        return "mlops-serve-" + name + "-" + role;
    }

    private ThreadFactory daemon(String role, Consumer<Thread> created) {
        String threadName = threadName(role);
        return r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            if (created != null) {
                created.accept(t);
            }
            return t;
        };
    }

    // ---- start, follow, swap ------------------------------------------------------------------

    /** Loads every slot on the calling thread, then starts following; on failure releases everything. */
    void start() {
        try {
            if (!ownsCache) {
                Files.createDirectories(cacheRoot);
            }
            Set<String> followed = new HashSet<>();
            for (ServiceSlot<I, O> s : slots) {
                if (s.ref instanceof ModelRef.Alias a && followed.add(a.model())) {
                    subscriptions.add(source.subscribe(a.model(), this::aliasMoved));
                }
            }
            lock.lock();
            try {
                for (ServiceSlot<I, O> s : slots) {
                    ModelVersion target = source.resolve(s.ref);
                    try {
                        Deployment<I, O> d = deploy(loadBounded(target));
                        if (!s.replace(null, d)) {
                            retire(d);
                        }
                    } catch (LoadFailure f) {
                        throw new MlopsException("model service " + Names.quote(name) + " cannot start: its " + s.role
                                + " version " + target.ref() + " failed at " + f.stage + ": " + f.getCause(), f.getCause());
                    }
                    if (s == primary) {
                        current = target.ref();
                    }
                    LOG.info("model service {}: {} {} serves version {}", name, s.role, s.ref, target.ref());
                }
            } finally {
                lock.unlock();
            }
            if (worker != null) {
                worker.scheduleWithFixedDelay(this::poll, pollNanos, pollNanos, TimeUnit.NANOSECONDS);
            }
        } catch (IOException e) {
            close();
            throw new StorageException("cannot create artifact cache " + cacheRoot + " for model service "
                    + Names.quote(name) + ": " + e, e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void aliasMoved(String model, String alias) {
        for (ServiceSlot<I, O> s : slots) {
            if (s.ref instanceof ModelRef.Alias a && a.model().equals(model) && a.alias().equals(alias)) {
                requestCheck();
                return;
            }
        }
    }

    /** Queues one check on the worker; notices arriving while one is queued join it. */
    private void requestCheck() {
        if (closed || worker == null || !checkQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                checkQueued.set(false);
                checkSlots(false);
            });
        } catch (RejectedExecutionException e) {
            checkQueued.set(false);
        }
    }

    private void poll() {
        checkSlots(false);
    }

    private void checkSlots(boolean explicit) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException closingNow) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (closed) {
                return;
            }
            for (ServiceSlot<I, O> s : slots) {
                if (s.ref instanceof ModelRef.Alias) {
                    checkSlot(s, explicit);
                }
            }
        } catch (RuntimeException e) {
            // never let a surprise end the polling schedule
            LOG.error("model service {}: checking its references failed: {}", name, e.toString(), e);
        } finally {
            lock.unlock();
        }
    }

    private void checkSlot(ServiceSlot<I, O> s, boolean explicit) {
        Deployment<I, O> old = s.live;
        if (old == null) {
            return; // closed
        }
        ModelVersion target;
        try {
            target = source.resolve(s.ref);
        } catch (RuntimeException e) {
            String problem = e.toString();
            if (!problem.equals(s.resolveProblem)) {
                s.resolveProblem = problem;
                LOG.warn("model service {}: cannot resolve its {} {}: {}; version {} keeps serving", name, s.role, s.ref,
                        problem, old.version);
            }
            return;
        }
        if (s.resolveProblem != null) {
            s.resolveProblem = null;
            LOG.info("model service {}: {} {} resolves again, to {}", name, s.role, s.ref, target.ref());
        }
        ModelRef.Version to = target.ref();
        if (old.version.equals(to)) {
            s.clearFailure();
            return;
        }
        if (!explicit && to.equals(s.failing) && System.nanoTime() - s.retryAtNanos < 0) {
            return;
        }
        Loaded<I, O> loaded;
        try {
            loaded = loadBounded(target);
        } catch (LoadFailure f) {
            if (!closed) {
                loadFailed(s, to, old.version, f);
            }
            return;
        }
        Deployment<I, O> next = deploy(loaded);
        if (!s.replace(old, next)) {
            retire(next); // the service closed meanwhile: never served
            return;
        }
        s.clearFailure();
        if (s == primary) {
            current = to;
        }
        retire(old);
        LOG.info("model service {}: {} {} now serves version {} (was {})", name, s.role, s.ref, to, old.version);
        publish(new ServiceEvent.Swapped(clock.instant(), Optional.of(old.version), to));
    }

    private void loadFailed(ServiceSlot<I, O> s, ModelRef.Version version, ModelRef.Version serving, LoadFailure f) {
        s.failures = version.equals(s.failing) ? s.failures + 1 : 1;
        s.failing = version;
        long wait = backoffNanos(s.failures);
        s.retryAtNanos = System.nanoTime() + wait;
        Duration retryIn = Duration.ofNanos(wait);
        LOG.warn("model service {}: {} version {} failed at {} (attempt {}); version {} keeps serving, next attempt in {}",
                name, s.role, version, f.stage, s.failures, serving, retryIn, f.getCause());
        publish(new ServiceEvent.LoadFailed(clock.instant(), version, f.stage, String.valueOf(f.getCause()), s.failures,
                retryIn));
        if (worker != null) {
            try {
                worker.schedule(() -> checkSlots(false), wait, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // the service is closing
            }
        }
    }

    long backoffNanos(int failures) {
        long wait = backoffInitialNanos;
        for (int i = 1; i < failures && wait < backoffMaxNanos; i++) {
            wait = wait > backoffMaxNanos / 2 ? backoffMaxNanos : wait * 2;
        }
        return Math.min(wait, backoffMaxNanos);
    }

    /** Why a version could not be made ready: the stage ({@code load}, {@code warm-up} or {@code timeout}) and the cause. */
    private static final class LoadFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String stage;

        LoadFailure(String stage, Throwable cause) {
            super(stage, cause, false, false);
            this.stage = stage;
        }
    }

    /** A version loaded and warmed up, not yet deployed. */
    private record Loaded<I, O>(ModelVersion target, Model<I, O> model, ArtifactCache.Entry artifact) {
    }

    /**
     * Loads a version on a load thread and waits at most the load timeout. A load that times
     * out is abandoned (its thread interrupted); while it has not returned, no other load starts
     * and every attempt fails at stage {@code timeout} at once, so a loader that hangs costs one
     * thread, not one per retry.
     */
    private Loaded<I, O> loadBounded(ModelVersion target) throws LoadFailure {
        ModelRef.Version v = target.ref();
        LoadTask<Loaded<I, O>> previous = loading;
        if (previous != null && previous.stuck()) {
            throw new LoadFailure("timeout", new TimeoutException("version " + v + " was not loaded: the load of "
                    + previous.what + " started " + Duration.ofNanos(System.nanoTime() - previous.startedNanos).toSeconds()
                    + " s ago timed out and has not returned (its loader ignores interrupts); no load starts until it does"));
        }
        LoadTask<Loaded<I, O>> task = new LoadTask<>(threadName("load"), v.toString(), t -> load(target, t),
                this::discard);
        loading = task;
        task.start();
        if (closed) {
            task.abandon(); // close() may have looked at loading before it was set
        }
        try {
            return task.await(loadTimeoutNanos);
        } catch (LoadFailure f) {
            throw f;
        } catch (TimeoutException e) {
            throw new LoadFailure("timeout", e);
        } catch (Exception e) {
            // abandoned by close(), or the waiting thread was interrupted
            throw new LoadFailure("load", e);
        }
    }

    /** Runs on the load thread: export, load, warm up; stops early once abandoned. */
    private Loaded<I, O> load(ModelVersion target, LoadTask<Loaded<I, O>> task) throws LoadFailure {
        ModelRef.Version v = target.ref();
        loads.incrementAndGet();
        ArtifactCache.Entry artifact;
        Model<I, O> model;
        try {
            artifact = artifacts.acquire(target);
        } catch (RuntimeException e) {
            throw new LoadFailure("load", e);
        }
        try {
            model = loader.load(new LoadContext(target, artifact.directory));
            if (model == null) {
                throw new NullPointerException("the loader returned null for version " + v);
            }
        } catch (Exception | LinkageError e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            artifacts.release(artifact);
            throw new LoadFailure("load", e);
        }
        Loaded<I, O> loaded = new Loaded<>(target, model, artifact);
        for (I sample : warmUp) {
            if (task.abandoned()) {
                return loaded; // the task discards it: a model nobody waits for is never called
            }
            try {
                model.predict(sample);
            } catch (RuntimeException | LinkageError e) {
                try {
                    model.close();
                } catch (Exception | LinkageError closing) {
                    e.addSuppressed(closing);
                }
                artifacts.release(artifact);
                throw new LoadFailure("warm-up", e);
            }
        }
        return loaded;
    }

    /** Closes a model whose load was abandoned before it returned; on the load thread. */
    private void discard(Loaded<I, O> late) {
        LOG.info("model service {}: version {} loaded after {}; closing it unused", name, late.target.ref(),
                closed ? "the service closed" : "its load timed out");
        try {
            late.model.close();
        } catch (Exception | LinkageError e) {
            LOG.warn("model service {}: closing unused version {} failed: {}", name, late.target.ref(), e.toString(), e);
        } finally {
            artifacts.release(late.artifact);
        }
    }

    private Deployment<I, O> deploy(Loaded<I, O> l) {
        ModelRef.Version v = l.target.ref();
        Deployment<I, O> d = new Deployment<>(l.target, l.model, statsFor(v), InputCheck.of(v, l.target.signature().inputs()),
                artifacts, l.artifact, closer, open::remove);
        open.add(d);
        return d;
    }

    /** Drops the service's reference; the closer thread is started first, so no request thread starts it. */
    private void retire(Deployment<I, O> d) {
        closer.prestartCoreThread();
        d.retire();
    }

    private VersionStats statsFor(ModelRef.Version v) {
        VersionStats s = statsByVersion.get(v);
        if (s == null) {
            s = statsByVersion.computeIfAbsent(v, k -> {
                VersionStats created = new VersionStats(k);
                statsInOrder.add(created);
                return created;
            });
        }
        return s;
    }

    private void publish(ServiceEvent event) {
        for (Consumer<? super ServiceEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("model service {}: an event listener failed on {}: {}", name, event, e.toString(), e);
            }
        }
    }

    // ---- requests -------------------------------------------------------------------------------

    @Override
    public O predict(I input) {
        return output(serve(null, input, null, false));
    }

    @Override
    public O predict(String requestKey, I input) {
        Objects.requireNonNull(requestKey, "requestKey");
        return output(serve(requestKey, input, null, false));
    }

    @Override
    public Prediction<O> predictDetailed(I input) {
        return output(serve(null, input, null, true));
    }

    @Override
    public Prediction<O> predictDetailed(String requestKey, I input) {
        Objects.requireNonNull(requestKey, "requestKey");
        return output(serve(requestKey, input, null, true));
    }

    @Override
    public List<O> predictAll(List<I> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        return output(serve(null, null, inputs, false));
    }

    /** @return what {@link #serve} answered, as the type its caller asked for */
    @SuppressWarnings("unchecked")
    private static <T> T output(Object answer) {
        return (T) answer;
    }

    /**
     * The request path of every call: one input ({@code batch} null) or a batch, answered by one
     * version. Route, acquire, the stages before the model, the timed model call, latency, then
     * the stages after the answer; a model failure goes to {@link #failed}. Nothing here
     * allocates unless a stage or {@code detailed} needs to.
     *
     * @param detailed answer a {@link Prediction} with an id
     * @return the output, the {@link Prediction}, or the batch's outputs
     */
    private Object serve(String key, I input, List<I> batch, boolean detailed) {
        ServiceSlot<I, O> slot = route(key);
        int cell = StripedLongs.cell(); // once for the acquire, the counts and the release
        Deployment<I, O> d = slot.acquire(name, cell);
        try {
            int n = batch == null ? 1 : batch.size();
            if (n == 0) {
                return List.of();
            }
            if (before.length != 0) {
                beforeModel(d, input, batch);
            }
            String id = detailed ? nextId() : null;
            StripedLongs successes = d.stats.successes;
            LatencyListener listener = latencyListeners.current;
            boolean timedCall = timedCall(successes.get(cell), batch, listener);
            long t0 = timedCall ? System.nanoTime() : 0L;
            Object out;
            try {
                out = d.predict(input, batch, n, "");
            } catch (RuntimeException e) {
                return failed(slot, d, input, batch, n, e, timedCall ? System.nanoTime() - t0 : -1L, id);
            }
            successes.add(cell, n);
            long dt = timedCall ? timed(d, n, t0, listener) : 0L;
            if (afterStages) {
                afterModel(slot, d, input, batch, n, out, dt, id);
            }
            return id == null ? out : detailed(slot, d, out, id);
        } finally {
            d.release(cell);
        }
    }

    // The parts below are methods of their own so that serve's bytecode (309 bytes) is under C2's
    // limit for inlining a hot method (325) and its compiled code holds little besides the common
    // path. Whether serve then inlines into its caller depends on the model's compiled size: with
    // the 1 us benchmark model it does not ("already compiled into a big method").

    /**
     * The clock is read for one call in latencySampling (by the thread cell's success count);
     * for batches, stages that log latency, and (unless sampling was set) listeners, always.
     */
    private boolean timedCall(long cellSuccesses, List<I> batch, LatencyListener listener) {
        return (cellSuccesses & sampleMask) == 0 || batch != null || stagesUseLatency
                || listener != null && listenersHearEveryCall;
    }

    /** Records a timed call's latency and tells the listeners. @return the call's nanoseconds */
    private long timed(Deployment<I, O> d, int n, long t0, LatencyListener listener) {
        long dt = System.nanoTime() - t0;
        d.stats.latency.record(Deployment.perInput(dt, n), n);
        if (listener != null) {
            listener.timed(d.version, false, n, dt);
        }
        return dt;
    }

    /** Runs the stages after the model answered: per input, then once for the request. */
    private void afterModel(ServiceSlot<I, O> slot, Deployment<I, O> d, I input, List<I> batch, int n, Object out,
                            long dt, String id) {
        afterAnswer(routeOf(slot), d.version, d.stats, input, batch, n, out, dt, id);
        afterServe(input, batch, out);
    }

    private Prediction<O> detailed(ServiceSlot<I, O> slot, Deployment<I, O> d, Object out, String id) {
        return new Prediction<O>(output(out), d.version, id, routeOf(slot));
    }

    /** Runs the stages before the model: each stage over all inputs, so a batch is checked whole before it is observed. */
    private void beforeModel(Deployment<I, O> d, I input, List<I> batch) {
        for (RequestStages.BeforeModel<I, O> s : before) {
            if (batch == null) {
                s.before(d, input);
            } else {
                for (I in : batch) {
                    s.before(d, in);
                }
            }
        }
    }

    /** Runs the stages after the model answered a request, once for the whole request. */
    private void afterServe(I input, List<I> batch, Object out) {
        for (RequestStages.AfterServe<I, O> s : afterServe) {
            if (batch == null) {
                s.served(input, output(out));
            } else {
                s.servedAll(batch, output(out));
            }
        }
    }

    /** Runs the stages after an answer for each input, each input's id passing from stage to stage. */
    private void afterAnswer(Prediction.Route route, ModelRef.Version version, VersionStats stats, I input,
                             List<I> batch, int n, Object out, long nanos, String id) {
        long each = Deployment.perInput(nanos, n);
        List<O> outs = batch == null ? null : output(out);
        for (int i = 0; i < n; i++) {
            I in = batch == null ? input : batch.get(i);
            O o = batch == null ? output(out) : outs.get(i);
            String itemId = id;
            for (RequestStages.AfterAnswer<I, O> s : afterAnswer) {
                itemId = s.answered(route, version, stats, in, o, each, itemId);
            }
        }
    }

    @Override
    public void setChallengerShare(double share) {
        if (challenger == null) {
            throw new IllegalStateException("model service " + name + " has no challenger; build it with challenger(ref, share)"
                    + " to split its traffic");
        }
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("challenger share must be a number from 0 to 1, got " + share);
        }
        challengerBuckets = (int) Math.round(share * SPLIT_BUCKETS);
        challengerShare = share;
        LOG.info("model service {}: challenger {} now answers {} of the traffic", name, challenger.ref, share);
    }

    @Override
    public double challengerShare() {
        return challengerShare;
    }

    private ServiceSlot<I, O> route(String key) {
        if (challenger == null) {
            return primary;
        }
        int bucket = key == null ? ThreadLocalRandom.current().nextInt(SPLIT_BUCKETS) : splitBucket(key);
        return bucket < challengerBuckets ? challenger : primary;
    }

    /** @return the key's bucket out of {@link #SPLIT_BUCKETS}: a 64-bit mix of its hash, so nearby keys spread */
    static int splitBucket(String key) {
        long z = key.hashCode();
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return (int) Long.remainderUnsigned(z, SPLIT_BUCKETS);
    }

    private Prediction.Route routeOf(ServiceSlot<I, O> slot) {
        return slot == challenger ? Prediction.Route.CHALLENGER : Prediction.Route.PRIMARY;
    }

    String nextId() {
        return idPrefix + Long.toString(idCounter.incrementAndGet(), 36);
    }

    /**
     * The failure path of every call: counts the errors, lets the fallback answer (the stages
     * after an answer then run with route {@code FALLBACK}), or throws {@link PredictionException}
     * naming the failed version; either way tells the listeners.
     *
     * @return the fallback's answer, in the shape {@link #serve} returns
     */
    private Object failed(ServiceSlot<I, O> slot, Deployment<I, O> d, I input, List<I> batch, int n,
                          RuntimeException error, long nanos, String id) {
        d.stats.errors.add(n);
        LatencyListener timed = latencyListeners.current;
        if (timed != null && nanos >= 0) {
            timed.timed(d.version, true, n, nanos);
        }
        LOG.debug("model service {}: version {} failed on {} input(s): {}", name, d.version, n, error.toString());
        Fallback.Answer a;
        try {
            a = fallback.answer(d, input, batch, n, nanos);
        } catch (Fallback.Failed f) {
            throw predictionFailed(d.version, error, f.error);
        }
        if (a == null) {
            long each = Deployment.perInput(nanos, n);
            for (int i = 0; i < n; i++) {
                for (RequestStages.AfterAnswer<I, O> s : afterAnswer) {
                    s.unanswered(routeOf(slot), d.version, batch == null ? input : batch.get(i), each, id);
                }
            }
            throw predictionFailed(d.version, error, null);
        }
        d.stats.fallbacks.add(n);
        notifyFailure(d.version, error, true);
        afterAnswer(Prediction.Route.FALLBACK, a.version(), a.stats(), input, batch, n, a.output(), a.nanos(), id);
        return id == null ? a.output() : new Prediction<O>(output(a.output()), a.version(), id, Prediction.Route.FALLBACK);
    }

    private PredictionException predictionFailed(ModelRef.Version version, RuntimeException error, RuntimeException also) {
        PredictionException p = new PredictionException(version, error);
        if (also != null) {
            p.addSuppressed(also);
        }
        notifyFailure(version, error, false);
        return p;
    }

    private void notifyFailure(ModelRef.Version version, RuntimeException error, boolean fellBack) {
        if (!listeners.isEmpty()) {
            publish(new ServiceEvent.PredictionFailed(clock.instant(), version, error.toString(), fellBack));
        }
    }

    // ---- the rest of the contract -----------------------------------------------------------------

    @Override
    public ModelRef ref() {
        return ref;
    }

    @Override
    public ModelRef.Version currentVersion() {
        return current;
    }

    @Override
    public ModelRef.Version refresh() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("model service " + Names.quote(name) + " is closed");
            }
            for (ServiceSlot<I, O> s : slots) {
                if (s.ref instanceof ModelRef.Alias) {
                    checkSlot(s, true);
                }
            }
            if (closed) {
                throw new IllegalStateException("model service " + Names.quote(name) + " was closed during refresh()");
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean feedback(String predictionId, O actual) {
        Objects.requireNonNull(predictionId, "predictionId");
        if (feedback == null) {
            throw new IllegalStateException("model service " + Names.quote(name)
                    + " keeps no predictions for feedback: configure feedbackWindow(size)");
        }
        FeedbackWindow.Entry e = feedback.take(predictionId);
        if (e == null) {
            return false;
        }
        if (e.stats() != null) {
            @SuppressWarnings("unchecked")
            O predicted = (O) e.output();
            double error = errorFunction.applyAsDouble(predicted, actual);
            if (Double.isFinite(error)) {
                e.stats().feedbackCount.increment();
                e.stats().errorSum.add(error);
            } else {
                LOG.debug("model service {}: error function gave {} for prediction {}; not counted", name, error,
                        predictionId);
            }
        }
        return true;
    }

    @Override
    public ServiceMetrics metrics() {
        List<VersionMetrics> versions = new ArrayList<>(statsInOrder.size());
        for (VersionStats s : statsInOrder) {
            versions.add(s.snapshot());
        }
        return new ServiceMetrics(name, versions, shadow == null ? 0 : shadow.dropped(),
                log == null ? 0 : log.dropped() + logFailures.sum(), observerErrors.sum());
    }

    @Override
    public dev.mlops.api.Subscription onEvent(Consumer<? super ServiceEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public dev.mlops.api.Subscription onLatency(LatencyListener listener) {
        return latencyListeners.add(listener);
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeoutNanos;
        closed = true;
        LoadTask<Loaded<I, O>> load = loading;
        if (load != null) {
            load.abandon(); // wakes the swapping thread; a model loaded later is closed unused
        }
        subscriptions.forEach(dev.mlops.api.Subscription::close);
        if (worker != null) {
            worker.shutdownNow();
        }
        if (shadow != null) {
            shadow.clear();
        }
        for (ServiceSlot<I, O> s : slots) {
            Deployment<I, O> d = s.takeForClose();
            if (d != null) {
                retire(d);
            }
        }
        boolean interrupted = false;
        List<ModelRef.Version> stillOpen = new ArrayList<>();
        try {
            // calls in flight on any version, then the closes queued for the closer
            for (Deployment<I, O> d : List.copyOf(open)) {
                if (!d.awaitClosed(deadline - System.nanoTime())) {
                    stillOpen.add(d.version);
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            LOG.warn("model service {}: interrupted while waiting for calls in flight; the last of them closes"
                    + " the models", name);
        }
        if (ownedShadowExecutor != null) {
            ownedShadowExecutor.shutdownNow();
            interrupted |= awaitTermination(ownedShadowExecutor, deadline, interrupted);
        }
        if (worker != null && Thread.currentThread() != workerThread) {
            interrupted |= awaitTermination(worker, deadline, interrupted);
        }
        closer.shutdown(); // closes queued so far still run; a later last release closes on its own thread
        if (!closer.isTerminated()) {
            interrupted |= awaitTermination(closer, deadline, interrupted);
        }
        artifacts.close(ownsCache ? () -> Dirs.deleteQuietly(cacheRoot) : () -> { });
        if (!stillOpen.isEmpty()) {
            LOG.warn("model service {}: versions {} were still in use or closing when closeTimeout ({}) passed;"
                    + " each is closed when its last call returns", name, stillOpen, Duration.ofNanos(closeTimeoutNanos));
        }
        if (load != null && load.stuck()) {
            LOG.warn("model service {}: the load of {} has not returned; its daemon thread is left to finish, and the"
                    + " model it returns will be closed unused", name, load.what);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("model service {} closed", name);
    }

    /** @return true if interrupted; waits until the deadline, not at all if already interrupted */
    private boolean awaitTermination(ExecutorService executor, long deadline, boolean interrupted) {
        if (interrupted) {
            return true;
        }
        try {
            if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("model service {}: a service thread did not stop within closeTimeout ({}); it is left to finish"
                        + " as a daemon", name, Duration.ofNanos(closeTimeoutNanos));
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Test hook: waits until the closer has run every close handed to it so far. */
    void awaitQueuedCloses() throws Exception {
        closer.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    /** Test hook: loads so far. */
    long loadCount() {
        return loads.get();
    }

    /** Test hook: the exported artifacts. */
    ArtifactCache artifacts() {
        return artifacts;
    }

    Path artifactCacheRoot() {
        return cacheRoot;
    }
}
