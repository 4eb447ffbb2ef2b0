package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.mlops.json.testing.FormatProperties.DUPLICATE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Artifact;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.api.PageRequest;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.json.StrictJson;
import dev.mlops.json.testing.JsonEdits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each format core stores refuses a repeated key, an unknown field, a mistyped value, a too long
 * number or string and too deep nesting, naming the field's path; schema-1 documents written
 * with camelCase names still read.
 */
class StoredFormatsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("registry documents")
    class Registry {
        private final InMemoryStore store = new InMemoryStore();
        private final Mlops mlops = Mlops.builder().store(store).build();
        private final DocumentKey rain = Keys.model("rain");

        private void register() {
            mlops.models().register("rain", NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {1}))
                    .metric("auc", 0.8).tag("stage", "dev").build());
            mlops.models().setAlias("rain", "production", 1);
        }

        private void edit(DocumentKey key, Function<String, String> change) {
            Document d = store.read(key).orElseThrow();
            store.replace(key, d.revision(), utf8(change.apply(new String(d.content(), StandardCharsets.UTF_8))));
        }

        private void editTree(DocumentKey key, Consumer<ObjectNode> change) {
            edit(key, json -> {
                ObjectNode n = (ObjectNode) JsonEdits.lenientTree(json);
                change.accept(n);
                return StrictJson.writeString(n);
            });
        }

        @Test
        @DisplayName("are written snake_case with schema_version 2")
        void written() {
            register();
            assertThat(new String(store.read(rain).orElseThrow().content(), StandardCharsets.UTF_8))
                    .startsWith("{\"schema_version\":2,\"name\":\"rain\"").contains("\"latest_version\":1", "\"alias_history\":{",
                            "\"rollback_stack\":{", "\"created_at\":");
            assertThat(new String(store.read(Keys.version("rain", 1)).orElseThrow().content(), StandardCharsets.UTF_8))
                    .startsWith("{\"schema_version\":2,").contains("\"java_version\":", "\"trained_on\":[]", "\"created_at\":");
        }

        @Test
        @DisplayName("a tensor signature is stored and read back; a signature of columns only is written as before tensors existed")
        void tensorSignature() {
            register();
            assertThat(new String(store.read(Keys.version("rain", 1)).orElseThrow().content(), StandardCharsets.UTF_8))
                    .contains("\"signature\":{\"inputs\":{\"fields\":[]},\"outputs\":{\"fields\":[]}}");
            Signature tensors = Signature.ofTensors(List.of(new TensorSpec("input", "float", List.of(TensorSpec.DYNAMIC, "3"))),
                    List.of(new TensorSpec("output", "float", List.of("batch", "1"))));
            ModelVersion v2 = mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("m.onnx", new byte[] {2})).signature(tensors).build());
            assertThat(v2.signature()).isEqualTo(tensors);
            assertThat(Mlops.builder().store(store).build().models().version("rain", 2).signature()).isEqualTo(tensors);
            assertThat(new String(store.read(Keys.version("rain", 2)).orElseThrow().content(), StandardCharsets.UTF_8))
                    .contains("\"input_tensors\":[{\"name\":\"input\",\"element_type\":\"float\",\"shape\":[\"?\",\"3\"]}]");
        }

        @Test
        @DisplayName("a repeated key is damage, named with the document and the path")
        void repeatedKey() {
            register();
            edit(rain, json -> json.replace("\"aliases\":{", "\"aliases\":{\"production\":9,"));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessage("damaged document models/rain: aliases.production" + DUPLICATE);
            assertThat(mlops.models().listModels(PageRequest.first(10)).items()).as("a listing skips the damaged document")
                    .isEmpty();
        }

        @Test
        @DisplayName("an unknown, a camelCase or a mistyped field is damage, named with its path")
        void fields() {
            register();
            editTree(rain, n -> n.put("latestVersion", 1));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith("damaged document models/rain: latestVersion: unknown field; expected one of [");
            editTree(rain, n -> {
                n.remove("latestVersion");
                ((ObjectNode) n.get("aliases")).put("production", "1");
            });
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith("damaged document models/rain: aliases.production: expected an integer");
            editTree(rain, n -> ((ObjectNode) n.get("aliases")).put("production", 1.5));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith("damaged document models/rain: aliases.production: expected an integer");
            editTree(rain, n -> {
                ((ObjectNode) n.get("aliases")).put("production", 1);
                n.putNull("latest_version");
            });
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessage("damaged document models/rain: latest_version: expected an integer, got null");
            editTree(rain, n -> n.put("latest_version", 1));
            assertThat(mlops.models().model("rain").latestVersion()).isEqualTo(1);
            DocumentKey v1 = Keys.version("rain", 1);
            editTree(v1, n -> ((ObjectNode) n.get("environment")).put("javaVersion", "17"));
            assertThatThrownBy(() -> mlops.models().version("rain", 1)).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith("damaged document models/rain/versions/0000000001: environment.javaVersion: unknown field");
            editTree(v1, n -> {
                ((ObjectNode) n.get("environment")).remove("javaVersion");
                ((ObjectNode) n.get("metrics")).put("auc", "0.8");
            });
            assertThatThrownBy(() -> mlops.models().version("rain", 1)).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith("damaged document models/rain/versions/0000000001: metrics.auc: expected a number");
        }

        @Test
        @DisplayName("too deep, too long a number or string, or another schema version is damage")
        void limitsAndVersions() {
            register();
            String good = new String(store.read(rain).orElseThrow().content(), StandardCharsets.UTF_8);
            edit(rain, json -> json.replace("\"tags\":{}", "\"tags\":" + JsonEdits.nestedArrays(StrictJson.MAX_NESTING_DEPTH)));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessageEndingWith("nested too deeply; expected at most 64 levels of objects and arrays")
                    .hasMessageStartingWith("damaged document models/rain: tags[0]");
            edit(rain, json -> good.replace("\"latest_version\":1", "\"latest_version\":" + JsonEdits.tooLongNumber()));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessage("damaged document models/rain: latest_version: a number too long; expected at most 100 digits");
            edit(rain, json -> good.replace("\"description\":\"\"", "\"description\":" + JsonEdits.tooLongString()));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessage("damaged document models/rain: description: a string too long; expected at most 16777216 characters");
            edit(rain, json -> good.replace("\"schema_version\":2", "\"schema_version\":3"));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessage("damaged document models/rain: schema_version: version 3 is not one this library reads; expected 2");
            edit(rain, json -> good.replace("\"schema_version\":2", "\"schemaVersion\":2"));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessage("damaged document models/rain: schemaVersion: version 2 is not one this library reads; expected 1");
            edit(rain, json -> good.replace("\"schema_version\":2,", ""));
            assertThatThrownBy(() -> mlops.models().model("rain")).isInstanceOf(IntegrityException.class)
                    .hasMessage("damaged document models/rain: schema_version: missing; expected 2");
            edit(rain, json -> good);
            assertThat(mlops.verify(VerifyOptions.check().auditGracePeriod(java.time.Duration.ZERO)).ok()).isTrue();
        }

        @Test
        @DisplayName("schema-1 documents (camelCase) read as their schema-2 equal, and a change writes them in schema 2")
        void schema1() {
            byte[] model = utf8("{\"schemaVersion\":1,\"name\":\"rain\",\"description\":\"d\",\"tags\":{\"team\":\"x\"},"
                    + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-02T00:00:00Z\",\"latestVersion\":2,"
                    + "\"aliases\":{\"production\":2},\"aliasHistory\":{\"production\":[{\"kind\":\"SET\",\"to\":2,"
                    + "\"at\":\"2026-01-02T00:00:00Z\",\"actor\":\"ci\"}]},\"rollbackStack\":{\"production\":[]},"
                    + "\"deletedVersions\":[1],\"archivedMoves\":{}}");
            ModelDoc m = StoredDocuments.read(model, ModelDoc.class, "document models/rain");
            assertThat(m).isEqualTo(new ModelDoc(2, "rain", "d", Map.of("team", "x"), "2026-01-01T00:00:00Z",
                    "2026-01-02T00:00:00Z", 2, Map.of("production", 2), Map.of("production",
                    List.of(new ModelDoc.AliasMoveDoc("SET", null, 2, "2026-01-02T00:00:00Z", "ci"))),
                    Map.of("production", List.of()), List.of(1), Map.of(), null));
            assertThat(new String(StoredDocuments.write(m), StandardCharsets.UTF_8)).startsWith("{\"schema_version\":2,")
                    .contains("\"alias_history\"", "\"deleted_versions\":[1]");
            assertThat(StoredDocuments.read(utf8("{\"schemaVersion\":1,\"start\":100,\"moves\":[]}"), ModelDoc.HistoryChunk.class, "chunk"))
                    .isEqualTo(new ModelDoc.HistoryChunk(2, 100, List.of()));
            assertThat(StoredDocuments.read(utf8("{\"schemaVersion\":1,\"key\":\"k\",\"fingerprint\":\"f\",\"from\":3,\"version\":4}"),
                    Idempotency.ClaimDoc.class, "claim")).isEqualTo(new Idempotency.ClaimDoc(2, "k", "f", 3, 4));
            assertThat(StoredDocuments.read(utf8("{\"schemaVersion\":1,\"version\":7}"), DatasetDocs.ContentIndexDoc.class, "index"))
                    .isEqualTo(new DatasetDocs.ContentIndexDoc(2, 7));
            assertThat(StoredDocuments.read(utf8("{\"schemaVersion\":1,\"name\":\"w\",\"tags\":{},\"createdAt\":\"t\",\"latestVersion\":3,"
                    + "\"pending\":true}"), DatasetDocs.DatasetDoc.class, "dataset"))
                    .isEqualTo(new DatasetDocs.DatasetDoc(2, "w", Map.of(), "t", 3, true));
            VersionDoc v = StoredDocuments.read(utf8("{\"schemaVersion\":1,\"model\":\"rain\",\"version\":2,\"deleted\":false,"
                    + "\"format\":\"generic\",\"artifact\":[],\"signature\":{\"inputs\":{\"fields\":[]},\"outputs\":{\"fields\":[]}},"
                    + "\"params\":{},\"metrics\":{\"auc\":0.8},\"tags\":{},\"attachments\":{},\"description\":\"\","
                    + "\"createdAt\":\"t\",\"creator\":\"ci\",\"environment\":{\"javaVersion\":\"17\",\"os\":\"Linux\","
                    + "\"libraryVersion\":\"0.1\",\"extra\":{}},\"lineage\":{\"trainedOn\":[\"w/1\"],\"validatedOn\":[],"
                    + "\"testedOn\":[],\"retrainedFrom\":\"rain/1\",\"codeRef\":\"git:1\"},\"status\":\"ACTIVE\","
                    + "\"idempotencyKey\":\"k\"}"), VersionDoc.class, "version");
            assertThat(v.schemaVersion()).isEqualTo(2);
            assertThat(v.environment().javaVersion()).isEqualTo("17");
            assertThat(v.lineage()).isEqualTo(new VersionDoc.LineageDoc(List.of("w/1"), List.of(), List.of(), "rain/1", "git:1", null));
            assertThat(v.idempotencyKey()).isEqualTo("k");
            // camelCase names belong to schema 1 only; a snake_case name in a schema-1 document is unknown
            assertThatThrownBy(() -> StoredDocuments.read(utf8("{\"schemaVersion\":1,\"version\":7,\"schema_version\":2}"),
                    DatasetDocs.ContentIndexDoc.class, "index")).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith("damaged index: schema_version: unknown field");
        }
    }

    @Nested
    @DisplayName("audit entries")
    class Audit {
        private final InMemoryStore store = new InMemoryStore();
        private final Mlops mlops = Mlops.builder().store(store).build();

        @Test
        @DisplayName("are written snake_case (schema 3); schema 1 and 2 (camelCase) read as written")
        void forms() {
            mlops.models().createModel("rain", "", Map.of());
            assertThat(new String(store.readJournal(1, 1).get(0).payload(), StandardCharsets.UTF_8))
                    .startsWith("{\"schema_version\":3,\"time\":");
            store.append(utf8("{\"schemaVersion\":2,\"time\":\"2026-01-01T00:00:00Z\",\"actor\":\"a\",\"action\":\"model.create\","
                    + "\"target\":\"snow\",\"before\":{},\"after\":{\"description\":\"\"}}"));
            store.append(utf8("{\"schemaVersion\":1,\"time\":\"2026-01-01T00:00:00Z\",\"actor\":\"a\",\"action\":\"alias.set\","
                    + "\"target\":\"snow@p\",\"before\":{},\"after\":{\"version\":\"1\"}}"));
            JournalAuditLog audit = (JournalAuditLog) mlops.audit();
            assertThat(audit.recorded(1, 10)).extracting(JournalAuditLog.Recorded::schemaVersion).containsExactly(3, 2, 1);
            assertThat(audit.entries(2, 1).get(0).target()).isEqualTo("snow");
            assertThat(mlops.audit().verify().ok()).isTrue();
        }

        @Test
        @DisplayName("a repeated key, an unknown or mistyped field or another version is damage naming the entry and the path")
        void strict() {
            mlops.models().createModel("rain", "", Map.of());
            String ok = new String(store.readJournal(1, 1).get(0).payload(), StandardCharsets.UTF_8);
            store.append(utf8(ok.replace("\"actor\":", "\"actor\":\"x\",\"actor\":")));
            assertAuditRefused(2, "damaged audit entry 2: actor" + DUPLICATE);
            store.append(utf8(ok.replace("\"actor\":", "\"user\":\"x\",\"actor\":")));
            assertAuditRefused(3, "damaged audit entry 3: user: unknown field; expected one of [");
            store.append(utf8(ok.replace("\"before\":{}", "\"before\":{\"a\":1}")));
            assertAuditRefused(4, "damaged audit entry 4: before.a: expected a string");
            store.append(utf8(ok.replace("\"schema_version\":3", "\"schemaVersion\":3")));
            assertAuditRefused(5, "damaged audit entry 5: schemaVersion: version 3 is not one this library reads; expected 1 to 2");
            store.append(utf8(ok.replace("\"schema_version\":3", "\"schema_version\":2")));
            assertAuditRefused(6, "damaged audit entry 6: schema_version: version 2 is not one this library reads; expected 3");
        }

        private void assertAuditRefused(long sequence, String message) {
            assertThatThrownBy(() -> mlops.audit().entries(sequence, 1)).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith(message);
        }
    }
}
