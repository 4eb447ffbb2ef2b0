package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import dev.mlops.quality.Frames;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.DriftReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code mlops drift} on the NOAA Seattle weather data: 2012 as reference, 2015 as current. */
@DisplayName("mlops drift")
class DriftCommandTest {
    @TempDir
    static Path tmp;

    static Path y2012;
    static Path y2015;

    /** No store: the drift command needs none. */
    private final CliRunner cli = new CliRunner(null);

    @BeforeEach
    void files() {
        if (y2012 != null) {
            return;
        }
        WeatherYears years = WeatherYears.writeTo(tmp);
        y2012 = years.y2012();
        y2015 = years.y2015();
    }

    private CliRunner.Result drift(String... extra) {
        List<String> args = new ArrayList<>(List.of("drift", "--reference", y2012.toString(), "--current", y2015.toString()));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    private JsonNode json(String... extra) {
        List<String> args = new ArrayList<>(List.of(extra));
        args.add("--json");
        CliRunner.Result r = drift(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r.json();
    }

    private static Map<String, JsonNode> byColumn(JsonNode root) {
        Map<String, JsonNode> m = new HashMap<>();
        root.get("columns").forEach(c -> m.put(c.get("column").asText(), c));
        return m;
    }

    @Nested
    @DisplayName("output")
    class Output {
        @Test
        @DisplayName("--json prints the issue's schema with scipy's values: 3 of 5 columns drift")
        void json() {
            JsonNode root = DriftCommandTest.this.json();
            assertThat(root.get("dataset_drift").asBoolean()).isTrue();
            assertThat(root.get("drift_share").asDouble()).isEqualTo(0.6);
            assertThat(root.get("schema_version").asInt()).isEqualTo(2);
            Map<String, JsonNode> cols = byColumn(root);
            assertThat(cols).containsOnlyKeys("precipitation", "temp_max", "temp_min", "wind", "weather");
            JsonNode tempMax = cols.get("temp_max");
            assertThat(tempMax.get("type").asText()).isEqualTo("numerical");
            assertThat(tempMax.get("method").asText()).isEqualTo("ks");
            assertThat(tempMax.get("statistic").asDouble()).isCloseTo(0.15254135788606932, within(1e-12));
            assertThat(tempMax.get("p_value").asDouble()).isCloseTo(0.00031570876212856956, within(1e-12));
            assertThat(tempMax.get("threshold").asDouble()).isEqualTo(0.05);
            assertThat(tempMax.get("drifted").asBoolean()).isTrue();
            assertThat(tempMax.get("missing_share_reference").asDouble()).isZero();
            assertThat(tempMax.get("missing_share_current").asDouble()).isZero();
            JsonNode weather = cols.get("weather");
            assertThat(weather.get("type").asText()).isEqualTo("categorical");
            assertThat(weather.get("method").asText()).isEqualTo("chisquare");
            assertThat(cols.get("wind").get("drifted").asBoolean()).isFalse();
            assertThat(root.get("columns").get(0).get("drifted").asBoolean()).isTrue();
        }

        @Test
        @DisplayName("--json equals the library's report for the same files")
        void sameAsLibrary() {
            CliRunner.Result r = drift("--json", "--parallelism", "1");
            DriftReport fromCli = DriftReportJson.fromJson(r.out());
            DriftReport direct = DriftAnalysis.builder().build().compare(Frames.readCsv(y2012), Frames.readCsv(y2015));
            assertThat(fromCli.columns()).isEqualTo(direct.columns());
            assertThat(fromCli.datasetDrift()).isEqualTo(direct.datasetDrift());
        }

        @Test
        @DisplayName("the human output is a table, notes and a dataset verdict")
        void human() {
            CliRunner.Result r = drift();
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("weather-2012.csv (366 rows)").contains("weather-2015.csv (365 rows)")
                    .containsPattern("(?m)^COLUMN +TYPE +METHOD +STATISTIC +P-VALUE +THRESHOLD +VERDICT")
                    .containsPattern("(?m)^temp_max +numerical +ks +0\\.1525 +0\\.0003157 +0\\.05 +drift +0% / 0%$")
                    .containsPattern("(?m)^wind +numerical +ks .* no drift ")
                    .doesNotContain("\u2248")
                    .contains("dataset drift: YES (3 of 5 columns drifted, share 0.60 >= 0.50)");
            String[] lines = r.out().split("\n");
            assertThat(lines[2]).startsWith("temp_max");
        }
    }

    @Nested
    @DisplayName("inputs and estimates")
    class InputsAndEstimates {
        @Test
        @DisplayName("--timestamp-column gives each file's time range, in the table's header and the JSON, and is not compared")
        void timestampColumn() {
            CliRunner.Result r = drift("--timestamp-column", "date");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("reference: " + y2012 + " (366 rows, 2012-01-01 to 2012-12-31)   current: " + y2015
                    + " (365 rows, 2015-01-01 to 2015-12-31)");
            JsonNode root = json("--timestamp-column", "date");
            JsonNode current = root.get("inputs").get("current");
            assertThat(current.get("file").asText()).isEqualTo(y2015.toString());
            assertThat(current.get("time").get("first").asText()).isEqualTo("2015-01-01T00:00:00Z");
            assertThat(current.get("time").get("last").asText()).isEqualTo("2015-12-31T00:00:00Z");
            assertThat(current.get("time").get("event_time").asBoolean()).isTrue();
            assertThat(current.get("time").get("column").asText()).isEqualTo("date");
            assertThat(byColumn(root)).doesNotContainKey("date").hasSize(5);
            assertThat(json().get("inputs").get("current").get("time").isNull()).as("no time range without the column").isTrue();
        }

        @Test
        @DisplayName("--timestamp-column refuses a missing column and a value that is not a date, naming both")
        void timestampErrors() throws IOException {
            CliRunner.Result missing = drift("--timestamp-column", "day");
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.err()).contains("--timestamp-column 'day' is not a column of --reference");
            Path bad = tmp.resolve("bad-dates.csv");
            Files.writeString(bad, "when,x\n2015-01-01,1\nyesterday,2\n");
            CliRunner.Result r = cli.run("drift", "--reference", bad.toString(), "--current", bad.toString(),
                    "--timestamp-column", "when");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("'yesterday', which is not a date or time: expected ISO-8601");
        }

        @Test
        @DisplayName("estimates print as estimates with their intervals; a straddling interval prints uncertain")
        void estimates() {
            ColumnDrift uncertain = new ColumnDrift("precipitation", ColumnKind.NUMERICAL, "ks", 0.3236,
                    OptionalDouble.of(5.072e-5), OptionalDouble.empty(), 0.05, false, 0.0, 0.0, 366, 56,
                    OptionalDouble.of(0.1928), Optional.empty(), new Distribution(List.of(), List.of(), List.of(), List.of()),
                    Verdict.UNCERTAIN, Optional.of(new Interval(0.1308, 0.5164)), Optional.of(new Interval(1.2e-12, 0.2113)),
                    Optional.empty(), Optional.empty());
            ColumnDrift exact = new ColumnDrift("weather", ColumnKind.CATEGORICAL, "chisquare", 3.21, OptionalDouble.of(0.36),
                    OptionalDouble.empty(), 0.05, false, 0.0, 0.0, 366, 56, OptionalDouble.of(0.0), Optional.empty(),
                    new Distribution(List.of(), List.of(), List.of(), List.of()));
            DriftReport report = new DriftReport(Instant.parse("2025-01-01T00:00:00Z"), 366, 56, List.of(uncertain, exact),
                    0.0, 0.5, false, "none", Optional.empty(), new DriftInputs(Optional.of("temp-max/1"),
                    Optional.of("sha256:ab"), DriftInputs.Side.unnamed(), DriftInputs.Side.unnamed().withTime(
                    new DriftInputs.TimeRange(Instant.parse("2015-11-04T00:00:00Z"), Instant.parse("2015-12-29T00:00:00Z"),
                            true, Optional.empty()))), Verdict.UNCERTAIN, new Interval(0.0, 0.5));
            StringWriter text = new StringWriter();
            DriftCommand.print(new PrintWriter(text), report);
            assertThat(text.toString())
                    .startsWith("reference: sha256:ab (366 rows)   current: (unnamed) (56 rows, 2015-11-04 to 2015-12-29)"
                            + "   model: temp-max/1")
                    .containsPattern("(?m)^precipitation +numerical +ks +\u2248 0\\.32 \\[0\\.13, 0\\.52\\] +"
                            + "\u2248 5\\.1e-5 \\[1\\.2e-12, 0\\.21\\] +0\\.05 +uncertain ")
                    .containsPattern("(?m)^weather +categorical +chisquare +3\\.21 +0\\.36 +0\\.05 +no drift ")
                    .contains("\u2248: estimated from the reference profile")
                    .contains("dataset drift: UNCERTAIN (0 drifted, 1 uncertain of 2 columns, share 0.00 to 0.50,"
                            + " threshold 0.50)")
                    .doesNotContain("5.072e-5", "0.3236");
        }
    }

    @Nested
    @DisplayName("options")
    class Options {
        @Test
        @DisplayName("--html writes a self-contained page naming every column, next to the JSON or table output")
        void html() throws IOException {
            Path page = tmp.resolve("drift.html");
            JsonNode root = json("--html", page.toString());
            assertThat(root.get("dataset_drift").asBoolean()).isTrue();
            String text = Files.readString(page);
            assertThat(text).startsWith("<!DOCTYPE html>").contains("temp_max", "temp_min", "precipitation", "wind", "weather")
                    .doesNotContain("<script", "http://", "https://");
            Path human = tmp.resolve("drift2.html");
            CliRunner.Result r = drift("--html", human.toString());
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("html report: " + human);
            assertThat(Files.readString(human)).startsWith("<!DOCTYPE html>").contains("temp_max", "weather");
        }

        @Test
        @DisplayName("exit 0 with drift, 3 with --fail-on-drift, 0 with --fail-on-drift and no drift")
        void exitCodes() {
            assertThat(drift().exitCode()).isZero();
            CliRunner.Result failing = drift("--fail-on-drift", "--json");
            assertThat(failing.exitCode()).isEqualTo(3);
            assertThat(failing.json().get("dataset_drift").asBoolean()).isTrue();
            assertThat(failing.err()).isEmpty();
            CliRunner.Result same = cli.run("drift", "--reference", y2012.toString(), "--current", y2012.toString(),
                    "--fail-on-drift");
            assertThat(same.exitCode()).as(same.err()).isZero();
            assertThat(same.out()).contains("dataset drift: no (0 of 5 columns drifted");
        }

        @Test
        @DisplayName("--method for every column, --column-method for one")
        void methods() {
            Map<String, JsonNode> psi = byColumn(json("--method", "psi"));
            assertThat(psi.values()).allSatisfy(c -> {
                assertThat(c.get("method").asText()).isEqualTo("psi");
                assertThat(c.get("p_value").isNull()).isTrue();
            });
            Map<String, JsonNode> mixed = byColumn(json("--method", "cvm", "--column-method", "weather=tvd",
                    "--column-method", "wind=energy"));
            assertThat(mixed.get("temp_max").get("method").asText()).isEqualTo("cvm");
            assertThat(mixed.get("temp_max").get("threshold").asDouble()).isEqualTo(0.1);
            assertThat(mixed.get("weather").get("method").asText()).isEqualTo("tvd");
            assertThat(mixed.get("wind").get("method").asText()).isEqualTo("energy");
        }

        @Test
        @DisplayName("es, g_test and fisher_exact by name, with Evidently's thresholds; fisher_exact on 5 categories has no verdict")
        void esGTestAndFisherExactByName() {
            Map<String, JsonNode> m = byColumn(json("--column-method", "temp_max=es", "--column-method", "weather=g_test",
                    "--column-method", "wind=fisher_exact"));
            assertThat(m.get("temp_max").get("method").asText()).isEqualTo("es");
            assertThat(m.get("temp_max").get("threshold").asDouble()).isEqualTo(0.05);
            assertThat(m.get("temp_max").get("p_value").asDouble()).isBetween(0.0, 1.0);
            assertThat(m.get("weather").get("method").asText()).isEqualTo("g_test");
            assertThat(m.get("weather").get("threshold").asDouble()).isEqualTo(0.1);
            assertThat(m.get("weather").get("statistic").asDouble()).isPositive();
            JsonNode wind = m.get("wind");
            assertThat(wind.get("method").asText()).isEqualTo("fisher_exact");
            assertThat(wind.get("drifted").asBoolean()).isFalse();
            assertThat(wind.toString()).contains("fisher_exact cannot compare these samples")
                    .contains("Fisher's exact test is for binary columns");
        }

        @Test
        @DisplayName("--threshold COL=X for one column, X for all")
        void thresholds() {
            Map<String, JsonNode> one = byColumn(json("--threshold", "temp_min=0.01"));
            assertThat(one.get("temp_min").get("threshold").asDouble()).isEqualTo(0.01);
            assertThat(one.get("temp_min").get("drifted").asBoolean()).isFalse();
            assertThat(one.get("temp_max").get("threshold").asDouble()).isEqualTo(0.05);
            Map<String, JsonNode> all = byColumn(json("--threshold", "0.001", "--threshold", "wind=0.5"));
            assertThat(all.get("temp_max").get("threshold").asDouble()).isEqualTo(0.001);
            assertThat(all.get("temp_max").get("drifted").asBoolean()).isTrue();
            assertThat(all.get("wind").get("threshold").asDouble()).isEqualTo(0.5);
            assertThat(all.get("wind").get("drifted").asBoolean()).isTrue();
        }

        @Test
        @DisplayName("--correction bonferroni and bh, --drift-share")
        void correctionAndShare() {
            JsonNode bonferroni = json("--correction", "bonferroni");
            assertThat(bonferroni.get("correction").asText()).isEqualTo("bonferroni");
            assertThat(bonferroni.get("drift_share").asDouble()).isEqualTo(0.4);
            assertThat(bonferroni.get("dataset_drift").asBoolean()).isFalse();
            JsonNode bh = json("--correction", "bh");
            assertThat(bh.get("correction").asText()).isEqualTo("benjamini-hochberg");
            assertThat(byColumn(bh).get("temp_min").get("adjusted_p_value").asDouble())
                    .isCloseTo(0.011236747256045688 * 5 / 3, within(1e-12));
            CliRunner.Result human = drift("--correction", "bh");
            assertThat(human.out()).contains("ADJ. P").contains("correction: benjamini-hochberg");
            JsonNode strict = json("--drift-share", "0.7");
            assertThat(strict.get("drift_share_threshold").asDouble()).isEqualTo(0.7);
            assertThat(strict.get("dataset_drift").asBoolean()).isFalse();
        }

        @Test
        @DisplayName("--column compares only the named columns, so the files may have other columns")
        void columns() throws IOException {
            List<String> lines = Files.readAllLines(y2015);
            List<String> cut = lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
            Path noWeather = Files.write(tmp.resolve("no-weather.csv"), cut);
            CliRunner.Result r = cli.run("drift", "--reference", y2012.toString(), "--current", noWeather.toString(),
                    "--column", "temp_max", "--column", "wind", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(byColumn(r.json())).containsOnlyKeys("temp_max", "wind");
        }

        @Test
        @DisplayName("--categorical compares a numeric column as categories")
        void categorical() {
            JsonNode wind = byColumn(json("--categorical", "wind")).get("wind");
            assertThat(wind.get("type").asText()).isEqualTo("categorical");
            assertThat(wind.get("method").asText()).isEqualTo("chisquare");
        }

        @Test
        @DisplayName("tab-separated files with --delimiter")
        void delimiter() throws IOException {
            Path ref = Files.write(tmp.resolve("weather-2012.txt"),
                    Files.readAllLines(y2012).stream().map(l -> l.replace(',', '\t')).toList());
            Path cur = Files.write(tmp.resolve("weather-2015.txt"),
                    Files.readAllLines(y2015).stream().map(l -> l.replace(',', '\t')).toList());
            CliRunner.Result r = cli.run("drift", "--reference", ref.toString(), "--current", cur.toString(),
                    "--delimiter", "\t", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.json().get("drift_share").asDouble()).isEqualTo(0.6);
        }
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("missing reference", List.of("--reference", "NOFILE", "--current", "CUR"), "no-such.csv"),
                Arguments.of("directory as current", List.of("--reference", "REF", "--current", "DIR"), "not a regular file"),
                Arguments.of("unknown method", List.of("--method", "kstest"), "'kstest'"),
                Arguments.of("unknown column method", List.of("--column-method", "wind=fast"), "'fast'"),
                Arguments.of("column method without column", List.of("--column-method", "ks"), "'ks'"),
                Arguments.of("numerical method on a categorical column", List.of("--method", "ks"), "'weather'"),
                Arguments.of("threshold not a number", List.of("--threshold", "wind=low"), "'low'"),
                Arguments.of("threshold zero", List.of("--threshold", "0"), "> 0"),
                Arguments.of("p-value threshold above 1", List.of("--threshold", "temp_max=2"), "above 1"),
                Arguments.of("unknown correction", List.of("--correction", "holm"), "'holm'"),
                Arguments.of("drift share out of range", List.of("--drift-share", "1.5"), "--drift-share"),
                Arguments.of("unknown column", List.of("--column", "humidity"), "'humidity'"),
                Arguments.of("threshold for a column not compared", List.of("--threshold", "humidity=0.1"), "'humidity'"),
                Arguments.of("mismatched columns", List.of("--reference", "REF", "--current", "CUT"), "'weather'"),
                Arguments.of("malformed CSV", List.of("--reference", "REF", "--current", "BAD"), "line 3"),
                Arguments.of("bad parallelism", List.of("--parallelism", "0"), "--parallelism"),
                Arguments.of("html in a missing directory", List.of("--html", "NODIR"), "--html"),
                Arguments.of("--current missing", List.of("--reference", "REF"), "--current"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    @DisplayName("bad input exits 2 with one line naming it and nothing on stdout")
    void badInputExitsTwo(String what, List<String> args, String named) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a-directory"));
        // the reference's header, so the columns match and the malformed line 3 is what is refused
        // (different columns are refused from the header rows, before any line is read)
        List<String> y2015Lines = Files.readAllLines(y2015);
        Path bad = Files.writeString(tmp.resolve("bad.csv"), y2015Lines.get(0) + "\n" + y2015Lines.get(1) + "\n3\n");
        Path cut = tmp.resolve("cut.csv");
        if (!Files.exists(cut)) {
            Files.write(cut, Files.readAllLines(y2015).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        }
        List<String> a = new ArrayList<>(List.of("drift"));
        if (!args.contains("--reference")) {
            a.addAll(List.of("--reference", y2012.toString(), "--current", y2015.toString()));
        }
        for (String s : args) {
            a.add(switch (s) {
                case "NOFILE" -> tmp.resolve("no-such.csv").toString();
                case "NODIR" -> tmp.resolve("no-such-dir").resolve("drift.html").toString();
                case "REF" -> y2012.toString();
                case "CUR" -> y2015.toString();
                case "DIR" -> dir.toString();
                case "BAD" -> bad.toString();
                case "CUT" -> cut.toString();
                default -> s;
            });
        }
        for (boolean json : new boolean[] {false, true}) {
            List<String> run = new ArrayList<>(a);
            if (json) {
                run.add("--json");
            }
            CliRunner.Result r = cli.run(run.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s: %s", what, r.err()).isEqualTo(2);
            assertThat(r.out()).as(what).isEmpty();
            assertThat(r.err()).as(what).startsWith("mlops: ").contains(named).doesNotContain("\tat ");
            assertThat(r.err().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
        }
    }
}
