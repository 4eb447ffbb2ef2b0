package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.ValidationException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.SliceMetrics;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.api.serving.Prediction;
import dev.mlops.json.StrictJson;
import dev.mlops.json.testing.JsonEdits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Every format core writes, over random values: written, then read, is equal to what was written,
 * and the same document with any one key repeated is refused naming that key's path (as
 * {@link IntegrityException} for stored documents, {@link ValidationException} for documents a
 * user gives). Bounded by try counts.
 */
class StoredFormatsPropertiesTest {
    private static final int TRIES = 60;
    private static final String DUPLICATE = ": the field appears twice; expected each field once in an object";
    private static Path logDirectory;
    private static JsonLinesInferenceLog log;

    @AfterContainer
    static void closeLog() throws IOException {
        if (log != null) {
            log.close();
            try (var files = Files.walk(logDirectory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- values ---------------------------------------------------------------------------------

    /** Text with quotes, backslashes, non-ASCII and spaces, never an unpaired surrogate. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().alpha().numeric().withChars("_-. é雨\"\\/:").ofMaxLength(12);
    }

    private static Arbitrary<String> key() {
        return Arbitraries.strings().alpha().numeric().withChars("_-. é").ofMinLength(1).ofMaxLength(8);
    }

    private static Arbitrary<Map<String, String>> texts() {
        return Arbitraries.maps(key(), text()).ofMaxSize(3);
    }

    private static Arbitrary<String> instant() {
        return Arbitraries.longs().between(0, 4_000_000_000L).map(s -> Instant.ofEpochSecond(s).toString());
    }

    private static Arbitrary<Double> finite() {
        return Arbitraries.doubles().between(-1e12, 1e12);
    }

    private static Arbitrary<Double> anyDouble() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, finite()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    }

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
                Arbitraries.of("rain/1").injectNull(0.5), text().injectNull(0.5)).as(VersionDoc.LineageDoc::new);
        Arbitrary<VersionDoc.EnvironmentDoc> env = Combinators.combine(text(), text(), text(), texts())
                .as(VersionDoc.EnvironmentDoc::new);
        return Combinators.combine(text(), Arbitraries.integers().between(1, 1000), Arbitraries.of(true, false), text(),
                        entry.list().ofMaxSize(2), Combinators.combine(schema, schema).as(Signature::new), texts(),
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

    @Provide
    Arbitrary<PromotionPolicy> policies() {
        Arbitrary<String> metric = Arbitraries.of("accuracy", "roc_auc", "f1_macro");
        return Combinators.combine(Arbitraries.of("p", "credit-production"), Arbitraries.of(true, false),
                        Combinators.combine(metric, Arbitraries.of(true, false), finite()).as(PromotionPolicy.Threshold::new)
                                .list().ofMaxSize(3).uniqueElements(t -> t.metric() + t.minimum()),
                        Combinators.combine(metric, Arbitraries.integers().between(0, 20).map(i -> i / 100.0).injectNull(0.4),
                                        Arbitraries.integers().between(0, 10).map(i -> i / 10.0).injectNull(0.4))
                                .filter((m, abs, rel) -> abs != null || rel != null)
                                .as((m, abs, rel) -> new PromotionPolicy.RelativeThreshold(m, true,
                                        abs == null ? OptionalDouble.empty() : OptionalDouble.of(abs),
                                        rel == null ? OptionalDouble.empty() : OptionalDouble.of(rel)))
                                .list().ofMaxSize(2).uniqueElements(PromotionPolicy.RelativeThreshold::metric),
                        Arbitraries.integers().between(1, 60).injectNull(0.5),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((name, champion, thresholds, relative, latency, significance, fairness) -> {
                    PromotionPolicy.Builder b = PromotionPolicy.builder(name).requireChampion(champion);
                    thresholds.forEach(t -> {
                        if (t.minimum()) {
                            b.minimum(t.metric(), t.bound());
                        } else {
                            b.maximum(t.metric(), t.bound());
                        }
                    });
                    relative.forEach(b::relative);
                    if (latency != null) {
                        b.maxLatencyP99Millis(latency);
                    }
                    if (significance) {
                        b.significance("roc_auc", 0.05, new BootstrapOptions(200, 0.9, 7)).mcnemar(0.01)
                                .nonInferiority("accuracy", true, 0.01);
                    }
                    if (fairness) {
                        b.fairnessMax("sex", "demographic_parity_difference", 0.1)
                                .dataValidation(ValidationSuite.builder("s").isComplete("age").rowCount(1, 10).build())
                                .predictions(new PromotionPolicy.PredictionColumns("y", "p", Optional.empty(), Optional.of("1")));
                    }
                    return b.build();
                });
    }

    @Provide
    Arbitrary<PromotionDecision> decisions() {
        Arbitrary<CheckResult> check = Combinators.combine(text(), finite().injectNull(0.3), text(), Arbitraries.of(Verdict.class),
                text()).as((n, o, r, v, d) -> new CheckResult(n, o == null ? OptionalDouble.empty() : OptionalDouble.of(o), r, v, d));
        return Combinators.combine(Arbitraries.integers().between(1, 99), Arbitraries.integers().between(1, 99).injectNull(0.3),
                        check.list().ofMaxSize(4), Arbitraries.longs().between(0, 4_000_000_000L), text())
                .as((candidate, champion, checks, at, policy) -> new PromotionDecision(ModelRef.version("credit", candidate),
                        "production", Optional.ofNullable(champion).map(c -> ModelRef.version("credit", c)), checks,
                        Instant.ofEpochSecond(at), policy));
    }

    @Provide
    Arbitrary<FairnessReport> fairnessReports() {
        Arbitrary<SliceMetrics> slice = Combinators.combine(text(), Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000), anyDouble(), anyDouble(),
                        anyDouble(), anyDouble()).as(SliceMetrics::new);
        return Combinators.combine(text(), text(), slice.list().ofMaxSize(3), anyDouble(), anyDouble(), anyDouble(), anyDouble())
                .as(FairnessReport::new);
    }

    @Provide
    Arbitrary<ImportanceReport> importanceReports() {
        Arbitrary<FeatureImportance> feature = Combinators.combine(text(), anyDouble(), anyDouble(), anyDouble().list().ofMaxSize(3))
                .as(FeatureImportance::new);
        return Combinators.combine(text(), Arbitraries.of(true, false), anyDouble(), Arbitraries.integers().between(1, 1000),
                Arbitraries.integers().between(1, 50), Arbitraries.longs(), feature.list().ofMaxSize(3).uniqueElements(FeatureImportance::feature))
                .as(ImportanceReport::new);
    }

    @Provide
    Arbitrary<List<MetricEstimate>> estimates() {
        return Combinators.combine(text(), anyDouble(), anyDouble(), anyDouble(), Arbitraries.doubles().between(0.5, 0.999).ofScale(3),
                        Arbitraries.integers().between(1, 10_000), Arbitraries.integers().between(0, 100), Arbitraries.longs())
                .as(MetricEstimate::new).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<InferenceRecord> inferenceRecords() {
        Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.<Object>just(null), finite().map(d -> (Object) d), text().map(s -> (Object) s),
                texts().map(m -> (Object) m), finite().list().ofMaxSize(3).map(l -> (Object) l));
        return Combinators.combine(text(), Arbitraries.longs().between(0, 4_000_000_000L), Arbitraries.integers().between(1, 99),
                        Arbitraries.of(Prediction.Route.class), value, value, Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as((id, t, v, route, in, out, nanos) -> new InferenceRecord(id, Instant.ofEpochSecond(t),
                        ModelRef.version("rain", v), route, in, out, nanos));
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
        String json = new String(Json.write(r), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"schema_version\":3,");
        assertThat(Json.readAsWritten(json.getBytes(StandardCharsets.UTF_8), JournalAuditLog.AuditRecord.class, "audit entry 1",
                2, JournalAuditLog.SCHEMA_VERSION)).isEqualTo(r);
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> Json.readAsWritten(d.json().getBytes(StandardCharsets.UTF_8), JournalAuditLog.AuditRecord.class,
                "audit entry 1", 2, JournalAuditLog.SCHEMA_VERSION)).isInstanceOf(IntegrityException.class)
                .hasMessage("damaged audit entry 1: " + d.path() + DUPLICATE);
    }

    @Property(tries = TRIES)
    void policies(@ForAll("policies") PromotionPolicy p, @ForAll int choice) {
        assertUserRoundTrip(p.toJson(), PromotionPolicy::fromJson, p, "promotion policy", choice);
        assertThat(PromotionPolicy.fromJson(p.toJson()).id()).isEqualTo(p.id());
    }

    @Property(tries = TRIES)
    void decisions(@ForAll("decisions") PromotionDecision d, @ForAll int choice) {
        assertUserRoundTrip(PromotionGate.toJson(d), PromotionGate::decisionFromJson, d, "promotion decision", choice);
    }

    @Property(tries = TRIES)
    void fairnessReports(@ForAll("fairnessReports") FairnessReport r, @ForAll int choice) {
        assertUserRoundTrip(Fairness.toJson(r), Fairness::fromJson, r, "fairness report", choice);
    }

    @Property(tries = TRIES)
    void importanceReports(@ForAll("importanceReports") ImportanceReport r, @ForAll int choice) {
        assertUserRoundTrip(PermutationImportance.toJson(r), PermutationImportance::fromJson, r, "permutation importance", choice);
    }

    @Property(tries = TRIES)
    void metricEstimates(@ForAll("estimates") List<MetricEstimate> e, @ForAll int choice) {
        assertUserRoundTrip(Bootstrap.toJson(e), Bootstrap::estimatesFromJson, e, "metric estimates", choice);
    }

    @Property(tries = TRIES)
    void inferenceLogLines(@ForAll("inferenceRecords") InferenceRecord r, @ForAll int choice) throws IOException {
        String line = new String(log().line(r), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        String json = line.substring(0, line.length() - 1);
        JsonLinesInferenceLog.Line back = JsonLinesInferenceLog.readLine(json);
        assertThat(back.predictionId()).isEqualTo(r.predictionId());
        assertThat(back.time()).isEqualTo(r.time());
        assertThat(back.model()).isEqualTo(r.version().model());
        assertThat(back.version()).isEqualTo(r.version().number());
        assertThat(back.route()).isEqualTo(r.route());
        assertThat(back.input()).isEqualTo(StrictJson.valueToTree(r.input()));
        assertThat(back.output()).isEqualTo(StrictJson.valueToTree(r.output()));
        assertThat(back.latencyNanos()).isEqualTo(r.latencyNanos());
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> JsonLinesInferenceLog.readLine(d.json())).isInstanceOf(ValidationException.class)
                .hasMessage("inference log line: " + d.path() + DUPLICATE);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static <T> void assertStoredRoundTrip(T doc, Class<T> type, int choice) {
        byte[] bytes = Json.write(doc);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"schema_version\":2,").doesNotContain("schemaVersion");
        assertThat(Json.read(bytes, type, "document d")).isEqualTo(doc);
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> Json.read(d.json().getBytes(StandardCharsets.UTF_8), type, "document d"))
                .isInstanceOf(IntegrityException.class).hasMessage("damaged document d: " + d.path() + DUPLICATE);
    }

    private static <T> void assertUserRoundTrip(String json, Function<String, T> read, T value, String what, int choice) {
        assertThat(json).contains("\"schema_version\" : 2").doesNotContain("schemaVersion");
        assertThat(read.apply(json)).isEqualTo(value);
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> read.apply(d.json())).isInstanceOf(ValidationException.class)
                .hasMessage(what + ": " + d.path() + DUPLICATE);
    }

    private static synchronized JsonLinesInferenceLog log() throws IOException {
        if (log == null) {
            logDirectory = Files.createTempDirectory("inference-log-lines");
            log = JsonLinesInferenceLog.builder(logDirectory).build();
        }
        return log;
    }
}
