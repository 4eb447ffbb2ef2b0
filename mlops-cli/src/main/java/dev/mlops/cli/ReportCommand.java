package dev.mlops.cli;

import dev.mlops.api.Names;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.DriftReportJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops report}: the drift report written to files. The check on stdout is {@link DriftCommand}'s. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the drift report of a current CSV file against a reference CSV file to files:",
                "--html FILE, one self-contained page with charts per column, and/or --json-file FILE, the report",
                "JSON that 'mlops drift --json' prints. Prints the files written and the dataset verdict. Takes the",
                "analysis options of 'mlops drift' (the check: a table on stdout and an exit code). Needs no store.",
                "The global --json prints this command's summary as JSON on stdout."},
        footer = {"", "Exit codes: 0 written (whether or not drift was found), 3 dataset drift",
                "with --fail-on-drift, 2 bad input (no output file named, an output in a",
                "missing directory, an unreadable CSV file), 1 out of memory.",
                "", "Example:",
                "  mlops report --reference weather-2012.csv --current weather-2015.csv \\",
                "        --html drift.html",
                "  mlops report --reference train.csv --current today.csv --correction bh \\",
                "        --html drift.html --json-file drift.json --fail-on-drift"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DriftOptions options;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as one self-contained HTML page (charts per column).")
    Path html;

    // not --json: that is the global switch for JSON on stdout
    @Option(names = "--json-file", paramLabel = "FILE", description = "Write the report JSON (the schema of 'mlops drift --json').")
    Path jsonFile;

    @Override
    public Integer call() {
        options.check();
        if (html == null && jsonFile == null) {
            throw new BadInputException("report writes files: name at least one with --html FILE or --json-file FILE"
                    + " (to print the report on stdout, use 'mlops drift')");
        }
        if (html != null) {
            Inputs.outputFile("--html", html);
        }
        if (jsonFile != null) {
            Inputs.outputFile("--json-file", jsonFile);
        }
        if (html != null && jsonFile != null
                && html.toAbsolutePath().normalize().equals(jsonFile.toAbsolutePath().normalize())) {
            throw new BadInputException("--html and --json-file name the same file " + Names.quote(html.toString()));
        }
        MlopsCommand root = (MlopsCommand) spec.root().userObject();
        DriftReport report = options.compare(root.progress());
        List<String> written = new ArrayList<>();
        if (html != null) {
            DriftReportHtml.write(report, html);
            written.add(html.toString());
        }
        if (jsonFile != null) {
            DriftReportJson.write(report, jsonFile);
            written.add(jsonFile.toString());
        }
        if (root.json()) {
            Json.print(spec.commandLine().getOut(), new Views.ReportView(written, report.datasetDrift(),
                    report.driftShare(), report.driftShareThreshold(), report.columns().size(),
                    report.columns().stream().filter(ColumnDrift::drifted).map(ColumnDrift::column).toList()));
        } else {
            for (String w : written) {
                spec.commandLine().getOut().println(Text.printable("wrote " + w));
            }
            spec.commandLine().getOut().println(DriftCommand.verdict(report));
            spec.commandLine().getOut().flush();
        }
        return options.failOnDrift && report.datasetDrift() ? DriftCommand.DRIFT_FOUND : Errors.OK;
    }
}
