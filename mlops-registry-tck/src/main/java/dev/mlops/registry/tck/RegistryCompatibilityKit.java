package dev.mlops.registry.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.AliasMove;
import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.ValidationException;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.VersionStatus;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Store;
import dev.mlops.api.tracking.NewRun;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's semantics (version numbering, aliases and rollback, archive and delete,
 * listing, lineage, garbage collection, audit) run over any {@link Store}: a backend that
 * passes {@link StoreCompatibilityKit} should pass this too, and this proves it end to end.
 *
 * <pre>{@code
 * class MyStoreRegistryTest extends RegistryCompatibilityKit {
 *     @Override protected Store createStore(Path dir, Clock clock) { return MyStore.open(dir, clock); }
 * }
 * }</pre>
 */
@DisplayName("Registry semantics")
public abstract class RegistryCompatibilityKit {
    private final TestClock clock = TestClock.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    private Mlops mlops;
    /** The store the kit's instance runs on, kept here because {@code Mlops} does not hand it out. */
    private Store store;
    private ModelRegistry models;
    /** A scratch directory for the test's own files (artifacts, exports). */
    @TempDir
    protected Path tmp;
    @TempDir
    private Path storeDir;

    /**
     * @param dir an empty directory the store may use
     * @param clock the time the store must use for blob times ({@code storedAt})
     * @return a fresh store
     */
    protected abstract Store createStore(Path dir, Clock clock);

    @BeforeEach
    void open() {
        store = createStore(storeDir, clock);
        mlops = Mlops.builder().store(store).clock(clock).actor("alice").build();
        models = mlops.models();
    }

    @AfterEach
    void close() {
        mlops.close();
    }

    private ModelVersion register(String model, String content) {
        return models.register(model, NewModelVersion.builder()
                .artifact(Artifact.bytes("model.bin", content.getBytes(StandardCharsets.UTF_8))).build());
    }

    @Nested
    @DisplayName("registration")
    class Registration {
        @Test
        @DisplayName("numbers versions 1, 2, 3 per model and creates the model on first use")
        void numbersVersions() {
            assertThat(register("rain", "a").number()).isEqualTo(1);
            assertThat(register("rain", "b").number()).isEqualTo(2);
            assertThat(register("snow", "c").number()).isEqualTo(1);
            assertThat(register("rain", "a").number()).isEqualTo(3);
            assertThat(models.model("rain").latestVersion()).isEqualTo(3);
            assertThat(models.listModels(PageRequest.first(10)).items()).extracting(m -> m.name())
                    .containsExactly("rain", "snow");
        }

        @Test
        @DisplayName("records everything given, the creator, the time and the environment")
        void recordsMetadata() throws IOException {
            DatasetVersion train = trainingData();
            Path file = tmp.resolve("weights.onnx");
            Files.writeString(file, "onnx-bytes");
            ModelVersion v = models.register("rain", NewModelVersion.builder()
                    .artifact(Artifact.file(file)).format("onnx")
                    .signature(new Signature(Schema.of(new Field("temp_max", FieldType.DOUBLE)),
                            Schema.of(new Field("rain", FieldType.BOOLEAN))))
                    .param("l2", "0.01").metric("auc", 0.91).tag("team", "weather")
                    .description("first try").trainedOn(train.ref()).codeRef("git:abc123")
                    .environment("tribuo.version", "4.3.1")
                    .attachment("baseline-profile", "{\"columns\":[]}".getBytes(StandardCharsets.UTF_8))
                    .build());
            ModelVersion read = models.version("rain", 1);
            assertThat(read).isEqualTo(v);
            assertThat(read.format()).isEqualTo("onnx");
            assertThat(read.artifact().entries()).singleElement().satisfies(e -> {
                assertThat(e.path()).isEqualTo("weights.onnx");
                assertThat(e.sha256()).isEqualTo(Digests.sha256Hex("onnx-bytes".getBytes(StandardCharsets.UTF_8)));
            });
            assertThat(read.artifact().digest()).isEqualTo(read.artifact().entries().get(0).sha256());
            assertThat(read.params()).containsEntry("l2", "0.01");
            assertThat(read.metrics()).containsEntry("auc", 0.91);
            assertThat(read.tags()).containsEntry("team", "weather");
            assertThat(read.creator()).isEqualTo("alice");
            assertThat(read.createdAt()).isEqualTo(clock.instant());
            assertThat(read.environment().javaVersion()).isEqualTo(System.getProperty("java.version"));
            assertThat(read.environment().extra()).containsEntry("tribuo.version", "4.3.1");
            assertThat(read.lineage().trainedOn()).containsExactly(train.ref());
            assertThat(read.lineage().codeRef()).contains("git:abc123");
            assertThat(read.signature().inputs().field("temp_max")).isPresent();
            assertThat(new String(models.attachment(read.ref(), "baseline-profile"), StandardCharsets.UTF_8))
                    .isEqualTo("{\"columns\":[]}");
        }

        @Test
        @DisplayName("adds attachments after registration, append-only and audited as version.attach")
        void addAttachment() throws IOException {
            ModelVersion v = register("rain", "a");
            byte[] doc = "{\"passed\":true}".getBytes(StandardCharsets.UTF_8);
            ModelVersion with = models.addAttachment(v.ref(), "promotion-decision-1", doc);
            assertThat(with.attachments()).containsEntry("promotion-decision-1", Digests.sha256Hex(doc));
            assertThat(models.version("rain", 1).attachments()).containsKey("promotion-decision-1");
            assertThat(models.attachment(v.ref(), "promotion-decision-1")).isEqualTo(doc);
            // the same content again is a safe retry: nothing changes, nothing is recorded
            long entries = mlops.audit().size();
            models.addAttachment(v.ref(), "promotion-decision-1", doc);
            assertThat(mlops.audit().size()).isEqualTo(entries);
            // other content under a taken name is refused: attachments are never replaced
            assertThatThrownBy(() -> models.addAttachment(v.ref(), "promotion-decision-1", new byte[] {1}))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("append-only");
            assertThat(models.attachment(v.ref(), "promotion-decision-1")).isEqualTo(doc);
            assertThatThrownBy(() -> models.addAttachment(v.ref(), "Bad Name", doc))
                    .isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> models.addAttachment(new ModelRef.Version("rain", 9), "x", doc))
                    .isInstanceOf(NotFoundException.class);
            AuditEntry last = mlops.audit().entriesFor("rain/1").get(mlops.audit().entriesFor("rain/1").size() - 1);
            assertThat(last.action()).isEqualTo("version.attach");
            assertThat(last.after()).containsEntry("attachment", "promotion-decision-1")
                    .containsEntry("sha256", Digests.sha256Hex(doc));
            assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems()).isEmpty();
        }

        @Test
        @DisplayName("stores a directory tree file by file and exports it back verified")
        void directoryArtifact() throws IOException {
            Path dir = Files.createDirectories(tmp.resolve("model"));
            Files.writeString(dir.resolve("config.json"), "{}");
            Files.createDirectories(dir.resolve("weights"));
            Files.write(dir.resolve("weights/layer 1.bin"), new byte[] {1, 2, 3});
            ModelVersion v = models.register("rain", NewModelVersion.builder().artifact(Artifact.directory(dir)).build());
            assertThat(v.artifact().entries()).extracting(e -> e.path())
                    .containsExactly("config.json", "weights/layer 1.bin");
            Path out = models.exportArtifact(v.ref(), tmp.resolve("export"));
            assertThat(Files.readAllBytes(out.resolve("weights/layer 1.bin"))).containsExactly(1, 2, 3);
            try (InputStream in = models.openArtifact(v.ref(), "config.json")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
            }
            assertThatThrownBy(() -> models.openArtifact(v.ref(), "missing.bin")).isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("refuses a symbolic link inside an artifact directory before storing anything")
        void refusesSymlink() throws IOException {
            Path dir = Files.createDirectories(tmp.resolve("model"));
            Files.writeString(dir.resolve("ok.bin"), "ok");
            Files.createSymbolicLink(dir.resolve("evil"), Path.of("/etc/passwd"));
            assertThatThrownBy(() -> models.register("rain",
                    NewModelVersion.builder().artifact(Artifact.directory(dir)).build()))
                    .isInstanceOf(InvalidNameException.class).hasMessageContaining("symbolic link");
            assertThat(store.listBlobs(Optional.empty(), 10).items()).isEmpty();
            assertThat(models.findModel("rain")).isEmpty();
        }

        @Test
        @DisplayName("rejects unknown lineage before storing anything")
        void rejectsUnknownLineage() {
            assertThatThrownBy(() -> models.register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("m", new byte[1])).trainedOn(new DatasetRef("weather", 7)).build()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("weather/7");
            assertThatThrownBy(() -> models.register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("m", new byte[1])).retrainedFrom(ModelRef.version("rain", 4)).build()))
                    .isInstanceOf(NotFoundException.class);
            assertThat(store.listBlobs(Optional.empty(), 10).items()).isEmpty();
        }

        @Test
        @DisplayName("rejects non-finite metrics and invalid names at the builder or the registry")
        void rejectsBadInput() {
            assertThatThrownBy(() -> NewModelVersion.builder().metric("auc", Double.NaN))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auc");
            assertThatThrownBy(() -> register("../etc", "x")).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> register("Rain", "x")).isInstanceOf(InvalidNameException.class)
                    .hasMessageContaining("lowercase");
            assertThatThrownBy(() -> NewModelVersion.builder().build()).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> models.register("rain", NewModelVersion.builder()
                    .artifact(Artifact.file(tmp.resolve("nope.bin"))).build())).isInstanceOf(ValidationException.class);
        }
    }

    @Nested
    @DisplayName("aliases")
    class Aliases {
        @BeforeEach
        void threeVersions() {
            register("rain", "1");
            register("rain", "2");
            register("rain", "3");
        }

        @Test
        @DisplayName("resolve name@alias to the version they point at")
        void resolve() {
            models.setAlias("rain", "production", 2);
            assertThat(models.resolve(ModelRef.parse("rain@production")).number()).isEqualTo(2);
            assertThat(models.resolve(ModelRef.parse("rain/3")).number()).isEqualTo(3);
            assertThat(models.version("rain", 2).aliases()).containsExactly("production");
            assertThatThrownBy(() -> models.resolve(ModelRef.parse("rain@staging")))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("staging");
            assertThatThrownBy(() -> models.setAlias("rain", "production", 9)).isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("roll back as a stack and keep every move in the history")
        void rollbackStack() {
            models.setAlias("rain", "production", 1);
            models.setAlias("rain", "production", 2);
            models.setAlias("rain", "production", 3);
            assertThat(models.rollback("rain", "production").number()).isEqualTo(2);
            assertThat(models.rollback("rain", "production").number()).isEqualTo(1);
            assertThatThrownBy(() -> models.rollback("rain", "production")).isInstanceOf(ConflictException.class);
            List<AliasMove> h = models.aliasHistory("rain", "production");
            assertThat(h).extracting(AliasMove::kind).containsExactly(AliasMove.Kind.SET, AliasMove.Kind.SET,
                    AliasMove.Kind.SET, AliasMove.Kind.ROLLBACK, AliasMove.Kind.ROLLBACK);
            assertThat(h.get(3).from()).contains(3);
            assertThat(h.get(3).to()).contains(2);
            assertThat(h).allSatisfy(m -> assertThat(m.actor()).isEqualTo("alice"));
        }

        @Test
        @DisplayName("keep every move in the history however long it grows, and roll back up to 100 moves")
        void longHistory() {
            for (int i = 0; i < 450; i++) {
                models.setAlias("rain", "production", 1 + i % 3);
            }
            List<AliasMove> h = models.aliasHistory("rain", "production");
            assertThat(h).hasSize(450);
            for (int i = 0; i < 450; i++) {
                assertThat(h.get(i).to()).contains(1 + i % 3);
                assertThat(h.get(i).from()).isEqualTo(i == 0 ? Optional.empty() : Optional.of(1 + (i - 1) % 3));
            }
            int current = 1 + 449 % 3;
            for (int i = 0; i < 100; i++) {
                int expected = 1 + (449 - 1 - i) % 3;
                assertThat(models.rollback("rain", "production").number()).isEqualTo(expected);
                current = expected;
            }
            assertThatThrownBy(() -> models.rollback("rain", "production")).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("no earlier version");
            assertThat(models.aliasHistory("rain", "production")).hasSize(550);
            assertThat(models.resolve(ModelRef.parse("rain@production")).number()).isEqualTo(current);
            assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems()).isEmpty();
        }

        @Test
        @DisplayName("setting the version an alias already has records nothing")
        void noOp() {
            models.setAlias("rain", "production", 1);
            long audit = mlops.audit().size();
            models.setAlias("rain", "production", 1);
            assertThat(models.aliasHistory("rain", "production")).hasSize(1);
            assertThat(mlops.audit().size()).isEqualTo(audit);
        }

        @Test
        @DisplayName("rollback restores a removed alias and skips deleted versions")
        void removeAndRollback() {
            models.setAlias("rain", "production", 1);
            models.setAlias("rain", "production", 2);
            models.setAlias("rain", "production", 3);
            models.removeAlias("rain", "production");
            assertThat(models.model("rain").alias("production")).isEmpty();
            assertThat(models.rollback("rain", "production").number()).isEqualTo(3);
            models.setAlias("rain", "staging", 3);
            models.setAlias("rain", "production", 1);
            models.deleteVersion(ModelRef.version("rain", 2)); // no alias points at 2 now
            models.setAlias("rain", "production", 3);
            assertThat(models.rollback("rain", "production").number()).isEqualTo(1);
            assertThat(models.rollback("rain", "production").number()).isEqualTo(3); // 2 skipped: deleted
        }
    }

    @Nested
    @DisplayName("lifecycle")
    class Lifecycle {
        @Test
        @DisplayName("archived versions leave default listings but still resolve")
        void archive() {
            register("rain", "1");
            register("rain", "2");
            models.archive(ModelRef.version("rain", 1));
            assertThat(models.listVersions("rain", VersionQuery.all()).items()).extracting(ModelVersion::number)
                    .containsExactly(2);
            assertThat(models.listVersions("rain", VersionQuery.builder().includeArchived(true).build()).items())
                    .hasSize(2);
            assertThat(models.version("rain", 1).status()).isEqualTo(VersionStatus.ARCHIVED);
            assertThat(models.restore(ModelRef.version("rain", 1)).status()).isEqualTo(VersionStatus.ACTIVE);
        }

        @Test
        @DisplayName("a version with an alias cannot be deleted; a deleted number is never reused")
        void delete() {
            register("rain", "1");
            register("rain", "2");
            models.setAlias("rain", "production", 2);
            assertThatThrownBy(() -> models.deleteVersion(ModelRef.version("rain", 2)))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("production");
            models.setAlias("rain", "production", 1);
            models.deleteVersion(ModelRef.version("rain", 2));
            assertThatThrownBy(() -> models.version("rain", 2)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> models.deleteVersion(ModelRef.version("rain", 2))).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> models.setAlias("rain", "production", 2)).isInstanceOf(NotFoundException.class);
            assertThat(register("rain", "3").number()).isEqualTo(3);
            assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).ok()).isTrue();
        }

        @Test
        @DisplayName("garbage collection frees blobs only when nothing references them")
        void garbageCollection() {
            register("rain", "shared");
            register("rain", "only-in-2");
            register("snow", "shared");
            models.deleteVersion(ModelRef.version("rain", 2));
            models.deleteVersion(ModelRef.version("rain", 1));
            clock.advance(java.time.Duration.ofHours(2));
            var gc = mlops.collectGarbage(java.time.Duration.ofHours(1));
            assertThat(gc.blobsDeleted()).isEqualTo(1);
            assertThat(models.openArtifact(ModelRef.version("snow", 1), "model.bin")).isNotNull();
            assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).ok()).isTrue();
        }

        @Test
        @DisplayName("the grace period protects blobs a writer may be about to reference")
        void gracePeriod() {
            register("rain", "x");
            models.deleteVersion(ModelRef.version("rain", 1));
            assertThat(mlops.collectGarbage(java.time.Duration.ofHours(1)).blobsDeleted()).isZero();
        }
    }

    @Nested
    @DisplayName("listing and search")
    class Listing {
        @Test
        @DisplayName("pages through versions and filters by tag, metric and alias")
        void pagingAndFilters() {
            for (int i = 1; i <= 25; i++) {
                models.register("rain", NewModelVersion.builder().artifact(Artifact.bytes("m", new byte[] {(byte) i}))
                        .metric("auc", i / 100.0).tag("parity", i % 2 == 0 ? "even" : "odd").build());
            }
            models.setAlias("rain", "production", 7);
            List<Integer> seen = new ArrayList<>();
            PageRequest req = PageRequest.first(10);
            while (true) {
                Page<ModelVersion> p = models.listVersions("rain", VersionQuery.builder().page(req).build());
                p.items().forEach(v -> seen.add(v.number()));
                if (!p.hasNext()) {
                    break;
                }
                req = PageRequest.after(p.nextPageToken().orElseThrow(), 10);
            }
            assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
            assertThat(models.listVersions("rain", VersionQuery.builder().tag("parity", "even")
                    .metricAtLeast("auc", 0.10).metricAtMost("auc", 0.20).build()).items())
                    .extracting(ModelVersion::number).containsExactly(10, 12, 14, 16, 18, 20);
            assertThat(models.listVersions("rain", VersionQuery.builder().alias("production").build()).items())
                    .extracting(ModelVersion::number).containsExactly(7);
            Page<ModelVersion> odd = models.listVersions("rain", VersionQuery.builder().tag("parity", "odd")
                    .page(PageRequest.first(13)).build());
            assertThat(odd.items()).hasSize(13);
            assertThat(odd.hasNext()).isFalse();
        }

        @Test
        @DisplayName("pages through dataset versions and filters by tag, as for models; a dataset that does not exist is not found")
        void datasetPagingAndFilters() throws IOException {
            Path csv = tmp.resolve("d.csv");
            for (int i = 1; i <= 25; i++) {
                Files.writeString(csv, "x\n" + i + "\n");
                mlops.datasets().register("weather", NewDatasetVersion.builder(DatasetSource.csv(csv))
                        .tag("parity", i % 2 == 0 ? "even" : "odd").build());
            }
            mlops.datasets().setVersionTag(DatasetRef.parse("weather/1"), "parity", "even");
            List<Integer> seen = new ArrayList<>();
            PageRequest req = PageRequest.first(10);
            while (true) {
                Page<DatasetVersion> p = mlops.datasets().listVersions("weather", VersionQuery.builder().page(req).build());
                p.items().forEach(v -> seen.add(v.version()));
                if (!p.hasNext()) {
                    break;
                }
                req = PageRequest.after(p.nextPageToken().orElseThrow(), 10);
            }
            assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
            assertThat(mlops.datasets().listVersions("weather", VersionQuery.builder().tag("parity", "even")
                    .page(PageRequest.first(3)).build()).items()).extracting(DatasetVersion::version).containsExactly(1, 2, 4);
            Page<DatasetVersion> odd = mlops.datasets().listVersions("weather", VersionQuery.builder().tag("parity", "odd")
                    .page(PageRequest.first(12)).build());
            assertThat(odd.items()).extracting(DatasetVersion::version).hasSize(12).doesNotContain(1);
            assertThat(mlops.datasets().dataset("weather").latestVersion()).isEqualTo(25);
            assertThatThrownBy(() -> mlops.datasets().dataset("snow")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> mlops.datasets().listVersions("snow", VersionQuery.all()))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("a page token no listing handed out is refused by name, never taken as a position")
        void foreignPageTokens() throws IOException {
            register("rain", "v1");
            Path csv = Files.writeString(tmp.resolve("d.csv"), "x\n1\n");
            mlops.datasets().register("weather", NewDatasetVersion.builder(DatasetSource.csv(csv)).build());
            mlops.tracking().startRun("exp", NewRun.builder().build()).close();
            for (String token : List.of("", "../x", "a/b", "garbage\u0000", "x".repeat(300))) {
                assertThatThrownBy(() -> models.listModels(PageRequest.after(token, 10))).as(token)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one returned by listModels");
                assertThatThrownBy(() -> mlops.datasets().listDatasets(PageRequest.after(token, 10))).as(token)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one returned by listDatasets");
                assertThatThrownBy(() -> mlops.tracking().listExperiments(PageRequest.after(token, 10))).as(token)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one returned by listExperiments");
            }
            for (String token : List.of("", "garbage", "-1", "1.5", "99999999999", "0x10", "+3")) {
                assertThatThrownBy(() -> models.listVersions("rain", VersionQuery.builder().page(PageRequest.after(token, 10)).build()))
                        .as(token).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one returned by listVersions");
                assertThatThrownBy(() -> mlops.datasets().listVersions("weather",
                        VersionQuery.builder().page(PageRequest.after(token, 10)).build()))
                        .as(token).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not one returned by listVersions");
            }
            // a name is a position even when no model has it (one may have been removed between pages)
            assertThat(models.listModels(PageRequest.after("gone", 10)).items()).extracting(m -> m.name()).containsExactly("rain");
            assertThat(mlops.datasets().listVersions("weather", VersionQuery.builder().page(PageRequest.after("0", 10)).build())
                    .items()).extracting(DatasetVersion::version).containsExactly(1);
        }

        @Test
        @DisplayName("reverse lineage finds the versions that used a dataset version")
        void reverseLineage() throws IOException {
            DatasetVersion train = trainingData();
            models.register("rain", NewModelVersion.builder().artifact(Artifact.bytes("m", new byte[1]))
                    .trainedOn(train.ref()).build());
            register("rain", "unrelated");
            models.register("snow", NewModelVersion.builder().artifact(Artifact.bytes("m", new byte[2]))
                    .testedOn(train.ref()).build());
            assertThat(models.versionsUsing(train.ref())).extracting(v -> v.ref().toString())
                    .containsExactly("rain/1", "snow/1");
        }
    }

    @Test
    @DisplayName("every mutation is audited with actor, action, target and before/after, and the chain verifies")
    void audit() {
        register("rain", "1");
        register("rain", "2");
        models.setAlias("rain", "production", 1);
        models.setAlias("rain", "production", 2);
        models.rollback("rain", "production");
        models.setVersionTag(ModelRef.version("rain", 2), "stage", "qa");
        models.archive(ModelRef.version("rain", 2));
        List<AuditEntry> entries = mlops.audit().entries(1, 100);
        assertThat(entries).extracting(AuditEntry::action).containsExactly("model.create", "version.register",
                "version.register", "alias.set", "alias.set", "alias.rollback", "version.tag", "version.archive");
        AuditEntry rollback = entries.get(5);
        assertThat(rollback.target()).isEqualTo("rain@production");
        assertThat(rollback.before()).containsEntry("version", "2");
        assertThat(rollback.after()).containsEntry("version", "1");
        assertThat(rollback.actor()).isEqualTo("alice");
        assertThat(mlops.audit().entriesFor("rain/2")).extracting(AuditEntry::action)
                .containsExactly("version.register", "version.tag", "version.archive");
        assertThat(mlops.audit().verify().ok()).isTrue();
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems()).isEmpty();
    }

    @Test
    @DisplayName("a writer killed between a commit and its audit entry loses nothing for good: verify(VerifyOptions.repair()) appends"
            + " the entry once")
    void lostAuditEntriesAreRecovered() {
        register("rain", "1");
        register("rain", "2");
        models.setAlias("rain", "production", 1);
        // not closed: closing it would close the kit's store
        Mlops killed = Mlops.builder().store(KilledWriter.beforeAuditEntry(store)).clock(clock).actor("bob")
                .build();
        assertThatThrownBy(() -> killed.models().setAlias("rain", "production", 2))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> killed.models().setVersionTag(ModelRef.version("rain", 2), "stage", "prod"))
                .isInstanceOf(IllegalStateException.class);
        long length = mlops.audit().size();

        assertThat(mlops.verify(VerifyOptions.check()).problems()).as("within the grace period").isEmpty();
        clock.advance(VerifyOptions.DEFAULT_AUDIT_GRACE_PERIOD);
        assertThat(mlops.verify(VerifyOptions.check()).problems()).extracting(p -> p.location() + " " + p.detail().split(" ")[0])
                .containsExactlyInAnyOrder("rain@production alias.set", "rain/2 version.tag");
        assertThat(mlops.verify(VerifyOptions.repair()).ok()).isTrue();
        assertThat(mlops.audit().size()).isEqualTo(length + 2);
        assertThat(mlops.audit().entriesFor("rain@production")).extracting(e -> e.after().get("move"))
                .containsExactly("1", "2");
        assertThat(mlops.verify(VerifyOptions.repair()).problems()).isEmpty();
        assertThat(mlops.audit().size()).isEqualTo(length + 2);
        assertThat(mlops.audit().verify().ok()).isTrue();
    }



    @Nested
    @DisplayName("tampering with state")
    class TamperingWithState {
        private final dev.mlops.api.store.DocumentKey rain = dev.mlops.api.store.DocumentKey.of("models", "rain");

        private Store raw() {
            return store;
        }

        private dev.mlops.api.store.DocumentKey version(String model, int n) {
            return dev.mlops.api.store.DocumentKey.of("models", model, "versions", String.format("%010d", n));
        }

        private List<dev.mlops.api.IntegrityProblem> mismatches() {
            return mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems().stream()
                    .filter(p -> p.kind() == dev.mlops.api.IntegrityProblem.Kind.AUDIT_MISMATCH).toList();
        }

        private void assertFoundAndNotRepairable(String location, String words) {
            assertThat(mismatches()).as("verify finds it").anySatisfy(p -> {
                assertThat(p.location()).isEqualTo(location);
                assertThat(p.detail()).contains(words);
                assertThat(p.repairable()).isFalse();
            });
            assertThat(mlops.verify(VerifyOptions.repair().auditGracePeriod(java.time.Duration.ZERO)).ok()).as("a repair cannot make it right").isFalse();
            assertThat(mismatches()).as("still found after a repair").isNotEmpty();
        }

        /**
         * Edits a stored JSON document the way someone with write access would, checksum and all.
         * Edits name fields with {@code required}, so a renamed field fails the test instead of
         * editing nothing.
         */
        private void editJson(dev.mlops.api.store.DocumentKey key,
                              java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) {
            var doc = raw().read(key).orElseThrow();
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) dev.mlops.json.StrictJson.readTree(doc.content(),
                    "document " + key);
            edit.accept(node);
            raw().replace(key, doc.revision(), dev.mlops.json.StrictJson.write(node));
        }

        private void delete(dev.mlops.api.store.DocumentKey key) {
            raw().delete(key, raw().read(key).orElseThrow().revision());
        }

        @Test
        @DisplayName("a healthy registry after every kind of change has nothing that contradicts its audit trail")
        void healthyRegistryReplaysClean() throws IOException {
            register("rain", "1");
            register("rain", "2");
            register("rain", "3");
            models.setAlias("rain", "production", 1);
            models.setAlias("rain", "production", 2);
            models.rollback("rain", "production");
            models.setAlias("rain", "staging", 3);
            models.removeAlias("rain", "staging");
            models.archive(ModelRef.version("rain", 3));
            models.restore(ModelRef.version("rain", 3));
            models.addAttachment(ModelRef.version("rain", 2), "notes", new byte[] {1});
            models.deleteVersion(ModelRef.version("rain", 3));
            trainingData();
            assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems()).isEmpty();
        }

        @Test
        @DisplayName("deleting the newest version document is found")
        void newestVersionDeleted() {
            register("rain", "1");
            register("rain", "2");
            delete(version("rain", 2));
            assertFoundAndNotRepairable(version("rain", 2).toString(), "missing");
        }

        @Test
        @DisplayName("deleting the model document is found")
        void modelDocumentDeleted() {
            register("rain", "1");
            models.setAlias("rain", "production", 1);
            delete(rain);
            assertFoundAndNotRepairable(rain.toString(), "its document is missing");
        }

        @Test
        @DisplayName("deleting a dataset version document is found")
        void datasetVersionDeleted() throws IOException {
            trainingData();
            Path csv = tmp.resolve("more.csv");
            Files.writeString(csv, "temp,rain\n3.5,true\n");
            mlops.datasets().register("weather", DatasetSource.csv(csv));
            var key = dev.mlops.api.store.DocumentKey.of("datasets", "weather", "versions", String.format("%010d", 2));
            delete(key);
            assertFoundAndNotRepairable(key.toString(), "missing");
        }

        @Test
        @DisplayName("a version document and its blob replaced with those of another store built the same way is found")
        void versionReplacedFromAnotherStore(@TempDir Path otherDir) throws IOException {
            register("rain", "genuine weights");
            Store otherStore = createStore(otherDir, clock);
            try (Mlops other = Mlops.builder().store(otherStore).clock(clock).actor("alice").build()) {
                other.models().register("rain", NewModelVersion.builder().artifact(Artifact.bytes("model.bin",
                        "forged weights".getBytes(StandardCharsets.UTF_8))).build());
                byte[] forgedDoc = otherStore.read(version("rain", 1)).orElseThrow().content();
                String sha = other.models().version("rain", 1).artifact().entries().get(0).sha256();
                try (InputStream in = otherStore.openBlob(sha)) {
                    raw().putBlob(in);
                }
                raw().replace(version("rain", 1), raw().read(version("rain", 1)).orElseThrow().revision(), forgedDoc);
            }
            assertThat(models.version("rain", 1).artifact().entries().get(0).size()).as("the forgery reads fine")
                    .isEqualTo("forged weights".length());
            assertFoundAndNotRepairable(version("rain", 1).toString(), "recorded");
        }

        @Test
        @DisplayName("an alias target edited in the model document, checksum recomputed, is found")
        void aliasTargetEdited() {
            register("rain", "1");
            register("rain", "2");
            models.setAlias("rain", "production", 1);
            editJson(rain, n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n.required("aliases")).put("production", 2));
            assertThat(models.resolve(ModelRef.parse("rain@production")).number()).as("the edit took").isEqualTo(2);
            assertFoundAndNotRepairable(rain.toString(), "rain@production");
        }

        @Test
        @DisplayName("an alias target and its history edited together are found by the audit trail")
        void aliasAndHistoryEdited() {
            register("rain", "1");
            register("rain", "2");
            models.setAlias("rain", "production", 1);
            editJson(rain, n -> {
                ((com.fasterxml.jackson.databind.node.ObjectNode) n.required("aliases")).put("production", 2);
                var moves = n.required("alias_history").required("production");
                ((com.fasterxml.jackson.databind.node.ObjectNode) moves.get(moves.size() - 1)).put("to", 2);
            });
            assertFoundAndNotRepairable(rain.toString(), "in the audit trail");
        }

        @Test
        @DisplayName("an attachment swapped for other content is found")
        void attachmentSwapped() {
            models.register("rain", NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {1}))
                    .attachment("drift-profile", "genuine".getBytes(StandardCharsets.UTF_8)).build());
            String forged = raw().putBlob(new java.io.ByteArrayInputStream("forged".getBytes(StandardCharsets.UTF_8)))
                    .sha256();
            editJson(version("rain", 1), n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n.required("attachments"))
                    .put("drift-profile", forged));
            assertFoundAndNotRepairable(version("rain", 1).toString(), "attachment drift-profile");
        }
    }


    @Nested
    @DisplayName("garbage collection beside writers")
    class CollectionBesideWriters {
        private static final int WRITERS = 3;
        private static final int REGISTRATIONS = 8;
        private static final int FILES = 4;

        @Test
        @DisplayName("a collection with no grace period, looping beside 3 threads of registrations, attachments and"
                + " dataset registrations, never takes a blob of an acknowledged version")
        void noAcknowledgedVersionLosesABlob(@TempDir Path dir, @TempDir Path files) throws Exception {
            TestClock ticking = TestClock.ticking(Instant.parse("2026-01-01T00:00:00Z"));
            try (Mlops m = Mlops.builder().store(createStore(dir, ticking)).clock(ticking).actor("alice").build()) {
                // garbage to collect, whose content registrations below write again: a collection
                // that decided to delete such a blob must not delete it once a writer relies on it
                List<byte[]> recycled = new ArrayList<>();
                for (int i = 0; i < WRITERS * REGISTRATIONS; i++) {
                    byte[] content = ("recycled " + i).getBytes(StandardCharsets.UTF_8);
                    recycled.add(content);
                    ModelVersion v = m.models().register("garbage", NewModelVersion.builder()
                            .artifact(Artifact.bytes("old.bin", content)).build());
                    m.models().deleteVersion(v.ref());
                }
                java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(WRITERS + 1);
                try {
                    java.util.concurrent.Future<long[]> collector = pool.submit(() -> {
                        long runs = 0;
                        long deleted = 0;
                        while (writing.get() || runs < 3) {
                            deleted += m.collectGarbage(java.time.Duration.ZERO).blobsDeleted();
                            runs++;
                        }
                        return new long[] {runs, deleted};
                    });
                    List<java.util.concurrent.Future<List<ModelVersion>>> writers = new ArrayList<>();
                    for (int w = 0; w < WRITERS; w++) {
                        int writer = w;
                        writers.add(pool.submit(() -> {
                            List<ModelVersion> acknowledged = new ArrayList<>();
                            for (int r = 0; r < REGISTRATIONS; r++) {
                                Path artifact = Files.createDirectories(files.resolve("w" + writer + "-r" + r));
                                for (int f = 0; f < FILES; f++) {
                                    Files.writeString(artifact.resolve("part-" + f + ".bin"),
                                            "writer " + writer + " registration " + r + " file " + f);
                                }
                                Files.write(artifact.resolve("recycled.bin"), recycled.get(writer * REGISTRATIONS + r));
                                ModelVersion v = m.models().register("model-" + writer, NewModelVersion.builder()
                                        .artifact(Artifact.directory(artifact))
                                        .attachment("notes", ("notes " + writer + "/" + r).getBytes(StandardCharsets.UTF_8))
                                        .build());
                                acknowledged.add(m.models().addAttachment(v.ref(), "later",
                                        ("added later " + writer + "/" + r).getBytes(StandardCharsets.UTF_8)));
                                Path csv = artifact.resolve("data.csv");
                                Files.writeString(csv, "x,y\n" + writer + "," + r + "\n");
                                m.datasets().register("data-" + writer, DatasetSource.csv(csv));
                            }
                            return acknowledged;
                        }));
                    }
                    List<ModelVersion> acknowledged = new ArrayList<>();
                    for (java.util.concurrent.Future<List<ModelVersion>> f : writers) {
                        acknowledged.addAll(f.get(10, java.util.concurrent.TimeUnit.MINUTES));
                    }
                    writing.set(false);
                    long[] gc = collector.get(10, java.util.concurrent.TimeUnit.MINUTES);
                    assertThat(gc[0]).as("collections run").isGreaterThanOrEqualTo(3);
                    assertThat(gc[1]).as("the collections deleted the garbage that no writer reused").isPositive();

                    assertThat(acknowledged).hasSize(WRITERS * REGISTRATIONS);
                    for (ModelVersion v : acknowledged) {
                        for (var e : v.artifact().entries()) {
                            try (InputStream in = m.models().openArtifact(v.ref(), e.path())) {
                                assertThat(in.readAllBytes()).as("%s %s", v.ref(), e.path()).hasSize((int) e.size());
                            }
                        }
                        assertThat(m.models().attachment(v.ref(), "notes")).isNotEmpty();
                        assertThat(m.models().attachment(v.ref(), "later")).isNotEmpty();
                    }
                    for (int w = 0; w < WRITERS; w++) {
                        for (var d : m.datasets().listVersions("data-" + w, VersionQuery.all()).items()) {
                            try (InputStream in = m.datasets().open(d.ref(), "data.csv")) {
                                assertThat(in.readAllBytes()).isNotEmpty();
                            }
                        }
                    }
                    var report = m.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO));
                    assertThat(report.problems()).as("no dangling reference, nothing missing").isEmpty();
                } finally {
                    writing.set(false);
                    pool.shutdownNow();
                }
            }
        }

        @Test
        @DisplayName("a collection waits for a registration in progress, and gives up with ConflictException, deleting"
                + " nothing, when the wait runs out")
        void collectionWaitsForWriters(@TempDir Path dir) {
            TestClock ticking = TestClock.ticking(Instant.parse("2026-01-01T00:00:00Z"));
            Store store = createStore(dir, ticking);
            try (Mlops m = Mlops.builder().store(store).clock(ticking).lockWait(java.time.Duration.ofSeconds(30)).build()) {
                ModelVersion v = m.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("a.bin", new byte[] {1})).build());
                m.models().deleteVersion(v.ref());
                var writer = store.lock(dev.mlops.api.store.StoreLock.COLLECTION,
                        dev.mlops.api.store.StoreLock.Mode.SHARED, java.time.Duration.ZERO).orElseThrow();
                try (writer) {
                    assertThatThrownBy(() -> m.collectGarbage(java.time.Duration.ZERO, java.time.Duration.ofMillis(200)))
                            .isInstanceOf(ConflictException.class).hasMessageContaining("nothing was deleted");
                    assertThat(store.blobInfo(v.artifact().entries().get(0).sha256())).isPresent();
                }
                assertThat(m.collectGarbage(java.time.Duration.ZERO).blobsDeleted()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("a registration waits for a running collection, and gives up with ConflictException, writing"
                + " nothing, when the wait runs out")
        void registrationWaitsForCollection(@TempDir Path dir) {
            Store store = createStore(dir, clock);
            try (Mlops m = Mlops.builder().store(store).clock(clock).lockWait(java.time.Duration.ofMillis(200)).build()) {
                var collection = store.lock(dev.mlops.api.store.StoreLock.COLLECTION,
                        dev.mlops.api.store.StoreLock.Mode.EXCLUSIVE, java.time.Duration.ZERO).orElseThrow();
                try (collection) {
                    assertThatThrownBy(() -> m.models().register("rain", NewModelVersion.builder()
                            .artifact(Artifact.bytes("a.bin", new byte[] {1})).build()))
                            .isInstanceOf(ConflictException.class).hasMessageContaining("garbage collection");
                    assertThat(store.listBlobs(Optional.empty(), 10).items()).isEmpty();
                    assertThat(m.models().findModel("rain")).isEmpty();
                }
                assertThat(m.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("a.bin", new byte[] {1})).build()).number()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("a blob that vanishes before the commit fails the registration instead of committing a dangling"
                + " reference")
        void vanishedBlobFailsTheCommit(@TempDir Path dir) {
            Store store = createStore(dir, clock);
            Store deleting = new dev.mlops.api.store.ForwardingStore(store) {
                @Override
                public dev.mlops.api.store.BlobInfo putBlob(InputStream content) {
                    dev.mlops.api.store.BlobInfo info = super.putBlob(content);
                    store.deleteBlob(info.sha256()); // as a tool that ignores the lock would
                    return info;
                }
            };
            try (Mlops m = Mlops.builder().store(deleting).clock(clock).build()) {
                assertThatThrownBy(() -> m.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("a.bin", new byte[] {1})).build()))
                        .isInstanceOf(dev.mlops.api.IntegrityException.class).hasMessageContaining("is missing")
                        .hasMessageContaining("nothing was committed");
                assertThat(m.models().findModel("rain")).isEmpty();
                assertThat(m.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).problems())
                        .noneMatch(p -> p.kind() == dev.mlops.api.IntegrityProblem.Kind.DANGLING_REFERENCE);
            }
        }
    }


    private DatasetVersion trainingData() throws IOException {
        Path csv = tmp.resolve("train.csv");
        Files.writeString(csv, "temp,rain\n1.5,true\n2.0,false\n");
        return mlops.datasets().register("weather", DatasetSource.csv(csv));
    }

    @Test
    @DisplayName("model tags and description are mutable and audited")
    void modelMetadata() {
        models.createModel("rain", "predicts rain", Map.of("team", "weather"));
        assertThatThrownBy(() -> models.createModel("rain", "", Map.of())).isInstanceOf(ConflictException.class);
        models.setModelTag("rain", "owner", "bob");
        models.removeModelTag("rain", "team");
        models.setModelDescription("rain", "predicts rain tomorrow");
        assertThat(models.model("rain").tags()).containsExactly(Map.entry("owner", "bob"));
        assertThat(models.model("rain").description()).isEqualTo("predicts rain tomorrow");
        assertThat(mlops.audit().entriesFor("rain")).extracting(AuditEntry::action)
                .containsExactly("model.create", "model.tag", "model.tag", "model.update");
    }
}
