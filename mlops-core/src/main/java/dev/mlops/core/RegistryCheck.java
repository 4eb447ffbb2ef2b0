package dev.mlops.core;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.ConflictException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.Page;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.IntegrityProblem.Kind;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import dev.mlops.core.DatasetDocs.ContentIndexDoc;
import dev.mlops.core.DatasetDocs.DatasetDoc;
import dev.mlops.core.DatasetDocs.DatasetVersionDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Registry-level consistency, on top of what the store checks itself: every alias points at a
 * live version, every referenced blob exists with the recorded size, version numbers have no
 * holes, every committed change has its audit entry ({@link AuditCoverage}); half-finished
 * deletes, missing content-index entries and lost audit entries are completed on repair.
 * Documents are parsed one by one so one damaged document is reported, not fatal.
 */
final class RegistryCheck {
    private static final int BATCH = 500;

    private final Store store;
    private final Documents docs;
    private final JournalAuditLog audit;
    private final boolean repair;
    private final java.time.Instant auditCutoff;
    private final List<IntegrityProblem> problems = new ArrayList<>();
    /** Blob digest → what uses it ({@code rain/2 model.onnx}), to name the owner of a damaged blob. */
    private final java.util.Map<String, java.util.Set<String>> blobUsers = new java.util.TreeMap<>();
    private AuditCoverage coverage;

    /**
     * @param auditCutoff changes committed after it are not checked for their audit entry (their
     *     writer may still be appending it)
     */
    RegistryCheck(Store store, JournalAuditLog audit, boolean repair, java.time.Instant auditCutoff) {
        this.store = store;
        this.docs = new Documents(store);
        this.audit = audit;
        this.repair = repair;
        this.auditCutoff = auditCutoff;
    }

    List<IntegrityProblem> run() {
        List<IntegrityProblem> storeProblems = store.check(repair);
        problems.addAll(storeProblems);
        boolean chainOk = storeProblems.stream().noneMatch(p -> p.kind() == Kind.BROKEN_JOURNAL && !p.repaired());
        try {
            AuditVerification v = audit.verify();
            if (!v.ok() && chainOk) {
                problems.add(IntegrityProblem.unrepairable(Kind.BROKEN_JOURNAL, "journal entry " + v.firstBadSequence().getAsLong(),
                        v.detail()));
            }
            chainOk &= v.ok();
        } catch (MlopsException e) {
            if (chainOk) {
                problems.add(IntegrityProblem.unrepairable(Kind.BROKEN_JOURNAL, "journal", e.getMessage()));
            }
            chainOk = false;
        }
        // Entries removed from a broken chain look like lost ones: report them, but appending
        // recovered entries would paper over the tampering.
        coverage = new AuditCoverage(audit, auditCutoff, repair, chainOk, sha -> store.blobInfo(sha)
                .map(b -> java.util.OptionalLong.of(b.size())).orElse(java.util.OptionalLong.empty()));
        each(Keys.MODELS, (key, doc) -> checkModel(Documents.parse(doc, ModelDoc.class)));
        each(Keys.DATASETS, (key, doc) -> checkDataset(Documents.parse(doc, DatasetDoc.class)));
        problems.addAll(coverage.finish());
        replayAudit();
        nameBlobUsers(storeProblems.size());
        return problems;
    }

    /**
     * The store checks blobs by digest and does not know who uses them: add the model or dataset
     * versions that do to each of its blob problems, so a damaged blob names what it breaks.
     */
    private void nameBlobUsers(int storeProblems) {
        for (int i = 0; i < storeProblems; i++) {
            IntegrityProblem p = problems.get(i);
            java.util.Set<String> users = blobUsers.get(p.location());
            if (p.kind() == Kind.CORRUPT_BLOB && users != null) {
                problems.set(i, new IntegrityProblem(p.kind(), p.location(), p.detail() + "; used by "
                        + String.join(", ", users), p.repaired(), p.repairable()));
            }
        }
    }

    /** Checks the state against what the audit trail records ({@link AuditReplay}). */
    private void replayAudit() {
        AuditReplay replay = new AuditReplay(auditCutoff);
        try {
            for (long next = 1; ; next += BATCH) {
                List<dev.mlops.api.AuditEntry> batch = audit.entries(next, BATCH);
                batch.forEach(replay::replay);
                if (batch.size() < BATCH) {
                    break;
                }
            }
        } catch (MlopsException unreadable) {
            return; // the chain check reports it
        }
        problems.addAll(replay.compare(
                name -> docs.read(Keys.model(name), ModelDoc.class).map(Versioned::value),
                (name, n) -> docs.read(Keys.version(name, n), VersionDoc.class).map(Versioned::value),
                (model, alias) -> {
                    int before = problems.size();
                    Optional<List<ModelDoc.AliasMoveDoc>> h = aliasHistory(model, alias);
                    while (problems.size() > before) {
                        problems.remove(problems.size() - 1); // already reported by the walk over the state
                    }
                    return h;
                },
                name -> store.read(Keys.dataset(name)).isPresent(),
                (name, n) -> docs.read(Keys.datasetVersion(name, n), DatasetVersionDoc.class).map(Versioned::value)));
    }

    private void checkModel(Versioned<ModelDoc> versioned) {
        ModelDoc model = versioned.value();
        if (model.isPending() && store.read(Keys.version(model.name(), 1)).isEmpty()) {
            pendingLeftover(Keys.model(model.name()), versioned.revision(), model.createdAt(), "model",
                    Keys.model(model.name()).child("registrations"));
            return;
        }
        List<Integer> numbers = new ArrayList<>();
        java.util.Map<Integer, VersionIndex.Entry> live = new java.util.HashMap<>();
        each(Keys.versions(model.name()), (key, doc) -> {
            VersionDoc v = Documents.parse(doc, VersionDoc.class).value();
            numbers.add(v.version());
            if (!key.name().equals(Keys.number(v.version())) || !v.model().equals(model.name())) {
                problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, key.toString(),
                        "document describes " + v.model() + "/" + v.version()));
            }
            if (v.deleted()) {
                return;
            }
            if (model.isDeleted(v.version())) {
                finishDelete(key, doc.revision(), v);
                return;
            }
            StoreModelRegistry.toVersion(v, model);
            live.put(v.version(), VersionIndex.Entry.of(v));
            coverage.checkVersion(v);
            for (ArtifactEntry e : v.artifact()) {
                checkBlob(key, v.model() + "/" + v.version(), e.sha256(), e.size(), e.path());
            }
            v.attachments().forEach((name, sha) -> checkBlob(key, v.model() + "/" + v.version(), sha, -1, "attachment " + name));
        });
        checkNoHoles(Keys.versions(model.name()), numbers);
        checkVersionIndex(model, live);
        int max = numbers.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (model.latestVersion() < max || model.isPending()) {
            derivedModel(model, max);
        }
        model.aliases().forEach((alias, version) -> {
            if (!numbers.contains(version) || model.isDeleted(version)) {
                problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, model.name() + "@" + alias,
                        "alias points at version " + version + ", which does not exist"));
            }
        });
        coverage.checkModel(model);
        java.util.Set<String> aliases = new java.util.TreeSet<>(model.aliasHistory().keySet());
        aliases.addAll(model.archivedMoves().keySet());
        for (String alias : aliases) {
            aliasHistory(model, alias).ifPresent(moves -> coverage.checkAlias(model, alias, moves));
        }
    }

    /** The alias's whole history, archived chunks first; empty (and reported) if a chunk cannot be read. */
    private Optional<List<ModelDoc.AliasMoveDoc>> aliasHistory(ModelDoc model, String alias) {
        List<ModelDoc.AliasMoveDoc> moves = new ArrayList<>();
        int archived = model.archivedMoves().getOrDefault(alias, 0);
        for (int start = 0; start < archived; start += ModelDoc.HISTORY_CHUNK) {
            DocumentKey key = Keys.aliasHistory(model.name(), alias).child(Keys.number(start));
            try {
                Optional<Versioned<ModelDoc.HistoryChunk>> chunk = docs.read(key, ModelDoc.HistoryChunk.class);
                if (chunk.isEmpty()) {
                    problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, key.toString(), "archived alias history of "
                            + model.name() + "@" + alias + " from move " + (start + 1) + " is missing"));
                    return Optional.empty();
                }
                moves.addAll(chunk.get().value().moves());
            } catch (MlopsException e) {
                reportDamaged(key, e);
                return Optional.empty();
            }
        }
        moves.addAll(model.aliasHistory().getOrDefault(alias, List.of()));
        return Optional.of(moves);
    }

    /**
     * The version index must never rule out a version that matches, so every entry not marked by
     * a writer must agree with its version. A version changed outside the library (or by a process
     * that does not keep the index) breaks that; repair records the version as it is. A damaged
     * bucket is unused by listings and writers alike, so repair may simply remove it.
     */
    private void checkVersionIndex(ModelDoc model, java.util.Map<Integer, VersionIndex.Entry> live) {
        VersionIndex index = new VersionIndex(docs, java.time.Clock.systemUTC());
        each(Keys.model(model.name()).child("version-index"), (key, doc) -> {
            VersionIndex.BucketDoc bucket;
            try {
                bucket = Documents.parse(doc, VersionIndex.BucketDoc.class).value();
            } catch (MlopsException damaged) {
                boolean removed = repair && deleteQuietly(key, doc.revision());
                problems.add(IntegrityProblem.repairable(Kind.CORRUPT_DOCUMENT, key.toString(), "version index document"
                        + " is damaged (" + damaged.getMessage() + "); listings read these versions directly, and"
                        + " repair removes it to be rebuilt", removed));
                return;
            }
            List<Integer> stale = new ArrayList<>();
            bucket.entries().forEach((k, entry) -> {
                int n = Integer.parseInt(k);
                if (bucket.pending().containsKey(k) || model.isDeleted(n)) {
                    return;
                }
                if (!entry.equals(live.get(n)) && !entry.equals(current(model.name(), n))) {
                    stale.add(n);
                }
            });
            if (stale.isEmpty()) {
                return;
            }
            boolean repaired = false;
            String refused = "";
            if (repair) {
                try {
                    stale.forEach(n -> index.refresh(model.name(), n));
                    repaired = true;
                } catch (MlopsException e) {
                    refused = "; the repair failed: " + e.getMessage();
                }
            }
            problems.add(IntegrityProblem.repairable(Kind.INCONSISTENT, key.toString(), "version index entries of "
                    + model.name() + " versions " + stale + " differ from the versions (changed outside the library?);"
                    + " filtered listings may miss them until repair records them again" + refused, repaired));
        });
    }

    /** The version's index entry as it is now (it may have changed since the walk read it), or null. */
    private VersionIndex.Entry current(String model, int n) {
        try {
            return docs.read(Keys.version(model, n), VersionDoc.class)
                    .filter(v -> !v.value().deleted()).map(v -> VersionIndex.Entry.of(v.value())).orElse(null);
        } catch (MlopsException e) {
            return null;
        }
    }

    private boolean deleteQuietly(DocumentKey key, long revision) {
        try {
            store.delete(key, revision);
            return true;
        } catch (MlopsException e) {
            return false;
        }
    }

    private void finishDelete(DocumentKey key, long revision, VersionDoc v) {
        boolean repaired = false;
        if (repair) {
            try {
                store.replace(key, revision, StoredDocuments.write(v.tombstone()));
                repaired = true;
            } catch (ConflictException raced) {
                repaired = false;
            }
        }
        problems.add(IntegrityProblem.repairable(Kind.INCONSISTENT, key.toString(),
                "version is marked deleted in its model but not yet replaced by a tombstone (interrupted delete)", repaired));
    }

    private void checkDataset(Versioned<DatasetDoc> versioned) {
        DatasetDoc dataset = versioned.value();
        if (dataset.isPending() && store.read(Keys.datasetVersion(dataset.name(), 1)).isEmpty()) {
            pendingLeftover(Keys.dataset(dataset.name()), versioned.revision(), dataset.createdAt(), "dataset", null);
            return;
        }
        List<Integer> numbers = new ArrayList<>();
        each(Keys.datasetVersions(dataset.name()), (key, doc) -> {
            DatasetVersionDoc v = Documents.parse(doc, DatasetVersionDoc.class).value();
            numbers.add(v.version());
            if (v.deleted()) {
                return;
            }
            StoreDatasetCatalog.toVersion(v);
            coverage.checkDatasetVersion(v);
            for (ArtifactEntry e : v.files()) {
                checkBlob(key, "dataset " + v.dataset() + "/" + v.version(), e.sha256(), e.size(), e.path());
            }
            if (v.profileSha256() != null) {
                checkBlob(key, "dataset " + v.dataset() + "/" + v.version(), v.profileSha256(), -1, "profile");
            }
            checkContentIndex(dataset.name(), v);
        });
        checkNoHoles(Keys.datasetVersions(dataset.name()), numbers);
        int max = numbers.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (dataset.latestVersion() < max || dataset.isPending()) {
            boolean repaired = false;
            if (repair) {
                try {
                    docs.update(Keys.dataset(dataset.name()), DatasetDoc.class, () -> "dataset vanished",
                            d -> d.withLatestVersion(max));
                    repaired = true;
                } catch (MlopsException e) {
                    repaired = false;
                }
            }
            problems.add(IntegrityProblem.repairable(Kind.INCONSISTENT, Keys.dataset(dataset.name()).toString(),
                    "the dataset document says its latest version is " + dataset.latestVersion()
                            + (dataset.isPending() ? " and that its first version is pending" : "") + ", but version "
                            + max + " exists (a registration stopped after its commit)", repaired));
        }
    }

    /** The model document lags its committed versions: its registration stopped after the commit. */
    private void derivedModel(ModelDoc model, int max) {
        boolean repaired = false;
        if (repair) {
            try {
                docs.update(Keys.model(model.name()), ModelDoc.class, () -> "model vanished",
                        m -> m.withLatestVersion(max, m.updatedAt()).confirmed());
                repaired = true;
            } catch (MlopsException e) {
                repaired = false;
            }
        }
        problems.add(IntegrityProblem.repairable(Kind.INCONSISTENT, Keys.model(model.name()).toString(),
                "the model document says its latest version is " + model.latestVersion()
                        + (model.isPending() ? " and that its first version is pending" : "") + ", but version " + max
                        + " exists (a registration stopped after its commit)", repaired));
    }

    /**
     * The document of a model or dataset made by a registration whose first version was never
     * committed: readers already treat it as absent. Repair removes it once it is older than
     * the grace period, holding the collection lock so that no registration is in flight.
     */
    @SuppressWarnings("try") // "lock" is the collection lock held for the repair block; javac sees no use of it
    private void pendingLeftover(DocumentKey key, long revision, String createdAt, String what, DocumentKey claims) {
        boolean old;
        try {
            old = !java.time.Instant.parse(createdAt).isAfter(auditCutoff);
        } catch (RuntimeException unreadable) {
            old = true;
        }
        if (!old) {
            return; // a registration may be committing its first version right now
        }
        boolean repaired = false;
        if (repair) {
            Optional<StoreLock> quiet = store.lock(StoreLock.COLLECTION, StoreLock.Mode.EXCLUSIVE, java.time.Duration.ZERO);
            if (quiet.isPresent()) {
                try (StoreLock lock = quiet.get()) {
                    if (claims != null) {
                        for (DocumentKey claim : store.listKeys(claims, Optional.empty(), 10_000).items()) {
                            store.read(claim).ifPresent(d -> store.delete(claim, d.revision()));
                        }
                    }
                    store.delete(key, revision);
                    repaired = true;
                } catch (MlopsException e) {
                    repaired = false;
                }
            }
        }
        problems.add(IntegrityProblem.repairable(Kind.LEFTOVER, key.toString(), "the " + what + " document was made by a"
                + " registration of its first version that failed; the " + what + " does not exist for readers", repaired));
    }

    /** A crash between creating a version and its content index loses only the index entry. */
    private void checkContentIndex(String dataset, DatasetVersionDoc v) {
        DocumentKey key = Keys.datasetContent(dataset, v.contentSha256());
        Optional<Document> index = store.read(key);
        if (index.isPresent()) {
            return;
        }
        boolean repaired = false;
        if (repair) {
            try {
                store.create(key, StoredDocuments.write(new ContentIndexDoc(DatasetDocs.SCHEMA_VERSION, v.version())));
                repaired = true;
            } catch (ConflictException raced) {
                repaired = true;
            }
        }
        problems.add(IntegrityProblem.repairable(Kind.INCONSISTENT, key.toString(),
                "content index entry missing for " + dataset + "/" + v.version(), repaired));
    }

    private void checkNoHoles(DocumentKey parent, List<Integer> numbers) {
        int max = numbers.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (numbers.size() != max) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 1; i <= max && missing.size() < 20; i++) {
                if (!numbers.contains(i)) {
                    missing.add(i);
                }
            }
            problems.add(IntegrityProblem.unrepairable(Kind.INCONSISTENT, parent.toString(),
                    "version documents missing (removed outside mlops?): " + missing));
        }
    }

    private void checkBlob(DocumentKey owner, String user, String sha, long size, String what) {
        blobUsers.computeIfAbsent(sha, k -> new java.util.TreeSet<>()).add(user + " " + what);
        Optional<BlobInfo> info = store.blobInfo(sha);
        if (info.isEmpty()) {
            problems.add(IntegrityProblem.unrepairable(Kind.DANGLING_REFERENCE, owner.toString(),
                    what + " refers to blob " + sha + ", which is missing"));
        } else if (size >= 0 && info.get().size() != size) {
            problems.add(IntegrityProblem.unrepairable(Kind.CORRUPT_BLOB, sha,
                    "blob of " + owner + " " + what + " is " + info.get().size() + " bytes, expected " + size));
        }
    }

    /** Lists children by key, reading each on its own: a damaged document is a problem, not the end. */
    private void each(DocumentKey parent, BiConsumer<DocumentKey, Document> visitor) {
        Optional<String> cursor = Optional.empty();
        do {
            Page<DocumentKey> page;
            try {
                page = store.listKeys(parent, cursor, BATCH);
            } catch (MlopsException e) {
                problems.add(IntegrityProblem.unrepairable(Kind.CORRUPT_DOCUMENT, parent.toString(),
                        "cannot list: " + e.getMessage()));
                return;
            }
            for (DocumentKey key : page.items()) {
                try {
                    store.read(key).ifPresent(d -> visitor.accept(key, d));
                } catch (MlopsException e) {
                    reportDamaged(key, e);
                }
            }
            cursor = page.nextPageToken();
        } while (cursor.isPresent());
    }

    /** The store's own check usually found the damaged file already; report each document once. */
    private void reportDamaged(DocumentKey key, MlopsException e) {
        String k = key.toString();
        boolean known = problems.stream().anyMatch(p -> p.kind() == Kind.CORRUPT_DOCUMENT
                && (p.location().contains(k) || p.detail().contains(k)));
        if (!known) {
            problems.add(IntegrityProblem.unrepairable(Kind.CORRUPT_DOCUMENT, k, e.getMessage()));
        }
    }
}
