package dev.mlops.examples;

import dev.mlops.api.Frame;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.quality.Frames;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.DriftReportJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A drift check in a batch job over CSV files: is this year's data still like last year's?
 *
 * <p>The job reads a reference CSV (Seattle weather 2012) and a current CSV (2015) into frames,
 * compares every column with {@link DriftAnalysis} (Evidently's default method per column:
 * Kolmogorov–Smirnov for the numbers of a small reference, chi-square for the weather category),
 * and writes the report as JSON ({@link DriftReportJson}) for machines and as a self-contained
 * HTML page ({@link DriftReportHtml}) for people. With {@code --fail-on-drift} it exits with
 * status 3 when the dataset drifted, so a scheduler can stop the pipeline.
 *
 * <pre>{@code
 * Frame reference = Frames.readCsv(Path.of("weather-2012.csv"));
 * Frame current = Frames.readCsv(Path.of("weather-2015.csv"));
 * DriftReport report = DriftAnalysis.builder().build().compare(reference, current);
 * Files.writeString(out.resolve("drift-report.json"), DriftReportJson.toJson(report));
 * DriftReportHtml.write(report, out.resolve("drift-report.html"));
 * }</pre>
 *
 * <p>Run: {@code java -cp mlops-examples/target/mlops-demo.jar dev.mlops.examples.BatchDriftExample
 * [OUTPUT_DIR] [--fail-on-drift]} (default {@code batch-drift-output}). The two input CSVs are
 * cut from the bundled data into {@code OUTPUT_DIR/input}; everything is written under OUTPUT_DIR.
 */
public final class BatchDriftExample {

    /**
     * What the job produced, for its test.
     *
     * @param report the drift report
     * @param json the JSON report file
     * @param html the HTML report file
     */
    public record Result(DriftReport report, Path json, Path html) {
    }

    private BatchDriftExample() {
    }

    /**
     * Runs the job.
     *
     * @param args {@code [OUTPUT_DIR] [--fail-on-drift]}
     * @throws IOException if the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of("batch-drift-output");
        boolean failOnDrift = false;
        for (String a : args) {
            if (a.equals("--fail-on-drift")) {
                failOnDrift = true;
            } else {
                out = Path.of(a);
            }
        }
        Result r = run(out.toAbsolutePath(), System.out);
        if (failOnDrift && r.report().datasetDrift()) {
            System.exit(3);
        }
    }

    /**
     * Cuts the inputs from the bundled data, then runs the job.
     *
     * @param out the output directory
     * @param console where to print
     * @return the report and the files written
     * @throws IOException if the output cannot be written
     */
    public static Result run(Path out, PrintStream console) throws IOException {
        Path input = Files.createDirectories(out.resolve("input"));
        Path referenceCsv = SeattleWeatherCsv.write(input.resolve("weather-2012.csv"), 2012);
        Path currentCsv = SeattleWeatherCsv.write(input.resolve("weather-2015.csv"), 2015);
        return job(referenceCsv, currentCsv, out, console);
    }

    /**
     * The batch job itself: two CSV files in, a JSON and an HTML report out.
     *
     * @param referenceCsv the reference data
     * @param currentCsv the data to check
     * @param out where to write the reports
     * @param console where to print the summary
     * @return the report and the files written
     * @throws IOException if the output cannot be written
     */
    public static Result job(Path referenceCsv, Path currentCsv, Path out, PrintStream console) throws IOException {
        Frame reference = Frames.readCsv(referenceCsv);
        Frame current = Frames.readCsv(currentCsv);
        console.printf("Reference %s: %d rows; current %s: %d rows; columns %s%n", referenceCsv.getFileName(),
                reference.rowCount(), currentCsv.getFileName(), current.rowCount(),
                reference.schema().fields().stream().map(f -> f.name() + ":" + f.type()).toList());

        DriftReport report = DriftAnalysis.builder().build().compare(reference, current);

        Files.createDirectories(out);
        Path json = Files.writeString(out.resolve("drift-report.json"), DriftReportJson.toJson(report),
                StandardCharsets.UTF_8);
        Path html = out.resolve("drift-report.html");
        DriftReportHtml.write(report, html);

        console.printf("%n  %-14s %-10s %12s %12s  %s%n", "column", "method", "statistic", "p-value", "verdict");
        for (ColumnDrift c : report.columns()) {
            console.printf(Locale.ROOT, "  %-14s %-10s %12.4g %12s  %s%n", c.column(), c.method(), c.statistic(),
                    c.pValue().isPresent() ? String.format(Locale.ROOT, "%.3g", c.pValue().getAsDouble()) : "-",
                    c.drifted() ? "DRIFT" : "ok");
        }
        console.printf(Locale.ROOT, "%n%s: %d of %d columns drifted (share %.2f, threshold %.2f)%n",
                report.datasetDrift() ? "Dataset drift detected" : "No dataset drift", report.driftedColumns().size(),
                report.columns().size(), report.driftShare(), report.driftShareThreshold());
        console.println("JSON report: " + json);
        console.println("HTML report: " + html);
        return new Result(report, json, html);
    }
}
