package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.core.Mlops;
import dev.mlops.api.serving.InferenceLog;
import dev.mlops.api.serving.InputObserver;
import dev.mlops.api.serving.OutputObserver;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;

/**
 * Configures a {@link ModelService}; obtained from {@link #serve(Mlops, ModelRef, ModelLoader)}.
 * Every option may be set once; a bad value fails at once with {@link IllegalArgumentException},
 * a second or conflicting setting with {@link IllegalStateException}.
 *
 * <pre>{@code
 * ModelService<Features, Double> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"), loader)
 *         .warmUp(List.of(sample))
 *         .challenger(ModelRef.parse("rain@candidate"), 0.10)
 *         .fallback(features -> 0.0)
 *         .build();
 * }</pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class ModelServiceBuilder<I, O> {
    static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
    static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(5);
    static final int DEFAULT_SHADOW_QUEUE = 1024;
    static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Model calls per timed call by default: see {@link #latencySampling(int)}. */
    public static final int DEFAULT_LATENCY_SAMPLING = 16;
    /** The largest {@link #latencySampling(int)} accepted. */
    static final int MAX_LATENCY_SAMPLING = 1 << 16;

    VersionSource source;
    Clock clock;
    final ModelRef ref;
    final ModelLoader<I, O> loader;
    String name;
    Duration pollInterval;
    List<I> warmUp;
    Duration backoffInitial;
    Duration backoffMax;
    Duration loadTimeout;
    Duration closeTimeout;
    Integer latencySampling;
    ModelRef challenger;
    double challengerShare;
    ModelRef shadow;
    double shadowRate;
    BiPredicate<? super O, ? super O> agreement;
    int shadowQueue;
    Executor shadowExecutor;
    Function<? super I, ? extends O> fallbackFunction;
    ModelRef fallbackRef;
    Function<? super I, ? extends Map<String, ?>> inputColumns;
    InferenceLog log;
    double logRate;
    Function<? super I, ?> logInput;
    InputObserver<? super I> observer;
    double observerRate;
    OutputObserver<? super I, ? super O> outputObserver;
    double outputObserverRate;
    int feedbackWindow;
    ToDoubleBiFunction<? super O, ? super O> errorFunction;
    Path artifactCache;
    private boolean clockSet;

    /**
     * Serves the version {@code ref} points at, following it when it is an alias. Configure the
     * service on the returned builder, then {@link #build() build} it.
     *
     * <pre>{@code
     * try (ModelService<Features, Double> svc = ModelServiceBuilder.serve(mlops, ModelRef.parse("rain@production"), loader)
     *         .fallback(f -> 0.0).build()) {
     *     double p = svc.predict(features);
     * }
     * }</pre>
     *
     * <p>The service reads {@code mlops.models()}. With a {@linkplain Mlops.Builder#metadataCache
     * metadata cache}, moves made in this JVM are still seen at once (the cache forgets a model
     * before its listeners hear of a move); moves made by other processes are seen at the next
     * poll after the cache entry expires.
     *
     * @param mlops the registry to serve from; its clock times events and log records
     * @param ref what to serve, usually {@code name@production}
     * @param loader turns a version and its artifact files into a callable model
     * @param <I> input type
     * @param <O> output type
     * @return a builder for the service
     */
    public static <I, O> ModelServiceBuilder<I, O> serve(Mlops mlops, ModelRef ref, ModelLoader<I, O> loader) {
        Objects.requireNonNull(mlops, "mlops");
        return new ModelServiceBuilder<>(VersionSource.of(mlops.models()), mlops.clock(), ref, loader);
    }

    ModelServiceBuilder(VersionSource source, Clock clock, ModelRef ref, ModelLoader<I, O> loader) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * @param name the service's name in metrics, events, logs and thread names; default the
     *     reference text, such as {@code rain@production}. Not blank, at most 250 characters,
     *     no control characters.
     * @return this
     */
    public ModelServiceBuilder<I, O> name(String name) {
        Objects.requireNonNull(name, "name");
        once(this.name, "name");
        if (name.isBlank() || name.length() > 250 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("service name must be 1 to 250 characters without control characters"
                    + " and not blank, was \"" + name.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        this.name = name;
        return this;
    }

    /**
     * How often the followed alias is read from the store, to see moves made by other
     * processes. Moves made through any {@link Mlops} instance of this JVM on the same store are
     * seen at once, independently of this interval. Default 5 seconds.
     *
     * @param interval a positive duration
     * @return this
     */
    public ModelServiceBuilder<I, O> pollInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        once(this.pollInterval, "pollInterval");
        positive(interval, "pollInterval");
        this.pollInterval = interval;
        return this;
    }

    /**
     * Inputs every newly loaded version must answer before it serves; a version that throws
     * for one of them is not swapped in. Default none.
     *
     * @param samples the inputs, not null
     * @return this
     */
    public ModelServiceBuilder<I, O> warmUp(List<? extends I> samples) {
        Objects.requireNonNull(samples, "samples");
        once(this.warmUp, "warmUp");
        this.warmUp = List.copyOf(samples);
        return this;
    }

    /**
     * Waiting times between attempts to load a version that failed: {@code initial}, then
     * doubling up to {@code max}. Default 1 second to 5 minutes.
     *
     * @param initial wait after the first failure, positive
     * @param max longest wait, at least {@code initial}
     * @return this
     */
    public ModelServiceBuilder<I, O> retryBackoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        once(this.backoffInitial, "retryBackoff");
        positive(initial, "retryBackoff initial");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retryBackoff max must be at least initial (" + initial + "), was " + max);
        }
        this.backoffInitial = initial;
        this.backoffMax = max;
        return this;
    }

    /**
     * The longest a version may take to export, load and warm up. A load that takes longer is a
     * failed load (stage {@code timeout}): its thread is interrupted and abandoned, the version
     * serving now keeps serving, and the load is retried with the {@link #retryBackoff back-off}.
     * Until an abandoned load returns, no other load starts and attempts fail at once at stage
     * {@code timeout}; a model it returns late is closed unused. Bounds {@code build()} and
     * {@link ModelService#refresh()} as well. Set it above your longest legitimate load.
     * Default 5 minutes.
     *
     * @param timeout a positive duration
     * @return this
     */
    public ModelServiceBuilder<I, O> loadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        once(this.loadTimeout, "loadTimeout");
        positive(timeout, "loadTimeout");
        this.loadTimeout = timeout;
        return this;
    }

    /**
     * The longest {@link ModelService#close()} waits for calls in flight, for models being
     * closed and for the service's threads. A running load is abandoned at once (its thread
     * interrupted; a model it returns later is closed unused). When the time is up, close
     * returns: a call still inside a model closes that model itself when it returns, and a
     * thread stuck in your code is left to finish as a daemon. Default 10 seconds.
     *
     * @param timeout a positive duration
     * @return this
     */
    public ModelServiceBuilder<I, O> closeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        once(this.closeTimeout, "closeTimeout");
        positive(timeout, "closeTimeout");
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * Times one model call in {@code every}: the latency histogram ({@code VersionMetrics.latency()}'s
     * percentiles and maximum) and the {@link ModelService#onLatency} listeners, hence a
     * Micrometer latency timer, see that sample of calls. Reading the clock twice per call
     * costs about as much as all the rest of the service's own work on a fast model.
     *
     * <p>Not set, the histogram sees one call in {@value #DEFAULT_LATENCY_SAMPLING} (for a service
     * answering thousands of calls a second the percentiles are as good, and the clock's cost per
     * call is a sixteenth), and while a latency listener is subscribed every call is timed: a
     * listener such as a Micrometer timer, whose count and total users build rates on, hears the
     * calls as they were. Set, the sampling applies to the listeners too. {@code 1} times every
     * call.
     *
     * <p>The counts stay exact whatever the sampling: calls, errors, fallbacks and the latency
     * snapshot's {@code count} (successful calls) are counted on every call. Calls are sampled
     * per thread by the count of calls that thread's counter cell has seen (the first call of
     * each cell is timed), so the sample is spread evenly over time, not random. Always timed,
     * whatever the sampling: {@code predictAll} batches, the calls of a service that has an
     * inference log, a shadow or a feedback window (their records carry each call's latency), and
     * a fallback version's calls.
     *
     * @param every a power of two from 1 to 65,536
     * @return this
     */
    public ModelServiceBuilder<I, O> latencySampling(int every) {
        once(this.latencySampling, "latencySampling");
        if (every < 1 || every > MAX_LATENCY_SAMPLING || Integer.bitCount(every) != 1) {
            throw new IllegalArgumentException("latencySampling must be a power of two from 1 to "
                    + MAX_LATENCY_SAMPLING + " (one call timed in that many), got " + every);
        }
        this.latencySampling = every;
        return this;
    }

    /**
     * Sends a share of the traffic to a challenger. Requests with a key are sticky: the key's
     * hash decides, so one key always reaches the same side; requests without a key draw at
     * random. The challenger follows its reference like the primary.
     *
     * @param ref the challenger, a version or an alias
     * @param share fraction of requests, from 0 to 1 (granularity 0.0001)
     * @return this
     */
    public ModelServiceBuilder<I, O> challenger(ModelRef ref, double share) {
        Objects.requireNonNull(ref, "ref");
        once(this.challenger, "challenger");
        fraction(share, "challenger share");
        this.challenger = ref;
        this.challengerShare = share;
        return this;
    }

    /**
     * Mirrors a sample of requests to a shadow version off the request thread and records
     * whether it agrees with the live answer (equal, or numbers within 1e-9). The shadow's answer
     * is never returned.
     *
     * @param ref the shadow, a version or an alias
     * @param sampleRate fraction of requests mirrored, from 0 to 1
     * @return this
     */
    public ModelServiceBuilder<I, O> shadow(ModelRef ref, double sampleRate) {
        return shadow(ref, sampleRate, ModelServiceBuilder::defaultAgreement);
    }

    /**
     * Like {@link #shadow(ModelRef, double)} with a comparison of your own.
     *
     * @param ref the shadow, a version or an alias
     * @param sampleRate fraction of requests mirrored, from 0 to 1
     * @param agreement true when the shadow output (second) agrees with the live one (first)
     * @return this
     */
    public ModelServiceBuilder<I, O> shadow(ModelRef ref, double sampleRate, BiPredicate<? super O, ? super O> agreement) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(agreement, "agreement");
        once(this.shadow, "shadow");
        fraction(sampleRate, "shadow sampleRate");
        this.shadow = ref;
        this.shadowRate = sampleRate;
        this.agreement = agreement;
        return this;
    }

    /**
     * @param capacity mirrored requests that may wait for the shadow; more are dropped and
     *     counted. Default 1024. Needs {@link #shadow}.
     * @return this
     */
    public ModelServiceBuilder<I, O> shadowQueue(int capacity) {
        once(this.shadowQueue == 0 ? null : this.shadowQueue, "shadowQueue");
        if (capacity < 1) {
            throw new IllegalArgumentException("shadowQueue capacity must be at least 1, was " + capacity);
        }
        this.shadowQueue = capacity;
        return this;
    }

    /**
     * @param executor where shadow calls run; default one daemon thread owned by the service.
     *     An executor you pass is not shut down by the service. Needs {@link #shadow}.
     * @return this
     */
    public ModelServiceBuilder<I, O> shadowExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        once(this.shadowExecutor, "shadowExecutor");
        this.shadowExecutor = executor;
        return this;
    }

    /**
     * Answers with a function when the model throws (route {@code FALLBACK}); the error is
     * counted. Exclusive with {@link #fallback(ModelRef)}.
     *
     * @param fallback computes a fallback answer
     * @return this
     */
    public ModelServiceBuilder<I, O> fallback(Function<? super I, ? extends O> fallback) {
        Objects.requireNonNull(fallback, "fallback");
        oneFallback();
        this.fallbackFunction = fallback;
        return this;
    }

    /**
     * Answers with another version when the model throws (route {@code FALLBACK}); the error is
     * counted. The fallback follows its reference like the primary. Exclusive with
     * {@link #fallback(Function)}.
     *
     * @param ref the fallback version or alias
     * @return this
     */
    public ModelServiceBuilder<I, O> fallback(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        oneFallback();
        this.fallbackRef = ref;
        return this;
    }

    /**
     * Checks every input against the serving version's input signature before the model sees
     * it: each declared column present, of its type, and not NaN where numeric. A failing input
     * is refused with {@link dev.mlops.api.ValidationException}. Off unless configured.
     *
     * @param columns maps an input to its named columns
     * @return this
     */
    public ModelServiceBuilder<I, O> inputCheck(Function<? super I, ? extends Map<String, ?>> columns) {
        Objects.requireNonNull(columns, "columns");
        once(this.inputColumns, "inputCheck");
        this.inputColumns = columns;
        return this;
    }

    /**
     * Sends a sample of predictions to an inference log. The log must not block; the service
     * does not close it (its owner does, after the service).
     *
     * @param log where records go
     * @param sampleRate fraction of predictions logged, from 0 to 1
     * @return this
     */
    public ModelServiceBuilder<I, O> inferenceLog(InferenceLog log, double sampleRate) {
        Objects.requireNonNull(log, "log");
        once(this.log, "inferenceLog");
        fraction(sampleRate, "inferenceLog sampleRate");
        this.log = log;
        this.logRate = sampleRate;
        return this;
    }

    /**
     * @param mapping what the inference log records as the input (such as a feature map);
     *     default the input itself. Needs {@link #inferenceLog}.
     * @return this
     */
    public ModelServiceBuilder<I, O> logInput(Function<? super I, ?> mapping) {
        Objects.requireNonNull(mapping, "mapping");
        once(this.logInput, "logInput");
        this.logInput = mapping;
        return this;
    }

    /**
     * Hands a sample of inputs to an observer (such as a drift monitor), on the request thread.
     * An observer that throws is counted and ignored.
     *
     * @param observer receives inputs
     * @param sampleRate fraction of inputs observed, from 0 to 1
     * @return this
     */
    public ModelServiceBuilder<I, O> monitor(InputObserver<? super I> observer, double sampleRate) {
        Objects.requireNonNull(observer, "observer");
        once(this.observer, "monitor");
        fraction(sampleRate, "monitor sampleRate");
        this.observer = observer;
        this.observerRate = sampleRate;
        return this;
    }

    /**
     * Hands a sample of the model's answers, with their inputs, to an observer (such as the
     * estimation module's performance monitor), on the request thread once the model answered;
     * a fallback's answers are not observed. An observer that throws is counted (with the input
     * observers' errors) and ignored.
     *
     * @param observer receives inputs and the model's outputs
     * @param sampleRate fraction of answers observed, from 0 to 1
     * @return this
     */
    public ModelServiceBuilder<I, O> monitorOutputs(OutputObserver<? super I, ? super O> observer, double sampleRate) {
        Objects.requireNonNull(observer, "observer");
        once(this.outputObserver, "monitorOutputs");
        fraction(sampleRate, "monitorOutputs sampleRate");
        this.outputObserver = observer;
        this.outputObserverRate = sampleRate;
        return this;
    }

    /**
     * Keeps the most recent predictions whose ids callers know (detailed and logged ones), so
     * {@link ModelService#feedback} can join ground truth and compute live error per version.
     * Off unless configured.
     *
     * @param size predictions kept, at least 1
     * @return this
     */
    public ModelServiceBuilder<I, O> feedbackWindow(int size) {
        once(this.feedbackWindow == 0 ? null : this.feedbackWindow, "feedbackWindow");
        if (size < 1) {
            throw new IllegalArgumentException("feedbackWindow size must be at least 1, was " + size);
        }
        this.feedbackWindow = size;
        return this;
    }

    /**
     * @param error the error of one prediction (first) against the truth (second); default the
     *     absolute difference for numbers, otherwise 0 when equal and 1 when not. Needs
     *     {@link #feedbackWindow}.
     * @return this
     */
    public ModelServiceBuilder<I, O> errorFunction(ToDoubleBiFunction<? super O, ? super O> error) {
        Objects.requireNonNull(error, "error");
        once(this.errorFunction, "errorFunction");
        this.errorFunction = error;
        return this;
    }

    /**
     * @param directory where versions' artifacts are exported for the loader (created if
     *     missing; each load gets its own subdirectory, removed when its model is closed).
     *     Default a temporary directory removed by {@link ModelService#close()}.
     * @return this
     */
    public ModelServiceBuilder<I, O> artifactCache(Path directory) {
        Objects.requireNonNull(directory, "directory");
        once(this.artifactCache, "artifactCache");
        this.artifactCache = directory;
        return this;
    }

    /**
     * @param clock time of events and inference-log records; default the {@link Mlops} clock
     * @return this
     */
    public ModelServiceBuilder<I, O> clock(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        if (clockSet) {
            throw new IllegalStateException("clock was already set");
        }
        clockSet = true;
        this.clock = clock;
        return this;
    }

    /** Test seam: where versions come from. */
    ModelServiceBuilder<I, O> source(VersionSource source) {
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * Resolves the reference and loads and warms up its version (and those of the challenger,
     * shadow and fallback) before returning, each within the {@link #loadTimeout load timeout},
     * then starts following the alias.
     *
     * @return the running service; close it to stop following and release the models
     * @throws IllegalStateException if an option needs another that was not set
     * @throws dev.mlops.api.NotFoundException if a reference does not resolve
     * @throws dev.mlops.api.MlopsException if a version fails to load or warm up, or takes
     *     longer than the load timeout, naming it and the stage
     */
    public ModelService<I, O> build() {
        if (shadow == null && (shadowQueue != 0 || shadowExecutor != null)) {
            throw new IllegalStateException("shadowQueue and shadowExecutor need a shadow: call shadow(ref, sampleRate)");
        }
        if (log == null && logInput != null) {
            throw new IllegalStateException("logInput needs an inference log: call inferenceLog(log, sampleRate)");
        }
        if (feedbackWindow == 0 && errorFunction != null) {
            throw new IllegalStateException("errorFunction needs a feedback window: call feedbackWindow(size)");
        }
        ServingService<I, O> service = new ServingService<>(this);
        service.start();
        return service;
    }

    static boolean defaultAgreement(Object live, Object shadow) {
        if (java.util.Objects.equals(live, shadow)) {
            return true;
        }
        return live instanceof Number a && shadow instanceof Number b
                && Math.abs(a.doubleValue() - b.doubleValue()) <= 1e-9;
    }

    static double defaultError(Object predicted, Object actual) {
        if (predicted instanceof Number p && actual instanceof Number a) {
            return Math.abs(p.doubleValue() - a.doubleValue());
        }
        return java.util.Objects.equals(predicted, actual) ? 0 : 1;
    }

    private void oneFallback() {
        if (fallbackFunction != null || fallbackRef != null) {
            throw new IllegalStateException("fallback was already set; a service has one fallback, a function or a version");
        }
    }

    private static void once(Object current, String option) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    private static void positive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }

    private static void fraction(double value, String what) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(what + " must be from 0 to 1, was " + value);
        }
    }
}
