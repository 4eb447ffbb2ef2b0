package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.mlops.json.testing.FormatProperties.DUPLICATE;
import static dev.mlops.json.testing.FormatProperties.finite;
import static dev.mlops.json.testing.FormatProperties.instant;
import static dev.mlops.json.testing.FormatProperties.key;
import static dev.mlops.json.testing.FormatProperties.text;
import static dev.mlops.json.testing.FormatProperties.texts;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.json.testing.JsonEdits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every format core stores (registry and catalog documents, audit entries), over random values: written, then read, is equal to what was written,
 * and the same document with any one key repeated is refused naming that key's path, as
 * {@link IntegrityException}. The formats of the other modules have their own such tests. Bounded
 * by try counts.
 */
class StoredFormatsPropertiesTest {
    private static final int TRIES = 60;

    @Provide
    Arbitrary<ModelDoc> modelDocs() {
        Arbitrary<ModelDoc.AliasMoveDoc> move = Combinators.combine(Arbitraries.of("SET", "ROLLBACK", "REMOVE"),
                Arbitraries.integers().between(1, 99).injectNull(0.3), Arbitraries.integers().between(1, 99).injectNull(0.3),
                instant(), text()).as(ModelDoc.AliasMoveDoc::new);
        return Combinators.combine(text(), text(), texts(), instant(), instant(), Arbitraries.integers().between(0, 1000),
                        Arbitraries.maps(key(), Arbitraries.integers().between(1, 99)).ofMaxSize(3),
                        Arbitraries.maps(key(), move.list().ofMaxSize(3)).ofMaxSize(2))
                .flatAs((name, description, tags, created, updated, latest, aliases, history) -> Combinators.combine(
                        Arbitraries.maps(key(), Arbitraries.integers().between(1, 99).list().ofMaxSize(3)).ofMaxSize(2),
                        Arbitraries.integers().between(1, 99).list().ofMaxSize(3),
                        Arbitraries.maps(key(), Arbitraries.integers().between(0, 500)).ofMaxSize(2),
                        Arbitraries.of(true, false).injectNull(0.5)).as((stack, deleted, archived, pending) ->
                        new ModelDoc(ModelDoc.SCHEMA_VERSION, name, description, tags, created, updated, latest, aliases,
                                history, stack, deleted, archived, pending)));
    }

    @Provide
    Arbitrary<VersionDoc> versionDocs() {
        Arbitrary<ArtifactEntry> entry = Combinators.combine(Arbitraries.of("model.bin", "a/b.json", "w"),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64), Arbitraries.longs().between(0, 1L << 40))
                .as(ArtifactEntry::new);
        Arbitrary<Schema> schema = Combinators.combine(Arbitraries.of("temp", "rain", "city"), Arbitraries.of(FieldType.class))
                .as(Field::new).list().ofMaxSize(2).uniqueElements(Field::name).map(Schema::new);
        Arbitrary<VersionDoc.LineageDoc> lineage = Combinators.combine(Arbitraries.of("weather/1", "weather/2").list().ofMaxSize(2),
                Arbitraries.of("weather/3").list().ofMaxSize(1), Arbitraries.of("weather/4").list().ofMaxSize(1),
                Arbitraries.of("rain/1").injectNull(0.5), text().injectNull(0.5),
                Arbitraries.of("0123456789abcdef0123456789abcdef").injectNull(0.5)).as(VersionDoc.LineageDoc::new);
        Arbitrary<VersionDoc.EnvironmentDoc> env = Combinators.combine(text(), text(), text(), texts())
                .as(VersionDoc.EnvironmentDoc::new);
        return Combinators.combine(text(), Arbitraries.integers().between(1, 1000), Arbitraries.of(true, false), text(),
                        entry.list().ofMaxSize(2), Combinators.combine(schema, schema, tensors(), tensors()).as(Signature::new).map(SignatureDoc::of), texts(),
                        Arbitraries.maps(key(), finite()).ofMaxSize(3))
                .flatAs((model, version, deleted, format, artifact, signature, params, metrics) -> Combinators.combine(
                        texts(), texts(), text(), instant(), text(), env, lineage, Arbitraries.of("ACTIVE", "ARCHIVED"))
                        .flatAs((tags, attachments, description, created, creator, environment, lin, status) ->
                                Combinators.combine(instant().injectNull(0.5), text().injectNull(0.3), text().injectNull(0.5))
                                        .as((updated, registration, idempotencyKey) -> new VersionDoc(VersionDoc.SCHEMA_VERSION,
                                                model, version, deleted, format, artifact, signature, params, metrics, tags,
                                                attachments, description, created, creator, environment, lin, status, updated,
                                                registration, idempotencyKey))));
    }

    /** Tensor lists as ONNX signatures have them: sizes, symbolic names, unnamed dynamic dimensions. */
    private static Arbitrary<List<TensorSpec>> tensors() {
        return Combinators.combine(Arbitraries.of("input", "x", "probabilities"), Arbitraries.of("float", "int64", "string"),
                        Arbitraries.of("3", "batch", TensorSpec.DYNAMIC, "1").list().ofMaxSize(3))
                .as(TensorSpec::new).list().ofMaxSize(2).uniqueElements(TensorSpec::name);
    }

    @Provide
    Arbitrary<DatasetDocs.DatasetVersionDoc> datasetVersionDocs() {
        return Combinators.combine(text(), Arbitraries.integers().between(1, 1000), Arbitraries.of(true, false), text(),
                        Arbitraries.longs().between(0, 1_000_000).injectNull(0.3), text().injectNull(0.5), texts(), text())
                .flatAs((dataset, version, deleted, sha, rows, profile, tags, description) -> Combinators.combine(
                        text().injectNull(0.5), instant(), text(), instant().injectNull(0.5)).as((uri, created, creator, updated) ->
                        new DatasetDocs.DatasetVersionDoc(DatasetDocs.SCHEMA_VERSION, dataset, version, deleted, sha, List.of(),
                                "csv", rows, Schema.of(new Field("temp", FieldType.DOUBLE)), profile, tags, description, uri,
                                created, creator, updated)));
    }

    @Provide
    Arbitrary<JournalAuditLog.AuditRecord> auditRecords() {
        return Combinators.combine(instant(), text(), Arbitraries.of("model.create", "alias.set", "version.tag"), text(),
                        texts(), texts())
                .as((time, actor, action, target, before, after) -> new JournalAuditLog.AuditRecord(
                        JournalAuditLog.SCHEMA_VERSION, time, actor, action, target, before, after));
    }

    // ---- properties -----------------------------------------------------------------------------

    @Property(tries = TRIES)
    void modelDocuments(@ForAll("modelDocs") ModelDoc doc, @ForAll int choice) {
        assertStoredRoundTrip(doc, ModelDoc.class, choice);
    }

    @Property(tries = TRIES)
    void versionDocuments(@ForAll("versionDocs") VersionDoc doc, @ForAll int choice) {
        assertStoredRoundTrip(doc, VersionDoc.class, choice);
    }

    @Property(tries = TRIES)
    void datasetVersionDocuments(@ForAll("datasetVersionDocs") DatasetDocs.DatasetVersionDoc doc, @ForAll int choice) {
        assertStoredRoundTrip(doc, DatasetDocs.DatasetVersionDoc.class, choice);
    }

    @Property(tries = TRIES)
    void auditRecords(@ForAll("auditRecords") JournalAuditLog.AuditRecord r, @ForAll int choice) {
        String json = new String(StoredDocuments.write(r), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"schema_version\":3,");
        assertThat(StoredDocuments.readAsWritten(json.getBytes(StandardCharsets.UTF_8), JournalAuditLog.AuditRecord.class, "audit entry 1",
                2, JournalAuditLog.SCHEMA_VERSION)).isEqualTo(r);
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> StoredDocuments.readAsWritten(d.json().getBytes(StandardCharsets.UTF_8), JournalAuditLog.AuditRecord.class,
                "audit entry 1", 2, JournalAuditLog.SCHEMA_VERSION)).isInstanceOf(IntegrityException.class)
                .hasMessage("damaged audit entry 1: " + d.path() + DUPLICATE);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static <T> void assertStoredRoundTrip(T doc, Class<T> type, int choice) {
        byte[] bytes = StoredDocuments.write(doc);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"schema_version\":2,").doesNotContain("schemaVersion");
        assertThat(StoredDocuments.read(bytes, type, "document d")).isEqualTo(doc);
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> StoredDocuments.read(d.json().getBytes(StandardCharsets.UTF_8), type, "document d"))
                .isInstanceOf(IntegrityException.class).hasMessage("damaged document d: " + d.path() + DUPLICATE);
    }
}
