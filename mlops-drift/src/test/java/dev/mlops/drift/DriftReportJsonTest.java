package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.ColumnStats;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DriftReportJson")
class DriftReportJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static DriftReport seattle() {
        return DriftAnalysis.builder().clock(DriftAnalysisTest.CLOCK).correction(Correction.BENJAMINI_HOCHBERG)
                .columnMethod("wind", DriftMethod.PSI).build()
                .compare(SeattleWeather.year(2012), SeattleWeather.year(2015));
    }

    /** A report with every special value: no verdict, ±Infinity, a window, an error bound, odd text. */
    private static DriftReport special() {
        Distribution empty = new Distribution(List.of(), List.of(), List.of(), List.of());
        Distribution cats = new Distribution(List.of("<script>alert(1)</script>", "caf\u00e9 \"quoted\"\n"), List.of(),
                List.of(1.0, 0.0), List.of(0.25, 0.75));
        List<ColumnDrift> columns = List.of(
                new ColumnDrift("unseen", ColumnKind.CATEGORICAL, "chisquare", Double.POSITIVE_INFINITY, OptionalDouble.of(0.0),
                        OptionalDouble.of(0.0), 0.05, true, 0.0, 0.5, 4, 2, OptionalDouble.empty(),
                        Optional.of("the current data has 1 category the reference never had"), cats),
                new ColumnDrift("t", ColumnKind.NUMERICAL, "t_test", Double.NEGATIVE_INFINITY, OptionalDouble.of(0.0),
                        OptionalDouble.empty(), 0.05, true, 0.0, 0.0, 3, 3, OptionalDouble.empty(), Optional.empty(), empty),
                new ColumnDrift("empty", ColumnKind.NUMERICAL, "ks", Double.NaN, OptionalDouble.empty(), OptionalDouble.empty(),
                        0.05, false, 1.0, 0.0, 0, 10, OptionalDouble.empty(), Optional.of("no verdict"), empty),
                new ColumnDrift("sketch", ColumnKind.NUMERICAL, "ks", 0.125, OptionalDouble.of(1e-3),
                        OptionalDouble.empty(), 0.05, false, 0.0, 0.0, 1_000_000_000_000L, 5, OptionalDouble.of(0.0133),
                        Optional.empty(), new Distribution(List.of("[0.0, 0.1)", "[0.1, 0.2]"), List.of(0.0, 0.1, 0.2),
                        List.of(0.3, 0.7), List.of(0.1 + 0.2, 0.7)), Verdict.UNCERTAIN,
                        Optional.of(new Interval(0.1117, 0.1383)), Optional.of(new Interval(1e-4, 0.2)),
                        Optional.of(new ColumnStats(1_000_000_000_000L, 0, OptionalDouble.of(0.1), OptionalDouble.of(0.05),
                                OptionalDouble.of(0.0), OptionalDouble.of(0.05), OptionalDouble.of(0.1), OptionalDouble.of(0.15),
                                OptionalDouble.of(0.2), true, List.of())),
                        Optional.of(new ColumnStats(5, 0, OptionalDouble.empty(), OptionalDouble.empty(),
                                OptionalDouble.of(Double.NEGATIVE_INFINITY), OptionalDouble.of(0.05), OptionalDouble.of(0.1),
                                OptionalDouble.of(0.15), OptionalDouble.of(Double.POSITIVE_INFINITY), true, List.of()))));
        columns = new ArrayList<>(columns);
        columns.set(0, columns.get(0).withStats(
                Optional.of(new ColumnStats(4, 0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), false,
                        List.of(new ColumnStats.CategoryShare("<script>alert(1)</script>", 4, 1.0)))),
                Optional.empty()));
        DriftInputs inputs = new DriftInputs(Optional.of("temp-max/1"), Optional.of("sha256:ab12"),
                new DriftInputs.Side(Optional.of("weather/1"), Optional.empty(), Optional.empty()),
                DriftInputs.Side.file("caf\u00e9.csv").withTime(new DriftInputs.TimeRange(Instant.parse("2015-11-04T00:00:00Z"),
                        Instant.parse("2015-12-29T00:00:00Z"), true, Optional.of("date"))));
        return new DriftReport(Instant.parse("2025-02-01T00:00:00.123456789Z"), 10, 12, columns, 2.0 / 3, 0.75, false,
                "none", Optional.of(new DriftReport.Window(Instant.parse("2025-02-01T00:00:00Z"),
                        Instant.parse("2025-02-01T01:00:00Z"), 7)), inputs, Verdict.UNCERTAIN, new Interval(2.0 / 3, 1.0));
    }

    @Test
    @DisplayName("a real report round-trips exactly")
    void roundTripReal() {
        DriftReport r = seattle();
        String json = DriftReportJson.toJson(r);
        assertThat(DriftReportJson.fromJson(json)).isEqualTo(r);
        assertThat(DriftReportJson.toJson(DriftReportJson.fromJson(json))).isEqualTo(json);
    }

    @Test
    @DisplayName("write replaces the file whole with the JSON and a newline, leaving no temporary file")
    void write(@TempDir Path dir) throws IOException {
        DriftReport r = seattle();
        Path file = Files.writeString(dir.resolve("drift.json"), "old");
        DriftReportJson.write(r, file);
        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(written).isEqualTo(DriftReportJson.toJson(r) + "\n");
        assertThat(DriftReportJson.fromJson(written)).isEqualTo(r);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("drift.json");
        }
        assertThatThrownBy(() -> DriftReportJson.write(r, dir.resolve("missing").resolve("drift.json")))
                .isInstanceOf(StorageException.class).hasMessageContaining("cannot write the drift report")
                .hasMessageContaining("drift.json");
    }

    @Test
    @DisplayName("write refuses a symbolic link, dangling or not, and a directory, leaving them as they were")
    void writeRefusesLinksAndDirectories(@TempDir Path dir) throws IOException {
        DriftReport r = seattle();
        Path input = Files.writeString(dir.resolve("current.csv"), "a\n1\n");
        Path link = Files.createSymbolicLink(dir.resolve("drift.json"), input);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.json"), dir.resolve("nowhere.json"));
        for (Path target : List.of(link, dangling)) {
            assertThatThrownBy(() -> DriftReportJson.write(r, target)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("cannot write the drift report JSON").hasMessageContaining("symbolic link");
            assertThat(Files.isSymbolicLink(target)).isTrue();
        }
        assertThat(Files.readString(input)).isEqualTo("a\n1\n");
        assertThat(dir.resolve("nowhere.json")).doesNotExist();
        assertThatThrownBy(() -> DriftReportJson.write(r, dir)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    @DisplayName("NaN and infinite statistics, a window, an error bound and any text round-trip exactly")
    void roundTripSpecial() {
        DriftReport r = special();
        assertThat(DriftReportJson.fromJson(DriftReportJson.toJson(r))).isEqualTo(r);
    }

    @Test
    @DisplayName("the issue's schema: snake_case keys, numbers, null p-value for distances, no NaN anywhere")
    void schema() throws Exception {
        JsonNode root = MAPPER.readTree(DriftReportJson.toJson(seattle()));
        assertThat(fieldNames(root)).containsExactly("schema_version", "created_at", "reference_rows", "current_rows",
                "dataset_drift", "dataset_verdict", "drift_share", "drift_share_interval", "drift_share_threshold",
                "correction", "window", "inputs", "columns");
        assertThat(root.get("schema_version").asInt()).isEqualTo(2);
        assertThat(root.get("dataset_verdict").asText()).isIn("drift", "no_drift");
        assertThat(fieldNames(root.get("inputs"))).containsExactly("model", "profile", "reference", "current");
        assertThat(fieldNames(root.get("inputs").get("current"))).containsExactly("dataset", "file", "time");
        assertThat(root.get("created_at").asText()).isEqualTo("2025-01-31T12:00:00Z");
        assertThat(root.get("dataset_drift").isBoolean()).isTrue();
        assertThat(root.get("drift_share").isNumber()).isTrue();
        assertThat(root.get("correction").asText()).isEqualTo("benjamini-hochberg");
        assertThat(root.get("window").isNull()).isTrue();
        JsonNode first = root.get("columns").get(0);
        assertThat(fieldNames(first)).containsExactly("column", "type", "method", "statistic", "statistic_non_finite",
                "p_value", "adjusted_p_value", "threshold", "drifted", "missing_share_reference", "missing_share_current",
                "reference_count", "current_count", "error_bound", "note", "verdict", "statistic_interval",
                "p_value_interval", "reference_stats", "current_stats", "distribution");
        assertThat(fieldNames(first.get("reference_stats"))).containsExactly("count", "missing", "mean", "std", "min",
                "q1", "median", "q3", "max", "quantiles_estimated", "top_categories");
        assertThat(first.get("statistic_interval").isNull()).as("exact results have no interval").isTrue();
        assertThat(fieldNames(first.get("distribution")))
                .containsExactly("labels", "edges", "reference_shares", "current_shares");
        for (JsonNode c : root.get("columns")) {
            assertThat(c.get("type").asText()).isIn("numerical", "categorical");
            assertThat(c.get("statistic").isNumber()).isTrue();
            assertThat(c.get("threshold").isNumber()).isTrue();
            assertThat(c.get("drifted").isBoolean()).isTrue();
            assertThat(c.get("missing_share_reference").isNumber()).isTrue();
            assertThat(c.get("missing_share_current").isNumber()).isTrue();
            if (c.get("method").asText().equals("psi")) {
                assertThat(c.get("p_value").isNull()).isTrue();
                assertThat(c.get("adjusted_p_value").isNull()).isTrue();
            } else {
                assertThat(c.get("p_value").isNumber()).isTrue();
                assertThat(c.get("adjusted_p_value").isNumber()).isTrue();
            }
        }
        String special = DriftReportJson.toJson(special());
        assertThat(special).doesNotContain(": NaN", ": Infinity", ": -Infinity", "[ NaN", ", NaN");
        JsonNode cols = MAPPER.readTree(special).get("columns");
        assertThat(cols.get(0).get("statistic").isNull()).isTrue();
        assertThat(cols.get(0).get("statistic_non_finite").asText()).isEqualTo("Infinity");
        assertThat(cols.get(1).get("statistic_non_finite").asText()).isEqualTo("-Infinity");
        assertThat(cols.get(2).get("statistic_non_finite").asText()).isEqualTo("NaN");
        assertThat(cols.get(2).get("p_value").isNull()).isTrue();
        assertThat(cols.get(3).get("error_bound").asDouble()).isEqualTo(0.0133);
        assertThat(cols.get(3).get("reference_count").asLong()).isEqualTo(1_000_000_000_000L);
        assertThat(MAPPER.readTree(special).get("window").get("sequence").asLong()).isEqualTo(7);
    }

    @Test
    @DisplayName("unknown keys are refused naming their path, as in every format: a version that adds keys raises schema_version")
    void unknownKeys() throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(DriftReportJson.toJson(special()));
        root.put("future", "x");
        assertThatThrownBy(() -> DriftReportJson.fromJson(root.toString())).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("drift report: future: unknown field; expected only [");
        root.remove("future");
        ((ObjectNode) root.get("columns").get(0)).put("future", 1);
        assertThatThrownBy(() -> DriftReportJson.fromJson(root.toString())).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("drift report: columns[0].future: unknown field");
        ((ObjectNode) root.get("columns").get(0)).remove("future");
        ((ObjectNode) root.get("columns").get(0).get("distribution")).put("future", 1);
        assertThatThrownBy(() -> DriftReportJson.fromJson(root.toString())).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("drift report: columns[0].distribution.future: unknown field");
        ((ObjectNode) root.get("columns").get(0).get("distribution")).remove("future");
        assertThat(DriftReportJson.fromJson(root.toString())).isEqualTo(special());
    }

    @Test
    @DisplayName("bad input is a ValidationException naming what is wrong")
    void errors() throws Exception {
        assertThatThrownBy(() -> DriftReportJson.fromJson("{")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> DriftReportJson.fromJson("[]")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("object");
        assertThatThrownBy(() -> DriftReportJson.fromJson("{} {}")).isInstanceOf(ValidationException.class);
        String good = DriftReportJson.toJson(special());
        assertThatThrownBy(() -> DriftReportJson.fromJson(good.replace("\"schema_version\" : 2", "\"schema_version\" : 3")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("drift report: schema_version: version 3 is not supported: this version reads 1 and 2");
        ObjectNode contradiction = (ObjectNode) MAPPER.readTree(good);
        ((ObjectNode) contradiction.get("columns").get(0)).put("verdict", "uncertain");
        assertThatThrownBy(() -> DriftReportJson.fromJson(contradiction.toString())).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("drift report: columns[0].verdict: column unseen: drifted is true but the verdict is uncertain");
        ObjectNode badVerdict = (ObjectNode) MAPPER.readTree(good);
        badVerdict.put("dataset_verdict", "maybe");
        assertThatThrownBy(() -> DriftReportJson.fromJson(badVerdict.toString())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("dataset_verdict").hasMessageContaining("\"maybe\" is not one of");
        ObjectNode badInterval = (ObjectNode) MAPPER.readTree(good);
        ((ObjectNode) badInterval.get("columns").get(3).get("statistic_interval")).put("low", 0.9);
        assertThatThrownBy(() -> DriftReportJson.fromJson(badInterval.toString())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("columns[3].statistic_interval").hasMessageContaining("low <= high");
        ObjectNode noShare = (ObjectNode) MAPPER.readTree(good);
        noShare.remove("drift_share");
        assertThatThrownBy(() -> DriftReportJson.fromJson(noShare.toString())).isInstanceOf(ValidationException.class)
                .hasMessage("drift report: drift_share: missing; expected a value or null");
        ObjectNode badType = (ObjectNode) MAPPER.readTree(good);
        ((ObjectNode) badType.get("columns").get(1)).put("type", "ordinal");
        assertThatThrownBy(() -> DriftReportJson.fromJson(badType.toString())).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("drift report: columns[1].type: column 't' has type 'ordinal'");
        ObjectNode badDrifted = (ObjectNode) MAPPER.readTree(good);
        ((ObjectNode) badDrifted.get("columns").get(0)).put("drifted", "yes");
        assertThatThrownBy(() -> DriftReportJson.fromJson(badDrifted.toString())).isInstanceOf(ValidationException.class)
                .hasMessage("drift report: columns[0].drifted: expected true or false, got the string 'yes'");
        ObjectNode badTime = (ObjectNode) MAPPER.readTree(good);
        badTime.put("created_at", "yesterday");
        assertThatThrownBy(() -> DriftReportJson.fromJson(badTime.toString())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'yesterday'");
        ObjectNode badShares = (ObjectNode) MAPPER.readTree(good);
        ((ObjectNode) badShares.get("columns").get(0).get("distribution")).putArray("current_shares").add(1.0);
        assertThatThrownBy(() -> DriftReportJson.fromJson(badShares.toString())).isInstanceOf(ValidationException.class)
                .hasMessageContaining("inconsistent distribution");
    }

    @Test
    @DisplayName("intervals, uncertain verdicts, summaries and inputs round-trip; exact results carry no interval")
    void estimatesRoundTrip() throws Exception {
        DriftReport r = special();
        String json = DriftReportJson.toJson(r);
        JsonNode root = MAPPER.readTree(json);
        assertThat(root.get("dataset_verdict").asText()).isEqualTo("uncertain");
        assertThat(root.get("dataset_drift").asBoolean()).isFalse();
        assertThat(root.get("drift_share_interval").get("low").asDouble()).isEqualTo(2.0 / 3);
        assertThat(root.get("drift_share_interval").get("high").asDouble()).isEqualTo(1.0);
        JsonNode sketch = root.get("columns").get(3);
        assertThat(sketch.get("verdict").asText()).isEqualTo("uncertain");
        assertThat(sketch.get("statistic_interval").get("high").asDouble()).isEqualTo(0.1383);
        assertThat(sketch.get("p_value_interval").get("high").asDouble()).isEqualTo(0.2);
        assertThat(sketch.get("current_stats").get("max").asText()).isEqualTo("Infinity");
        assertThat(root.get("columns").get(0).get("statistic_interval").isNull()).isTrue();
        assertThat(root.get("columns").get(0).get("reference_stats").get("top_categories").get(0).get("value").asText())
                .isEqualTo("<script>alert(1)</script>");
        assertThat(root.get("inputs").get("current").get("time").get("event_time").asBoolean()).isTrue();
        assertThat(root.get("inputs").get("model").asText()).isEqualTo("temp-max/1");
        assertThat(DriftReportJson.fromJson(json)).isEqualTo(r);
    }

    @Test
    @DisplayName("a version 1 document is still read: no inputs, intervals or summaries, verdicts from drifted")
    void readsVersion1() throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(DriftReportJson.toJson(seattle()));
        root.put("schema_version", 1);
        for (String key : List.of("dataset_verdict", "drift_share_interval", "inputs")) {
            root.remove(key);
        }
        for (JsonNode c : root.get("columns")) {
            for (String key : List.of("verdict", "statistic_interval", "p_value_interval", "reference_stats", "current_stats")) {
                ((ObjectNode) c).remove(key);
            }
        }
        DriftReport old = DriftReportJson.fromJson(root.toString());
        DriftReport now = seattle();
        assertThat(old.datasetVerdict()).isEqualTo(now.datasetVerdict());
        assertThat(old.inputs()).isEqualTo(DriftInputs.none());
        for (int i = 0; i < now.columns().size(); i++) {
            ColumnDrift o = old.columns().get(i);
            ColumnDrift n = now.columns().get(i);
            assertThat(o.verdict()).as(n.column()).isEqualTo(n.verdict());
            assertThat(o.statistic()).isEqualTo(n.statistic());
            assertThat(o.referenceStats()).isEmpty();
        }
        ObjectNode v1WithV2Key = root.deepCopy();
        v1WithV2Key.put("dataset_verdict", "drift");
        assertThatThrownBy(() -> DriftReportJson.fromJson(v1WithV2Key.toString())).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("drift report: dataset_verdict: unknown field");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
