package dev.mlops.core;

import dev.mlops.api.AuditLog;
import dev.mlops.api.DatasetCatalog;
import dev.mlops.api.GarbageCollection;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.Page;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.tracking.Tracking;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import dev.mlops.api.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The entry point: a model registry, a dataset catalog, experiment tracking and an audit log over
 * one store.
 *
 * <pre>{@code
 * try (Mlops mlops = Mlops.open(Path.of("/var/lib/mlops"))) {
 *     ModelVersion v = mlops.models().register("rain", NewModelVersion.builder()
 *             .artifact(Artifact.file(model)).format("onnx").metric("auc", 0.91).build());
 *     mlops.models().setAlias("rain", "production", v.number());
 * }
 * }</pre>
 *
 * Thread-safe; one instance per store and process is enough, though several are safe too.
 */
public final class Mlops implements AutoCloseable {
    private final Store store;
    private final Clock clock;
    private final JournalAuditLog audit;
    private final StoreDatasetCatalog datasets;
    private final StoreModelRegistry storeModels;
    private final StoreTracking tracking;
    private final ModelRegistry models;
    private final BlobPins pins;

    private Mlops(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        Documents docs = new Documents(store);
        Artifacts artifacts = new Artifacts(store);
        this.pins = new BlobPins(store, b.lockWait);
        this.audit = new JournalAuditLog(store, clock, b.actor);
        this.datasets = new StoreDatasetCatalog(docs, artifacts, audit, clock, b.actor, pins);
        this.tracking = new StoreTracking(docs, artifacts, audit, datasets, clock, b.actor, pins, b.metricBatchSize,
                b.runHeartbeat);
        this.storeModels = new StoreModelRegistry(docs, artifacts, audit, datasets, clock, b.actor, pins, tracking);
        this.models = b.cacheTtl.isZero() ? storeModels
                : new CachingModelRegistry(storeModels, store.describe(), b.cacheTtl, b.ticker);
    }

    /**
     * Opens (creating if needed) a filesystem store in {@code directory}. Needs
     * {@code dev.mlops:mlops-registry-fs} on the class path.
     *
     * @param directory the store's root directory
     * @return an instance over that store
     */
    public static Mlops open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return builder().store(Stores.open("fs", Map.of("path", directory.toString()))).build();
    }

    /** @return a builder for explicit wiring */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the model registry */
    public ModelRegistry models() {
        return models;
    }

    /** @return the dataset catalog */
    public DatasetCatalog datasets() {
        return datasets;
    }

    /** @return experiments and their runs ({@code docs/tracking.md}) */
    public Tracking tracking() {
        return tracking;
    }

    /** @return the audit log */
    public AuditLog audit() {
        return audit;
    }

    /**
     * The clock this instance stamps versions, moves and audit entries with. Extensions (gates,
     * cards, training loops) take their time from it, so one injected clock governs everything.
     *
     * @return the injected clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * @return a description of the store, the same for every instance over the same store (a
     *     directory, a database); for messages and for telling stores apart
     */
    public String describeStore() {
        return store.describe();
    }

    /**
     * Checks everything: store integrity (blob hashes, documents, leftovers), registry
     * consistency (versions, aliases, blob references), that every committed change has its
     * audit entry, the state against the audit trail, and the audit chain. A change whose audit
     * entry is missing counts only once it is older than the options' grace period (a live
     * writer may still be appending it).
     *
     * <pre>{@code
     * IntegrityReport report = mlops.verify(VerifyOptions.check());
     * mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO)); // no writer running
     * }</pre>
     *
     * @param options whether to repair, and the audit grace period
     * @return every problem found, each marked repaired or not
     */
    public IntegrityReport verify(VerifyOptions options) {
        Objects.requireNonNull(options, "options");
        Instant cutoff = clock.instant().minus(options.auditGracePeriod());
        return new IntegrityReport(new RegistryCheck(store, audit, options.repairs(), cutoff).run());
    }

    /**
     * Deletes blobs that nothing references and that were stored longer ago than
     * {@code gracePeriod}, waiting up to the builder's {@link Builder#lockWait lock wait} for
     * registrations in progress. See {@link #collectGarbage(Duration, Duration)}.
     *
     * @param gracePeriod minimum age of a deleted blob; any value is safe, zero included
     * @return what was removed
     */
    public GarbageCollection collectGarbage(Duration gracePeriod) {
        return collectGarbage(gracePeriod, pins.defaultWait());
    }

    /**
     * Deletes blobs that nothing references and that were stored longer ago than
     * {@code gracePeriod}.
     *
     * <p>Collection holds the store's collection lock exclusively while it reads what is
     * referenced and deletes the rest, and every writer of blobs in this library holds it shared
     * from its first blob until the document that references them is committed. So a blob of a
     * registration in flight is never collected, whatever the grace period; the grace period
     * only protects blobs written by other means (direct use of the store). The collection
     * waits up to {@code wait} for writers in progress to finish, and writers wait for it.
     *
     * @param gracePeriod minimum age of a deleted blob; not negative
     * @param wait how long to wait for registrations in progress; not negative
     * @return what was removed
     * @throws dev.mlops.api.ConflictException if writers held the lock for the whole wait;
     *     nothing was deleted
     * @throws dev.mlops.api.StorageException if deleting failed part way; the message says how
     *     many blobs were deleted before (only unreferenced ones)
     */
    public GarbageCollection collectGarbage(Duration gracePeriod, Duration wait) {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(wait, "wait");
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, was " + wait);
        }
        StoreLock fence = pins.exclusive(wait).orElseThrow(() -> new dev.mlops.api.ConflictException(
                "garbage collection did not start: registrations in progress held the collection lock of "
                        + store.describe() + " for the whole wait of " + wait + "; nothing was deleted, try again"));
        long examined = 0;
        long deleted = 0;
        long freed = 0;
        try (fence) {
            // Reading every live document first means a damaged one aborts the collection (it
            // throws) instead of letting its blobs look unreferenced.
            Set<String> referenced = new HashSet<>();
            storeModels.forEachVersion(true, (model, v) -> {
                v.artifact().forEach(e -> referenced.add(e.sha256()));
                referenced.addAll(v.attachments().values());
            });
            datasets.forEachVersionStrict(v -> referenced.addAll(StoreDatasetCatalog.blobsOf(v)));
            tracking.forEachRun(true, r -> r.artifacts().values().forEach(a -> a.forEach(e -> referenced.add(e.sha256()))));
            Instant cutoff = clock.instant().minus(gracePeriod);
            Optional<String> cursor = Optional.empty();
            do {
                Page<BlobInfo> page = store.listBlobs(cursor, 1000);
                for (BlobInfo b : page.items()) {
                    examined++;
                    if (!referenced.contains(b.sha256()) && b.storedAt().isBefore(cutoff)
                            && store.deleteBlob(b.sha256(), fence)) {
                        deleted++;
                        freed += b.size();
                    }
                }
                cursor = page.nextPageToken();
            } while (cursor.isPresent());
        } catch (dev.mlops.api.MlopsException e) {
            recordCollection(deleted, freed);
            if (deleted == 0) {
                throw e;
            }
            throw new dev.mlops.api.StorageException("garbage collection stopped after deleting " + deleted
                    + " unreferenced blob(s) (" + freed + " bytes): " + e.getMessage(), e);
        }
        recordCollection(deleted, freed);
        return new GarbageCollection(examined, deleted, freed);
    }

    private void recordCollection(long deleted, long freed) {
        if (deleted > 0) {
            audit.recordCommitted("store.gc", store.describe(), Map.of(),
                    Map.of("blobs_deleted", Long.toString(deleted), "bytes_freed", Long.toString(freed)));
        }
    }

    /** Closes the store (the instance owns the store it was given). */
    @Override
    public void close() {
        if (models instanceof CachingModelRegistry caching) {
            caching.close();
        }
        tracking.close();
        store.close();
    }

    /** Wires an {@link Mlops}. Fails at the call that is wrong. */
    public static final class Builder {
        private Store store;
        private Clock clock = Clock.systemUTC();
        private String actor = System.getProperty("user.name", "unknown");
        private Duration cacheTtl = Duration.ZERO;
        private Duration lockWait = Duration.ofMinutes(5);
        private int metricBatchSize = 1000;
        private Duration runHeartbeat = Duration.ofSeconds(30);
        private com.github.benmanes.caffeine.cache.Ticker ticker = com.github.benmanes.caffeine.cache.Ticker.systemTicker();

        private Builder() {
        }

        /**
         * @param store the backend; required. {@link Mlops#close()} closes it.
         * @return this
         */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param clock time source for creation times and audit entries; default UTC system clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param actor who is acting, recorded in the audit log; default the OS user
         * @return this
         */
        public Builder actor(String actor) {
            Objects.requireNonNull(actor, "actor");
            if (actor.isBlank()) {
                throw new IllegalArgumentException("actor must not be blank");
            }
            this.actor = actor;
            return this;
        }

        /**
         * Caches resolved model versions ({@code resolve}, {@code version}) for up to {@code ttl}.
         * Changes made through this instance are seen at once; changes made by other processes
         * within {@code ttl}. Default: no cache, every call reads the store.
         *
         * @param ttl how long a resolved version may be served from memory; zero disables the cache
         * @return this
         */
        public Builder metadataCache(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must not be negative, was " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * How long a registration waits for a garbage collection that is running, and a garbage
         * collection for registrations in progress, before giving up with a
         * {@link dev.mlops.api.ConflictException}. Default 5 minutes.
         *
         * @param wait not negative
         * @return this
         */
        public Builder lockWait(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("lockWait must not be negative, was " + wait);
            }
            this.lockWait = wait;
            return this;
        }

        /**
         * How many metric points a run's logger buffers before it writes them as one batch; the
         * logging call that fills the buffer waits for the write. Default 1,000.
         *
         * @param points 1 to 100,000
         * @return this
         */
        public Builder metricBatchSize(int points) {
            if (points < 1 || points > 100_000) {
                throw new IllegalArgumentException("metricBatchSize must be 1 to 100000 points, was " + points);
            }
            this.metricBatchSize = points;
            return this;
        }

        /**
         * How often a run's logger records that its process is alive (and writes its buffered
         * points). A run whose heartbeat is older than the timeout given to
         * {@link Tracking#failAbandoned} is taken for abandoned, so that timeout must be several
         * intervals. Default 30 seconds; zero turns the timer off (the heartbeat then moves only
         * when points, parameters or inputs are written).
         *
         * @param interval not negative
         * @return this
         */
        public Builder runHeartbeat(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("runHeartbeat must not be negative, was " + interval);
            }
            this.runHeartbeat = interval;
            return this;
        }

        /** Test seam: the cache's notion of time. */
        Builder ticker(com.github.benmanes.caffeine.cache.Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * @return the instance
         * @throws IllegalStateException if no store was given
         */
        public Mlops build() {
            if (store == null) {
                throw new IllegalStateException("a store is required: call store(...)");
            }
            return new Mlops(this);
        }
    }
}
