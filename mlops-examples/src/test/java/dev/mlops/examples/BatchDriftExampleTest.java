package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftReportJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("BatchDriftExample")
class BatchDriftExampleTest {
    @TempDir
    Path out;

    @Test
    @DisplayName("compares Seattle 2012 with 2015 from CSV files and writes the JSON and HTML reports")
    void runs() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BatchDriftExample.Result r = BatchDriftExample.run(out, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);

        DriftReport report = r.report();
        assertThat(report.referenceRows()).as(console).isEqualTo(366);
        assertThat(report.currentRows()).isEqualTo(365);
        // the values mlops-drift checks against scipy for these two years
        assertThat(report.driftedColumns()).containsExactlyInAnyOrder("temp_max", "temp_min", "weather");
        assertThat(report.column("temp_max").orElseThrow().method()).isEqualTo("ks");
        assertThat(report.column("temp_max").orElseThrow().pValue().getAsDouble()).isBetween(3.15e-4, 3.16e-4);
        assertThat(report.column("date")).isEmpty();
        assertThat(report.datasetDrift()).isTrue();

        assertThat(r.json()).isEqualTo(out.resolve("drift-report.json"));
        DriftReport fromJson = DriftReportJson.fromJson(Files.readString(r.json()));
        assertThat(fromJson.driftedColumns()).isEqualTo(report.driftedColumns());
        assertThat(r.html()).isEqualTo(out.resolve("drift-report.html"));
        String html = Files.readString(r.html());
        assertThat(html).contains("Dataset drift detected", "temp_max", "<svg");
        // the page is well-formed XML as well as HTML5 (the drift module's promise)
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(r.html().toFile());

        assertThat(console).contains("temp_max", "DRIFT", "Dataset drift detected: 3 of 5 columns drifted",
                "JSON report: " + r.json(), "HTML report: " + r.html());
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("input", "drift-report.json", "drift-report.html");
        }
    }
}
