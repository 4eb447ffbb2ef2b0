package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.Artifact;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.serving.Model;
import dev.mlops.api.AttachmentNames;
import dev.mlops.quality.Bootstrap;
import dev.mlops.quality.Evaluation;
import dev.mlops.quality.Metrics;
import dev.mlops.core.Mlops;
import dev.mlops.cards.ModelCard;
import dev.mlops.quality.PermutationImportance;
import dev.mlops.drift.ReferenceProfile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code mlops card}: a store holding a temperature model trained on Seattle weather 2012 and
 * tested on 2013 (real NOAA data), with metric intervals, permutation importance, a real
 * mlops-drift reference profile and a promotion decision, read back as Markdown, HTML and JSON.
 */
@DisplayName("mlops card: the model card of a version on stdout, in files, and as JSON")
class CardCommandTest {
    static final String DECISION = """
            { "schemaVersion" : 1, "kind" : "promotion-decision", "candidate" : "temp/1", "alias" : "production",
              "decidedAt" : "2026-03-01T10:00:00Z", "policy" : "temp-policy", "passed" : false,
              "checks" : [ { "name" : "min:r2", "observed" : 0.5, "required" : ">= 0.9", "verdict" : "FAIL",
                             "detail" : "r2 below the floor" },
                           { "name" : "latency:p99", "observed" : null, "required" : "<= 5 ms", "verdict" : "PASS",
                             "detail" : "" } ] }
            """;

    @TempDir
    static Path tmp;
    static Path store;
    static CliRunner cli;
    static ReferenceProfile profile;
    static DatasetVersion train;
    static ImportanceReport importance;

    static Frame frame(List<String[]> rows) {
        Frame.Builder b = Frame.builder(Schema.of(new Field("date", FieldType.STRING),
                new Field("precipitation", FieldType.DOUBLE), new Field("temp_max", FieldType.DOUBLE),
                new Field("temp_min", FieldType.DOUBLE), new Field("wind", FieldType.DOUBLE),
                new Field("weather", FieldType.STRING)));
        for (String[] r : rows) {
            b.addRow(r[0], Double.parseDouble(r[1]), Double.parseDouble(r[2]), Double.parseDouble(r[3]),
                    Double.parseDouble(r[4]), r[5]);
        }
        return b.build();
    }

    @BeforeAll
    static void registry() throws IOException {
        List<String> lines;
        try (InputStream in = CardCommandTest.class.getResourceAsStream("/datasets/seattle-weather.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> y2012 = new ArrayList<>(List.of(lines.get(0)));
        List<String> y2013 = new ArrayList<>(List.of(lines.get(0)));
        lines.stream().skip(1).filter(l -> l.startsWith("2012/")).forEach(y2012::add);
        lines.stream().skip(1).filter(l -> l.startsWith("2013/")).forEach(y2013::add);
        Path trainCsv = Files.write(tmp.resolve("weather-2012.csv"), y2012);
        Path testCsv = Files.write(tmp.resolve("weather-2013.csv"), y2013);
        Frame trainFrame = frame(y2012.stream().skip(1).map(l -> l.split(",")).toList());
        Frame testFrame = frame(y2013.stream().skip(1).map(l -> l.split(",")).toList());

        // least squares temp_max = a + b * temp_min on 2012
        double[] x = trainFrame.numeric("temp_min");
        double[] y = trainFrame.numeric("temp_max");
        double mx = java.util.Arrays.stream(x).average().orElseThrow();
        double my = java.util.Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        Model<Double, Double> model = Model.of(t -> intercept + slope * t);
        FrameEvaluator<RegressionData> ev = Evaluation.regressor(model, "temp_max", r -> r.number("temp_min"), d -> d);
        RegressionData data = ev.evaluate(testFrame);
        BootstrapOptions boot = BootstrapOptions.defaults().withResamples(200);
        importance = PermutationImportance.compute(ev, testFrame, List.of("temp_min", "wind"), Metrics.R2, 2, 7L);
        profile = ReferenceProfile.of(trainFrame);

        store = tmp.resolve("store");
        try (Mlops mlops = Mlops.open(store)) {
            train = mlops.datasets().register("weather", DatasetSource.csv(trainCsv));
            DatasetVersion test = mlops.datasets().register("weather-2013", DatasetSource.csv(testCsv));
            NewModelVersion.Builder b = NewModelVersion.builder()
                    .artifact(Artifact.bytes("coefficients.txt", (intercept + " " + slope).getBytes(StandardCharsets.UTF_8)))
                    .format("java-function").description("Daily maximum temperature from the minimum.")
                    .trainedOn(train.ref()).testedOn(test.ref()).codeRef("git:0a1b2c3")
                    .attachment(AttachmentNames.METRIC_ESTIMATES, Bootstrap.toJson(List.of(
                            Bootstrap.interval(data, Metrics.R2, boot), Bootstrap.interval(data, Metrics.MAE, boot)))
                            .getBytes(StandardCharsets.UTF_8))
                    .attachment(AttachmentNames.IMPORTANCE, PermutationImportance.toJson(importance).getBytes(StandardCharsets.UTF_8))
                    .attachment(AttachmentNames.DRIFT_PROFILE, profile.toJsonBytes())
                    .attachment(AttachmentNames.decision(1), DECISION.getBytes(StandardCharsets.UTF_8));
            for (MetricValue m : Metrics.report(data).metrics()) {
                b.metric(m.name(), m.value());
            }
            mlops.models().register("temp", b.build());
            mlops.models().setAlias("temp", "production", 1);
        }
        cli = new CliRunner(store);
    }

    /** The card without its generation time, which comes from the wall clock in the CLI. */
    static String timeless(String md) {
        return md.replaceAll("- \\*\\*Card generated:\\*\\* \\S+", "- **Card generated:** T");
    }

    @Test
    @DisplayName("without options: Markdown on stdout with every section the stored metadata supports")
    void markdownOnStdout() {
        String md = cli.ok("card", "temp/1").out();
        assertThat(md).startsWith("# Model card: temp/1\n");
        assertThat(md).contains("## Summary", "## Purpose and description", "## Signature", "## Lineage", "## Environment",
                "## Metrics", "## Feature importance", "## Drift baseline", "## Promotion decisions", "## Alias history",
                "## Audit trail").doesNotContain("## Fairness", "## Notes", "## Parameters");
        assertThat(md).contains("| trained | weather/1 | 366 |", "`" + train.contentSha256() + "`", "| r2 | ",
                "| min:r2 | 0.5 | \\>= 0.9 | **FAIL** | r2 below the floor |", "| production | set |  | 1 |",
                "- **Code:** `git:0a1b2c3`", "| weather | categorical | 366 | 0 | 5 |");
    }

    @Test
    @DisplayName("the drift baseline is read from mlops-drift's real ReferenceProfile JSON: same counts and statistics")
    void realProfile() throws Exception {
        try (Mlops mlops = Mlops.open(store)) {
            ModelCard card = ModelCard.of(mlops, dev.mlops.api.ModelRef.version("temp", 1));
            ModelCard.DriftBaseline b = card.driftBaseline().orElseThrow();
            assertThat(b.rows()).isEqualTo(profile.rows()).isEqualTo(366);
            assertThat(b.columns()).hasSameSizeAs(profile.columns());
            for (int i = 0; i < b.columns().size(); i++) {
                ModelCard.BaselineColumn got = b.columns().get(i);
                ReferenceProfile.Column want = profile.columns().get(i);
                assertThat(got.name()).isEqualTo(want.name());
                assertThat(got.count()).isEqualTo(want.count());
                assertThat(got.missing()).isEqualTo(want.missing());
                assertThat(got.distinct()).hasValue(want.distinct());
                if (want instanceof ReferenceProfile.NumericalColumn n) {
                    assertThat(got.kind()).isEqualTo("numerical");
                    assertThat(got.min()).hasValue(n.min());
                    assertThat(got.max()).hasValue(n.max());
                    assertThat(got.mean()).hasValue(n.mean());
                    assertThat(got.std()).hasValue(n.std());
                } else {
                    ReferenceProfile.CategoricalColumn c = (ReferenceProfile.CategoricalColumn) want;
                    assertThat(got.kind()).isEqualTo("categorical");
                    assertThat(got.topCategories()).extracting(ModelCard.CategoryCount::value)
                            .containsExactlyElementsOf(c.categories().subList(0, Math.min(5, c.categories().size())));
                }
            }
            assertThat(card.notes()).isEmpty();
        }
    }

    @Test
    @DisplayName("--html and --markdown write the files (replacing old ones) and say so; the HTML is well-formed and script-free")
    void files() throws Exception {
        Path html = tmp.resolve("temp-1.html");
        Path md = tmp.resolve("temp-1.md");
        Files.writeString(html, "old");
        CliRunner.Result r = cli.ok("card", "temp/1", "--html", html.toString(), "--markdown", md.toString());
        assertThat(r.out()).isEqualTo("wrote model card of temp/1 to " + html + "\n"
                + "wrote model card of temp/1 to " + md + "\n");
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script", "http://", "https://");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("section").getLength()).isEqualTo(11);
        assertThat(timeless(Files.readString(md))).isEqualTo(timeless(cli.ok("card", "temp/1").out()));
        try (var listing = Files.list(tmp)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    @DisplayName("NAME@ALIAS gives the card of the version the alias points at")
    void alias() {
        assertThat(timeless(cli.ok("card", "temp@production").out())).isEqualTo(timeless(cli.ok("card", "temp/1").out()));
    }

    @Test
    @DisplayName("--json prints the gathered facts with full precision, nothing else on stdout")
    void json() {
        JsonNode j = cli.json("card", "temp/1");
        assertThat(j.get("card").asText()).isEqualTo("temp/1");
        assertThat(j.get("version").get("artifact_sha256").asText()).hasSize(64);
        assertThat(j.get("model").get("aliases").get("production").asInt()).isEqualTo(1);
        assertThat(j.get("datasets").get(0).get("content_sha256").asText()).isEqualTo(train.contentSha256());
        assertThat(j.get("datasets").get(0).get("row_count").asLong()).isEqualTo(366);
        assertThat(j.get("datasets").get(1).get("role").asText()).isEqualTo("tested");
        assertThat(j.get("retrained_from").isNull()).isTrue();
        assertThat(j.get("metric_estimates").get(0).get("metric").asText()).isEqualTo("r2");
        assertThat(j.get("metric_estimates").get(0).get("resamples").asInt()).isEqualTo(200);
        assertThat(j.get("importance").get(0).get("features").get(1).get("feature").asText()).isEqualTo("wind");
        assertThat(j.get("importance").get(0).get("features").get(1).get("mean").asDouble()).isZero();
        assertThat(j.get("importance").get(0).get("features").get(0).get("mean").asDouble())
                .isEqualTo(importance.features().get(0).mean());
        assertThat(j.get("drift_baseline").get("rows").asLong()).isEqualTo(366);
        assertThat(j.get("drift_baseline").get("columns").get(5).get("top_categories").get(0).get("value").asText())
                .isEqualTo(profile.columns().get(5) instanceof ReferenceProfile.CategoricalColumn c ? c.categories().get(0) : "");
        JsonNode d = j.get("decisions").get(0);
        assertThat(d.get("attachment").asText()).isEqualTo("promotion-decision-1");
        assertThat(d.get("passed").asBoolean()).isFalse();
        assertThat(d.get("champion").isNull()).isTrue();
        assertThat(d.get("checks").get(0).get("verdict").asText()).isEqualTo("fail");
        assertThat(d.get("checks").get(1).get("observed").isNull()).isTrue();
        assertThat(j.get("alias_history").get(0).get("kind").asText()).isEqualTo("set");
        assertThat(j.get("audit").get(0).get("action").asText()).isEqualTo("version.register");
        assertThat(j.get("alias_audit").get(0).get("action").asText()).isEqualTo("alias.set");
        assertThat(j.get("alias_audit").get(0).get("after").get("version").asText()).isEqualTo("1");
        assertThat(j.get("fairness")).isEmpty();
        assertThat(j.get("notes")).isEmpty();
        assertThat(j.get("written")).isEmpty();
    }

    @Test
    @DisplayName("bad input exits 2 with one line naming the problem, and writes nothing")
    void badInput() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("out-dir"));
        expectBadInput(List.of("card", "temp/9"), "temp");
        expectBadInput(List.of("card", "Temp/1"), "Temp");
        expectBadInput(List.of("card", "temp@staging"), "staging");
        expectBadInput(List.of("card", "temp/1", "--html", dir.toString()), "is a directory");
        expectBadInput(List.of("card", "temp/1", "--markdown", tmp.resolve("missing/card.md").toString()),
                "does not exist");
        Path same = tmp.resolve("same.out");
        expectBadInput(List.of("card", "temp/1", "--html", same.toString(), "--markdown", same.toString()),
                "the same file");
        assertThat(same).doesNotExist();
        expectBadInput(List.of("card"), "NAME/V");
    }

    private static void expectBadInput(List<String> args, String inMessage) {
        CliRunner.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as("exit code of %s; stderr %s", args, r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("mlops: ").contains(inMessage);
        assertThat(r.err().lines().count()).isOne();
        assertThat(r.out()).isEmpty();
    }

    @Test
    @DisplayName("--drift-monitor: the windows a fleet monitor published to the store, as a chart, a table and JSON")
    void driftMonitor() throws Exception {
        // one instance publishes three daily windows of 2013's weather, compared with 2012's profile
        java.util.List<String> lines;
        try (InputStream in = CardCommandTest.class.getResourceAsStream("/datasets/seattle-weather.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("2013/")).toList();
        }
        dev.mlops.api.testing.ManualTestClock clock = new dev.mlops.api.testing.ManualTestClock(
                java.time.Instant.parse("2026-01-05T00:00:00Z"));
        try (dev.mlops.api.store.Store fs = dev.mlops.registry.fs.FileSystemStore.open(store)) {
            dev.mlops.drift.FleetDrift fleet = dev.mlops.drift.FleetDrift.builder(fs, "temp-inputs", profile)
                    .instanceId("web-1").clock(clock).build();
            dev.mlops.drift.DriftMonitor m = fleet.monitor(dev.mlops.drift.DriftMonitor.builder(profile)
                    .timeWindow(java.time.Duration.ofDays(1)).clock(clock));
            for (int w = 0; w < 3; w++) {
                for (String l : lines.subList(w * 60, w * 60 + 60)) {
                    String[] r = l.split(",");
                    double[] num = new double[m.numericalColumns().size()];
                    for (int c = 0; c < num.length; c++) {
                        num[c] = Double.parseDouble(r[List.of("date", "precipitation", "temp_max", "temp_min", "wind",
                                "weather").indexOf(m.numericalColumns().get(c))]);
                    }
                    String[] cat = m.categoricalColumns().stream().map(c -> c.equals("weather") ? r[5] : r[0])
                            .toArray(String[]::new);
                    m.observe(num, cat);
                }
                clock.advance(java.time.Duration.ofDays(1));
                m.tick();
            }
            assertThat(fleet.published()).isEqualTo(3);
        }
        String md = cli.ok("card", "temp/1", "--drift-monitor", "temp-inputs").out();
        assertThat(md).contains("## Drift history", "fleet monitor 'temp-inputs'", "| Window | Start | End |",
                "2026-01-05T00:00:00Z");
        Path html = tmp.resolve("temp-drift.html");
        cli.ok("card", "temp/1", "--drift-monitor", "temp-inputs", "--html", html.toString());
        assertThat(Files.readString(html)).contains("<section id=\"drift-history\">", "<svg class=\"chart share-chart\"");
        JsonNode json = cli.json("card", "temp/1", "--drift-monitor", "temp-inputs");
        assertThat(json.get("drift_history")).hasSize(3);
        assertThat(json.get("drift_history").get(0).get("rows").asLong()).isEqualTo(60);
        assertThat(json.get("drift_source").asText()).contains("temp-inputs");
        // without the option the card has no drift history; a bad name is refused before the store is opened
        assertThat(cli.ok("card", "temp/1").out()).doesNotContain("## Drift history");
        CliRunner.Result bad = cli.run("card", "temp/1", "--drift-monitor", "../x");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("../x");
    }
}
