package dev.mlops.cli;

import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.SliceMetrics;
import dev.mlops.cards.ModelCard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The {@code card --json} shape: every fact a {@link ModelCard} gathered, as plain records
 * (written with snake_case keys by {@link JsonOutput}). Absent values are {@code null}; numbers keep
 * full precision (the rendered card rounds them).
 */
final class CardViews {
    private CardViews() {
    }

    record CardView(String card, Views.VersionView version, Views.ModelView model, String generatedAt,
                    SignatureView signature, List<Views.LineageDatasetView> datasets, ParentView retrainedFrom,
                    List<EstimateView> metricEstimates, List<FairnessView> fairness, List<ImportanceView> importance,
                    BaselineView driftBaseline, String driftSource, List<DriftWindowView> driftHistory,
                    List<DecisionView> decisions, List<Views.AliasMoveView> aliasHistory,
                    List<Views.AuditEntryView> audit, List<Views.AuditEntryView> aliasAudit, List<String> notes,
                    List<String> written) {
    }

    record ParentView(String ref, boolean exists) {
    }

    record ColumnSpecView(String name, String type) {
    }

    record TensorView(String name, String elementType, List<String> shape) {
    }

    record SignatureView(List<ColumnSpecView> inputs, List<ColumnSpecView> outputs, List<TensorView> inputTensors,
                         List<TensorView> outputTensors) {
    }

    record DriftWindowView(Long sequence, String start, String end, long rows, double driftShare,
                           double driftShareThreshold, boolean datasetDrift, List<String> driftedColumns) {
    }

    record EstimateView(String metric, double value, double lower, double upper, double confidence, int resamples,
                        int skipped, long seed) {
    }

    record SliceView(String slice, int count, int actualPositives, int predictedPositives, double selectionRate,
                     double truePositiveRate, double falsePositiveRate, double accuracy) {
    }

    record FairnessView(String sensitive, String positiveClass, List<SliceView> slices, Map<String, Double> gaps) {
    }

    record FeatureView(String feature, double mean, double std, List<Double> importances) {
    }

    record ImportanceView(String metric, boolean greaterIsBetter, double baseline, int rows, int repeats, long seed,
                          List<FeatureView> features) {
    }

    record CategoryView(String value, long count) {
    }

    record ColumnView(String name, String kind, long count, long missing, Long distinct, Double min, Double max,
                      Double mean, Double std, List<CategoryView> topCategories) {
    }

    record BaselineView(long rows, List<ColumnView> columns) {
    }

    record CheckView(String name, Double observed, String required, String verdict, String detail) {
    }

    record DecisionView(String attachment, int number, String candidate, String alias, String champion,
                        String decidedAt, String policy, boolean passed, List<CheckView> checks) {
    }

    static CardView card(ModelCard c, List<String> written) {
        List<Views.LineageDatasetView> datasets = c.datasets().stream().map(d -> {
            Optional<DatasetVersion> v = d.version();
            return new Views.LineageDatasetView(d.role(), d.ref().toString(), d.ref().dataset(), d.ref().version(),
                    v.map(DatasetVersion::contentSha256).orElse(null),
                    v.filter(x -> x.rowCount().isPresent()).map(x -> x.rowCount().getAsLong()).orElse(null), v.isEmpty());
        }).toList();
        return new CardView(c.version().ref().toString(), Views.version(c.version()), Views.model(c.model(), null),
                Views.time(c.generatedAt()), signature(c.version().signature()), datasets,
                c.parent().map(p -> new ParentView(p.ref().toString(), p.version().isPresent())).orElse(null),
                c.metricEstimates().stream().map(CardViews::estimate).toList(),
                c.fairness().stream().map(CardViews::fairness).toList(),
                c.importance().stream().map(CardViews::importance).toList(),
                c.driftBaseline().map(CardViews::baseline).orElse(null), c.driftSource().orElse(null),
                c.driftHistory().stream().map(CardViews::window).toList(),
                c.decisions().stream().map(CardViews::decision).toList(),
                c.aliasHistory().stream().map(Views::move).toList(),
                c.auditEntries().stream().map(Views::audit).toList(),
                c.aliasAuditEntries().stream().map(Views::audit).toList(), c.notes(), List.copyOf(written));
    }

    static SignatureView signature(Signature s) {
        return new SignatureView(columns(s.inputs()), columns(s.outputs()), tensors(s.inputTensors()),
                tensors(s.outputTensors()));
    }

    private static List<ColumnSpecView> columns(Schema schema) {
        return schema.fields().stream().map(f -> new ColumnSpecView(f.name(), f.type().name())).toList();
    }

    private static List<TensorView> tensors(List<TensorSpec> tensors) {
        return tensors.stream().map(t -> new TensorView(t.name(), t.elementType(), t.shape())).toList();
    }

    static DriftWindowView window(DriftReport r) {
        return new DriftWindowView(r.window().map(DriftReport.Window::sequence).orElse(null),
                r.window().map(w -> Views.time(w.start())).orElse(null), r.window().map(w -> Views.time(w.end())).orElse(null),
                r.currentRows(), r.driftShare(), r.driftShareThreshold(), r.datasetDrift(), r.driftedColumns());
    }

    static EstimateView estimate(MetricEstimate e) {
        return new EstimateView(e.metric(), e.value(), e.lower(), e.upper(), e.confidence(), e.resamples(), e.skipped(),
                e.seed());
    }

    static FairnessView fairness(FairnessReport r) {
        Map<String, Double> gaps = new LinkedHashMap<>();
        for (MetricValue m : r.metrics()) {
            gaps.put(m.name(), m.value());
        }
        return new FairnessView(r.sensitive(), r.positiveClass(), r.slices().stream().map(CardViews::slice).toList(), gaps);
    }

    static SliceView slice(SliceMetrics s) {
        return new SliceView(s.slice(), s.count(), s.actualPositives(), s.predictedPositives(), s.selectionRate(),
                s.truePositiveRate(), s.falsePositiveRate(), s.accuracy());
    }

    static ImportanceView importance(ImportanceReport r) {
        return new ImportanceView(r.metric(), r.greaterIsBetter(), r.baseline(), r.rows(), r.repeats(), r.seed(),
                r.features().stream().map(f -> new FeatureView(f.feature(), f.mean(), f.std(), f.importances())).toList());
    }

    static BaselineView baseline(ModelCard.DriftBaseline b) {
        return new BaselineView(b.rows(), b.columns().stream().map(c -> new ColumnView(c.name(), c.kind(), c.count(),
                c.missing(), boxed(c.distinct()), boxed(c.min()), boxed(c.max()), boxed(c.mean()), boxed(c.std()),
                c.topCategories().stream().map(t -> new CategoryView(t.value(), t.count())).toList())).toList());
    }

    static DecisionView decision(ModelCard.RecordedDecision r) {
        PromotionDecision d = r.decision();
        return new DecisionView(r.attachment(), r.number(), d.candidate().toString(), d.alias(),
                d.champion().map(Object::toString).orElse(null), Views.time(d.decidedAt()), d.policy(), d.passed(),
                d.checks().stream().map(CardViews::check).toList());
    }

    static CheckView check(CheckResult c) {
        return new CheckView(c.name(), boxed(c.observed()), c.required(), Views.lower(c.verdict()), c.detail());
    }

    private static Long boxed(OptionalLong v) {
        return v.isPresent() ? v.getAsLong() : null;
    }

    private static Double boxed(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }
}
