package dev.mlops.drift;

import dev.mlops.api.AttachmentNames;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Subscription;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.serving.InputObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DriftMonitor} that follows a model alias: it compares traffic with the drift profile
 * of the version the alias points at ({@link AttachmentNames#DRIFT_PROFILE}), and switches to the
 * new version's profile when the alias moves, as a model service switches versions.
 *
 * <pre>{@code
 * AliasDriftMonitor monitor = AliasDriftMonitor.builder(mlops.models(), ModelRef.alias("rain", "production"))
 *         .monitor(b -> b.countWindow(500))                       // any DriftMonitor setting
 *         .listener(w -> log.info("{}: {} against {}", w.report().window(), w.report().driftedColumns(), w.profileVersion()))
 *         .onChange(c -> log.info("{}", c.message()))
 *         .build();
 * ModelServiceBuilder.serve(mlops, ModelRef.alias("rain", "production"), loader)
 *         .monitor(monitor.observer(extractor), 1.0).build();
 * }</pre>
 *
 * <p><b>When it switches.</b> In this JVM an alias move is heard at once
 * ({@link ModelRegistry#onAliasMoved}) and handled on the monitor's own thread; moves made by
 * other processes are found by {@link Builder#pollEvery polling} or {@link #refresh()}. A window
 * is compared with exactly one profile: when the alias moves while the open window has rows, that
 * window is finished and compared with the profile it was counted in, and the next window uses
 * the new profile; when the open window has no row yet, the switch is immediate. Each
 * {@link Window} names the version whose profile it was compared with and the version the alias
 * pointed at when it closed.
 *
 * <p><b>A version without a usable profile</b> (no attachment, an unreadable one, or other
 * columns than the monitor observes) does not stop the monitor: it keeps the profile it is using
 * (dropping a switch that waited for the open window to close), logs
 * a warning, and tells {@link Builder#onChange} listeners with a {@link Change} of kind
 * {@link Change.Kind#NO_PROFILE} or {@link Change.Kind#UNUSABLE_PROFILE}; every following window
 * says which version's profile it used and where the alias points, so the mismatch is visible.
 */
public final class AliasDriftMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AliasDriftMonitor.class);

    private final ModelRegistry registry;
    private final ModelRef.Alias alias;
    private final DriftMonitor monitor;
    private final List<Consumer<? super Window>> listeners;
    private final List<Consumer<? super Change>> changeListeners;
    private final Subscription subscription;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final Object checkLock = new Object();
    private volatile boolean closed;
    /** The version the alias pointed at when last checked; guarded by checkLock for writes. */
    private volatile ModelRef.Version aliasVersion;

    private AliasDriftMonitor(Builder b, ModelVersion initial, ReferenceProfile profile) {
        this.registry = b.registry;
        this.alias = b.alias;
        this.listeners = List.copyOf(b.listeners);
        this.changeListeners = List.copyOf(b.changeListeners);
        this.aliasVersion = initial.ref();
        DriftMonitor.Builder mb = DriftMonitor.builder(profile);
        b.configure.accept(mb);
        this.monitor = mb.tag(initial.ref()).referenceListener(this::windowClosed).build();
        String threadName = "mlops-drift-follow-" + alias;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.subscription = registry.onAliasMoved(alias.model(), (model, moved) -> {
            if (moved.equals(alias.alias())) {
                requestCheck();
            }
        });
        if (b.pollEvery != null) {
            long nanos = b.pollEvery.toNanos();
            worker.scheduleWithFixedDelay(this::checkQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        LOG.info("drift monitor of {}: compares with the profile of {}", alias, initial.ref());
    }

    /**
     * @param registry where the alias and the versions' profiles are read
     * @param alias    the alias to follow
     * @return a builder; set a window with {@link Builder#monitor}
     */
    public static Builder builder(ModelRegistry registry, ModelRef.Alias alias) {
        return new Builder(registry, alias);
    }

    /**
     * A closed window and what it was compared with.
     *
     * @param report         the window's drift report
     * @param state          the window's counters (its {@link WindowState#profileSha256()} is the profile's digest)
     * @param profileVersion the version whose drift profile the window was compared with
     * @param aliasVersion   the version the alias pointed at when the window closed, as far as the
     *                       monitor knew; differs from {@code profileVersion} while a switch waits for
     *                       the window to close, or when the alias's version has no usable profile
     */
    public record Window(DriftReport report, WindowState state, ModelRef.Version profileVersion,
                         ModelRef.Version aliasVersion) {
        /** Checks arguments. */
        public Window {
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(profileVersion, "profileVersion");
            Objects.requireNonNull(aliasVersion, "aliasVersion");
        }

        /** @return the digest of the profile the window was compared with */
        public String profileSha256() {
            return state.profileSha256();
        }
    }

    /**
     * What the monitor did when the alias moved.
     *
     * @param kind     what happened
     * @param at       when (the monitor's clock)
     * @param from     the version whose profile was in use before
     * @param to       the version the alias points at now
     * @param immediate for {@link Kind#SWITCHED}: true if the open window had no row and the switch
     *                 was immediate, false if it waits for the open window to close
     * @param message  what happened, in words (the same as the log line)
     */
    public record Change(Kind kind, Instant at, ModelRef.Version from, ModelRef.Version to, boolean immediate,
                         String message) {
        /** Checks arguments. */
        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(message, "message");
        }

        /** What the monitor did about an alias move. */
        public enum Kind {
            /** The new version's profile is used (now, or from the next window). */
            SWITCHED,
            /** The new version has no drift profile attachment: the previous profile stays in use. */
            NO_PROFILE,
            /** The new version's profile cannot be read or has other columns: the previous profile stays in use. */
            UNUSABLE_PROFILE,
            /** The alias was removed: the last profile stays in use. */
            ALIAS_REMOVED
        }
    }

    /** @return the alias followed */
    public ModelRef.Alias alias() {
        return alias;
    }

    /** @return the monitor itself: windows, {@link DriftMonitor#observe}, snapshot, counters */
    public DriftMonitor monitor() {
        return monitor;
    }

    /** @return the version whose profile the next window to close will be compared with */
    public ModelRef.Version profileVersion() {
        return (ModelRef.Version) monitor.currentTag();
    }

    /** @return the version the alias pointed at when last checked */
    public ModelRef.Version aliasVersion() {
        return aliasVersion;
    }

    /**
     * An input observer for a model service, as {@link DriftMonitor#observer} makes.
     *
     * @param extractor writes the features of one input
     * @param <I>       input type
     * @return the observer
     */
    public <I> InputObserver<I> observer(FeatureExtractor<I> extractor) {
        return monitor.observer(extractor);
    }

    /**
     * An input observer for a model service whose rows carry the event time of their input, as
     * {@link DriftMonitor#observer(FeatureExtractor, Function)} makes: reports show the data's
     * time range instead of the time of processing.
     *
     * @param extractor writes the features of one input
     * @param eventTime the time an input describes
     * @param <I>       input type
     * @return the observer
     */
    public <I> InputObserver<I> observer(FeatureExtractor<I> extractor, Function<? super I, Instant> eventTime) {
        return monitor.observer(extractor, eventTime);
    }

    /**
     * Reads where the alias points now and switches profile if it moved, on the calling thread
     * (for moves made by other processes, or to be sure a move in this JVM was handled before
     * going on).
     *
     * @return the change, if the alias had moved since the last check
     */
    public Optional<Change> refresh() {
        if (closed) {
            return Optional.empty();
        }
        return check();
    }

    /** Stops following the alias (the monitor itself keeps working with its current profile). Idempotent. */
    @Override
    public void close() {
        closed = true;
        subscription.close();
        worker.shutdownNow();
    }

    @Override
    public String toString() {
        return "AliasDriftMonitor[" + alias + ", profile of " + profileVersion() + ", " + monitor + "]";
    }

    // ------------------------------------------------------------------ following

    /** From the alias listener: only hands over to the worker (the listener must not block). */
    private void requestCheck() {
        if (closed || !checkQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                checkQueued.set(false);
                checkQuietly();
            });
        } catch (RejectedExecutionException e) {
            checkQueued.set(false);
        }
    }

    private void checkQuietly() {
        try {
            if (!closed) {
                check();
            }
        } catch (RuntimeException e) {
            // never end the schedule; the next move or poll tries again
            LOG.warn("drift monitor of {}: checking the alias failed: {}", alias, e.toString(), e);
        }
    }

    private Optional<Change> check() {
        synchronized (checkLock) {
            ModelRef.Version from = profileVersion();
            ModelVersion target;
            try {
                target = registry.resolve(alias);
            } catch (NotFoundException e) {
                if (aliasVersion == null) {
                    return Optional.empty(); // already told
                }
                aliasVersion = null;
                return Optional.of(tell(new Change(Change.Kind.ALIAS_REMOVED, now(), from, from, false,
                        "drift monitor of " + alias + ": the alias was removed (" + e.getMessage()
                                + "); windows keep being compared with the profile of " + from)));
            }
            ModelRef.Version to = target.ref();
            if (to.equals(aliasVersion)) {
                return Optional.empty();
            }
            aliasVersion = to;
            if (to.equals(from)) {
                boolean cancelled = monitor.cancelSwitch();
                return Optional.of(tell(new Change(Change.Kind.SWITCHED, now(), from, to, true,
                        "drift monitor of " + alias + ": back at " + to + (cancelled
                                ? " before the open window closed; windows stay compared with its profile"
                                : ", whose profile is in use"))));
            }
            if (!target.attachments().containsKey(AttachmentNames.DRIFT_PROFILE)) {
                monitor.cancelSwitch(); // a switch to a version the alias has left since would be no truer
                return Optional.of(tell(new Change(Change.Kind.NO_PROFILE, now(), from, to, false,
                        "drift monitor of " + alias + ": " + to + " has no drift profile (attachment "
                                + Names.quote(AttachmentNames.DRIFT_PROFILE) + "); windows keep being compared with the"
                                + " profile of " + from + " until the alias points at a version with one")));
            }
            ReferenceProfile profile;
            boolean immediate;
            try {
                profile = ReferenceProfile.fromJson(registry.attachment(to, AttachmentNames.DRIFT_PROFILE));
                immediate = monitor.switchProfile(profile, to);
            } catch (RuntimeException e) {
                monitor.cancelSwitch();
                return Optional.of(tell(new Change(Change.Kind.UNUSABLE_PROFILE, now(), from, to, false,
                        "drift monitor of " + alias + ": the drift profile of " + to + " cannot be used (" + e.getMessage()
                                + "); windows keep being compared with the profile of " + from)));
            }
            return Optional.of(tell(new Change(Change.Kind.SWITCHED, now(), from, to, immediate,
                    "drift monitor of " + alias + ": moved to " + to + "; " + (immediate
                            ? "windows are compared with its profile from now on"
                            : "the open window is finished against the profile of " + from
                                    + ", the next ones are compared with the profile of " + to))));
        }
    }

    private Instant now() {
        return monitor.clock().instant();
    }

    private Change tell(Change c) {
        if (c.kind() == Change.Kind.SWITCHED) {
            LOG.info("{}", c.message());
        } else {
            LOG.warn("{}", c.message());
        }
        for (Consumer<? super Change> l : changeListeners) {
            try {
                l.accept(c);
            } catch (RuntimeException e) {
                LOG.warn("drift monitor of {}: a change listener threw: {}", alias, e.toString());
            }
        }
        return c;
    }

    private void windowClosed(DriftReport report, WindowState state, Object tag) {
        ModelRef.Version used = (ModelRef.Version) tag;
        ModelRef.Version at = aliasVersion;
        // the report names the version whose profile it was compared with, so it stands alone
        Window w = new Window(report.inputs().model().isPresent() ? report : report.withInputs(report.inputs().withModel(used.toString())),
                state, used, at == null ? used : at);
        for (Consumer<? super Window> l : listeners) {
            l.accept(w); // a throw is counted by the monitor as a listener failure
        }
    }

    // ------------------------------------------------------------------ builder

    /** Builds an {@link AliasDriftMonitor}; each setter checks its value at once. */
    public static final class Builder {
        private final ModelRegistry registry;
        private final ModelRef.Alias alias;
        private Consumer<DriftMonitor.Builder> configure;
        private final List<Consumer<? super Window>> listeners = new ArrayList<>();
        private final List<Consumer<? super Change>> changeListeners = new ArrayList<>();
        private Duration pollEvery;

        private Builder(ModelRegistry registry, ModelRef.Alias alias) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.alias = Objects.requireNonNull(alias, "alias");
        }

        /**
         * Configures the monitor: window, policy, clock, stripes, alerts, plain listeners.
         *
         * @param configure called with a builder of the initial version's profile; must set a window
         * @return this
         */
        public Builder monitor(Consumer<DriftMonitor.Builder> configure) {
            this.configure = Objects.requireNonNull(configure, "configure");
            return this;
        }

        /**
         * @param listener told of every closed window with the version whose profile it was compared with
         * @return this
         */
        public Builder listener(Consumer<? super Window> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param listener told of every alias move: the switch, or why there was none
         * @return this
         */
        public Builder onChange(Consumer<? super Change> listener) {
            changeListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Also polls the alias at this interval, for moves made by other processes (moves in this
         * JVM are heard at once without it).
         *
         * @param interval positive
         * @return this
         */
        public Builder pollEvery(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive, was " + interval);
            }
            this.pollEvery = interval;
            return this;
        }

        /**
         * Resolves the alias and reads its version's profile, then starts following.
         *
         * @return the monitor
         * @throws IllegalStateException if {@link #monitor} was not called or did not set a window
         * @throws NotFoundException if the alias is not set
         * @throws dev.mlops.api.ValidationException if the version has no drift profile, or an invalid one
         */
        public AliasDriftMonitor build() {
            if (configure == null) {
                throw new IllegalStateException("call monitor(b -> b.countWindow(n)) or monitor(b -> b.timeWindow(d))");
            }
            ModelVersion initial = registry.resolve(alias);
            if (!initial.attachments().containsKey(AttachmentNames.DRIFT_PROFILE)) {
                throw new dev.mlops.api.ValidationException(alias + " points at " + initial.ref()
                        + ", which has no drift profile (attachment " + Names.quote(AttachmentNames.DRIFT_PROFILE)
                        + "): register it with .attachment(AttachmentNames.DRIFT_PROFILE, profile.toJsonBytes())");
            }
            ReferenceProfile profile = ReferenceProfile.fromJson(registry.attachment(initial.ref(), AttachmentNames.DRIFT_PROFILE));
            return new AliasDriftMonitor(this, initial, profile);
        }
    }
}
