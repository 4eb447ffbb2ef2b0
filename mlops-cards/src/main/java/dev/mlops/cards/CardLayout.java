package dev.mlops.cards;

import dev.mlops.api.AttachmentNames;
import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Environment;
import dev.mlops.api.Field;
import dev.mlops.api.Lineage;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.serving.LatencySnapshot;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.SliceMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a model card shows, decided once for both renderings: a title and sections of blocks
 * (paragraphs of stored text, notes, headings, label/value facts and tables of cells). The
 * strings here are raw; {@link CardMarkdown} and {@link CardHtml} escape every one of them.
 */
final class CardLayout {

    /** The whole card. */
    record Doc(String title, List<Section> sections) {
    }

    /** One section; {@code id} is a stable anchor such as {@code metrics}. */
    record Section(String id, String title, List<Block> blocks) {
    }

    /** Content of a section. */
    sealed interface Block permits Text, Note, Heading, Facts, Table, Chart {
    }

    /**
     * A chart: inline SVG in the HTML card ({@link CardSvg}); the Markdown card leaves it out,
     * since the table beside each chart holds the same numbers.
     */
    sealed interface Chart extends Block permits IntervalChart, ShareChart {
        /** @return what the chart shows, its accessible title */
        String title();
    }

    /** Metric values with their intervals, one row per metric, each on its own scale. */
    record IntervalChart(String title, List<IntervalRow> rows) implements Chart {
    }

    /** One metric: its value and the interval around it; {@code what} names the interval, such as {@code 95% bootstrap}. */
    record IntervalRow(String label, double value, double lower, double upper, String what) {
    }

    /** A share (0 to 1) per point in time against a threshold, such as the drift share per monitor window. */
    record ShareChart(String title, String yTitle, List<SharePoint> points, double threshold) implements Chart {
    }

    /** One point of a share chart; {@code flagged} points (drift) are drawn in the alarm colour. */
    record SharePoint(String label, double share, boolean flagged, String detail) {
    }

    /** Free text as stored (may span lines). */
    record Text(String text) implements Block {
    }

    /** A remark of the card itself, such as "No signature recorded.". */
    record Note(String text) implements Block {
    }

    /** A sub-heading within a section. */
    record Heading(String text) implements Block {
    }

    /** Label and value pairs. */
    record Facts(List<Fact> facts) implements Block {
    }

    /** One label and its value. */
    record Fact(String label, Cell value) {
    }

    /** A table with a header row. */
    record Table(List<String> headers, List<List<Cell>> rows) implements Block {
    }

    /** How a cell is shown. */
    enum Style {
        /** Text. */
        PLAIN,
        /** A number, right-aligned. */
        NUMBER,
        /** A digest or identifier, monospaced. */
        CODE,
        /** A passed check. */
        PASS,
        /** A failed check. */
        FAIL,
        /** A number with a bar of length {@link Cell#fraction()} of the column's largest. */
        BAR,
        /** A point in time: kept on one line. */
        TIME
    }

    /** A table cell or fact value. */
    record Cell(String text, Style style, double fraction) {
        static Cell of(String text) {
            return new Cell(text, Style.PLAIN, 0);
        }

        static Cell num(double v) {
            return new Cell(CardText.number(v), Style.NUMBER, 0);
        }

        static Cell count(long v) {
            return new Cell(Long.toString(v), Style.NUMBER, 0);
        }

        static Cell code(String text) {
            return new Cell(text, Style.CODE, 0);
        }

        static Cell time(java.time.Instant at) {
            return new Cell(at.toString(), Style.TIME, 0);
        }
    }

    private CardLayout() {
    }

    static Doc of(ModelCard card) {
        ModelVersion v = card.version();
        List<Section> s = new ArrayList<>();
        s.add(summary(card));
        s.add(purpose(card.model(), v));
        s.add(signature(v.signature()));
        s.add(lineage(card, v.lineage()));
        if (!v.params().isEmpty()) {
            s.add(new Section("parameters", "Parameters", List.of(keyValueTable("Parameter", v.params()))));
        }
        s.add(environment(v.environment()));
        s.add(metrics(v.metrics(), card.metricEstimates()));
        if (!card.fairness().isEmpty()) {
            s.add(fairness(card.fairness()));
        }
        if (!card.importance().isEmpty()) {
            s.add(importance(card.importance()));
        }
        card.driftBaseline().ifPresent(b -> s.add(drift(b)));
        card.servingMetrics().ifPresent(m -> s.add(serving(m)));
        if (!card.driftHistory().isEmpty() || card.driftSource().isPresent()) {
            s.add(driftHistory(card.driftHistory(), card.driftSource()));
        }
        s.add(decisions(card.decisions(), card.unreadableAttachments().stream()
                .filter(u -> AttachmentNames.decisionNumber(u.name()).isPresent()).toList()));
        s.add(aliases(card.aliasHistory()));
        s.add(audit(card.auditEntries(), card.aliasAuditEntries()));
        if (!card.notes().isEmpty()) {
            s.add(new Section("notes", "Notes", card.notes().stream().<Block>map(Text::new).toList()));
        }
        return new Doc("Model card: " + v.ref(), s);
    }

    private static Section summary(ModelCard card) {
        ModelVersion v = card.version();
        List<Fact> f = new ArrayList<>();
        f.add(new Fact("Model", Cell.of(v.model())));
        f.add(new Fact("Version", Cell.count(v.number())));
        f.add(new Fact("Format", Cell.of(v.format())));
        f.add(new Fact("Status", Cell.of(v.status().name().toLowerCase(Locale.ROOT))));
        List<String> aliases = new ArrayList<>(new TreeSet<>(v.aliases()));
        f.add(new Fact("Aliases now", Cell.of(aliases.isEmpty() ? "none" : String.join(", ", aliases))));
        f.add(new Fact("Registered", Cell.of(v.createdAt() + " by " + v.creator())));
        f.add(new Fact("Artifact SHA-256", Cell.code(v.artifact().digest())));
        int files = v.artifact().entries().size();
        f.add(new Fact("Artifact size", Cell.of(v.artifact().totalSize() + " bytes in " + files
                + (files == 1 ? " file" : " files"))));
        f.add(new Fact("Card generated", Cell.of(card.generatedAt().toString())));
        return new Section("summary", "Summary", List.of(new Facts(f)));
    }

    private static Section purpose(RegisteredModel m, ModelVersion v) {
        List<Block> b = new ArrayList<>();
        if (!m.description().isBlank()) {
            b.add(new Heading("Purpose (model " + m.name() + ")"));
            b.add(new Text(m.description()));
        }
        if (!v.description().isBlank()) {
            b.add(new Heading("This version"));
            b.add(new Text(v.description()));
        }
        if (b.isEmpty()) {
            b.add(new Note("No description recorded for the model or this version."));
        }
        if (!m.tags().isEmpty()) {
            b.add(new Heading("Model tags"));
            b.add(keyValueTable("Tag", m.tags()));
        }
        if (!v.tags().isEmpty()) {
            b.add(new Heading("Version tags"));
            b.add(keyValueTable("Tag", v.tags()));
        }
        return new Section("purpose", "Purpose and description", b);
    }

    private static Table keyValueTable(String key, Map<String, String> map) {
        List<List<Cell>> rows = new ArrayList<>();
        new TreeMap<>(map).forEach((k, val) -> rows.add(List.of(Cell.of(k), Cell.of(val))));
        return new Table(List.of(key, "Value"), rows);
    }

    private static Section signature(Signature sig) {
        List<Block> b = new ArrayList<>();
        if (sig.inputs().size() > 0) {
            b.add(new Heading("Inputs"));
            b.add(fieldTable(sig.inputs()));
        }
        if (!sig.inputTensors().isEmpty()) {
            b.add(new Heading("Input tensors"));
            b.add(tensorTable(sig.inputTensors()));
        }
        if (sig.outputs().size() > 0) {
            b.add(new Heading("Outputs"));
            b.add(fieldTable(sig.outputs()));
        }
        if (!sig.outputTensors().isEmpty()) {
            b.add(new Heading("Output tensors"));
            b.add(tensorTable(sig.outputTensors()));
        }
        if (b.isEmpty()) {
            b.add(new Note("No signature recorded."));
        } else if (!sig.inputTensors().isEmpty() || !sig.outputTensors().isEmpty()) {
            b.add(new Note("Shapes list dimensions outermost first: a size, the model's name for a dimension "
                    + "fixed at run time (such as batch), or ? for a dynamic dimension without a name."));
        }
        return new Section("signature", "Signature", b);
    }

    private static Table tensorTable(List<TensorSpec> tensors) {
        List<List<Cell>> rows = new ArrayList<>();
        for (TensorSpec t : tensors) {
            rows.add(List.of(Cell.of(t.name()), Cell.of(t.elementType()), Cell.code(t.shapeText())));
        }
        return new Table(List.of("Tensor", "Element type", "Shape"), rows);
    }

    private static Table fieldTable(Schema schema) {
        List<List<Cell>> rows = new ArrayList<>();
        for (Field f : schema.fields()) {
            rows.add(List.of(Cell.of(f.name()), Cell.of(f.type().name())));
        }
        return new Table(List.of("Column", "Type"), rows);
    }

    private static Section lineage(ModelCard card, Lineage l) {
        List<Block> b = new ArrayList<>();
        if (!card.datasets().isEmpty()) {
            List<List<Cell>> rows = new ArrayList<>();
            for (ModelCard.DatasetUse d : card.datasets()) {
                Optional<DatasetVersion> dv = d.version();
                rows.add(List.of(Cell.of(d.role()), Cell.of(d.ref().toString()),
                        dv.filter(x -> x.rowCount().isPresent()).map(x -> Cell.count(x.rowCount().getAsLong()))
                                .orElse(Cell.of(dv.isPresent() ? "n/a" : "")),
                        dv.map(x -> Cell.count(x.sizeBytes())).orElse(Cell.of("")),
                        dv.map(x -> Cell.code(x.contentSha256())).orElse(Cell.of("not in the catalog"))));
            }
            b.add(new Table(List.of("Role", "Dataset", "Rows", "Bytes", "Content SHA-256"), rows));
        }
        List<Fact> f = new ArrayList<>();
        card.parent().ifPresent(p -> f.add(new Fact("Retrained from",
                Cell.of(p.ref() + (p.version().isPresent() ? "" : " (deleted since)")))));
        l.codeRef().ifPresent(c -> f.add(new Fact("Code", Cell.code(c))));
        l.run().ifPresent(r -> f.add(new Fact("Training run", Cell.code(r))));
        if (!f.isEmpty()) {
            b.add(new Facts(f));
        }
        if (b.isEmpty()) {
            b.add(new Note("No lineage recorded: no dataset, parent version or code reference."));
        }
        return new Section("lineage", "Lineage", b);
    }

    private static Section environment(Environment e) {
        List<Fact> f = new ArrayList<>();
        f.add(new Fact("Java", Cell.of(e.javaVersion())));
        f.add(new Fact("Operating system", Cell.of(e.os())));
        f.add(new Fact("mlops-java", Cell.of(e.libraryVersion())));
        new TreeMap<>(e.extra()).forEach((k, val) -> f.add(new Fact(k, Cell.of(val))));
        return new Section("environment", "Environment", List.of(new Facts(f)));
    }

    private static Section metrics(Map<String, Double> stored, List<MetricEstimate> estimates) {
        Map<String, MetricEstimate> byName = new LinkedHashMap<>();
        for (MetricEstimate e : estimates) {
            byName.putIfAbsent(e.metric(), e);
        }
        // metrics with an interval first (in the order they were estimated), then the others by name
        List<String> names = new ArrayList<>(byName.keySet());
        new TreeSet<>(stored.keySet()).stream().filter(n -> !byName.containsKey(n)).forEach(names::add);
        if (names.isEmpty()) {
            return new Section("metrics", "Metrics", List.of(new Note("No metrics recorded.")));
        }
        boolean intervals = !byName.isEmpty();
        List<List<Cell>> rows = new ArrayList<>();
        for (String name : names) {
            MetricEstimate e = byName.get(name);
            Double value = stored.get(name);
            List<Cell> row = new ArrayList<>();
            row.add(Cell.of(name));
            row.add(Cell.num(value != null ? value : e.value()));
            if (intervals) {
                if (e == null) {
                    row.add(Cell.of(""));
                    row.add(Cell.of(""));
                } else {
                    row.add(Cell.of("[" + CardText.number(e.lower()) + ", " + CardText.number(e.upper()) + "]"));
                    row.add(Cell.of(CardText.percent(e.confidence()) + ", " + e.resamples() + " resamples"
                            + (e.skipped() > 0 ? " (" + e.skipped() + " skipped)" : "") + ", seed " + e.seed()
                            + (value != null && !value.equals(e.value()) ? ", estimate " + CardText.number(e.value()) : "")));
                }
            }
            rows.add(row);
        }
        List<Block> b = new ArrayList<>();
        if (intervals) {
            List<IntervalRow> chart = new ArrayList<>();
            for (MetricEstimate e : byName.values()) {
                Double value = stored.get(e.metric());
                chart.add(new IntervalRow(e.metric(), value != null ? value : e.value(), e.lower(), e.upper(),
                        CardText.percent(e.confidence()) + " bootstrap"));
            }
            b.add(new IntervalChart("Metrics with their bootstrap intervals", chart));
        }
        b.add(new Table(intervals ? List.of("Metric", "Value", "Interval", "Bootstrap") : List.of("Metric", "Value"), rows));
        if (intervals) {
            b.add(new Note("Intervals are percentile bootstrap intervals of the metric over resampled evaluation rows."));
        }
        return new Section("metrics", "Metrics", b);
    }

    private static Section fairness(List<FairnessReport> reports) {
        List<Block> b = new ArrayList<>();
        for (FairnessReport r : reports) {
            b.add(new Heading("Sensitive column " + r.sensitive() + ", positive outcome " + r.positiveClass()));
            List<List<Cell>> rows = new ArrayList<>();
            for (SliceMetrics m : r.slices()) {
                rows.add(List.of(Cell.of(m.slice()), Cell.count(m.count()), Cell.count(m.actualPositives()),
                        Cell.count(m.predictedPositives()), Cell.num(m.selectionRate()), Cell.num(m.truePositiveRate()),
                        Cell.num(m.falsePositiveRate()), Cell.num(m.accuracy())));
            }
            b.add(new Table(List.of("Slice", "Rows", "Actual positives", "Predicted positives", "Selection rate",
                    "True positive rate", "False positive rate", "Accuracy"), rows));
            List<List<Cell>> gaps = new ArrayList<>();
            for (MetricValue m : r.metrics()) {
                gaps.add(List.of(Cell.of(m.name()), Cell.num(m.value())));
            }
            b.add(new Table(List.of("Gap between slices", "Value"), gaps));
        }
        return new Section("fairness", "Fairness", b);
    }

    private static Section importance(List<ImportanceReport> reports) {
        List<Block> b = new ArrayList<>();
        for (ImportanceReport r : reports) {
            b.add(new Heading("Permutation importance by " + r.metric() + " (baseline " + CardText.number(r.baseline())
                    + ", " + r.rows() + " rows, " + r.repeats() + " repeats, seed " + r.seed() + ")"));
            double top = r.features().stream().mapToDouble(f -> Math.abs(f.mean())).filter(Double::isFinite)
                    .max().orElse(0);
            List<List<Cell>> rows = new ArrayList<>();
            for (FeatureImportance f : r.ranked()) {
                double fraction = top > 0 && Double.isFinite(f.mean()) ? Math.max(0, f.mean()) / top : 0;
                rows.add(List.of(Cell.of(f.feature()), new Cell(CardText.number(f.mean()), Style.BAR, fraction),
                        Cell.num(f.std())));
            }
            b.add(new Table(List.of("Feature", "Mean importance", "Std"), rows));
        }
        b.add(new Note("Importance is the drop in the metric when the feature's column is shuffled; 0 means the model ignores it."));
        return new Section("importance", "Feature importance", b);
    }

    private static Section drift(ModelCard.DriftBaseline d) {
        List<Block> b = new ArrayList<>();
        b.add(new Facts(List.of(new Fact("Reference rows", Cell.count(d.rows())),
                new Fact("Columns", Cell.count(d.columns().size())))));
        List<List<Cell>> rows = new ArrayList<>();
        for (ModelCard.BaselineColumn c : d.columns()) {
            String top = c.topCategories().stream().map(t -> t.value() + " (" + t.count() + ")")
                    .collect(Collectors.joining(", "));
            rows.add(List.of(Cell.of(c.name()), Cell.of(c.kind()), Cell.count(c.count()), Cell.count(c.missing()),
                    c.distinct().isPresent() ? Cell.count(c.distinct().getAsLong()) : Cell.of(""),
                    c.min().isPresent() ? Cell.num(c.min().getAsDouble()) : Cell.of(""),
                    c.max().isPresent() ? Cell.num(c.max().getAsDouble()) : Cell.of(""),
                    c.mean().isPresent() ? Cell.num(c.mean().getAsDouble()) : Cell.of(""),
                    Cell.of(top)));
        }
        if (!rows.isEmpty()) {
            b.add(new Table(List.of("Column", "Kind", "Count", "Missing", "Distinct", "Min", "Max", "Mean",
                    "Top categories"), rows));
        }
        b.add(new Note("From the drift reference profile stored with the version (attachment "
                + AttachmentNames.DRIFT_PROFILE + "); serving compares live data with it."));
        return new Section("drift-baseline", "Drift baseline", b);
    }

    private static Section serving(VersionMetrics m) {
        List<Fact> f = new ArrayList<>();
        f.add(new Fact("Calls", Cell.count(m.calls())));
        f.add(new Fact("Errors", Cell.of(m.errors() + (m.calls() > 0 ? " (" + CardText.number(100.0 * m.errors() / m.calls())
                + "% of calls)" : ""))));
        f.add(new Fact("Fallbacks", Cell.count(m.fallbacks())));
        LatencySnapshot l = m.latency();
        if (l.count() > 0) {
            f.add(new Fact("Latency p50 / p90 / p99", Cell.of(millis(l.p50Nanos()) + " / " + millis(l.p90Nanos()) + " / "
                    + millis(l.p99Nanos()) + " ms")));
            f.add(new Fact("Latency max", Cell.of(millis(l.maxNanos()) + " ms, over " + l.count() + " successful calls")));
        } else {
            f.add(new Fact("Latency", Cell.of("no successful call measured")));
        }
        if (m.shadowCalls() > 0) {
            f.add(new Fact("Shadow calls", Cell.of(m.shadowCalls() + ", " + m.shadowErrors() + " failed"
                    + m.shadowAgreementRate().stream().mapToObj(r -> ", agreement " + CardText.percent(r)).findFirst().orElse(""))));
        }
        f.add(new Fact("Feedback joined", Cell.count(m.feedbackCount())));
        if (m.meanLiveError().isPresent()) {
            f.add(new Fact("Mean live error", Cell.num(m.meanLiveError().getAsDouble())));
        }
        return new Section("serving", "Serving", List.of(new Facts(f), new Note(
                "Counters of the running service since it started, as of the card's generation time. The library "
                        + "does not store them: a card built without the service shows no serving section.")));
    }

    private static String millis(long nanos) {
        return CardText.number(nanos / 1e6);
    }

    private static Section driftHistory(List<DriftReport> reports, Optional<String> source) {
        List<Block> b = new ArrayList<>();
        if (reports.isEmpty()) {
            b.add(new Note("No monitor window recorded" + source.map(x -> " by " + x).orElse("") + "."));
            return new Section("drift-history", "Drift history", b);
        }
        long drifted = reports.stream().filter(DriftReport::datasetDrift).count();
        DriftReport last = reports.get(reports.size() - 1);
        List<Fact> f = new ArrayList<>();
        source.ifPresent(x -> f.add(new Fact("Source", Cell.of(x))));
        f.add(new Fact("Windows", Cell.of(reports.size() + ", " + drifted + " with dataset drift")));
        f.add(new Fact("Latest window", Cell.of(windowText(last) + ": drift share " + CardText.percent(last.driftShare())
                + (last.datasetDrift() ? ", dataset drift" : ", no dataset drift"))));
        b.add(new Facts(f));
        List<SharePoint> points = new ArrayList<>();
        List<List<Cell>> rows = new ArrayList<>();
        for (DriftReport r : reports) {
            String verdict = r.datasetDrift() ? "drift" : "no drift";
            points.add(new SharePoint(label(r), r.driftShare(), r.datasetDrift(), windowText(r) + ": "
                    + r.driftedColumns().size() + " of " + r.columns().size() + " columns drifted, " + r.currentRows()
                    + " rows, " + verdict));
            rows.add(List.of(Cell.of(r.window().map(w -> Long.toString(w.sequence())).orElse("")),
                    Cell.time(ModelCard.windowStart(r)), r.window().map(w -> Cell.time(w.end())).orElse(Cell.of("")),
                    Cell.count(r.currentRows()), Cell.of(r.driftedColumns().size() + " of " + r.columns().size()),
                    Cell.num(r.driftShare()),
                    new Cell(verdict, r.datasetDrift() ? Style.FAIL : Style.PASS, 0),
                    Cell.of(String.join(", ", r.driftedColumns()))));
        }
        b.add(new ShareChart("Drift share per monitor window", "drift share", points, last.driftShareThreshold()));
        b.add(new Table(List.of("Window", "Start", "End", "Rows", "Drifted columns", "Drift share", "Verdict",
                "Columns that drifted"), rows));
        b.add(new Note("Drift share is the share of compared columns that drifted in the window; the dataset drifts "
                + "when it reaches the threshold (" + CardText.percent(last.driftShareThreshold())
                + " in the latest window; the dashed line of the chart)."));
        return new Section("drift-history", "Drift history", b);
    }

    private static String windowText(DriftReport r) {
        return r.window().map(w -> "window " + w.sequence() + " (" + w.start() + " to " + w.end() + ")")
                .orElse("report of " + r.createdAt());
    }

    /** A short axis label: the window's start date, with the time when the window is shorter than a day. */
    private static String label(DriftReport r) {
        java.time.Instant start = ModelCard.windowStart(r);
        boolean sub = r.window().map(w -> java.time.Duration.between(w.start(), w.end()).compareTo(java.time.Duration.ofDays(1)) < 0)
                .orElse(true);
        String iso = start.toString();
        return sub && iso.length() >= 16 ? iso.substring(0, 10) + " " + iso.substring(11, 16) : iso.substring(0, 10);
    }

    private static Section decisions(List<ModelCard.RecordedDecision> decisions,
                                     List<ModelCard.UnreadableAttachment> unreadable) {
        if (decisions.isEmpty() && unreadable.isEmpty()) {
            return new Section("decisions", "Promotion decisions", List.of(new Note("No promotion decision recorded.")));
        }
        List<Block> b = new ArrayList<>();
        for (ModelCard.UnreadableAttachment u : unreadable) {
            // a damaged decision is damage, never absence: say which one, where it belongs
            b.add(new Note("Decision attachment " + u.name() + " could not be read (damaged or unreadable): "
                    + u.detail()));
        }
        for (ModelCard.RecordedDecision r : decisions) {
            PromotionDecision d = r.decision();
            b.add(new Heading("Decision " + r.number() + ": " + d.candidate() + " to " + d.alias() + ", "
                    + (d.passed() ? "passed" : "refused")));
            List<Fact> f = new ArrayList<>();
            f.add(new Fact("Outcome", new Cell(d.passed() ? "PASSED" : "REFUSED", d.passed() ? Style.PASS : Style.FAIL, 0)));
            f.add(new Fact("Decided", Cell.of(d.decidedAt().toString())));
            f.add(new Fact("Champion then", Cell.of(d.champion().map(Object::toString).orElse("none"))));
            f.add(new Fact("Policy", Cell.code(d.policy())));
            f.add(new Fact("Stored as", Cell.of(r.attachment())));
            b.add(new Facts(f));
            if (d.checks().isEmpty()) {
                b.add(new Note("The decision has no checks, so it does not pass."));
                continue;
            }
            List<List<Cell>> rows = new ArrayList<>();
            for (CheckResult c : d.checks()) {
                rows.add(List.of(Cell.of(c.name()),
                        c.observed().isPresent() ? Cell.num(c.observed().getAsDouble()) : Cell.of("none"),
                        Cell.of(c.required()), new Cell(c.verdict().name(), c.passed() ? Style.PASS : Style.FAIL, 0),
                        Cell.of(c.detail())));
            }
            b.add(new Table(List.of("Check", "Observed", "Required", "Verdict", "Detail"), rows));
        }
        return new Section("decisions", "Promotion decisions", b);
    }

    private static Section aliases(List<AliasMove> moves) {
        if (moves.isEmpty()) {
            return new Section("alias-history", "Alias history", List.of(new Note("No alias has pointed at this version.")));
        }
        List<List<Cell>> rows = new ArrayList<>();
        for (AliasMove m : moves) {
            rows.add(List.of(Cell.time(m.at()), Cell.of(m.alias()),
                    Cell.of(m.kind().name().toLowerCase(Locale.ROOT)), Cell.of(m.from().map(String::valueOf).orElse("")),
                    Cell.of(m.to().map(String::valueOf).orElse("")), Cell.of(m.actor())));
        }
        return new Section("alias-history", "Alias history", List.of(
                new Table(List.of("Time", "Alias", "Move", "From version", "To version", "Actor"), rows),
                new Note("Every move of an alias to or from this version, oldest first.")));
    }

    private static Section audit(List<AuditEntry> entries, List<AuditEntry> aliasEntries) {
        List<Block> b = new ArrayList<>();
        if (entries.isEmpty()) {
            b.add(new Note("No audit entry names this version."));
        } else {
            b.add(auditTable(entries));
            b.add(new Note("Entries of the hash-chained audit log whose target is this version."));
        }
        if (!aliasEntries.isEmpty()) {
            b.add(new Heading("Alias changes to or from this version"));
            b.add(auditTable(aliasEntries));
        }
        return new Section("audit", "Audit trail", b);
    }

    private static Table auditTable(List<AuditEntry> entries) {
        List<List<Cell>> rows = new ArrayList<>();
        for (AuditEntry e : entries) {
            rows.add(List.of(Cell.count(e.sequence()), Cell.time(e.time()), Cell.of(e.actor()),
                    Cell.of(e.action()), Cell.of(e.target()), Cell.of(change(e.before(), e.after()))));
        }
        return new Table(List.of("#", "Time", "Actor", "Action", "Target", "Change"), rows);
    }

    /**
     * {@code key: before -> after} for changed keys, {@code key = value} for keys only after, and
     * {@code key was value} for keys only in the entry's before state.
     */
    static String change(Map<String, String> before, Map<String, String> after) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            String b = before.get(k);
            String a = after.get(k);
            if (b == null) {
                parts.add(k + " = " + a);
            } else if (a == null) {
                parts.add(k + " was " + b);
            } else if (!Objects.equals(a, b)) {
                parts.add(k + ": " + b + " \u2192 " + a);
            }
        }
        return String.join("; ", parts);
    }
}
