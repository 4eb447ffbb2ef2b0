package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftReportJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops report} on the Seattle weather data: the drift report written as files. */
@DisplayName("mlops report")
class ReportCommandTest {
    private static final String NL = System.lineSeparator();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path data;

    static WeatherYears years;

    @TempDir
    Path out;

    private final CliRunner cli = new CliRunner(null);

    @BeforeAll
    static void files() {
        years = WeatherYears.writeTo(data);
    }

    private CliRunner.Result report(String... extra) {
        List<String> args = new ArrayList<>(List.of("report", "--reference", years.y2012().toString(),
                "--current", years.y2015().toString()));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    @DisplayName("--html and --json-file: both written, their paths and the verdict printed, exit 0 although drift was found")
    void writesBoth() throws IOException {
        Path html = out.resolve("drift.html");
        Path json = out.resolve("drift.json");
        CliRunner.Result r = report("--html", html.toString(), "--json-file", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("wrote " + html + NL + "wrote " + json + NL
                + "dataset drift: YES (3 of 5 columns drifted, share 0.60 >= 0.50)" + NL);
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>")
                .contains("temp_max", "temp_min", "precipitation", "wind", "weather").doesNotContain("<script");
        DriftReport fromFile = DriftReportJson.fromJson(Files.readString(json));
        assertThat(fromFile.datasetDrift()).isTrue();
        assertThat(fromFile.columns()).hasSize(5);
        assertThat(out).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    @DisplayName("the JSON file is what 'mlops drift --json' prints, with the same options")
    void jsonFileEqualsDriftJson() throws IOException {
        Path json = out.resolve("drift.json");
        CliRunner.Result r = report("--json-file", json.toString(), "--correction", "bh", "--column-method", "wind=psi");
        assertThat(r.exitCode()).as(r.err()).isZero();
        CliRunner.Result drift = cli.run("drift", "--reference", years.y2012().toString(), "--current",
                years.y2015().toString(), "--correction", "bh", "--column-method", "wind=psi", "--json");
        assertThat(drift.exitCode()).isZero();
        JsonNode written = MAPPER.readTree(Files.readString(json));
        assertThat(CliRunner.withoutCreatedAt(written)).isEqualTo(CliRunner.withoutCreatedAt(drift.json()));
        assertThat(written.get("correction").asText()).isEqualTo("benjamini-hochberg");
    }

    @Test
    @DisplayName("the global --json prints the files written and the verdict as JSON")
    void jsonSummary() {
        Path html = out.resolve("drift.html");
        CliRunner.Result r = report("--html", html.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = r.json();
        assertThat(root.get("written")).hasSize(1);
        assertThat(root.get("written").get(0).asText()).isEqualTo(html.toString());
        assertThat(root.get("dataset_drift").asBoolean()).isTrue();
        assertThat(root.get("dataset_verdict").asText()).isEqualTo("drift");
        assertThat(root.get("drift_share").asDouble()).isEqualTo(0.6);
        // exact statistics: no uncertain column, the share interval is the point
        assertThat(root.get("drift_share_interval").get("low").asDouble()).isEqualTo(0.6);
        assertThat(root.get("drift_share_interval").get("high").asDouble()).isEqualTo(0.6);
        assertThat(root.get("uncertain_columns")).isEmpty();
        assertThat(root.get("drift_share_threshold").asDouble()).isEqualTo(0.5);
        assertThat(root.get("columns").asInt()).isEqualTo(5);
        List<String> drifted = new ArrayList<>();
        root.get("drifted_columns").forEach(c -> drifted.add(c.asText()));
        assertThat(drifted).containsExactlyInAnyOrder("temp_max", "temp_min", "weather");
    }

    @Test
    @DisplayName("--fail-on-drift exits 3 after writing; no drift exits 0 with it")
    void failOnDrift() {
        Path json = out.resolve("drift.json");
        CliRunner.Result drifted = report("--json-file", json.toString(), "--fail-on-drift");
        assertThat(drifted.exitCode()).isEqualTo(3);
        assertThat(drifted.err()).isEmpty();
        assertThat(json).isRegularFile();
        assertThat(drifted.out()).contains("dataset drift: YES");
        Path same = out.resolve("same.json");
        CliRunner.Result none = cli.run("report", "--reference", years.y2012().toString(), "--current",
                years.y2012().toString(), "--json-file", same.toString(), "--fail-on-drift");
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(none.out()).contains("dataset drift: no (0 of 5 columns drifted");
    }

    @Test
    @DisplayName("no output file named: exit 2, one line saying which options write files, nothing on stdout")
    void noOutput() {
        CliRunner.Result r = report();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("mlops: report writes files: name at least one with --html FILE or --json-file FILE"
                + " (to print the report on stdout, use 'mlops drift', or give - as the file)" + NL);
        assertThat(report("--json").exitCode()).as("the global --json is not an output file").isEqualTo(2);
    }

    @Test
    @DisplayName("an output in a missing directory, a directory as output, or one file for both: exit 2, nothing written")
    void badOutputs() throws IOException {
        Path missing = out.resolve("no-such-dir").resolve("drift.html");
        CliRunner.Result html = report("--html", missing.toString());
        assertThat(html.exitCode()).isEqualTo(2);
        assertThat(html.err()).startsWith("mlops: --html ").contains("does not exist");
        Path json = out.resolve("ok.json");
        CliRunner.Result jsonFile = report("--json-file", out.resolve("nope").resolve("drift.json").toString(),
                "--html", out.resolve("ok.html").toString());
        assertThat(jsonFile.exitCode()).isEqualTo(2);
        assertThat(jsonFile.err()).startsWith("mlops: --json-file ");
        CliRunner.Result dir = report("--json-file", out.toString());
        assertThat(dir.exitCode()).isEqualTo(2);
        assertThat(dir.err()).contains("is a directory");
        CliRunner.Result both = report("--html", json.toString(), "--json-file", json.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("name the same file");
        for (CliRunner.Result r : List.of(html, jsonFile, dir, both)) {
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        }
        try (var files = Files.list(out)) {
            assertThat(files.toList()).as("nothing written").isEmpty();
        }
    }

    @Test
    @DisplayName("the analysis options are drift's, checked the same way")
    void sharedOptions() {
        Path json = out.resolve("drift.json");
        CliRunner.Result method = report("--json-file", json.toString(), "--method", "kstest");
        assertThat(method.exitCode()).isEqualTo(2);
        assertThat(method.err()).startsWith("mlops: --method: ").contains("'kstest'");
        CliRunner.Result missing = cli.run("report", "--reference", years.y2012().toString(), "--json-file", json.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--current");
        CliRunner.Result columns = report("--json-file", json.toString(), "--column", "wind", "--categorical", "wind");
        assertThat(columns.exitCode()).as(columns.err()).isZero();
        assertThat(DriftReportJson.fromJson(readString(json)).columns()).singleElement()
                .satisfies(c -> assertThat(c.column()).isEqualTo("wind"));
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
