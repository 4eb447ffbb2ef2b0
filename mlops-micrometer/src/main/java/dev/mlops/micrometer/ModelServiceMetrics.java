package dev.mlops.micrometer;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencySnapshot;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A Micrometer {@link MeterBinder} for a {@link ModelService}: every meter is a function of the
 * service's {@link ModelService#metrics() snapshot}, read when the registry publishes, so the
 * request path pays nothing for it.
 *
 * <pre>{@code
 * ModelServiceMetrics.bind(service, registry);                  // or new ModelServiceMetrics(service, tags).bindTo(registry)
 * }</pre>
 *
 * <p><b>Meters</b> (see {@code docs/micrometer.md} for the table). Per version that served, with
 * tags {@code service}, {@code model}, {@code version}: {@value #CALLS} and {@value #ERRORS}
 * (function counters, tag {@code route} = {@code live} for requests or {@code shadow} for
 * mirrored calls), {@value #FALLBACKS}, {@value #LATENCY} (time gauges, tag {@code phi} = 0.5,
 * 0.9, 0.99), {@value #LATENCY_MAX}, {@value #SHADOW_AGREEMENTS}, {@value #SHADOW_AGREEMENT}
 * (rate), {@value #FEEDBACK}, {@value #LIVE_ERROR} (mean), {@value #SERVING} (1 for the version
 * the followed reference serves now). Per service, with tags {@code service} and {@code model}:
 * {@value #SHADOW_DROPPED}, {@value #LOG_DROPPED}, {@value #OBSERVER_ERRORS}.
 *
 * <p><b>Latency as time gauges, not a timer.</b> The snapshot carries the count and the p50,
 * p90, p99 and maximum of a log-linear histogram (≤ 1.6 % relative error), but no total time, so
 * a {@code FunctionTimer} (count and total) could only show a made-up mean; the percentiles are
 * published as they are, one {@link TimeGauge} per percentile, like the {@code phi}-tagged
 * percentile gauges Micrometer publishes for its own timers. They cover the service's lifetime
 * (they are not decaying windows). Call counts come from {@value #CALLS}.
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
    /** Latency percentiles of successful calls; tag {@code phi}: 0.5, 0.9, 0.99. */
    public static final String LATENCY = "mlops.model.latency";
    /** Largest latency of a successful call. */
    public static final String LATENCY_MAX = "mlops.model.latency.max";
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
    private AutoCloseable subscription;
    private boolean closed;

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
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(tags, "tags");
        this.serviceRef = new WeakReference<>(service);
        this.serviceName = service.metrics().service();
        this.model = service.ref().model();
        this.serviceTags = Tags.concat(tags, "service", serviceName, "model", model);
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
        }
        refresh();
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

    /** Stops listening for swap events. The registered meters stay. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
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
        latency(registry, service, tags.and("phi", "0.5"), v, LatencySnapshot::p50Nanos);
        latency(registry, service, tags.and("phi", "0.9"), v, LatencySnapshot::p90Nanos);
        latency(registry, service, tags.and("phi", "0.99"), v, LatencySnapshot::p99Nanos);
        TimeGauge.builder(LATENCY_MAX, service, TimeUnit.NANOSECONDS, s -> latencyOf(s, v, LatencySnapshot::maxNanos))
                .tags(tags).description("Largest latency of a successful call since the service started").register(registry);
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

    private static void latency(MeterRegistry registry, ModelService<?, ?> service, Tags tags, ModelRef.Version v,
                                ToLongFunction<LatencySnapshot> f) {
        TimeGauge.builder(LATENCY, service, TimeUnit.NANOSECONDS, s -> latencyOf(s, v, f)).tags(tags)
                .description("Latency percentile of successful calls since the service started").register(registry);
    }

    private static double latencyOf(ModelService<?, ?> s, ModelRef.Version v, ToLongFunction<LatencySnapshot> f) {
        return of(s, v).map(VersionMetrics::latency).filter(l -> l.count() > 0).map(l -> (double) f.applyAsLong(l))
                .orElse(Double.NaN);
    }

    private static Optional<VersionMetrics> of(ModelService<?, ?> s, ModelRef.Version v) {
        return s.metrics().version(v);
    }

    @Override
    public String toString() {
        return "ModelServiceMetrics[" + serviceName + "]";
    }
}
