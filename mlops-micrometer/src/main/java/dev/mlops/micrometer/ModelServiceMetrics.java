package dev.mlops.micrometer;

import dev.mlops.api.ModelRef;
import dev.mlops.api.Subscription;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A Micrometer {@link MeterBinder} for a {@link ModelService}: a {@link Timer} of its model
 * calls, and counters and gauges that are functions of the service's
 * {@link ModelService#metrics() snapshot}, read when the registry publishes.
 *
 * <pre>{@code
 * ModelServiceMetrics.bind(service, registry);                  // or new ModelServiceMetrics(service, tags).bindTo(registry)
 * ModelServiceMetrics.builder(service).percentileHistogram(true)   // or with options
 *         .distributionStatisticExpiry(Duration.ofMinutes(5)).build().bindTo(registry);
 * }</pre>
 *
 * <p><b>Meters</b> (see {@code docs/micrometer.md} for the table). Per version that served, with
 * tags {@code service}, {@code model}, {@code version}: {@value #LATENCY} (a timer, tag
 * {@code outcome} = {@code success} or {@code error}), {@value #CALLS} and {@value #ERRORS}
 * (function counters, tag {@code route} = {@code live} for requests or {@code shadow} for
 * mirrored calls), {@value #FALLBACKS}, {@value #SHADOW_AGREEMENTS}, {@value #SHADOW_AGREEMENT}
 * (rate), {@value #FEEDBACK}, {@value #LIVE_ERROR} (mean), {@value #SERVING} (1 for the version
 * the followed reference serves now). Per service, with tags {@code service} and {@code model}:
 * {@value #SHADOW_DROPPED}, {@value #LOG_DROPPED}, {@value #OBSERVER_ERRORS}.
 *
 * <p><b>Latency is a timer with a decaying window.</b> The binder subscribes to the service's
 * {@link ModelService#onLatency latency hook}: each model call the service times is recorded,
 * with the reading the service took, into the version's timer. Its percentiles (by default
 * 0.5, 0.95 and 0.99) and its maximum cover a sliding window of
 * {@code distributionStatisticExpiry} (Micrometer's default: 2 minutes, or the publishing step
 * of a push registry) made of {@code distributionStatisticBufferLength} ring buffers (default
 * 3), so a regression shows in p99 within one expiry, however long the service has run. The
 * service's own histogram still gives the lifetime percentiles in
 * {@link dev.mlops.api.serving.VersionMetrics#latency()}; they are no longer published as
 * gauges, because a lifetime p99 hides a regression after a day of traffic and the gauges would
 * clash with the timer's own percentiles under the same name. Count and total time are the
 * timer's; a {@code predictAll} batch is one timed call.
 *
 * <p><b>New versions.</b> A version gets its meters once it is known: at {@link #bindTo} for the
 * versions that served so far and the one serving now, then on every
 * {@link ServiceEvent.Swapped} event of the service (alias moved, challenger or shadow loaded),
 * and on {@link #refresh()}. Meters of old versions stay (their counters stop growing), as a
 * version's counters do in the snapshot.
 *
 * <p>Values before a version has served: counters 0, gauges NaN. The binder holds the service
 * weakly, as Micrometer's binders hold what they observe; once the service is collected, its
 * gauges read NaN. {@link #close()} stops listening for swaps. Thread-safe.
 */
public final class ModelServiceMetrics implements MeterBinder, AutoCloseable {

    /** Calls per version; tag {@code route}: {@code live} or {@code shadow}. */
    public static final String CALLS = "mlops.model.calls";
    /** Calls where the model threw; tag {@code route}: {@code live} or {@code shadow}. */
    public static final String ERRORS = "mlops.model.errors";
    /** Errors answered by the fallback. */
    public static final String FALLBACKS = "mlops.model.fallbacks";
    /** Duration of model calls, a timer; tag {@code outcome}: {@code success} or {@code error}. */
    public static final String LATENCY = "mlops.model.latency";
    /** The timer's percentiles unless {@link Builder#percentiles} says otherwise. */
    static final double[] DEFAULT_PERCENTILES = {0.5, 0.95, 0.99};
    /** Shadow outputs that agreed with the live output. */
    public static final String SHADOW_AGREEMENTS = "mlops.model.shadow.agreements";
    /** Shadow agreements over shadow calls that returned, 0 to 1. */
    public static final String SHADOW_AGREEMENT = "mlops.model.shadow.agreement";
    /** Ground-truth values joined to predictions. */
    public static final String FEEDBACK = "mlops.model.feedback";
    /** Mean error over joined feedback. */
    public static final String LIVE_ERROR = "mlops.model.live.error";
    /** 1 for the version the followed reference serves now, else 0. */
    public static final String SERVING = "mlops.model.serving";
    /** Shadow requests dropped because the shadow queue was full. */
    public static final String SHADOW_DROPPED = "mlops.model.shadow.dropped";
    /** Inference-log records dropped. */
    public static final String LOG_DROPPED = "mlops.model.log.dropped";
    /** Input observers (drift monitors) that threw. */
    public static final String OBSERVER_ERRORS = "mlops.model.observer.errors";

    private final WeakReference<ModelService<?, ?>> serviceRef;
    private final Tags serviceTags;
    private final String serviceName;
    private final String model;
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final Set<ModelRef.Version> versions = new LinkedHashSet<>();
    private final double[] percentiles;
    private final Boolean percentileHistogram;
    private final Duration expiry;
    private final Integer bufferLength;
    /** The timers a call is recorded in, by version: one per bound registry, success and error apart. */
    private final ConcurrentHashMap<ModelRef.Version, VersionTimers> timers = new ConcurrentHashMap<>();
    private AutoCloseable subscription;
    private Subscription latencySubscription;
    private boolean closed;

    /** A version's timers in every bound registry; replaced, never changed, when a registry is bound. */
    private record VersionTimers(Timer[] success, Timer[] error) {
    }

    /**
     * @param service the service to observe
     */
    public ModelServiceMetrics(ModelService<?, ?> service) {
        this(service, Tags.empty());
    }

    /**
     * @param service the service to observe
     * @param tags    extra tags on every meter (e.g. the application)
     */
    public ModelServiceMetrics(ModelService<?, ?> service, Iterable<Tag> tags) {
        this(builder(service).tags(tags));
    }

    private ModelServiceMetrics(Builder b) {
        ModelService<?, ?> service = b.service;
        this.serviceRef = new WeakReference<>(service);
        this.serviceName = service.metrics().service();
        this.model = service.ref().model();
        this.serviceTags = Tags.concat(b.tags, "service", serviceName, "model", model);
        this.percentiles = b.percentiles.clone();
        this.percentileHistogram = b.percentileHistogram;
        this.expiry = b.expiry;
        this.bufferLength = b.bufferLength;
    }

    /**
     * Starts a binder with options for its latency timer.
     *
     * @param service the service to observe
     * @return a builder; {@link Builder#build()} gives the binder, not yet bound
     */
    public static Builder builder(ModelService<?, ?> service) {
        return new Builder(Objects.requireNonNull(service, "service"));
    }

    /**
     * Options of a {@link ModelServiceMetrics}, for its {@value #LATENCY} timer mostly. What is
     * not set is left to the registry's defaults and its {@code MeterFilter}s (so Spring Boot's
     * {@code management.metrics.distribution.*} properties keep working).
     */
    public static final class Builder {
        private final ModelService<?, ?> service;
        private Iterable<Tag> tags = Tags.empty();
        private double[] percentiles = DEFAULT_PERCENTILES;
        private Boolean percentileHistogram;
        private Duration expiry;
        private Integer bufferLength;

        private Builder(ModelService<?, ?> service) {
            this.service = service;
        }

        /**
         * @param tags extra tags on every meter (e.g. the application)
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Objects.requireNonNull(tags, "tags");
            return this;
        }

        /**
         * @param percentiles the percentiles the timer publishes, each in [0, 1]; none for none.
         *     Default 0.5, 0.95, 0.99.
         * @return this builder
         * @throws IllegalArgumentException for a value outside [0, 1]
         */
        public Builder percentiles(double... percentiles) {
            Objects.requireNonNull(percentiles, "percentiles");
            for (double p : percentiles) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("percentile " + p + " is not in [0, 1]; give e.g. 0.99 for p99");
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /**
         * @param publish publish the timer's histogram buckets too, for percentiles a backend
         *     aggregates over instances (Prometheus {@code histogram_quantile}); off by default
         * @return this builder
         */
        public Builder percentileHistogram(boolean publish) {
            this.percentileHistogram = publish;
            return this;
        }

        /**
         * @param expiry how long a call stays in the timer's percentiles and maximum: the
         *     decaying window (Micrometer's default 2 minutes, or a push registry's step)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder distributionStatisticExpiry(Duration expiry) {
            Objects.requireNonNull(expiry, "expiry");
            if (expiry.isNegative() || expiry.isZero()) {
                throw new IllegalArgumentException("distributionStatisticExpiry must be positive, got " + expiry);
            }
            this.expiry = expiry;
            return this;
        }

        /**
         * @param bufferLength ring buffers the window is made of: one rotates out every
         *     {@code expiry / bufferLength} (Micrometer's default 3)
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder distributionStatisticBufferLength(int bufferLength) {
            if (bufferLength < 1) {
                throw new IllegalArgumentException("distributionStatisticBufferLength must be at least 1, got "
                        + bufferLength);
            }
            this.bufferLength = bufferLength;
            return this;
        }

        /** @return the binder; call {@link ModelServiceMetrics#bindTo} on it */
        public ModelServiceMetrics build() {
            return new ModelServiceMetrics(this);
        }
    }

    /**
     * Creates a binder for {@code service} and binds it to {@code registry}.
     *
     * @param service  the service
     * @param registry the registry
     * @return the binder (keep it to {@link #close()} it, or to bind more registries)
     */
    public static ModelServiceMetrics bind(ModelService<?, ?> service, MeterRegistry registry) {
        ModelServiceMetrics m = new ModelServiceMetrics(service);
        m.bindTo(registry);
        return m;
    }

    /**
     * Registers the service's meters, and those of every version known so far, in
     * {@code registry}; the first call also subscribes to the service's swap events.
     *
     * @param registry the registry
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        ModelService<?, ?> service = serviceRef.get();
        if (service == null) {
            return; // collected: nothing to observe
        }
        if (!registries.contains(registry)) {
            registries.add(registry);
        }
        serviceCounter(registry, SHADOW_DROPPED, ServiceMetrics::shadowDropped,
                "Shadow requests dropped because the shadow queue was full", "requests");
        serviceCounter(registry, LOG_DROPPED, ServiceMetrics::logDropped, "Inference-log records dropped", "records");
        serviceCounter(registry, OBSERVER_ERRORS, ServiceMetrics::observerErrors, "Input observers that threw", "errors");
        for (ModelRef.Version v : versions) {
            bindVersion(registry, v);
        }
        if (subscription == null && !closed) {
            subscription = service.onEvent(e -> {
                if (e instanceof ServiceEvent.Swapped s) {
                    add(s.to());
                }
            });
            latencySubscription = service.onLatency(this::timed);
        }
        refresh();
    }

    /** On the request thread: records one call in the version's timers; nothing allocated once the version is known. */
    private void timed(ModelRef.Version version, boolean failed, int inputs, long nanos) {
        VersionTimers t = timers.get(version);
        if (t == null) {
            // a call reached a version before its swap event did: register it now, once
            add(version);
            t = timers.get(version);
            if (t == null) {
                return; // the service is gone
            }
        }
        for (Timer timer : failed ? t.error() : t.success()) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Registers meters for versions that served, or started serving, since the last call, in
     * every bound registry. Called on every swap event; call it yourself only if you bind before
     * the service has loaded a version you want to see at once.
     */
    public synchronized void refresh() {
        ModelService<?, ?> service = serviceRef.get();
        if (service == null) {
            return;
        }
        for (VersionMetrics vm : service.metrics().versions()) {
            add(vm.version());
        }
        add(service.currentVersion());
    }

    private synchronized void add(ModelRef.Version v) {
        if (versions.add(v)) {
            for (MeterRegistry r : registries) {
                bindVersion(r, v);
            }
        }
    }

    /** @return the versions that have meters, in the order they became known */
    public synchronized List<ModelRef.Version> versions() {
        return List.copyOf(versions);
    }

    /** Stops listening for swap events and timed calls. The registered meters stay. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (latencySubscription != null) {
            latencySubscription.close();
            latencySubscription = null;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                // unsubscribing from an in-process listener list cannot fail in a way worth reporting
            }
            subscription = null;
        }
    }

    // ------------------------------------------------------------------ meters

    private void serviceCounter(MeterRegistry registry, String name, ToLongFunction<ServiceMetrics> f, String description,
                                String unit) {
        FunctionCounter.builder(name, serviceRef.get(), s -> f.applyAsLong(s.metrics()))
                .tags(serviceTags).description(description).baseUnit(unit).register(registry);
    }

    private void bindVersion(MeterRegistry registry, ModelRef.Version v) {
        ModelService<?, ?> service = serviceRef.get();
        if (service == null) {
            return;
        }
        Tags tags = serviceTags.and("version", Integer.toString(v.number()));
        counter(registry, service, CALLS, tags.and("route", "live"), v, VersionMetrics::calls,
                "Requests a version answered or tried to answer", "calls");
        counter(registry, service, CALLS, tags.and("route", "shadow"), v, VersionMetrics::shadowCalls,
                "Requests mirrored to a version as a shadow", "calls");
        counter(registry, service, ERRORS, tags.and("route", "live"), v, VersionMetrics::errors,
                "Requests where the model threw", "errors");
        counter(registry, service, ERRORS, tags.and("route", "shadow"), v, VersionMetrics::shadowErrors,
                "Shadow calls where the model threw", "errors");
        counter(registry, service, FALLBACKS, tags, v, VersionMetrics::fallbacks, "Errors answered by the fallback", "calls");
        counter(registry, service, SHADOW_AGREEMENTS, tags, v, VersionMetrics::shadowAgreements,
                "Shadow outputs that agreed with the live output", "calls");
        counter(registry, service, FEEDBACK, tags, v, VersionMetrics::feedbackCount,
                "Ground-truth values joined to predictions", "values");
        Timer success = timer(registry, tags.and("outcome", "success"));
        Timer error = timer(registry, tags.and("outcome", "error"));
        VersionTimers old = timers.get(v);
        timers.put(v, old == null ? new VersionTimers(new Timer[] {success}, new Timer[] {error})
                : new VersionTimers(append(old.success(), success), append(old.error(), error)));
        gauge(registry, service, SHADOW_AGREEMENT, tags, v, m -> m.shadowAgreementRate().orElse(Double.NaN),
                "Shadow agreements over shadow calls that returned (NaN before the first)");
        gauge(registry, service, LIVE_ERROR, tags, v, m -> m.meanLiveError().orElse(Double.NaN),
                "Mean error over joined feedback (NaN before the first)");
        Gauge.builder(SERVING, service, s -> s.currentVersion().equals(v) ? 1 : 0).tags(tags)
                .description("1 for the version the followed reference serves now, else 0").register(registry);
    }

    private static void counter(MeterRegistry registry, ModelService<?, ?> service, String name, Tags tags,
                                ModelRef.Version v, ToLongFunction<VersionMetrics> f, String description, String unit) {
        FunctionCounter.builder(name, service, s -> of(s, v).map(f::applyAsLong).orElse(0L))
                .tags(tags).description(description).baseUnit(unit).register(registry);
    }

    private static void gauge(MeterRegistry registry, ModelService<?, ?> service, String name, Tags tags,
                              ModelRef.Version v, ToDoubleFunction<VersionMetrics> f, String description) {
        Gauge.builder(name, service, s -> of(s, v).map(f::applyAsDouble).orElse(Double.NaN))
                .tags(tags).description(description).register(registry);
    }

    private Timer timer(MeterRegistry registry, Tags tags) {
        Timer.Builder b = Timer.builder(LATENCY).tags(tags)
                .description("Duration of a model call (a batch is one call); percentiles and maximum over a decaying window")
                .publishPercentiles(percentiles);
        if (percentileHistogram != null) {
            b.publishPercentileHistogram(percentileHistogram);
        }
        if (expiry != null) {
            b.distributionStatisticExpiry(expiry);
        }
        if (bufferLength != null) {
            b.distributionStatisticBufferLength(bufferLength);
        }
        return b.register(registry);
    }

    /** @return {@code timers} and {@code t}, unless {@code t} is there already (a registry bound twice) */
    private static Timer[] append(Timer[] timers, Timer t) {
        for (Timer existing : timers) {
            if (existing == t) {
                return timers;
            }
        }
        Timer[] out = Arrays.copyOf(timers, timers.length + 1);
        out[timers.length] = t;
        return out;
    }

    private static Optional<VersionMetrics> of(ModelService<?, ?> s, ModelRef.Version v) {
        return s.metrics().version(v);
    }

    @Override
    public String toString() {
        return "ModelServiceMetrics[" + serviceName + "]";
    }
}
