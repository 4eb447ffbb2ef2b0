package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditHead;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.VersionQuery;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written before every format was snake_case (src/test/resources/stores/schema-1: its
 * registry documents are schema 1 and its audit entries schema 2, camelCase) still reads,
 * verifies with its hash chain intact, and takes new writes in the current form.
 */
@DisplayName("A store written with camelCase documents (schema 1)")
class Schema1StoreTest {
    /** The head the fixture's journal had when it was written; its entries are never rewritten. */
    private static final AuditHead FIXTURE_HEAD = new AuditHead(13,
            "124b3dd59cf9a23b57fbde04032897cc8389aa6f0b8a27a7880483449d98b372");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    private FileSystemStore store;
    private Mlops mlops;

    @BeforeEach
    void open() throws IOException, URISyntaxException {
        Path fixture = Path.of(Schema1StoreTest.class.getResource("/stores/schema-1").toURI());
        Path root = tmp.resolve("store");
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path f : files.toList()) {
                Path target = root.resolve(fixture.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals("README.md")) {
                    Files.copy(f, target);
                }
            }
        }
        store = FileSystemStore.open(root, CLOCK);
        mlops = Mlops.builder().store(store).clock(CLOCK).actor("upgrade").build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String raw(DocumentKey key) {
        return new String(store.read(key).orElseThrow().content(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("its audit chain is unchanged and verifies, and so does the whole store")
    void verifies() {
        assertThat(raw(DocumentKey.of("models", "rain"))).as("the fixture is camelCase").contains("\"schemaVersion\":1",
                "\"aliasHistory\"");
        assertThat(mlops.audit().head()).hasValue(FIXTURE_HEAD);
        assertThat(mlops.audit().verify(FIXTURE_HEAD).ok()).isTrue();
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
        List<AuditEntry> entries = mlops.audit().entries(1, 100);
        assertThat(entries).hasSize(13);
        assertThat(entries.get(0).action()).isEqualTo("dataset.register");
        assertThat(entries.get(0).after()).containsEntry("tag.source", "noaa");
        assertThat(entries.get(8).after()).containsEntry("move", "2").containsEntry("version", "2");
    }

    @Test
    @DisplayName("every model, version, alias and dataset reads as it was written")
    void reads() {
        var rain = mlops.models().model("rain");
        assertThat(rain.description()).isEqualTo("predicts rain");
        assertThat(rain.tags()).containsExactly(Map.entry("team", "forecast"));
        assertThat(rain.latestVersion()).isEqualTo(3);
        assertThat(rain.aliases()).containsEntry("production", 2).containsEntry("staging", 2);
        assertThat(mlops.models().aliasHistory("rain", "production")).extracting(m -> m.to().orElseThrow())
                .containsExactly(1, 2);
        assertThat(mlops.models().rollback("rain", "production").number()).as("the rollback stack").isEqualTo(1);

        ModelVersion v1 = mlops.models().version("rain", 1);
        assertThat(v1.format()).isEqualTo("custom");
        assertThat(v1.signature().inputs().fields()).containsExactly(new Field("temp", FieldType.DOUBLE));
        assertThat(v1.params()).containsExactly(Map.entry("depth", "3"));
        assertThat(v1.metrics()).containsExactly(Map.entry("auc", 0.81));
        assertThat(v1.lineage().trainedOn()).containsExactly(new DatasetRef("weather", 1));
        assertThat(v1.lineage().testedOn()).containsExactly(new DatasetRef("weather", 2));
        assertThat(v1.lineage().codeRef()).hasValue("git:abc123");
        assertThat(v1.environment().extra()).containsExactly(Map.entry("gpu", "none"));
        assertThat(new String(mlops.models().attachment(ModelRef.version("rain", 1), "notes"), StandardCharsets.UTF_8))
                .isEqualTo("first");
        assertThat(mlops.models().version("rain", 2).lineage().retrainedFrom()).hasValue(ModelRef.version("rain", 1));
        assertThat(mlops.models().listVersions("rain", VersionQuery.all()).items()).extracting(ModelVersion::number)
                .doesNotContain(3);

        DatasetVersion d1 = mlops.datasets().version(new DatasetRef("weather", 1));
        assertThat(d1.tags()).containsExactly(Map.entry("source", "noaa"));
        assertThat(d1.sourceUri()).hasValue("https://example.org/weather.csv");
        assertThat(mlops.datasets().version(new DatasetRef("weather", 2)).tags()).containsExactly(Map.entry("split", "test"));
        assertThat(mlops.datasets().findDataset("weather").orElseThrow().latestVersion()).isEqualTo(2);
    }

    @Test
    @DisplayName("a retried registration with its idempotency key finds the old claim: the fingerprint did not change")
    void idempotentRetry() {
        Signature sig = new Signature(Schema.of(new Field("temp", FieldType.DOUBLE)),
                Schema.of(new Field("rain", FieldType.INTEGER)));
        ModelVersion again = mlops.models().register("rain", NewModelVersion.builder()
                .artifact(Artifact.bytes("model.bin", "weights 1".getBytes(StandardCharsets.UTF_8)))
                .format("custom").signature(sig).param("depth", "3").metric("auc", 0.81).tag("stage", "candidate")
                .attachment("notes", "first".getBytes(StandardCharsets.UTF_8)).description("first")
                .trainedOn(new DatasetRef("weather", 1)).testedOn(new DatasetRef("weather", 2)).codeRef("git:abc123")
                .environment("gpu", "none").idempotencyKey("nightly-1").build());
        assertThat(again.number()).isEqualTo(1);
        assertThat(mlops.models().model("rain").latestVersion()).isEqualTo(3);
    }

    @Test
    @DisplayName("a change writes its document in the current form (schema 2, snake_case) and the chain goes on")
    void writesTheCurrentForm() {
        mlops.models().setModelTag("rain", "owner", "ops");
        mlops.datasets().setVersionTag(new DatasetRef("weather", 1), "checked", "yes");
        String model = raw(DocumentKey.of("models", "rain"));
        assertThat(model).contains("\"schema_version\":2", "\"alias_history\"", "\"rollback_stack\"", "\"latest_version\":3")
                .doesNotContain("schemaVersion", "aliasHistory");
        assertThat(raw(DocumentKey.of("datasets", "weather", "versions", "0000000001")))
                .contains("\"schema_version\":2", "\"content_sha256\"", "\"source_uri\"").doesNotContain("contentSha256");
        assertThat(mlops.models().model("rain").tags()).containsEntry("owner", "ops").containsEntry("team", "forecast");
        assertThat(mlops.models().model("rain").aliases()).containsEntry("production", 2);
        assertThat(mlops.audit().verify(FIXTURE_HEAD).ok()).as("the old entries are a prefix of the new chain").isTrue();
        assertThat(mlops.audit().head().orElseThrow().sequence()).isEqualTo(15);
        assertThat(mlops.audit().entries(14, 1).get(0).after()).containsEntry("tag.owner", "ops");
        assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO)).problems()).isEmpty();
    }
}
