package dev.mlops.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlops.api.AliasMove;
import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.Dataset;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Environment;
import dev.mlops.api.GarbageCollection;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.Lineage;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.Schema;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunComparison;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of {@code --json} output: plain records of strings, numbers, lists and maps,
 * written by {@link JsonOutput} with snake_case keys (so {@code artifactSha256} is
 * {@code artifact_sha256}). Enum values are lowercase; times are ISO-8601 UTC.
 */
final class Views {
    private Views() {
    }

    record FileView(String path, String sha256, long size) {
    }

    record LineageView(List<String> trainedOn, List<String> validatedOn, List<String> testedOn,
                       String retrainedFrom, String codeRef, @JsonInclude(JsonInclude.Include.NON_NULL) String run) {
    }

    /** A metric's latest point. */
    record MetricPointView(double value, long step, String timestamp) {
    }

    /** {@code mlops runs list|show --json}: a run as stored. */
    record RunView(String id, String experiment, String name, String status, String startTime, String endTime,
                   String heartbeatAt, Map<String, String> params, Map<String, MetricPointView> metrics,
                   Map<String, String> tags, List<String> inputs, List<String> models,
                   Map<String, List<FileView>> artifacts, String codeRef, String creator, EnvironmentView environment) {
    }

    /** {@code mlops runs compare --json}: one parameter across the runs, null where a run lacks it. */
    record ParamRowView(String key, List<String> values, boolean differs) {
    }

    /** One metric's latest point in each run, null where a run did not log it. */
    record MetricRowView(String key, List<MetricPointView> latest) {
    }

    /** One step of the aligned metric: each run's value, null where it logged none. */
    record StepRowView(long step, List<Double> values) {
    }

    record HistoryView(String key, List<StepRowView> steps) {
    }

    /** {@code mlops runs compare --json}. */
    record ComparisonView(List<RunView> runs, List<ParamRowView> params, List<MetricRowView> metrics,
                          @JsonInclude(JsonInclude.Include.NON_NULL) HistoryView history) {
    }

    record EnvironmentView(String javaVersion, String os, String libraryVersion, Map<String, String> extra) {
    }

    record VersionView(String name, int version, String format, String status, String artifactSha256,
                       long artifactSize, List<FileView> files, Map<String, String> params,
                       Map<String, Double> metrics, Map<String, String> tags, List<String> aliases,
                       String description, String createdAt, String creator, LineageView lineage,
                       Map<String, String> attachments, EnvironmentView environment) {
    }

    record VersionSummaryView(int version, String status, String format, String artifactSha256, String createdAt,
                              List<String> aliases) {
    }

    record ModelView(String name, String description, Map<String, String> tags, Map<String, Integer> aliases,
                     String createdAt, String updatedAt, int latestVersion,
                     @JsonInclude(JsonInclude.Include.NON_NULL) List<VersionSummaryView> versions) {
    }

    record FieldView(String name, String type) {
    }

    record DatasetView(String name, int version, String contentSha256, String format, long sizeBytes, Long rowCount,
                       List<FieldView> schema, String profileSha256, Map<String, String> tags, String description,
                       String sourceUri, String createdAt, String creator, List<FileView> files,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Boolean created) {
    }

    record DatasetSummaryView(String name, int latestVersion, Map<String, String> tags, String createdAt) {
    }

    record AliasView(String name, String alias, int version, Integer previousVersion) {
    }

    record AliasMoveView(String alias, String kind, Integer from, Integer to, String at, String actor) {
    }

    record LineageDatasetView(String role, String ref, String dataset, int version, String contentSha256,
                              Long rowCount, boolean missing) {
    }

    record LineageReportView(String name, int version, String format, String status, String artifactSha256,
                             String retrainedFrom, String codeRef, List<LineageDatasetView> datasets) {
    }

    record ModelUseView(String name, int version, List<String> roles, String status, List<String> aliases,
                        String artifactSha256) {
    }

    record ReverseLineageView(String dataset, int version, String contentSha256, List<ModelUseView> models) {
    }

    record ProblemView(String kind, String location, String detail, boolean repaired, boolean repairable) {
    }

    record VerifyView(boolean ok, int problemCount, List<ProblemView> problems) {
    }

    record AuditEntryView(long sequence, String time, String actor, String action, String target,
                          Map<String, String> before, Map<String, String> after, String previousHash, String hash) {
    }

    record AuditVerifyView(boolean ok, long entriesChecked, Long firstBadSequence, String detail) {
    }

    /** {@code mlops report --json}: the files written and the dataset verdict. */
    record ReportView(List<String> written, boolean datasetDrift, String datasetVerdict, double driftShare,
            Interval driftShareInterval, double driftShareThreshold, int columns, List<String> driftedColumns,
            List<String> uncertainColumns) {
    }

    record GcView(long blobsExamined, long blobsDeleted, long bytesFreed) {
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static String time(Instant t) {
        return t.toString();
    }

    static List<FileView> files(ArtifactManifest m) {
        return m.entries().stream().map(e -> new FileView(e.path(), e.sha256(), e.size())).toList();
    }

    static List<String> refs(List<DatasetRef> refs) {
        return refs.stream().map(DatasetRef::toString).toList();
    }

    static LineageView lineage(Lineage l) {
        return new LineageView(refs(l.trainedOn()), refs(l.validatedOn()), refs(l.testedOn()),
                l.retrainedFrom().map(Object::toString).orElse(null), l.codeRef().orElse(null), l.run().orElse(null));
    }

    static VersionView version(ModelVersion v) {
        Environment env = v.environment();
        return new VersionView(v.model(), v.number(), v.format(), lower(v.status()), v.artifact().digest(),
                v.artifact().totalSize(), files(v.artifact()), new TreeMap<>(v.params()), new TreeMap<>(v.metrics()),
                new TreeMap<>(v.tags()), sorted(v.aliases()), v.description(), time(v.createdAt()), v.creator(),
                lineage(v.lineage()), new TreeMap<>(v.attachments()),
                new EnvironmentView(env.javaVersion(), env.os(), env.libraryVersion(), new TreeMap<>(env.extra())));
    }

    static RunView run(Run r) {
        Map<String, MetricPointView> metrics = new TreeMap<>();
        r.metrics().forEach((k, p) -> metrics.put(k, new MetricPointView(p.value(), p.step(), time(p.timestamp()))));
        Map<String, List<FileView>> artifacts = new TreeMap<>();
        r.artifacts().forEach((k, m) -> artifacts.put(k, files(m)));
        Environment env = r.environment();
        return new RunView(r.id(), r.experiment(), r.name(), lower(r.status()), time(r.startTime()),
                r.endTime().map(Views::time).orElse(null), time(r.heartbeatAt()), new TreeMap<>(r.params()), metrics,
                new TreeMap<>(r.tags()), refs(r.inputs()), r.models().stream().map(Object::toString).toList(), artifacts,
                r.codeRef().orElse(null), r.creator(),
                new EnvironmentView(env.javaVersion(), env.os(), env.libraryVersion(), new TreeMap<>(env.extra())));
    }

    static ComparisonView comparison(RunComparison c, List<RunComparison.ParamRow> params) {
        List<ParamRowView> p = params.stream().map(r -> new ParamRowView(r.key(),
                r.values().stream().map(v -> v.orElse(null)).toList(), r.differs())).toList();
        List<MetricRowView> m = c.metrics().stream().map(r -> new MetricRowView(r.key(), r.latest().stream()
                .map(o -> o.map(x -> new MetricPointView(x.value(), x.step(), time(x.timestamp()))).orElse(null))
                .toList())).toList();
        HistoryView h = c.history().map(a -> new HistoryView(a.key(), a.steps().stream()
                .map(s -> new StepRowView(s.step(), s.values().stream()
                        .map(v -> v.isPresent() ? v.getAsDouble() : null).toList()))
                .toList())).orElse(null);
        return new ComparisonView(c.runs().stream().map(Views::run).toList(), p, m, h);
    }

    static VersionSummaryView summary(ModelVersion v) {
        return new VersionSummaryView(v.number(), lower(v.status()), v.format(), v.artifact().digest(),
                time(v.createdAt()), sorted(v.aliases()));
    }

    static ModelView model(RegisteredModel m, List<VersionSummaryView> versions) {
        return new ModelView(m.name(), m.description(), new TreeMap<>(m.tags()), new TreeMap<>(m.aliases()),
                time(m.createdAt()), time(m.updatedAt()), m.latestVersion(), versions);
    }

    static List<FieldView> schema(Schema s) {
        return s.fields().stream().map(f -> new FieldView(f.name(), lower(f.type()))).toList();
    }

    static DatasetView dataset(DatasetVersion d, Boolean created) {
        return new DatasetView(d.dataset(), d.version(), d.contentSha256(), d.format(), d.sizeBytes(),
                d.rowCount().isPresent() ? d.rowCount().getAsLong() : null,
                d.schema().map(Views::schema).orElse(null), d.profileSha256().orElse(null), new TreeMap<>(d.tags()),
                d.description(), d.sourceUri().orElse(null), time(d.createdAt()), d.creator(), files(d.files()),
                created);
    }

    static DatasetSummaryView dataset(Dataset d) {
        return new DatasetSummaryView(d.name(), d.latestVersion(), new TreeMap<>(d.tags()), time(d.createdAt()));
    }

    static AliasMoveView move(AliasMove m) {
        return new AliasMoveView(m.alias(), lower(m.kind()), m.from().orElse(null), m.to().orElse(null),
                time(m.at()), m.actor());
    }

    static ProblemView problem(IntegrityProblem p) {
        return new ProblemView(lower(p.kind()), p.location(), p.detail(), p.repaired(), p.repairable());
    }

    static VerifyView verify(IntegrityReport r) {
        return new VerifyView(r.ok(), r.problems().size(), r.problems().stream().map(Views::problem).toList());
    }

    static AuditEntryView audit(AuditEntry e) {
        return new AuditEntryView(e.sequence(), time(e.time()), e.actor(), e.action(), e.target(),
                new TreeMap<>(e.before()), new TreeMap<>(e.after()), e.previousHash(), e.hash());
    }

    static AuditVerifyView audit(AuditVerification v) {
        return new AuditVerifyView(v.ok(), v.entriesChecked(),
                v.firstBadSequence().isPresent() ? v.firstBadSequence().getAsLong() : null, v.detail());
    }

    static GcView gc(GarbageCollection g) {
        return new GcView(g.blobsExamined(), g.blobsDeleted(), g.bytesFreed());
    }

    static List<String> sorted(List<String> list) {
        List<String> l = new ArrayList<>(list);
        l.sort(null);
        return l;
    }
}
