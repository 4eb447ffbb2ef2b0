package dev.mlops.core;

import dev.mlops.quality.CsvSummary;
import dev.mlops.quality.Frames;
import dev.mlops.api.Artifact;
import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.ConflictException;
import dev.mlops.api.Dataset;
import dev.mlops.api.DatasetCatalog;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.Names;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.VersionQuery;
import dev.mlops.core.DatasetDocs.ContentIndexDoc;
import dev.mlops.core.DatasetDocs.DatasetDoc;
import dev.mlops.core.DatasetDocs.DatasetVersionDoc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link DatasetCatalog} over any store. */
final class StoreDatasetCatalog implements DatasetCatalog {
    private static final int LIST_BATCH = 500;

    private final Documents docs;
    private final Artifacts artifacts;
    private final JournalAuditLog audit;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreDatasetCatalog.class);

    private final Clock clock;
    private final String actor;
    private final BlobPins pins;

    StoreDatasetCatalog(Documents docs, Artifacts artifacts, JournalAuditLog audit, Clock clock, String actor,
                        BlobPins pins) {
        this.pins = pins;
        this.docs = docs;
        this.artifacts = artifacts;
        this.audit = audit;
        this.clock = clock;
        this.actor = actor;
    }

    @Override
    public DatasetVersion register(String name, DatasetSource source) {
        return register(name, NewDatasetVersion.builder(source).build());
    }

    @Override
    public DatasetVersion register(String name, NewDatasetVersion spec) {
        Names.requireValid(Names.Kind.DATASET, name);
        Objects.requireNonNull(spec, "spec");
        DatasetSource src = spec.source();
        Artifacts.requireSource("dataset source", src.path(), src.directory());
        Long rows = null;
        Schema schema = spec.schema().orElse(null);
        if (src.format().equals("csv")) {
            try (InputStream in = Files.newInputStream(src.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                CsvSummary summary = Frames.summarizeCsv(in, src.delimiter(), src.path().getFileName().toString(), Map.of());
                rows = summary.rowCount();
                if (schema == null) {
                    schema = summary.schema();
                }
            } catch (IOException e) {
                throw new ValidationException("cannot read dataset source " + src.path() + ": " + e.getMessage());
            }
        }
        try (BlobPins.Pin pin = pins.pin("the registration of a version of dataset " + Names.quote(name))) {
            return commit(name, spec, rows, schema, pin);
        }
    }

    /**
     * The commit point is the creation of the version document; the content index, the
     * latest-version hint and the audit entry follow it and are restored by verification if they
     * fail, so once the version exists the call succeeds.
     */
    private DatasetVersion commit(String name, NewDatasetVersion spec, Long rows, Schema schema, BlobPins.Pin pin) {
        DatasetSource src = spec.source();
        Artifact artifact = src.directory() ? Artifact.directory(src.path()) : Artifact.file(src.path());
        ArtifactManifest files = artifacts.store(artifact);
        String content = files.digest();

        Optional<DatasetVersion> existing = byContent(name, content);
        if (existing.isPresent()) {
            return existing.get();
        }
        String profileSha = spec.profile().map(p -> artifacts.putBytes(p).sha256()).orElse(null);
        ensureDataset(name);
        List<String> blobs = new ArrayList<>(files.entries().stream().map(ArtifactEntry::sha256).toList());
        if (profileSha != null) {
            blobs.add(profileSha);
        }
        pin.requireStored(blobs);
        DatasetDoc dataset = docs.require(Keys.dataset(name), DatasetDoc.class,
                () -> "dataset " + Names.quote(name) + " vanished during the registration").value();
        int candidate = dataset.latestVersion() + 1;
        DatasetVersionDoc doc;
        while (true) {
            doc = new DatasetVersionDoc(DatasetDocs.SCHEMA_VERSION, name, candidate, false, content, files.entries(),
                    src.format(), rows, schema, profileSha, spec.tags(), spec.description(),
                    spec.sourceUri().orElse(null), now(), actor, null);
            try {
                docs.create(Keys.datasetVersion(name, candidate), doc);
                break;
            } catch (ConflictException taken) {
                candidate++;
            }
        }
        int registered = candidate;
        List<String> missing = pin.missingAfterCommit(blobs);
        if (!missing.isEmpty()) {
            // the lock was lost and a collection ran: store the same bytes again, or give up
            ArtifactManifest again = artifacts.store(artifact);
            spec.profile().ifPresent(artifacts::putBytes);
            if (!again.digest().equals(content)) {
                docs.update(Keys.datasetVersion(name, registered), DatasetVersionDoc.class,
                        () -> "dataset version " + name + "/" + registered + " vanished", DatasetVersionDoc::tombstone);
                throw new IntegrityException("registration of dataset " + name + "/" + registered + " rolled back: blobs "
                        + missing + " were collected while the store lock was lost, and the source changed before they"
                        + " could be stored again; register again");
            }
        }
        try {
            docs.create(Keys.datasetContent(name, content), new ContentIndexDoc(DatasetDocs.SCHEMA_VERSION, registered));
        } catch (ConflictException sameContentMeanwhile) {
            // another writer registered identical content at the same moment: theirs wins, ours
            // becomes a tombstone so the catalog never holds the same content twice
            Optional<DatasetVersion> theirs = byContent(name, content).filter(v -> v.version() != registered);
            if (theirs.isPresent()) {
                docs.update(Keys.datasetVersion(name, registered), DatasetVersionDoc.class,
                        () -> "dataset version " + name + "/" + registered + " vanished", DatasetVersionDoc::tombstone);
                return theirs.get();
            }
        } catch (dev.mlops.api.MlopsException derived) {
            LOG.warn("dataset version {}/{} is committed, but its content index could not be written ({});"
                    + " 'verify --repair' writes it", name, registered, derived.getMessage());
        }
        try {
            docs.update(Keys.dataset(name), DatasetDoc.class, () -> "dataset " + name + " vanished",
                    d -> d.latestVersion() >= registered && !d.isPending() ? d : d.withLatestVersion(registered));
        } catch (dev.mlops.api.MlopsException derived) {
            LOG.warn("dataset version {}/{} is committed, but the dataset document could not be updated ({});"
                    + " 'verify --repair' updates it", name, registered, derived.getMessage());
        }
        audit.recordCommitted("dataset.register", name + "/" + registered, Map.of(), JournalAuditLog.creationState(
                Map.of("content_sha256", content, "rows", rows == null ? "" : rows.toString()), spec.tags(), Map.of()));
        return toVersion(doc);
    }

    private Optional<DatasetVersion> byContent(String name, String content) {
        return docs.read(Keys.datasetContent(name, content), ContentIndexDoc.class)
                .flatMap(i -> docs.read(Keys.datasetVersion(name, i.value().version()), DatasetVersionDoc.class))
                .filter(v -> !v.value().deleted())
                .map(v -> toVersion(v.value()));
    }

    private void ensureDataset(String name) {
        if (docs.store().read(Keys.dataset(name)).isEmpty()) {
            try {
                docs.create(Keys.dataset(name), DatasetDoc.pending(name, now()));
            } catch (ConflictException createdMeanwhile) {
                // fine
            }
        }
    }

    @Override
    public Optional<Dataset> findDataset(String name) {
        Names.requireValid(Names.Kind.DATASET, name);
        return docs.read(Keys.dataset(name), DatasetDoc.class).filter(v -> exists(v.value())).map(v -> toDataset(v.value()));
    }

    @Override
    public Dataset dataset(String name) {
        return toDataset(datasetDoc(name).value());
    }

    @Override
    public Page<Dataset> listDatasets(PageRequest page) {
        Objects.requireNonNull(page, "page");
        Page<Versioned<DatasetDoc>> p = docs.list(Keys.DATASETS,
                page.pageToken().map(t -> PageTokens.name(Names.Kind.DATASET, "listDatasets", t)), page.size(), DatasetDoc.class);
        return new Page<>(p.items().stream().filter(v -> exists(v.value())).map(v -> toDataset(v.value())).toList(),
                p.nextPageToken());
    }

    /** A dataset exists once its first version is committed (its document may still say pending). */
    private boolean exists(DatasetDoc d) {
        return !d.isPending() || d.latestVersion() > 0 || docs.store().read(Keys.datasetVersion(d.name(), 1)).isPresent();
    }

    @Override
    public Page<DatasetVersion> listVersions(String name, VersionQuery query) {
        Objects.requireNonNull(query, "query");
        requireDatasetQuery(name, query);
        PageRequest page = query.page();
        datasetDoc(name);
        List<DatasetVersion> out = new ArrayList<>();
        Optional<String> cursor = page.pageToken()
                .map(t -> Keys.number(PageTokens.number("listVersions(" + name + ")", t)));
        while (true) {
            Page<Versioned<DatasetVersionDoc>> batch = docs.list(Keys.datasetVersions(name), cursor, LIST_BATCH,
                    DatasetVersionDoc.class);
            for (Versioned<DatasetVersionDoc> v : batch.items()) {
                cursor = Optional.of(Keys.number(v.value().version()));
                if (!v.value().deleted() && hasTags(v.value(), query.tags())) {
                    out.add(toVersion(v.value()));
                    if (out.size() == page.size()) {
                        boolean more = !docs.store().list(Keys.datasetVersions(name), cursor, 1).items().isEmpty();
                        return new Page<>(out, more ? cursor : Optional.empty());
                    }
                }
            }
            if (!batch.hasNext()) {
                return Page.last(out);
            }
            cursor = batch.nextPageToken();
        }
    }

    /** Datasets have no metrics or aliases; a query that filters on them would silently match nothing. */
    private static void requireDatasetQuery(String name, VersionQuery query) {
        if (!query.minMetrics().isEmpty() || !query.maxMetrics().isEmpty()) {
            throw new IllegalArgumentException("listVersions(" + Names.quote(name) + "): datasets have no metrics, so a"
                    + " query cannot bound them; expected only tags and a page, got metric bounds on "
                    + union(query.minMetrics().keySet(), query.maxMetrics().keySet()));
        }
        if (query.alias().isPresent()) {
            throw new IllegalArgumentException("listVersions(" + Names.quote(name) + "): datasets have no aliases;"
                    + " expected only tags and a page, got alias " + Names.quote(query.alias().get()));
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static boolean hasTags(DatasetVersionDoc d, Map<String, String> wanted) {
        for (Map.Entry<String, String> t : wanted.entrySet()) {
            if (!t.getValue().equals(d.tags().get(t.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public DatasetVersion version(DatasetRef ref) {
        return toVersion(liveDoc(ref).value());
    }

    @Override
    public DatasetVersion setVersionTag(DatasetRef ref, String key, String value) {
        Names.requireValid(Names.Kind.TAG, key);
        Objects.requireNonNull(value, "value");
        liveDoc(ref);
        Map<String, String> before = new TreeMap<>();
        DatasetVersionDoc d = docs.update(Keys.datasetVersion(ref.dataset(), ref.version()), DatasetVersionDoc.class,
                () -> "dataset version " + ref + " does not exist", v -> {
                    before.clear();
                    if (v.tags().containsKey(key)) {
                        before.put("tag." + key, v.tags().get(key));
                    }
                    Map<String, String> t = new TreeMap<>(v.tags());
                    t.put(key, value);
                    return v.withTags(t, now());
                }).value();
        audit.recordCommitted("dataset.tag", ref.toString(), before, Map.of("tag." + key, value));
        return toVersion(d);
    }

    @Override
    public InputStream open(DatasetRef ref, String path) {
        Names.requireValidPath(path);
        DatasetVersion v = version(ref);
        return artifacts.open(Artifacts.entry(v.files(), path, "dataset " + ref), "dataset " + ref);
    }

    @Override
    public byte[] profile(DatasetRef ref) {
        DatasetVersion v = version(ref);
        String sha = v.profileSha256().orElseThrow(() -> new NotFoundException("dataset " + ref + " has no profile"));
        return artifacts.readAll(sha, "profile of dataset " + ref);
    }

    /** Visits every live dataset version; a damaged document fails the visit (used by garbage collection). */
    void forEachVersionStrict(java.util.function.Consumer<DatasetVersionDoc> visitor) {
        Optional<String> cursor = Optional.empty();
        do {
            Page<Versioned<DatasetDoc>> page = docs.listStrict(Keys.DATASETS, cursor, LIST_BATCH, DatasetDoc.class);
            for (Versioned<DatasetDoc> d : page.items()) {
                Optional<String> vc = Optional.empty();
                do {
                    Page<Versioned<DatasetVersionDoc>> vp = docs.listStrict(Keys.datasetVersions(d.value().name()), vc,
                            LIST_BATCH, DatasetVersionDoc.class);
                    vp.items().stream().map(Versioned::value).filter(v -> !v.deleted()).forEach(visitor);
                    vc = vp.nextPageToken();
                } while (vc.isPresent());
            }
            cursor = page.nextPageToken();
        } while (cursor.isPresent());
    }

    private Versioned<DatasetDoc> datasetDoc(String name) {
        Names.requireValid(Names.Kind.DATASET, name);
        Versioned<DatasetDoc> d = docs.require(Keys.dataset(name), DatasetDoc.class,
                () -> "dataset " + Names.quote(name) + " does not exist");
        if (!exists(d.value())) {
            throw new NotFoundException("dataset " + Names.quote(name) + " does not exist (a registration of its first"
                    + " version is in progress, or failed)");
        }
        return d;
    }

    private Versioned<DatasetVersionDoc> liveDoc(DatasetRef ref) {
        Objects.requireNonNull(ref, "ref");
        Versioned<DatasetVersionDoc> v = docs.require(Keys.datasetVersion(ref.dataset(), ref.version()),
                DatasetVersionDoc.class, () -> "dataset version " + ref + " does not exist");
        if (v.value().deleted()) {
            throw new NotFoundException("dataset version " + ref + " does not exist");
        }
        return v;
    }

    private String now() {
        return clock.instant().toString();
    }

    private static Dataset toDataset(DatasetDoc d) {
        return new Dataset(d.name(), d.tags(), Instant.parse(d.createdAt()), d.latestVersion());
    }

    static DatasetVersion toVersion(DatasetVersionDoc d) {
        try {
            return new DatasetVersion(d.dataset(), d.version(), d.contentSha256(), new ArtifactManifest(d.files()),
                    d.format(), d.rowCount() == null ? OptionalLong.empty() : OptionalLong.of(d.rowCount()),
                    Optional.ofNullable(d.schema()), Optional.ofNullable(d.profileSha256()), d.tags(), d.description(),
                    Optional.ofNullable(d.sourceUri()), Instant.parse(d.createdAt()), d.creator());
        } catch (RuntimeException e) {
            if (e instanceof dev.mlops.api.MlopsException && !(e instanceof dev.mlops.api.InvalidNameException)) {
                throw e;
            }
            throw new IntegrityException("document " + Keys.datasetVersion(d.dataset(), d.version())
                    + " is damaged: " + e.getMessage(), e);
        }
    }

    static List<String> blobsOf(DatasetVersionDoc d) {
        List<String> out = new ArrayList<>(d.files().stream().map(ArtifactEntry::sha256).toList());
        if (d.profileSha256() != null) {
            out.add(d.profileSha256());
        }
        return out;
    }
}
