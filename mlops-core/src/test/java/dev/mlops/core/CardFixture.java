package dev.mlops.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.Artifact;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.ClassificationReport;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.Row;
import dev.mlops.api.serving.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A registry holding a credit-risk model on the real German credit data with everything a
 * model card can show: datasets (train and test split of the 1,000 applicants), a baseline
 * version 1 and a retrained version 2 with signature, parameters, metrics, bootstrap intervals,
 * a fairness report by {@code personal_status}, permutation importance, a drift-profile-like
 * attachment, two promotion decisions (one refused, one passed), alias moves and tags.
 */
final class CardFixture {
    static final String HOSTILE = "<script>alert(1)</script>";
    static final Instant START = Instant.parse("2026-03-01T09:00:00Z");
    static final List<String> CLASSES = List.of("bad", "good");
    static final List<String> FEATURES = List.of("duration", "credit_amount", "checking_status", "age");

    final Mlops mlops;
    final DatasetVersion train;
    final DatasetVersion test;
    final ModelVersion v1;
    final ModelVersion v2;
    final List<MetricEstimate> estimates;
    final FairnessReport fairness;
    final ImportanceReport importance;
    final PromotionDecision refused;
    final PromotionDecision passed;

    /** A clock that advances one second per reading, so that a fixed sequence of calls gives fixed times. */
    static final class TickingClock extends Clock {
        private final Instant start;
        private final AtomicLong ticks = new AtomicLong();

        TickingClock(Instant start) {
            this.start = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(ticks.getAndIncrement());
        }
    }

    static Mlops mlops(String actor) {
        TickingClock clock = new TickingClock(START);
        return Mlops.builder().store(new InMemoryStore(clock)).clock(clock).actor(actor).build();
    }

    /** The model's input, read from a row when the row is current (rows are views that move on). */
    record Applicant(double duration, double creditAmount, String checking, double age) {
        static Applicant of(Row r) {
            return new Applicant(r.number("duration"), r.number("credit_amount"), r.text("checking_status"),
                    r.number("age"));
        }
    }

    /** The scoring rule of the model: a hand-set logistic score of four applicant attributes. */
    static double probabilityGood(Applicant a) {
        double z = 1.9 - 0.035 * a.duration() - 0.00006 * a.creditAmount() + 0.012 * (a.age() - 35)
                + ("<0".equals(a.checking()) ? -1.1 : "no checking".equals(a.checking()) ? 0.9 : 0);
        return 1 / (1 + Math.exp(-z));
    }

    static FrameEvaluator<ClassificationData> evaluator() {
        Model<Applicant, Double> model = Model.of(CardFixture::probabilityGood);
        return Evaluation.classifier(model, "class", CLASSES, Applicant::of, p -> new double[] {1 - p, p});
    }

    CardFixture(Path dir) throws IOException {
        this(dir, mlops("trainer"));
    }

    CardFixture(Path dir, Mlops mlops) throws IOException {
        this.mlops = mlops;
        List<String> lines = resourceLines("/datasets/german-credit.csv");
        Path trainCsv = dir.resolve("credit-train.csv");
        Path testCsv = dir.resolve("credit-test.csv");
        Files.write(trainCsv, concat(lines.get(0), lines.subList(1, 701)), StandardCharsets.UTF_8);
        Files.write(testCsv, concat(lines.get(0), lines.subList(701, 1001)), StandardCharsets.UTF_8);
        train = mlops.datasets().register("credit-train", DatasetSource.csv(trainCsv));
        test = mlops.datasets().register("credit-test", DatasetSource.csv(testCsv));
        Frame all = TestFrames.germanCredit();
        Frame trainFrame = all.slice(0, 700);
        Frame testFrame = all.slice(700, 1000);

        v1 = mlops.models().register("credit", NewModelVersion.builder()
                .artifact(Artifact.bytes("rule.txt", "always good".getBytes(StandardCharsets.UTF_8)))
                .format("java-function").trainedOn(train.ref()).metric("accuracy", 0.7).build());
        mlops.models().setAlias("credit", "production", 1);

        FrameEvaluator<ClassificationData> ev = evaluator();
        ClassificationData data = ev.evaluate(testFrame);
        ClassificationReport report = Metrics.report(data);
        BootstrapOptions boot = BootstrapOptions.defaults().withResamples(300);
        estimates = List.of(Bootstrap.interval(data, Metrics.ACCURACY, boot), Bootstrap.interval(data, Metrics.ROC_AUC, boot));
        fairness = Fairness.assess(data, testFrame, "personal_status");
        importance = PermutationImportance.compute(ev, testFrame, FEATURES, Metrics.ROC_AUC, 3, 42L);

        NewModelVersion.Builder b = NewModelVersion.builder()
                .artifact(Artifact.bytes("weights.txt", "1.9 -0.035 -0.00006 0.012 -1.1 0.9".getBytes(StandardCharsets.UTF_8)))
                .format("java-function")
                .description("Logistic score of four applicant attributes.\nRetrained on the 2026 split.")
                .signature(new Signature(Schema.of(new Field("duration", FieldType.INTEGER),
                        new Field("credit_amount", FieldType.INTEGER), new Field("checking_status", FieldType.STRING),
                        new Field("age", FieldType.INTEGER)), Schema.of(new Field("p_good", FieldType.DOUBLE))))
                .trainedOn(train.ref()).testedOn(test.ref()).retrainedFrom(v1.ref()).codeRef("git:3f2a9c1")
                .param("solver", "hand-set").param("l2", "0.01")
                .tag("team", "risk").environment("model.kind", "logistic");
        for (MetricValue m : report.metrics()) {
            b.metric(m.name(), m.value());
        }
        b.attachment(AttachmentNames.METRIC_ESTIMATES, utf8(Bootstrap.toJson(estimates)))
                .attachment(AttachmentNames.of(AttachmentNames.FAIRNESS, "personal_status"), utf8(Fairness.toJson(fairness)))
                .attachment(AttachmentNames.IMPORTANCE, utf8(PermutationImportance.toJson(importance)))
                .attachment(AttachmentNames.DRIFT_PROFILE, utf8(profileLike(trainFrame)));
        ModelVersion registered = mlops.models().register("credit", b.build());

        // the promotion gate judges version 2 twice and records both decisions with it
        PromotionGate.Inputs inputs = PromotionGate.inputs().registeredMetrics().frame(testFrame).classification(data)
                .build();
        PromotionGate.Promotion first = PromotionGate.of(mlops, PromotionPolicy.builder("credit-policy-v1")
                .minimum("roc_auc", 0.80).fairnessMax("personal_status", "demographic_parity_difference", 0.30).build())
                .promote(registered.ref(), "production", inputs);
        PromotionGate.Promotion second = PromotionGate.of(mlops, PromotionPolicy.builder("credit-policy-v2")
                .minimum("roc_auc", 0.70).fairnessMax("personal_status", "demographic_parity_difference", 0.30).build())
                .promote(registered.ref(), "production", inputs);
        if (first.promoted() || !second.promoted()) {
            throw new IllegalStateException("the fixture expects the first policy to refuse and the second to promote: "
                    + first + " / " + second);
        }
        refused = first.decision();
        passed = second.decision();
        mlops.models().setAlias("credit", "champion", 2);
        mlops.models().rollback("credit", "production");
        mlops.models().setAlias("credit", "production", 2);
        mlops.models().setVersionTag(new ModelRef.Version("credit", 2), "reviewed", "yes");
        mlops.models().setModelDescription("credit", "Predicts whether a credit applicant repays (good) or not (bad).");
        v2 = mlops.models().version("credit", 2);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> concat(String header, List<String> rows) {
        List<String> out = new ArrayList<>();
        out.add(header);
        out.addAll(rows);
        return out;
    }

    static List<String> resourceLines(String resource) {
        try (InputStream in = CardFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A document in mlops-drift's {@code ReferenceProfile} JSON layout (the fields a card reads;
     * core cannot use mlops-drift itself): per numerical column count, missing, distinct, min,
     * max, mean, std; per categorical column the categories by count.
     */
    static String profileLike(Frame frame) {
        ObjectNode root = dev.mlops.json.StrictJson.objectNode();
        root.put("schema_version", 1).put("kind", "mlops-drift-profile").put("rows", frame.rowCount());
        root.putObject("options").put("sketch_k", 200).put("top_k", 20).put("grid_cells", 100);
        ArrayNode cols = root.putArray("columns");
        for (Field f : frame.schema().fields()) {
            ObjectNode c = cols.addObject().put("name", f.name());
            if (frame.isNumeric(f.name())) {
                double[] v = Arrays.stream(frame.numeric(f.name())).filter(d -> !Double.isNaN(d)).toArray();
                double mean = Arrays.stream(v).average().orElse(Double.NaN);
                double var = Arrays.stream(v).map(d -> (d - mean) * (d - mean)).average().orElse(Double.NaN);
                c.put("type", "numerical").put("count", v.length).put("missing", frame.rowCount() - v.length)
                        .put("distinct", Arrays.stream(v).distinct().count())
                        .put("min", Arrays.stream(v).min().orElseThrow()).put("max", Arrays.stream(v).max().orElseThrow())
                        .put("mean", mean).put("std", Math.sqrt(var));
            } else {
                Map<String, Long> counts = new LinkedHashMap<>();
                long missing = 0;
                for (String s : frame.strings(f.name())) {
                    if (s == null) {
                        missing++;
                    } else {
                        counts.merge(s, 1L, Long::sum);
                    }
                }
                c.put("type", "categorical").put("count", frame.rowCount() - missing).put("missing", missing)
                        .put("distinct", counts.size());
                ArrayNode cats = c.putArray("categories");
                counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                                .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                        .forEach(e -> cats.addObject().put("value", e.getKey()).put("count", e.getValue()));
                c.put("other_count", 0);
            }
        }
        return QualityJson.write(root);
    }
}
