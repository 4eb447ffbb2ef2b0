package dev.mlops.core;

import dev.mlops.api.Artifact;
import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.Environment;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.Experiment;
import dev.mlops.api.tracking.MetricPoint;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunComparison;
import dev.mlops.api.tracking.RunQuery;
import dev.mlops.api.tracking.RunStatus;
import dev.mlops.api.tracking.Tracking;
import dev.mlops.core.RunDocs.ExperimentDoc;
import dev.mlops.core.RunDocs.MetricChunkDoc;
import dev.mlops.core.RunDocs.PointDoc;
import dev.mlops.core.RunDocs.RunDoc;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * {@link Tracking} over any store. A run is one document replaced whole by compare-and-set, so a
 * crash leaves it as it was before or after a change; metric points go to chunk documents written
 * once each (see {@link RunLogger}), then the run document's latest values follow.
 */
final class StoreTracking implements Tracking {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreTracking.class);
    private static final int LIST_BATCH = 1000;
    /** The tag {@link #failAbandoned} sets, holding the last heartbeat. */
    static final String ABANDONED_TAG = "mlops.abandoned";

    private final Documents docs;
    private final Artifacts artifacts;
    private final JournalAuditLog audit;
    private final StoreDatasetCatalog datasets;
    private final Clock clock;
    private final String actor;
    private final BlobPins pins;
    private final int batchSize;
    private final Duration heartbeat;
    private ScheduledExecutorService heartbeats;

    StoreTracking(Documents docs, Artifacts artifacts, JournalAuditLog audit, StoreDatasetCatalog datasets, Clock clock,
                  String actor, BlobPins pins, int batchSize, Duration heartbeat) {
        this.docs = docs;
        this.artifacts = artifacts;
        this.audit = audit;
        this.datasets = datasets;
        this.clock = clock;
        this.actor = actor;
        this.pins = pins;
        this.batchSize = batchSize;
        this.heartbeat = heartbeat;
    }

    Clock clock() {
        return clock;
    }

    int batchSize() {
        return batchSize;
    }

    /** Milliseconds, the precision points are stored with, so what is read equals what was logged. */
    private String now() {
        return Instant.ofEpochMilli(clock.millis()).toString();
    }

    // ---- starting and resuming ------------------------------------------------------------------

    @Override
    public ActiveRun startRun(String experiment, NewRun spec) {
        Names.requireValid(Names.Kind.MODEL, experiment);
        Objects.requireNonNull(spec, "spec");
        spec.inputs().forEach(datasets::version);
        ensureExperiment(experiment);
        String id = UUID.randomUUID().toString().replace("-", "");
        String now = now();
        VersionDoc.EnvironmentDoc env = VersionDoc.EnvironmentDoc.current(spec.environmentExtra());
        RunDoc doc = new RunDoc(RunDocs.SCHEMA_VERSION, id, experiment, spec.name(), RunStatus.RUNNING.name(), now,
                null, now, spec.params(), spec.tags(), Map.of(), Map.of(),
                spec.inputs().stream().distinct().map(DatasetRef::toString).toList(), List.of(), Map.of(),
                spec.codeRef().orElse(null), env, actor);
        docs.create(Keys.run(id), doc);
        audit.recordCommitted("run.start", id, Map.of(), Map.of("experiment", experiment, "status", "RUNNING"));
        return new RunLogger(this, id, true);
    }

    private void ensureExperiment(String name) {
        if (docs.store().read(Keys.experiment(name)).isEmpty()) {
            try {
                docs.create(Keys.experiment(name), new ExperimentDoc(RunDocs.SCHEMA_VERSION, name, now(), actor));
            } catch (ConflictException createdMeanwhile) {
                // another writer created it: fine
            }
        }
    }

    @Override
    public ActiveRun resumeRun(String runId) {
        RunDoc d = runDoc(runId).value();
        if (!d.status().equals(RunStatus.RUNNING.name())) {
            throw new ConflictException("run " + runId + " has ended (" + d.status() + "); it cannot be logged to");
        }
        return new RunLogger(this, runId, false);
    }

    /** Runs {@code beat} every heartbeat interval on one daemon thread per instance; null when disabled. */
    synchronized java.util.concurrent.ScheduledFuture<?> scheduleHeartbeat(Runnable beat) {
        if (heartbeat.isZero()) {
            return null;
        }
        if (heartbeats == null) {
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops-run-heartbeat");
                t.setDaemon(true);
                return t;
            });
        }
        long ms = heartbeat.toMillis();
        return heartbeats.scheduleWithFixedDelay(beat, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    synchronized void close() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    private Versioned<RunDoc> runDoc(String runId) {
        Run.requireValidId(runId);
        return docs.require(Keys.run(runId), RunDoc.class, () -> "no run " + runId);
    }

    @Override
    public Optional<Run> findRun(String runId) {
        Run.requireValidId(runId);
        return docs.read(Keys.run(runId), RunDoc.class).map(v -> toRun(v.value()));
    }

    @Override
    public Run run(String runId) {
        return toRun(runDoc(runId).value());
    }

    @Override
    public Optional<Experiment> findExperiment(String name) {
        Names.requireValid(Names.Kind.MODEL, name);
        return docs.read(Keys.experiment(name), ExperimentDoc.class).map(v -> toExperiment(v.value()));
    }

    @Override
    public Page<Experiment> listExperiments(PageRequest page) {
        Objects.requireNonNull(page, "page");
        return docs.list(Keys.EXPERIMENTS, page.pageToken().map(t -> PageTokens.name(Names.Kind.MODEL, "listExperiments", t)),
                page.size(), ExperimentDoc.class)
                .map(v -> toExperiment(v.value()));
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        Names.requireValid(Names.Kind.METRIC, key);
        runDoc(runId);
        List<MetricPoint> out = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<Versioned<MetricChunkDoc>> page = docs.listStrict(Keys.metricChunks(runId, key), cursor, LIST_BATCH,
                    MetricChunkDoc.class);
            for (Versioned<MetricChunkDoc> v : page.items()) {
                MetricChunkDoc c = v.value();
                if (!key.equals(c.key()) || !runId.equals(c.run()) || c.steps() == null || c.timestamps() == null
                        || c.values() == null || c.steps().length != c.values().length
                        || c.timestamps().length != c.values().length) {
                    throw new IntegrityException("a chunk of metric " + Names.quote(key) + " of run " + runId
                            + " is damaged: it names another metric or run, or its columns differ in length");
                }
                for (int i = 0; i < c.values().length; i++) {
                    out.add(new MetricPoint(c.steps()[i], Instant.ofEpochMilli(c.timestamps()[i]), c.values()[i]));
                }
            }
            cursor = page.nextPageToken();
        } while (cursor.isPresent());
        return out;
    }

    /**
     * Reads every run, MLflow's file store does the same; the filter needs each run's latest
     * metrics, which no index holds. Damaged runs are skipped with a warning, as in listings.
     */
    @Override
    public Page<Run> searchRuns(RunQuery query) {
        Objects.requireNonNull(query, "query");
        int offset = query.page().pageToken().map(t -> PageTokens.number("searchRuns", t)).orElse(0);
        Set<String> experiments = new HashSet<>(query.experiments());
        List<Run> matching = new ArrayList<>();
        forEachRun(false, d -> {
            if (experiments.isEmpty() || experiments.contains(d.experiment())) {
                Run r = toRun(d);
                if (query.filter().test(r)) {
                    matching.add(r);
                }
            }
        });
        matching.sort(query.order().comparator());
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + query.page().size(), matching.size());
        return new Page<>(matching.subList(from, to),
                to < matching.size() ? Optional.of(Integer.toString(to)) : Optional.empty());
    }

    @Override
    public RunComparison compareRuns(List<String> runIds, Optional<String> historyKey) {
        Objects.requireNonNull(runIds, "runIds");
        Objects.requireNonNull(historyKey, "historyKey");
        RunComparisons.requireComparable(runIds);
        historyKey.ifPresent(k -> Names.requireValid(Names.Kind.METRIC, k));
        List<Run> runs = runIds.stream().map(this::run).toList();
        return RunComparisons.compare(runs, historyKey, r -> metricHistory(r.id(), historyKey.orElseThrow()));
    }


    /**
     * Visits every run document.
     *
     * @param strict fail on a damaged document instead of skipping it (garbage collection must
     *     never take a skipped run's artifacts for unreferenced)
     */
    void forEachRun(boolean strict, Consumer<RunDoc> visitor) {
        Optional<String> cursor = Optional.empty();
        do {
            Page<Versioned<RunDoc>> page = strict
                    ? docs.listStrict(Keys.RUNS, cursor, LIST_BATCH, RunDoc.class)
                    : docs.list(Keys.RUNS, cursor, LIST_BATCH, RunDoc.class);
            page.items().forEach(v -> visitor.accept(v.value()));
            cursor = page.nextPageToken();
        } while (cursor.isPresent());
    }

    // ---- changing -----------------------------------------------------------------------------

    private RunDoc update(String runId, java.util.function.UnaryOperator<RunDoc> change) {
        Run.requireValidId(runId);
        return docs.update(Keys.run(runId), RunDoc.class, () -> "no run " + runId, change).value();
    }

    private static void requireRunning(RunDoc d, String what) {
        if (!d.status().equals(RunStatus.RUNNING.name())) {
            throw new ConflictException("run " + d.runId() + " has ended (" + d.status() + "); " + what
                    + " is refused: a run's record is closed when it ends");
        }
    }

    void logParams(String runId, Map<String, String> params) {
        Map<String, String> given = new TreeMap<>();
        params.forEach((k, v) -> given.put(Names.requireValid(Names.Kind.PARAMETER, k), Objects.requireNonNull(v, "value")));
        update(runId, d -> {
            requireRunning(d, "logging parameters " + given.keySet());
            Map<String, String> p = new TreeMap<>(d.params());
            for (Map.Entry<String, String> e : given.entrySet()) {
                String before = p.putIfAbsent(e.getKey(), e.getValue());
                if (before != null && !before.equals(e.getValue())) {
                    throw new ConflictException("parameter " + Names.quote(e.getKey()) + " of run " + runId + " is "
                            + Names.quote(before) + "; a parameter is written once, so " + Names.quote(e.getValue())
                            + " is refused (log it under another name)");
                }
            }
            return p.equals(d.params()) ? d : d.withParams(p, now());
        });
    }

    @Override
    public Run setRunTag(String runId, String key, String value) {
        Names.requireValid(Names.Kind.TAG, key);
        Objects.requireNonNull(value, "value");
        return toRun(update(runId, d -> {
            if (value.equals(d.tags().get(key))) {
                return d;
            }
            Map<String, String> t = new TreeMap<>(d.tags());
            t.put(key, value);
            return d.withTags(t);
        }));
    }

    void logInput(String runId, DatasetRef dataset) {
        Objects.requireNonNull(dataset, "dataset");
        datasets.version(dataset);
        update(runId, d -> {
            requireRunning(d, "logging input " + dataset);
            return d.inputs().contains(dataset.toString()) ? d : d.withInput(dataset.toString(), now());
        });
    }

    /** Blobs first under the collection pin, then the run document names them, as a registration does. */
    void logArtifact(String runId, String name, Artifact artifact) {
        Names.requireValid(Names.Kind.TAG, name);
        Objects.requireNonNull(artifact, "artifact");
        requireRunning(runDoc(runId).value(), "storing artifact " + Names.quote(name));
        try (BlobPins.Pin pin = pins.pin("storing artifact " + Names.quote(name) + " of run " + runId)) {
            ArtifactManifest manifest = artifacts.store(artifact);
            List<String> blobs = manifest.entries().stream().map(ArtifactEntry::sha256).toList();
            pin.requireStored(blobs);
            update(runId, d -> {
                List<ArtifactEntry> existing = d.artifacts().get(name);
                if (existing == null) {
                    requireRunning(d, "storing artifact " + Names.quote(name));
                    return d.withArtifact(name, manifest.entries(), now());
                }
                if (!new ArtifactManifest(existing).digest().equals(manifest.digest())) {
                    throw new ConflictException("run " + runId + " already has an artifact " + Names.quote(name)
                            + " with other content; artifacts are written once, choose a new name");
                }
                return d;
            });
            if (!pin.missingAfterCommit(blobs).isEmpty() && !artifacts.store(artifact).digest().equals(manifest.digest())) {
                throw new IntegrityException("artifact " + Names.quote(name) + " of run " + runId + " lost blobs to a"
                        + " garbage collection while the store lock was lost, and its source changed since; log it"
                        + " again under another name");
            }
        }
    }

    @Override
    public InputStream openArtifact(String runId, String name, String path) {
        Names.requireValid(Names.Kind.TAG, name);
        Names.requireValidPath(path);
        List<ArtifactEntry> entries = runDoc(runId).value().artifacts().get(name);
        if (entries == null) {
            throw new NotFoundException("run " + runId + " has no artifact " + Names.quote(name));
        }
        String owner = "artifact " + name + " of run " + runId;
        return artifacts.open(Artifacts.entry(new ArtifactManifest(entries), path, owner), owner);
    }

    /**
     * Stores one batch: each metric's points as its next chunk, then the run document's latest
     * values and chunk counts. A metric is removed from {@code byKey} once its chunk is stored,
     * so that after a failure the caller keeps only what was not.
     *
     * @param nextChunk per metric, the chunk number this logger tries first
     * @param latest per metric, the latest point not yet in the run document; cleared once it is
     */
    void appendPoints(String runId, Map<String, List<RunLogger.Pending>> byKey, Map<String, Integer> nextChunk,
                      Map<String, PointDoc> latest) {
        RunDoc run = runDoc(runId).value();
        requireRunning(run, "logging " + byKey.values().stream().mapToInt(List::size).sum() + " metric point(s) of "
                + byKey.keySet());
        Map<String, Integer> written = new TreeMap<>();
        for (var it = byKey.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            List<RunLogger.Pending> points = e.getValue();
            long[] steps = new long[points.size()];
            long[] times = new long[points.size()];
            double[] values = new double[points.size()];
            RunLogger.Pending best = null;
            for (int i = 0; i < points.size(); i++) {
                RunLogger.Pending p = points.get(i);
                steps[i] = p.step();
                times[i] = p.timestamp();
                values[i] = p.value();
                if (best == null || p.step() > best.step() || (p.step() == best.step()
                        && (p.timestamp() > best.timestamp() || (p.timestamp() == best.timestamp() && p.value() > best.value())))) {
                    best = p;
                }
            }
            if (best != null) {
                latest.merge(key, new PointDoc(best.step(), best.timestamp(), best.value()), StoreTracking::later);
            }
            MetricChunkDoc chunk = new MetricChunkDoc(RunDocs.SCHEMA_VERSION, runId, key, steps, times, values);
            int n = Math.max(nextChunk.getOrDefault(key, 1), run.metricChunks().getOrDefault(key, 0) + 1);
            while (true) {
                try {
                    docs.create(Keys.metricChunk(runId, key, n), chunk);
                    break;
                } catch (ConflictException taken) {
                    n++;
                }
            }
            nextChunk.put(key, n + 1);
            written.put(key, n);
            it.remove();
        }
        Map<String, PointDoc> reported = Map.copyOf(latest);
        update(runId, d -> {
            Map<String, PointDoc> m = new TreeMap<>(d.metrics());
            reported.forEach((k, p) -> m.merge(k, p, StoreTracking::later));
            Map<String, Integer> chunks = new TreeMap<>(d.metricChunks());
            written.forEach((k, n) -> chunks.merge(k, n, Math::max));
            return d.withMetrics(m, chunks, now());
        });
        reported.forEach(latest::remove);
    }

    /** The later of two points by {@link MetricPoint#LATEST_ORDER}. */
    static PointDoc later(PointDoc a, PointDoc b) {
        int c = Long.compare(a.step(), b.step());
        if (c == 0) {
            c = Long.compare(a.timestamp(), b.timestamp());
        }
        if (c == 0) {
            c = Double.compare(a.value(), b.value());
        }
        return c >= 0 ? a : b;
    }

    void touch(String runId) {
        update(runId, d -> d.status().equals(RunStatus.RUNNING.name()) ? d.withHeartbeat(now()) : d);
    }

    @Override
    public Run endRun(String runId, RunStatus status) {
        return end(runId, status, false);
    }

    /**
     * @param ifRunning end the run only if it is still running, and leave a run that ended
     *     otherwise as it is (a logger closed after the run was ended elsewhere)
     */
    Run end(String runId, RunStatus status, boolean ifRunning) {
        Objects.requireNonNull(status, "status");
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a run ends FINISHED, FAILED or KILLED, not " + status);
        }
        boolean[] changed = new boolean[1];
        RunDoc d = update(runId, r -> {
            if (r.status().equals(status.name()) || (ifRunning && !r.status().equals(RunStatus.RUNNING.name()))) {
                return r;
            }
            if (!r.status().equals(RunStatus.RUNNING.name())) {
                throw new ConflictException("run " + runId + " already ended " + r.status() + "; it cannot end "
                        + status + " as well");
            }
            changed[0] = true;
            return r.ended(status.name(), now(), r.tags());
        });
        if (changed[0]) {
            audit.recordCommitted("run.end", runId, Map.of("status", RunStatus.RUNNING.name()),
                    Map.of("status", status.name()));
        }
        return toRun(d);
    }

    @Override
    public List<Run> failAbandoned(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        Instant now = clock.instant();
        List<String> candidates = new ArrayList<>();
        forEachRun(false, d -> {
            if (toRun(d).isAbandoned(now, timeout)) {
                candidates.add(d.runId());
            }
        });
        List<Run> failed = new ArrayList<>();
        for (String id : candidates) {
            boolean[] marked = new boolean[1];
            RunDoc d = update(id, r -> {
                // checked again on the current revision: a logger may have beaten since
                if (!toRun(r).isAbandoned(now, timeout)) {
                    return r;
                }
                marked[0] = true;
                Map<String, String> t = new TreeMap<>(r.tags());
                t.put(ABANDONED_TAG, r.heartbeatAt());
                return r.ended(RunStatus.FAILED.name(), now(), t);
            });
            if (marked[0]) {
                audit.recordCommitted("run.end", id, Map.of("status", RunStatus.RUNNING.name()),
                        Map.of("status", RunStatus.FAILED.name(), ABANDONED_TAG, d.tags().get(ABANDONED_TAG)));
                failed.add(toRun(d));
            }
        }
        return failed;
    }

    /**
     * Adds a version registered from the run to its models, after the version is committed; the
     * version's lineage names the run whatever happens here.
     */
    void linkModel(String runId, ModelRef.Version version) {
        try {
            update(runId, d -> d.models().contains(version.toString()) ? d : d.withModel(version.toString()));
        } catch (dev.mlops.api.MlopsException e) {
            LOG.warn("version {} is committed with run {} in its lineage, but the run could not list it ({})", version,
                    runId, e.getMessage());
        }
    }

    // ---- conversion -----------------------------------------------------------------------------

    private static Experiment toExperiment(ExperimentDoc d) {
        return new Experiment(d.name(), Instant.parse(d.createdAt()), d.creator());
    }

    static Run toRun(RunDoc d) {
        try {
            Map<String, MetricPoint> metrics = new LinkedHashMap<>();
            d.metrics().forEach((k, p) -> metrics.put(k, new MetricPoint(p.step(), Instant.ofEpochMilli(p.timestamp()),
                    p.value())));
            Map<String, ArtifactManifest> outputs = new LinkedHashMap<>();
            d.artifacts().forEach((k, v) -> outputs.put(k, new ArtifactManifest(v)));
            Environment env = VersionDoc.EnvironmentDoc.toEnvironment(d.environment());
            return new Run(d.runId(), d.experiment(), d.name(), RunStatus.valueOf(d.status()),
                    Instant.parse(d.startTime()), Optional.ofNullable(d.endTime()).map(Instant::parse),
                    Instant.parse(d.heartbeatAt()), d.params(), d.tags(), metrics,
                    d.inputs().stream().map(DatasetRef::parse).toList(),
                    d.models().stream().map(s -> (ModelRef.Version) ModelRef.parse(s)).toList(), outputs,
                    Optional.ofNullable(d.codeRef()), env, d.creator());
        } catch (dev.mlops.api.MlopsException | IllegalArgumentException | NullPointerException | ClassCastException
                 | java.time.DateTimeException e) {
            throw new IntegrityException("document " + Keys.RUNS.child(String.valueOf(d.runId())) + " is damaged: "
                    + e.getMessage(), e);
        }
    }
}
