package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.StorageException;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.VersionStatus;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The version index may make a filtered listing read less, never answer differently: every
 * listing here is compared with the versions read one by one.
 */
@DisplayName("Version index")
class VersionIndexTest {
    private static final String MODEL = "rain";

    /** Counts version reads and can refuse writes of index documents. */
    static final class Observed extends ForwardingStore {
        final AtomicInteger versionReads = new AtomicInteger();
        final AtomicInteger indexWritesToPass = new AtomicInteger(Integer.MAX_VALUE);

        Observed() {
            super(new InMemoryStore());
        }

        private static boolean isIndex(DocumentKey key) {
            return key.segments().contains("version-index");
        }

        private void maybeRefuse(DocumentKey key) {
            if (isIndex(key) && indexWritesToPass.getAndDecrement() <= 0) {
                throw new StorageException("disk full (injected) writing " + key);
            }
        }

        @Override
        public Optional<Document> read(DocumentKey key) {
            if (key.segments().contains("versions")) {
                versionReads.incrementAndGet();
            }
            return super.read(key);
        }

        @Override
        public Document create(DocumentKey key, byte[] content) {
            maybeRefuse(key);
            return super.create(key, content);
        }

        @Override
        public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
            maybeRefuse(key);
            return super.replace(key, expectedRevision, content);
        }
    }

    private static Mlops registered(Store store, int versions) {
        Mlops mlops = Mlops.builder().store(store).build();
        for (int n = 1; n <= versions; n++) {
            mlops.models().register(MODEL, NewModelVersion.builder()
                    .artifact(Artifact.bytes("m", ("v" + n).getBytes(StandardCharsets.UTF_8)))
                    .tag("shard", Integer.toString(n % 10)).metric("auc", (n % 100) / 100.0).build());
        }
        return mlops;
    }

    private static List<Integer> listed(Mlops mlops, Consumer<VersionQuery.Builder> filter, int pageSize) {
        List<Integer> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            VersionQuery.Builder b = VersionQuery.builder()
                    .page(token.map(t -> PageRequest.after(t, pageSize)).orElse(PageRequest.first(pageSize)));
            filter.accept(b);
            Page<ModelVersion> page = mlops.models().listVersions(MODEL, b.build());
            page.items().forEach(v -> out.add(v.number()));
            token = page.nextPageToken();
        } while (token.isPresent());
        return out;
    }

    /** The truth: every version read on its own and filtered here. */
    private static List<Integer> expected(Mlops mlops, int versions, Map<String, String> tags, Double minAuc,
                                          boolean includeArchived) {
        List<Integer> out = new ArrayList<>();
        for (int n = 1; n <= versions; n++) {
            ModelVersion v;
            try {
                v = mlops.models().version(MODEL, n);
            } catch (dev.mlops.api.NotFoundException deleted) {
                continue;
            }
            boolean ok = (includeArchived || v.status() != VersionStatus.ARCHIVED)
                    && tags.entrySet().stream().allMatch(t -> t.getValue().equals(v.tags().get(t.getKey())))
                    && (minAuc == null || (v.metrics().containsKey("auc") && v.metrics().get("auc") >= minAuc));
            if (ok) {
                out.add(n);
            }
        }
        return out;
    }

    private static void assertListingsTrue(Mlops mlops, int versions, Random random) {
        for (int i = 0; i < 6; i++) {
            Map<String, String> tags = new TreeMap<>();
            tags.put("shard", Integer.toString(random.nextInt(10)));
            if (random.nextBoolean()) {
                tags.put("team", random.nextBoolean() ? "a" : "b");
            }
            Double minAuc = random.nextBoolean() ? null : random.nextInt(100) / 100.0;
            boolean archived = random.nextBoolean();
            int pageSize = 1 + random.nextInt(40);
            List<Integer> got = listed(mlops, b -> {
                tags.forEach(b::tag);
                if (minAuc != null) {
                    b.metricAtLeast("auc", minAuc);
                }
                b.includeArchived(archived);
            }, pageSize);
            assertThat(got).as("tags %s, auc >= %s, archived %s, pages of %d", tags, minAuc, archived, pageSize)
                    .isEqualTo(expected(mlops, versions, tags, minAuc, archived));
        }
    }

    @Test
    @DisplayName("a filtered listing, once the index knows the versions, reads only the versions it returns")
    void readsOnlyWhatItReturns() {
        Observed store = new Observed();
        Mlops mlops = registered(store, 600);
        List<Integer> shard3 = listed(mlops, b -> b.tag("shard", "3"), 100);
        assertThat(shard3).hasSize(60).allMatch(n -> n % 10 == 3);
        store.versionReads.set(0);
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 100)).isEqualTo(shard3);
        // 60 versions returned, plus the probe past the last one that tells whether more exist
        assertThat(store.versionReads.get()).isLessThanOrEqualTo(61);
        store.versionReads.set(0);
        assertThat(listed(mlops, b -> b.tag("shard", "3").metricAtLeast("auc", 0.5), 100)).hasSize(30);
        assertThat(store.versionReads.get()).isLessThanOrEqualTo(31);
    }

    @Test
    @DisplayName("tag, status and deletion changes are seen by the next filtered listing (400 random changes)")
    void changesAreSeen() {
        int versions = 700;
        Mlops mlops = registered(new InMemoryStore(), versions);
        Random random = new Random(20261206L);
        assertListingsTrue(mlops, versions, random); // fills the index
        for (int i = 0; i < 400; i++) {
            int n = 1 + random.nextInt(versions);
            ModelRef.Version ref = new ModelRef.Version(MODEL, n);
            try {
                switch (random.nextInt(6)) {
                    case 0, 1 -> mlops.models().setVersionTag(ref, "shard", Integer.toString(random.nextInt(10)));
                    case 2 -> mlops.models().setVersionTag(ref, "team", random.nextBoolean() ? "a" : "b");
                    case 3 -> mlops.models().removeVersionTag(ref, random.nextBoolean() ? "team" : "shard");
                    case 4 -> {
                        if (random.nextBoolean()) {
                            mlops.models().archive(ref);
                        } else {
                            mlops.models().restore(ref);
                        }
                    }
                    default -> {
                        if (random.nextInt(8) == 0) {
                            mlops.models().deleteVersion(ref);
                        } else {
                            mlops.models().setVersionTag(ref, "note", "unindexed-" + i);
                        }
                    }
                }
            } catch (dev.mlops.api.NotFoundException deleted) {
                // a deleted version: nothing to change
            }
            if (i % 40 == 39) {
                assertListingsTrue(mlops, versions, random);
            }
        }
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
    }

    @Test
    @DisplayName("an instance that parsed the index before another instance changed a version sees the change")
    void anotherInstancesChange() {
        InMemoryStore store = new InMemoryStore();
        Mlops first = registered(store, 300);
        Mlops second = Mlops.builder().store(store).build();
        assertThat(listed(first, b -> b.tag("shard", "3"), 50)).hasSize(30);
        assertThat(listed(second, b -> b.tag("shard", "3"), 50)).hasSize(30);
        second.models().setVersionTag(new ModelRef.Version(MODEL, 7), "shard", "3");
        second.models().setVersionTag(new ModelRef.Version(MODEL, 13), "shard", "4");
        assertThat(listed(first, b -> b.tag("shard", "3"), 50)).hasSize(30).contains(7).doesNotContain(13);
        first.models().archive(new ModelRef.Version(MODEL, 23));
        assertThat(listed(second, b -> b.tag("shard", "3"), 50)).hasSize(29).doesNotContain(23);
        assertThat(listed(second, b -> b.tag("shard", "3").includeArchived(true), 50)).hasSize(30).contains(23);
    }

    @Test
    @DisplayName("a writer that changed a version but could not update the index leaves it marked: read directly")
    void markLeftBehind() {
        Observed store = new Observed();
        Mlops mlops = registered(store, 300);
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(30); // index filled
        // the mark is written, then the disk fills: the change is made, the record after it is not
        store.indexWritesToPass.set(1);
        ModelVersion changed = mlops.models().setVersionTag(new ModelRef.Version(MODEL, 7), "shard", "3");
        assertThat(changed.tags()).containsEntry("shard", "3");
        assertThat(mlops.models().version(MODEL, 7).tags()).containsEntry("shard", "3");
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(31).contains(7);
        assertThat(listed(mlops, b -> b.tag("shard", "7"), 50)).hasSize(29).doesNotContain(7);
        store.indexWritesToPass.set(Integer.MAX_VALUE);
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(31).contains(7);
    }

    @Test
    @DisplayName("a change whose mark cannot be written is not made, and listings stay true")
    void markRefused() {
        Observed store = new Observed();
        Mlops mlops = registered(store, 300);
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(30);
        store.indexWritesToPass.set(0);
        assertThatThrownBy(() -> mlops.models().setVersionTag(new ModelRef.Version(MODEL, 7), "shard", "3"))
                .isInstanceOf(StorageException.class).hasMessageContaining("version-index");
        assertThat(mlops.models().version(MODEL, 7).tags()).containsEntry("shard", "7");
        // a listing must not fail because the index cannot be written, and still answers truly
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(30).doesNotContain(7);
        // a change that does not touch what the index records needs no mark
        assertThat(mlops.models().addAttachment(new ModelRef.Version(MODEL, 7), "notes.txt", new byte[] {1}).attachments())
                .containsKey("notes.txt");
    }

    @Test
    @DisplayName("a version edited behind the library's back: verify reports the stale entry, repair mends it")
    void editedBehindItsBack() {
        InMemoryStore store = new InMemoryStore();
        Mlops mlops = registered(store, 300);
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(30);
        DocumentKey key = Keys.version(MODEL, 7);
        Document doc = store.read(key).orElseThrow();
        VersionDoc v = Documents.parse(doc, VersionDoc.class).value();
        Map<String, String> tags = new TreeMap<>(v.tags());
        tags.put("shard", "3");
        store.replace(key, doc.revision(), StoredDocuments.write(v.withTags(tags, v.createdAt())));

        IntegrityReport report = mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO));
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.INCONSISTENT);
            assertThat(p.location()).isEqualTo(VersionIndex.key(MODEL, 0).toString());
            assertThat(p.detail()).contains("versions [7]");
        });
        mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(31).contains(7);
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems())
                .noneMatch(p -> p.location().contains("version-index"));
    }

    @Test
    @DisplayName("a repair of the index that the store refuses is reported as not repaired; verify does not throw")
    void repairRefused() {
        Observed store = new Observed();
        Mlops mlops = registered(store, 300);
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(30);
        DocumentKey key = Keys.version(MODEL, 7);
        Document doc = store.read(key).orElseThrow();
        VersionDoc v = Documents.parse(doc, VersionDoc.class).value();
        Map<String, String> tags = new TreeMap<>(v.tags());
        tags.put("shard", "3");
        store.replace(key, doc.revision(), StoredDocuments.write(v.withTags(tags, v.createdAt())));

        store.indexWritesToPass.set(0);
        IntegrityReport report = mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.location()).isEqualTo(VersionIndex.key(MODEL, 0).toString());
            assertThat(p.repaired()).isFalse();
            assertThat(p.detail()).contains("versions [7]").contains("disk full (injected)");
        });
        store.indexWritesToPass.set(Integer.MAX_VALUE);
        mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(31).contains(7);
    }

    @Test
    @DisplayName("a damaged index document is ignored by listings and writers, reported, and removed by repair")
    void damagedBucket() {
        InMemoryStore store = new InMemoryStore();
        Mlops mlops = registered(store, 300);
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(30);
        DocumentKey bucket = VersionIndex.key(MODEL, 0);
        Document doc = store.read(bucket).orElseThrow();
        store.replace(bucket, doc.revision(), "{\"schema_version\":2,\"model\":\"rain\"".getBytes(StandardCharsets.UTF_8));

        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(30);
        mlops.models().setVersionTag(new ModelRef.Version(MODEL, 7), "shard", "3");
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(31).contains(7);
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems())
                .anySatisfy(p -> {
                    assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.CORRUPT_DOCUMENT);
                    assertThat(p.location()).isEqualTo(bucket.toString());
                });
        mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
        assertThat(store.read(bucket)).isEmpty();
        assertThat(listed(mlops, b -> b.tag("shard", "3"), 50)).hasSize(31).contains(7);
        assertThat(store.read(bucket)).as("rebuilt by the listing").isPresent();
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
    }

    @Test
    @DisplayName("4 writers change tags while 2 threads list: afterwards every listing is true (bounded by count)")
    void concurrentWritersAndReaders() throws Exception {
        int versions = 520;
        Mlops mlops = registered(new InMemoryStore(), versions);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = 100 + w;
                writers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 250; i++) {
                        int n = 1 + random.nextInt(versions);
                        mlops.models().setVersionTag(new ModelRef.Version(MODEL, n), "shard",
                                Integer.toString(random.nextInt(10)));
                    }
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    int listings = 0;
                    while (writing.get() && listings < 2_000) {
                        List<Integer> got = listed(mlops, b -> b.tag("shard", "5"), 64);
                        assertThat(got).isSorted().doesNotHaveDuplicates();
                        listings++;
                    }
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Random random = new Random(7);
        for (int i = 0; i < 5; i++) {
            assertListingsTrue(mlops, versions, random);
        }
        for (int s = 0; s < 10; s++) {
            String shard = Integer.toString(s);
            assertThat(listed(mlops, b -> b.tag("shard", shard), 100))
                    .isEqualTo(expected(mlops, versions, Map.of("shard", shard), null, false));
        }
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
    }
}
