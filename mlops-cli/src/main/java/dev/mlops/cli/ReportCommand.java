package dev.mlops.cli;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.DriftReportJson;
import java.io.PrintWriter;
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
        description = {"Write the drift report of a current CSV file against a reference CSV file to files.",
                "--html FILE writes one self-contained page with charts per column, --json-file FILE the report",
                "JSON that 'mlops drift --json' prints. Prints the files written and the dataset verdict. Takes the",
                "analysis options of 'mlops drift' (the check: a table on stdout and an exit code). Needs no store.",
                "The global --json prints this command's summary as JSON on stdout."},
        footer = {"", "Only a new path or a regular file is written, atomically; a directory,",
                "device, FIFO, socket, symbolic link or input file is refused. FILE - is",
                "stdout, which then carries that document alone.",
                "", "Exit codes: 0 written (whether or not drift was found), 3 dataset drift",
                "with --fail-on-drift, 2 bad input (no output file named, an output that",
                "may not be written, an unreadable CSV file), 1 out of memory.",
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

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as one self-contained HTML page (charts per column); - for stdout.")
    Path html;

    // not --json: that is the global switch for JSON on stdout
    @Option(names = "--json-file", paramLabel = "FILE", description = "Write the report JSON (the schema of 'mlops drift --json'); - for stdout.")
    Path jsonFile;

    @Override
    public Integer call() {
        MlopsCommand root = (MlopsCommand) spec.root().userObject();
        options.check();
        if (html == null && jsonFile == null) {
            throw new BadInputException("report writes files: name at least one with --html FILE or --json-file FILE"
                    + " (to print the report on stdout, use 'mlops drift', or give - as the file)");
        }
        Outputs outputs = options.inputs(new Outputs()).output("--html", html).output("--json-file", jsonFile);
        outputs.check(root.json());
        DriftReport report = options.compare(root.progress());
        PrintWriter out = spec.commandLine().getOut();
        List<String> written = new ArrayList<>();
        if (html != null) {
            Outputs.write("--html", html, DriftReportHtml.render(report), out);
            written.add(html.toString());
        }
        if (jsonFile != null) {
            Outputs.write("--json-file", jsonFile, DriftReportJson.toJson(report) + "\n", out);
            written.add(jsonFile.toString());
        }
        // with an output on stdout, stdout carries that report alone; the exit code still tells the verdict
        if (!outputs.toStdout() && root.json()) {
            JsonOutput.print(out, new Views.ReportView(written, report.datasetDrift(), report.datasetVerdict().id(),
                    report.driftShare(), report.driftShareInterval(), report.driftShareThreshold(), report.columns().size(),
                    report.columns().stream().filter(ColumnDrift::drifted).map(ColumnDrift::column).toList(),
                    report.uncertainColumns()));
        } else if (!outputs.toStdout()) {
            for (String w : written) {
                out.println(Text.printable("wrote " + w));
            }
            out.println(DriftCommand.verdict(report));
            out.flush();
        }
        return options.failOnDrift && report.datasetDrift() ? DriftCommand.DRIFT_FOUND : Errors.OK;
    }
}
