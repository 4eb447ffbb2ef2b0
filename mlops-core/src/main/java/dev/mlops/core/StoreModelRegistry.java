package dev.mlops.core;

import dev.mlops.api.AliasListener;
import dev.mlops.api.AliasMove;
import dev.mlops.api.Subscription;
import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DatasetCatalog;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.Environment;
import dev.mlops.api.Lineage;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.VersionStatus;
import dev.mlops.api.store.DocumentKey;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/** {@link ModelRegistry} over any store: every rule written once here. */
final class StoreModelRegistry implements ModelRegistry {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreModelRegistry.class);
    private static final int LIST_BATCH = 500;

    private final Documents docs;
    private final Artifacts artifacts;
    private final JournalAuditLog audit;
    private final DatasetCatalog datasets;
    private final Clock clock;
    private final VersionIndex index;
    private final String actor;
    private final BlobPins pins;
    /** Where a version's run is checked and told about it; the lineage links both ways. */
    private final StoreTracking tracking;

    StoreModelRegistry(Documents docs, Artifacts artifacts, JournalAuditLog audit, DatasetCatalog datasets,
                       Clock clock, String actor, BlobPins pins, StoreTracking tracking) {
        this.pins = pins;
        this.tracking = tracking;
        this.docs = docs;
        this.artifacts = artifacts;
        this.audit = audit;
        this.datasets = datasets;
        this.clock = clock;
        this.index = new VersionIndex(docs, clock);
        this.actor = actor;
    }

    // ---- models -----------------------------------------------------------------------------

    @Override
    public RegisteredModel createModel(String name, String description, Map<String, String> tags) {
        Names.requireValid(Names.Kind.MODEL, name);
        Objects.requireNonNull(description, "description");
        checkTags(tags);
        ModelDoc doc = ModelDoc.create(name, description, tags, now());
        try {
            docs.create(Keys.model(name), doc);
        } catch (ConflictException e) {
            // a document left by a registration that has no version yet is not a model: take it over
            Optional<Versioned<ModelDoc>> existing = docs.read(Keys.model(name), ModelDoc.class);
            if (existing.isEmpty() || !existing.get().value().isPending() || hasFirstVersion(name)) {
                throw new ConflictException("model " + Names.quote(name) + " already exists");
            }
            try {
                docs.replace(Keys.model(name), existing.get().revision(), doc);
            } catch (ConflictException raced) {
                throw new ConflictException("model " + Names.quote(name) + " already exists");
            }
        }
        audit.recordCommitted("model.create", name, Map.of(), JournalAuditLog.creationState(
                Map.of("description", description), tags, Map.of()));
        return toModel(doc);
    }

    @Override
    public Optional<RegisteredModel> findModel(String name) {
        Names.requireValid(Names.Kind.MODEL, name);
        return docs.read(Keys.model(name), ModelDoc.class).filter(v -> exists(v.value())).map(v -> toModel(v.value()));
    }

    @Override
    public RegisteredModel model(String name) {
        return toModel(modelDoc(name).value());
    }

    @Override
    public Page<RegisteredModel> listModels(PageRequest page) {
        Objects.requireNonNull(page, "page");
        Page<Versioned<ModelDoc>> p = docs.list(Keys.MODELS,
                page.pageToken().map(t -> PageTokens.name(Names.Kind.MODEL, "listModels", t)), page.size(), ModelDoc.class);
        return new Page<>(p.items().stream().filter(v -> exists(v.value())).map(v -> toModel(v.value())).toList(),
                p.nextPageToken());
    }

    /**
     * A model exists once it was created, or once a registration that created its document
     * committed the first version (the document may still say pending if that registration
     * stopped before confirming it).
     */
    private boolean exists(ModelDoc m) {
        return !m.isPending() || m.latestVersion() > 0 || hasFirstVersion(m.name());
    }

    private boolean hasFirstVersion(String name) {
        return docs.store().read(Keys.version(name, 1)).isPresent();
    }

    @Override
    public RegisteredModel setModelDescription(String name, String description) {
        Objects.requireNonNull(description, "description");
        String[] before = new String[1];
        ModelDoc doc = updateModel(name, m -> {
            before[0] = m.description();
            return m.description().equals(description) ? m : m.withDescription(description, now());
        });
        audit.recordCommitted("model.update", name, Map.of("description", before[0]), Map.of("description", description));
        return toModel(doc);
    }

    @Override
    public RegisteredModel setModelTag(String name, String key, String value) {
        Names.requireValid(Names.Kind.TAG, key);
        Objects.requireNonNull(value, "value");
        Map<String, String> before = new TreeMap<>();
        ModelDoc doc = updateModel(name, m -> {
            before.clear();
            before.putAll(tagState(m.tags(), key));
            Map<String, String> t = new TreeMap<>(m.tags());
            t.put(key, value);
            return m.withTags(t, now());
        });
        audit.recordCommitted("model.tag", name, before, Map.of("tag." + key, value));
        return toModel(doc);
    }

    @Override
    public RegisteredModel removeModelTag(String name, String key) {
        Names.requireValid(Names.Kind.TAG, key);
        Map<String, String> before = new TreeMap<>();
        ModelDoc doc = updateModel(name, m -> {
            before.clear();
            before.putAll(tagState(m.tags(), key));
            if (!m.tags().containsKey(key)) {
                return m;
            }
            Map<String, String> t = new TreeMap<>(m.tags());
            t.remove(key);
            return m.withTags(t, now());
        });
        if (!before.isEmpty()) {
            audit.recordCommitted("model.tag", name, before, Map.of());
        }
        return toModel(doc);
    }

    // ---- registration -----------------------------------------------------------------------

    /**
     * The commit point is the creation of the version document. Everything before it (blobs, the
     * model document of a new model, an idempotency claim) is invisible to readers if the call
     * fails; everything after it (the latest-version hint, the audit entries) is derived and is
     * restored by {@code verify(VerifyOptions.repair())} if it fails, so once the version exists the call succeeds.
     */
    @Override
    public ModelVersion register(String name, NewModelVersion spec) {
        Names.requireValid(Names.Kind.MODEL, name);
        Objects.requireNonNull(spec, "spec");
        checkLineage(spec.lineage());
        try (BlobPins.Pin pin = pins.pin("the registration of a version of model " + Names.quote(name))) {
            // blobs first: a rejected artifact leaves nothing behind, not even the model document
            ArtifactManifest manifest = artifacts.store(spec.artifact());
            Map<String, String> attachments = new TreeMap<>();
            spec.attachments().forEach((k, v) -> attachments.put(k, artifacts.putBytes(v).sha256()));
            Registration r = new Registration(name, spec, manifest, attachments, UUID.randomUUID().toString());
            if (spec.idempotencyKey().isEmpty()) {
                return commit(r, pin, Optional.empty());
            }
            return Idempotency.register(docs, pins.defaultWait(), name, spec.idempotencyKey().get(), r.fingerprint(),
                    onClaim -> commit(r, pin, Optional.of(onClaim)), number -> existing(name, number));
        }
    }

    /** What one register call writes. */
    private record Registration(String name, NewModelVersion spec, ArtifactManifest manifest,
                                Map<String, String> attachments, String id) {
        List<String> blobs() {
            List<String> out = new ArrayList<>();
            manifest.entries().forEach(e -> out.add(e.sha256()));
            out.addAll(attachments.values());
            return out;
        }

        /** What a retry with the same idempotency key must ask for again. */
        String fingerprint() {
            Lineage l = spec.lineage();
            Map<String, Object> f = new TreeMap<>();
            f.put("artifact", manifest.digest());
            f.put("format", spec.format());
            f.put("params", new TreeMap<>(spec.params()));
            f.put("metrics", new TreeMap<>(spec.metrics()));
            f.put("tags", new TreeMap<>(spec.tags()));
            f.put("attachments", new TreeMap<>(attachments));
            f.put("description", spec.description());
            f.put("signature", SignatureDoc.of(spec.signature())); // columns only: written as before tensors existed
            f.put("lineage", List.of(l.trainedOn().toString(), l.validatedOn().toString(), l.testedOn().toString(),
                    l.retrainedFrom().map(Object::toString).orElse(""), l.codeRef().orElse("")));
            // only when present, so the fingerprints of claims made before runs existed still match
            l.run().ifPresent(run -> f.put("run", run));
            return dev.mlops.api.Digests.sha256Hex(StoredDocuments.write(f));
        }
    }

    /**
     * Allocates the next free number by create-if-absent and commits the version there.
     *
     * @param onClaim called with the first number this call may take, before taking it
     */
    private ModelVersion commit(Registration r, BlobPins.Pin pin, Optional<java.util.function.IntConsumer> onClaim) {
        String name = r.name();
        ensureModel(name);
        pin.requireStored(r.blobs());
        ModelDoc model = docs.require(Keys.model(name), ModelDoc.class,
                () -> "model " + Names.quote(name) + " vanished during the registration").value();
        int first = model.latestVersion() + 1;
        onClaim.ifPresent(c -> c.accept(first));
        int candidate = first;
        VersionDoc doc;
        while (true) {
            doc = newVersionDoc(r, candidate);
            try {
                docs.create(Keys.version(name, candidate), doc);
                break;
            } catch (ConflictException taken) {
                candidate++;
            }
        }
        int registered = candidate;
        List<String> missing = pin.missingAfterCommit(r.blobs());
        if (!missing.isEmpty()) {
            repairBlobs(r, registered, missing);
        }
        confirm(name, registered);
        r.spec().lineage().run().ifPresent(run -> tracking.linkModel(run, new ModelRef.Version(name, registered)));
        audit.recordCommitted("version.register", name + "/" + registered, Map.of(), JournalAuditLog.creationState(
                Map.of("artifact_sha256", r.manifest().digest(), "format", r.spec().format()), r.spec().tags(),
                r.attachments()));
        return toVersion(doc, model);
    }

    /**
     * After the commit, the latest-version hint follows and a pending model document is
     * confirmed; whoever confirms it records the model's creation. Both are derived: a failure
     * is logged and repaired by verification.
     */
    private void confirm(String name, int registered) {
        boolean[] created = new boolean[1];
        try {
            updateModel(name, m -> {
                created[0] = m.isPending();
                if (m.latestVersion() >= registered && !m.isPending()) {
                    return m;
                }
                return m.withLatestVersion(registered, now()).confirmed();
            });
        } catch (dev.mlops.api.MlopsException e) {
            LOG.warn("version {}/{} is committed, but the model document could not be updated ({}); 'verify"
                    + " --repair' updates it", name, registered, e.getMessage());
            return;
        }
        if (created[0]) {
            audit.recordCommitted("model.create", name, Map.of(),
                    JournalAuditLog.creationState(Map.of("description", ""), Map.of(), Map.of()));
        }
    }

    /**
     * The collection lock was lost between the first blob and the commit (a database session
     * ended) and a collection deleted blobs of the committed version: the artifact is read
     * again; if it changed meanwhile the version cannot be made whole and is rolled back.
     */
    private void repairBlobs(Registration r, int registered, List<String> missing) {
        ModelRef.Version ref = new ModelRef.Version(r.name(), registered);
        try {
            ArtifactManifest again = artifacts.store(r.spec().artifact());
            Map<String, String> attachments = new TreeMap<>();
            r.spec().attachments().forEach((k, v) -> attachments.put(k, artifacts.putBytes(v).sha256()));
            if (again.digest().equals(r.manifest().digest()) && attachments.equals(r.attachments())) {
                LOG.warn("blobs {} of {} were collected while its store lock was lost; stored them again", missing, ref);
                return;
            }
        } catch (dev.mlops.api.MlopsException e) {
            LOG.warn("could not store the artifact of {} again: {}", ref, e.getMessage());
        }
        try {
            updateModel(r.name(), m -> m.isDeleted(registered) ? m : m.withDeleted(registered, now()));
            docs.update(Keys.version(r.name(), registered), VersionDoc.class, () -> "version " + ref + " vanished",
                    v -> v.deleted() ? v : v.tombstone());
        } catch (dev.mlops.api.MlopsException e) {
            throw new dev.mlops.api.IntegrityException("version " + ref + " was committed, but blobs " + missing
                    + " were collected while the store lock was lost and its artifact changed since, and it could not"
                    + " be rolled back (" + e.getMessage() + "); delete it and register again", e);
        }
        throw new dev.mlops.api.IntegrityException("registration of " + ref + " rolled back: blobs " + missing
                + " were collected while the store lock was lost, and the artifact changed before they could be stored"
                + " again; register again");
    }

    /** The version an earlier attempt with the same idempotency key made. */
    private ModelVersion existing(String name, int number) {
        ModelDoc model = modelDoc(name).value();
        return toVersion(liveVersionDoc(new ModelRef.Version(name, number), model).value(), model);
    }

    /**
     * Creates the model's document if there is none, marked pending: the model exists for
     * readers once its first version is committed.
     */
    private void ensureModel(String name) {
        if (docs.store().read(Keys.model(name)).isEmpty()) {
            try {
                docs.create(Keys.model(name), ModelDoc.pending(name, now()));
            } catch (ConflictException createdMeanwhile) {
                // another writer created it: fine
            }
        }
    }

    private void checkLineage(Lineage lineage) {
        for (DatasetRef d : lineage.datasets()) {
            datasets.version(d);
        }
        lineage.retrainedFrom().ifPresent(p -> version(p.model(), p.number()));
        lineage.run().ifPresent(tracking::run);
    }

    private VersionDoc newVersionDoc(Registration r, int number) {
        String name = r.name();
        NewModelVersion spec = r.spec();
        Lineage l = spec.lineage();
        VersionDoc.LineageDoc lineage = new VersionDoc.LineageDoc(
                l.trainedOn().stream().map(DatasetRef::toString).toList(),
                l.validatedOn().stream().map(DatasetRef::toString).toList(),
                l.testedOn().stream().map(DatasetRef::toString).toList(),
                l.retrainedFrom().map(ModelRef.Version::toString).orElse(null),
                l.codeRef().orElse(null), l.run().orElse(null));
        VersionDoc.EnvironmentDoc env = VersionDoc.EnvironmentDoc.current(spec.environmentExtra());
        return new VersionDoc(VersionDoc.SCHEMA_VERSION, name, number, false, spec.format(), r.manifest().entries(),
                SignatureDoc.of(spec.signature()), spec.params(), spec.metrics(), spec.tags(), r.attachments(), spec.description(), now(),
                actor, env, lineage, VersionStatus.ACTIVE.name(), null, r.id(), spec.idempotencyKey().orElse(null));
    }

    // ---- reading versions -------------------------------------------------------------------

    @Override
    public ModelVersion version(String name, int version) {
        ModelRef.Version ref = new ModelRef.Version(name, version);
        ModelDoc model = modelDoc(name).value();
        return toVersion(liveVersionDoc(ref, model).value(), model);
    }

    @Override
    public ModelVersion resolve(ModelRef ref) {
        Objects.requireNonNull(ref, "ref");
        if (ref instanceof ModelRef.Version v) {
            return version(v.model(), v.number());
        }
        ModelRef.Alias a = (ModelRef.Alias) ref;
        ModelDoc model = modelDoc(a.model()).value();
        Integer target = model.aliases().get(a.alias());
        if (target == null) {
            throw new NotFoundException("model " + Names.quote(a.model()) + " has no alias " + Names.quote(a.alias())
                    + "; its aliases are " + model.aliases().keySet());
        }
        return toVersion(liveVersionDoc(new ModelRef.Version(a.model(), target), model).value(), model);
    }

    /**
     * Pages by version number: numbers are dense (deleted versions keep a tombstone), so the
     * versions after the cursor are read directly instead of scanning the versions directory.
     * Past the latest-version hint (which may lag a registration in flight or a crash) it
     * probes until a number is absent. A filter by alias reads the alias's version only; a
     * filter by tag or metric consults the {@link VersionIndex} and reads only the versions it
     * cannot rule out.
     */
    @Override
    public Page<ModelVersion> listVersions(String name, VersionQuery query) {
        Objects.requireNonNull(query, "query");
        ModelDoc model = modelDoc(name).value();
        Integer aliasTarget = query.alias().map(a -> model.aliases().getOrDefault(a, -1)).orElse(null);
        int from = query.page().pageToken().map(t -> PageTokens.number("listVersions(" + name + ")", t)).orElse(0) + 1;
        if (aliasTarget != null) {
            return aliasPage(name, model, query, aliasTarget, from);
        }
        boolean indexed = !query.tags().isEmpty() || !query.minMetrics().isEmpty() || !query.maxMetrics().isEmpty();
        int want = query.page().size();
        List<ModelVersion> out = new ArrayList<>(Math.min(want, 256));
        int n = from;
        while (out.size() < want) {
            if (n > model.latestVersion() || !indexed) {
                Optional<Versioned<VersionDoc>> v = readVersionLeniently(name, n);
                if (v.isEmpty()) {
                    if (n > model.latestVersion()) {
                        return Page.last(out);
                    }
                } else if (matches(v.get().value(), model, query, null)) {
                    out.add(toVersion(v.get().value(), model));
                }
                n++;
                continue;
            }
            n = scanBucket(name, model, query, n, want, out);
        }
        int last = n - 1;
        boolean more = last < model.latestVersion() || docs.store().read(Keys.version(name, last + 1)).isPresent();
        return new Page<>(out, more ? Optional.of(Keys.number(last)) : Optional.empty());
    }

    /**
     * Examines versions from {@code n} to the end of its index bucket (or the latest-version
     * hint), reading only those the bucket cannot rule out, and records in the bucket the
     * versions it had to read because it did not know them.
     *
     * @return the first version not examined
     */
    private int scanBucket(String name, ModelDoc model, VersionQuery query, int n, int want, List<ModelVersion> out) {
        VersionIndex.Bucket bucket = index.read(name, VersionIndex.bucketOf(n));
        int end = Math.min(VersionIndex.lastOf(VersionIndex.bucketOf(n)), model.latestVersion());
        Map<Integer, VersionDoc> learned = new TreeMap<>();
        for (; n <= end && out.size() < want; n++) {
            VersionIndex.Entry e = bucket.doc().known(n);
            if (model.isDeleted(n) || (e != null && !e.mayMatch(query))) {
                continue;
            }
            Optional<Versioned<VersionDoc>> v = readVersionLeniently(name, n);
            if (v.isEmpty() || v.get().value() == null) {
                continue;
            }
            if (e == null && bucket.doc().unrecorded(n)) {
                learned.put(n, v.get().value());
            }
            if (matches(v.get().value(), model, query, null)) {
                out.add(toVersion(v.get().value(), model));
            }
        }
        index.record(name, bucket, learned);
        return n;
    }

    /** The page of a query by alias: at most the alias's version, if it is at or after the cursor. */
    private Page<ModelVersion> aliasPage(String name, ModelDoc model, VersionQuery query, int target, int from) {
        if (target < from) {
            return Page.last(List.of());
        }
        return Page.last(readVersionLeniently(name, target).map(Versioned::value)
                .filter(d -> matches(d, model, query, target)).map(d -> toVersion(d, model)).stream().toList());
    }

    /** Reads version {@code n}; a damaged document counts as present and is skipped with a warning. */
    private Optional<Versioned<VersionDoc>> readVersionLeniently(String name, int n) {
        try {
            return docs.read(Keys.version(name, n), VersionDoc.class);
        } catch (dev.mlops.api.IntegrityException e) {
            LOG.warn("skipping damaged version document {} in a listing; run verify for details: {}",
                    Keys.version(name, n), e.getMessage());
            return Optional.of(new Versioned<>(null, 0));
        }
    }

    private static boolean matches(VersionDoc d, ModelDoc model, VersionQuery q, Integer aliasTarget) {
        if (d == null || d.deleted() || model.isDeleted(d.version())) {
            return false;
        }
        if (!q.includeArchived() && VersionStatus.ARCHIVED.name().equals(d.status())) {
            return false;
        }
        if (aliasTarget != null && aliasTarget != d.version()) {
            return false;
        }
        for (Map.Entry<String, String> t : q.tags().entrySet()) {
            if (!t.getValue().equals(d.tags().get(t.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, Double> m : q.minMetrics().entrySet()) {
            Double v = d.metrics().get(m.getKey());
            if (v == null || v < m.getValue()) {
                return false;
            }
        }
        for (Map.Entry<String, Double> m : q.maxMetrics().entrySet()) {
            Double v = d.metrics().get(m.getKey());
            if (v == null || v > m.getValue()) {
                return false;
            }
        }
        return true;
    }

    // ---- version changes --------------------------------------------------------------------

    @Override
    public ModelVersion setVersionTag(ModelRef.Version ref, String key, String value) {
        Names.requireValid(Names.Kind.TAG, key);
        Objects.requireNonNull(value, "value");
        Map<String, String> before = new TreeMap<>();
        Updated d = updateVersion(ref, v -> {
            before.clear();
            before.putAll(tagState(v.tags(), key));
            Map<String, String> t = new TreeMap<>(v.tags());
            t.put(key, value);
            return v.withTags(t, now());
        });
        audit.recordCommitted("version.tag", ref.toString(), before, Map.of("tag." + key, value));
        return d.toVersion();
    }

    @Override
    public ModelVersion removeVersionTag(ModelRef.Version ref, String key) {
        Names.requireValid(Names.Kind.TAG, key);
        Map<String, String> before = new TreeMap<>();
        Updated d = updateVersion(ref, v -> {
            before.clear();
            before.putAll(tagState(v.tags(), key));
            if (!v.tags().containsKey(key)) {
                return v;
            }
            Map<String, String> t = new TreeMap<>(v.tags());
            t.remove(key);
            return v.withTags(t, now());
        });
        if (!before.isEmpty()) {
            audit.recordCommitted("version.tag", ref.toString(), before, Map.of());
        }
        return d.toVersion();
    }

    @Override
    public ModelVersion archive(ModelRef.Version ref) {
        return setStatus(ref, VersionStatus.ARCHIVED, "version.archive");
    }

    @Override
    public ModelVersion restore(ModelRef.Version ref) {
        return setStatus(ref, VersionStatus.ACTIVE, "version.restore");
    }

    private ModelVersion setStatus(ModelRef.Version ref, VersionStatus status, String action) {
        String[] before = new String[1];
        Updated d = updateVersion(ref, v -> {
            before[0] = v.status();
            return v.status().equals(status.name()) ? v : v.withStatus(status.name(), now());
        });
        if (!before[0].equals(status.name())) {
            audit.recordCommitted(action, ref.toString(), Map.of("status", before[0]), Map.of("status", status.name()));
        }
        return d.toVersion();
    }

    @Override
    public void deleteVersion(ModelRef.Version ref) {
        Objects.requireNonNull(ref, "ref");
        liveVersionDoc(ref, modelDoc(ref.model()).value());
        // Marking the model document first, by compare-and-set, orders the delete against
        // concurrent alias moves: an alias can never be set to a version being deleted.
        updateModel(ref.model(), m -> {
            if (m.isDeleted(ref.number())) {
                throw new NotFoundException("version " + ref + " does not exist (it was deleted)");
            }
            List<String> holders = m.aliases().entrySet().stream()
                    .filter(e -> e.getValue() == ref.number()).map(Map.Entry::getKey).toList();
            if (!holders.isEmpty()) {
                throw new ConflictException("version " + ref + " cannot be deleted: aliases " + holders
                        + " point at it; move or remove them first");
            }
            return m.withDeleted(ref.number(), now());
        });
        // committed: the tombstone only frees the artifact's blobs, and verification finishes it
        try {
            docs.update(Keys.version(ref.model(), ref.number()), VersionDoc.class,
                    () -> "version " + ref + " does not exist", v -> v.deleted() ? v : v.tombstone());
        } catch (dev.mlops.api.MlopsException e) {
            LOG.warn("version {} is deleted, but its document could not be made a tombstone ({}); 'verify --repair'"
                    + " finishes it", ref, e.getMessage());
        }
        audit.recordCommitted("version.delete", ref.toString(), Map.of("status", "present"), Map.of("status", "deleted"));
    }

    // ---- aliases ----------------------------------------------------------------------------

    @Override
    public ModelVersion setAlias(String name, String alias, int version) {
        return moveAlias(name, alias, version, null, Map.of());
    }

    @Override
    public ModelVersion setAliasIf(String name, String alias, int version, OptionalInt expected,
                                   Map<String, String> evidence) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(evidence, "evidence");
        for (String key : evidence.keySet()) {
            if (key.equals("from") || key.equals("to") || key.equals("move")) {
                throw new IllegalArgumentException("evidence key " + Names.quote(key)
                        + " is the registry's own; use another name");
            }
        }
        return moveAlias(name, alias, version, expected, evidence);
    }

    /**
     * Moves the alias by compare-and-set on the model document; {@code expected} null means
     * unconditionally (audited {@code alias.set}), else only from that holder (audited
     * {@code alias.promote}, with the evidence).
     */
    private ModelVersion moveAlias(String name, String alias, int version, OptionalInt expected,
                                   Map<String, String> evidence) {
        Names.requireValid(Names.Kind.ALIAS, alias);
        ModelRef.Version ref = new ModelRef.Version(name, version);
        VersionDoc target = liveVersionDoc(ref, modelDoc(name).value()).value();
        Integer[] from = new Integer[1];
        boolean[] moved = new boolean[1];
        int[] number = new int[1];
        ModelDoc doc = updateModel(name, m -> {
            if (m.isDeleted(version)) {
                throw new NotFoundException("version " + ref + " does not exist (it was deleted)");
            }
            Integer current = m.aliases().get(alias);
            if (expected != null && !Objects.equals(current, expected.isPresent() ? expected.getAsInt() : null)) {
                throw new ConflictException("alias " + name + "@" + alias + " moved since the decision to move it: it was "
                        + (expected.isPresent() ? String.valueOf(expected.getAsInt()) : "unset") + " and is now "
                        + (current == null ? "unset" : current) + "; decide again against the new holder");
            }
            from[0] = current;
            moved[0] = current == null || current != version;
            if (!moved[0]) {
                return m;
            }
            List<Integer> stack = new ArrayList<>(m.rollbackStack().getOrDefault(alias, List.of()));
            if (current != null) {
                stack.add(current);
            }
            number[0] = m.nextMoveNumber(alias);
            return archiveHistory(m.withAlias(alias, version, stack, move(AliasMove.Kind.SET, current, version), now()),
                    alias);
        });
        if (moved[0]) {
            Map<String, String> after = new TreeMap<>(evidence);
            after.putAll(moveState(number[0], version));
            audit.recordCommitted(expected == null ? "alias.set" : "alias.promote", name + "@" + alias,
                    versionState(from[0]), after);
            AliasEvents.fire(docs.store().describe(), name, alias);
        }
        return toVersion(target, doc);
    }

    @Override
    public Subscription onAliasMoved(String model, AliasListener listener) {
        Names.requireValid(Names.Kind.MODEL, model);
        return AliasEvents.subscribe(docs.store().describe(), model, listener);
    }

    @Override
    public ModelVersion rollback(String name, String alias) {
        Names.requireValid(Names.Kind.ALIAS, alias);
        Integer[] fromTo = new Integer[2];
        int[] number = new int[1];
        VersionDoc[] targetDoc = new VersionDoc[1];
        ModelDoc doc = updateModel(name, m -> {
            List<Integer> stack = new ArrayList<>(m.rollbackStack().getOrDefault(alias, List.of()));
            Integer target = null;
            while (!stack.isEmpty() && target == null) {
                int candidate = stack.remove(stack.size() - 1);
                if (!m.isDeleted(candidate)) {
                    target = candidate;
                }
            }
            if (target == null) {
                throw new ConflictException("alias " + name + "@" + alias + " has no earlier version to roll back to");
            }
            // read before the commit: the answer is built from it, and a read failing after the
            // commit would report the committed rollback as failed
            targetDoc[0] = liveVersionDoc(new ModelRef.Version(name, target), m).value();
            fromTo[0] = m.aliases().get(alias);
            fromTo[1] = target;
            number[0] = m.nextMoveNumber(alias);
            return archiveHistory(m.withAlias(alias, target, stack, move(AliasMove.Kind.ROLLBACK, fromTo[0], target),
                    now()), alias);
        });
        audit.recordCommitted("alias.rollback", name + "@" + alias, versionState(fromTo[0]), moveState(number[0], fromTo[1]));
        AliasEvents.fire(docs.store().describe(), name, alias);
        return toVersion(targetDoc[0], doc);
    }

    @Override
    public void removeAlias(String name, String alias) {
        Names.requireValid(Names.Kind.ALIAS, alias);
        Integer[] from = new Integer[1];
        int[] number = new int[1];
        updateModel(name, m -> {
            Integer current = m.aliases().get(alias);
            if (current == null) {
                throw new NotFoundException("model " + Names.quote(name) + " has no alias " + Names.quote(alias));
            }
            from[0] = current;
            List<Integer> stack = new ArrayList<>(m.rollbackStack().getOrDefault(alias, List.of()));
            stack.add(current);
            number[0] = m.nextMoveNumber(alias);
            return archiveHistory(m.withAlias(alias, null, stack, move(AliasMove.Kind.REMOVE, current, null), now()),
                    alias);
        });
        audit.recordCommitted("alias.remove", name + "@" + alias, versionState(from[0]), moveState(number[0], null));
        AliasEvents.fire(docs.store().describe(), name, alias);
    }

    @Override
    public List<AliasMove> aliasHistory(String name, String alias) {
        Names.requireValid(Names.Kind.ALIAS, alias);
        ModelDoc model = modelDoc(name).value();
        List<ModelDoc.AliasMoveDoc> moves = new ArrayList<>();
        int archived = model.archivedMoves().getOrDefault(alias, 0);
        for (int start = 0; start < archived; start += ModelDoc.HISTORY_CHUNK) {
            int s = start;
            moves.addAll(docs.require(Keys.aliasHistory(name, alias).child(Keys.number(start)),
                    ModelDoc.HistoryChunk.class, () -> "archived alias history " + name + "@" + alias + " from move "
                            + s + " is missing").value().moves());
        }
        moves.addAll(model.aliasHistory().getOrDefault(alias, List.of()));
        return moves.stream()
                .map(m -> new AliasMove(alias, AliasMove.Kind.valueOf(m.kind()), Optional.ofNullable(m.from()),
                        Optional.ofNullable(m.to()), Instant.parse(m.at()), m.actor()))
                .toList();
    }

    /**
     * Keeps the model document small: once an alias has more than two chunks of moves in it, the
     * oldest chunk is written to its own document first and then dropped from the model
     * document in the same compare-and-set. The chunk holds only committed moves, which never
     * change, so writing it again on a retry writes the same thing.
     */
    private ModelDoc archiveHistory(ModelDoc m, String alias) {
        if (!m.historyNeedsArchiving(alias)) {
            return m;
        }
        int start = m.archivedMoves().getOrDefault(alias, 0);
        try {
            docs.create(Keys.aliasHistory(m.name(), alias).child(Keys.number(start)),
                    new ModelDoc.HistoryChunk(ModelDoc.SCHEMA_VERSION, start, m.oldestChunk(alias)));
        } catch (ConflictException writtenByAnEarlierAttempt) {
            // same committed moves, written by a retry or a concurrent writer
        }
        return m.withOldestChunkArchived(alias);
    }

    private ModelDoc.AliasMoveDoc move(AliasMove.Kind kind, Integer from, Integer to) {
        return new ModelDoc.AliasMoveDoc(kind.name(), from, to, now(), actor);
    }

    // ---- artifacts and lineage --------------------------------------------------------------

    @Override
    public InputStream openArtifact(ModelRef.Version ref, String path) {
        Names.requireValidPath(path);
        ModelVersion v = version(ref.model(), ref.number());
        return artifacts.open(Artifacts.entry(v.artifact(), path, "version " + ref), "version " + ref);
    }

    @Override
    public Path exportArtifact(ModelRef.Version ref, Path targetDirectory) {
        Objects.requireNonNull(targetDirectory, "targetDirectory");
        ModelVersion v = version(ref.model(), ref.number());
        return artifacts.export(v.artifact(), targetDirectory, "version " + ref);
    }

    @Override
    public byte[] attachment(ModelRef.Version ref, String name) {
        Names.requireValid(Names.Kind.TAG, name);
        ModelVersion v = version(ref.model(), ref.number());
        String sha = v.attachments().get(name);
        if (sha == null) {
            throw new NotFoundException("version " + ref + " has no attachment " + Names.quote(name)
                    + "; it has " + v.attachments().keySet());
        }
        return artifacts.readAll(sha, "attachment " + name + " of " + ref);
    }

    /**
     * The blob is stored first, then the version document gains the name by compare-and-set: a
     * crash in between leaves only an unreferenced blob for garbage collection.
     */
    @Override
    public ModelVersion addAttachment(ModelRef.Version ref, String name, byte[] content) {
        Objects.requireNonNull(ref, "ref");
        Names.requireValid(Names.Kind.TAG, name);
        Objects.requireNonNull(content, "content");
        try (BlobPins.Pin pin = pins.pin("adding attachment " + Names.quote(name) + " to " + ref)) {
            String sha = artifacts.putBytes(content).sha256();
            pin.requireStored(List.of(sha));
            return attach(ref, name, sha, content.length);
        }
    }

    private ModelVersion attach(ModelRef.Version ref, String name, String sha, int size) {
        boolean[] added = new boolean[1];
        Updated d = updateVersion(ref, v -> {
            String existing = v.attachments().get(name);
            added[0] = existing == null;
            if (existing == null) {
                return v.withAttachment(name, sha, now());
            }
            if (!existing.equals(sha)) {
                throw new ConflictException("version " + ref + " already has an attachment " + Names.quote(name)
                        + " with other content; attachments are append-only, choose a new name");
            }
            return v;
        });
        if (added[0]) {
            audit.recordCommitted("version.attach", ref.toString(), Map.of(),
                    Map.of("attachment", name, "sha256", sha, "size", Integer.toString(size)));
        }
        return d.toVersion();
    }

    @Override
    public List<ModelVersion> versionsUsing(DatasetRef dataset) {
        Objects.requireNonNull(dataset, "dataset");
        String wanted = dataset.toString();
        List<ModelVersion> out = new ArrayList<>();
        forEachVersion(false, (model, v) -> {
            VersionDoc.LineageDoc l = v.lineage();
            if (l != null && (l.trainedOn().contains(wanted) || l.validatedOn().contains(wanted)
                    || l.testedOn().contains(wanted))) {
                out.add(toVersion(v, model));
            }
        });
        return out;
    }

    /**
     * Visits every live version of every model, in name and number order.
     *
     * @param strict fail on a damaged document instead of skipping it (garbage collection must
     *     never take a skipped version's blobs for unreferenced)
     */
    void forEachVersion(boolean strict, java.util.function.BiConsumer<ModelDoc, VersionDoc> visitor) {
        forEachModel(strict, model -> {
            Optional<String> cursor = Optional.empty();
            do {
                Page<Versioned<VersionDoc>> page = strict
                        ? docs.listStrict(Keys.versions(model.name()), cursor, LIST_BATCH, VersionDoc.class)
                        : docs.list(Keys.versions(model.name()), cursor, LIST_BATCH, VersionDoc.class);
                for (Versioned<VersionDoc> v : page.items()) {
                    if (!v.value().deleted() && !model.isDeleted(v.value().version())) {
                        visitor.accept(model, v.value());
                    }
                }
                cursor = page.nextPageToken();
            } while (cursor.isPresent());
        });
    }

    void forEachModel(boolean strict, Consumer<ModelDoc> visitor) {
        Optional<String> cursor = Optional.empty();
        do {
            Page<Versioned<ModelDoc>> page = strict ? docs.listStrict(Keys.MODELS, cursor, LIST_BATCH, ModelDoc.class)
                    : docs.list(Keys.MODELS, cursor, LIST_BATCH, ModelDoc.class);
            page.items().forEach(v -> visitor.accept(v.value()));
            cursor = page.nextPageToken();
        } while (cursor.isPresent());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Versioned<ModelDoc> modelDoc(String name) {
        Names.requireValid(Names.Kind.MODEL, name);
        Versioned<ModelDoc> m = docs.require(Keys.model(name), ModelDoc.class,
                () -> "model " + Names.quote(name) + " does not exist");
        if (!exists(m.value())) {
            throw new NotFoundException("model " + Names.quote(name) + " does not exist (a registration of its first"
                    + " version is in progress, or failed)");
        }
        return m;
    }

    private ModelDoc updateModel(String name, java.util.function.UnaryOperator<ModelDoc> change) {
        Names.requireValid(Names.Kind.MODEL, name);
        return docs.update(Keys.model(name), ModelDoc.class, () -> "model " + Names.quote(name) + " does not exist",
                change).value();
    }

    private Versioned<VersionDoc> liveVersionDoc(ModelRef.Version ref, ModelDoc model) {
        Versioned<VersionDoc> v = docs.require(Keys.version(ref.model(), ref.number()), VersionDoc.class,
                () -> "version " + ref + " does not exist (model " + Names.quote(ref.model()) + " has versions up to "
                        + model.latestVersion() + ")");
        if (v.value().deleted() || model.isDeleted(ref.number())) {
            throw new NotFoundException("version " + ref + " does not exist (it was deleted)");
        }
        return v;
    }

    /** A version changed by compare-and-set, and its model as read before the change (for its aliases). */
    private record Updated(VersionDoc version, ModelDoc model) {
        ModelVersion toVersion() {
            return StoreModelRegistry.toVersion(version, model);
        }
    }

    /**
     * Changes a version by compare-and-set. The model document is read before, so that building
     * the answer needs no read after the commit: a read failing then would report a committed
     * change as failed. A change to what the {@link VersionIndex} records is made inside the
     * index's write protocol: a first attempt that finds it needs one starts the protocol and
     * applies the change again.
     */
    private Updated updateVersion(ModelRef.Version ref, java.util.function.UnaryOperator<VersionDoc> change) {
        Objects.requireNonNull(ref, "ref");
        ModelDoc model = modelDoc(ref.model()).value();
        DocumentKey key = Keys.version(ref.model(), ref.number());
        liveVersionDoc(ref, model);
        Optional<VersionIndex.Pending> pending = Optional.empty();
        boolean marked = false;
        try {
            while (true) {
                boolean protocol = marked;
                try {
                    VersionDoc d = docs.update(key, VersionDoc.class, () -> "version " + ref + " does not exist", v -> {
                        if (v.deleted()) {
                            throw new NotFoundException("version " + ref + " does not exist (it was deleted)");
                        }
                        VersionDoc next = change.apply(v);
                        if (!protocol && next != v && VersionIndex.changes(v, next)) {
                            throw new IndexMarkNeeded();
                        }
                        return next;
                    }).value();
                    return new Updated(d, model);
                } catch (IndexMarkNeeded e) {
                    pending = index.begin(ref.model(), ref.number());
                    marked = true;
                }
            }
        } finally {
            pending.ifPresent(index::end);
        }
    }

    /** Thrown out of a compare-and-set to start the index's write protocol; never leaves this class. */
    private static final class IndexMarkNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IndexMarkNeeded() {
            super(null, null, false, false);
        }
    }

    private static Map<String, String> tagState(Map<String, String> tags, String key) {
        return tags.containsKey(key) ? Map.of("tag." + key, tags.get(key)) : Map.of();
    }

    private static Map<String, String> versionState(Integer version) {
        return version == null ? Map.of() : Map.of("version", String.valueOf(version));
    }

    /** The alias's state after a move, with the move's number: its identity in the alias history. */
    private static Map<String, String> moveState(int number, Integer version) {
        Map<String, String> after = new TreeMap<>(versionState(version));
        after.put(JournalAuditLog.MOVE, Integer.toString(number));
        return after;
    }

    private static void checkTags(Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        tags.forEach((k, v) -> {
            Names.requireValid(Names.Kind.TAG, k);
            Objects.requireNonNull(v, "tag value");
        });
    }

    private String now() {
        return clock.instant().toString();
    }

    static RegisteredModel toModel(ModelDoc d) {
        return new RegisteredModel(d.name(), d.description(), d.tags(), d.aliases(), Instant.parse(d.createdAt()),
                Instant.parse(d.updatedAt()), d.latestVersion());
    }

    static ModelVersion toVersion(VersionDoc d, ModelDoc model) {
        try {
            return convert(d, model);
        } catch (dev.mlops.api.MlopsException | IllegalArgumentException | NullPointerException
                 | java.time.format.DateTimeParseException e) {
            throw new dev.mlops.api.IntegrityException("document " + Keys.version(d.model(), d.version())
                    + " is damaged: " + e.getMessage(), e);
        }
    }

    private static ModelVersion convert(VersionDoc d, ModelDoc model) {
        VersionDoc.LineageDoc l = d.lineage();
        Lineage lineage = l == null ? Lineage.NONE : new Lineage(
                l.trainedOn().stream().map(DatasetRef::parse).toList(),
                l.validatedOn().stream().map(DatasetRef::parse).toList(),
                l.testedOn().stream().map(DatasetRef::parse).toList(),
                Optional.ofNullable(l.retrainedFrom()).map(s -> (ModelRef.Version) ModelRef.parse(s)),
                Optional.ofNullable(l.codeRef()), Optional.ofNullable(l.run()));
        Environment env = VersionDoc.EnvironmentDoc.toEnvironment(d.environment());
        List<String> aliases = new ArrayList<>();
        model.aliases().forEach((a, v) -> {
            if (v == d.version()) {
                aliases.add(a);
            }
        });
        return new ModelVersion(d.model(), d.version(), d.format(), new ArtifactManifest(d.artifact()), d.signature().toSignature(),
                d.params(), d.metrics(), d.tags(), d.attachments(), d.description(), Instant.parse(d.createdAt()),
                d.creator(), env, lineage, VersionStatus.valueOf(d.status()), aliases);
    }
}
