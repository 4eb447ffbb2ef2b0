package dev.mlops.cli;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.DriftReportJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops drift}: the drift check. The report files are {@link ReportCommand}'s. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Check a current CSV file against a reference CSV file, column by column, for data drift.",
                "Prints a table on stdout (the report JSON with --json) and, with --fail-on-drift, exits 3 when the",
                "dataset drifted. To write the report as HTML or JSON files, use 'mlops report'. Needs no store.",
                "Methods and thresholds default to Evidently's choice per column (ks, chisquare, z for references",
                "of at most 1,000 rows; wasserstein_norm, jensenshannon beyond).",
                "Methods: ks, cvm, anderson, mann_whitney, t_test, es, wasserstein, wasserstein_norm, energy, psi,",
                "kl_div, jensenshannon, hellinger, tvd, chisquare, chi2_contingency, z, fisher_exact, g_test."},
        footer = {"", "Exit codes: 0 compared (whether or not drift was found), 3 dataset drift",
                "with --fail-on-drift, 2 bad input (unreadable file, mismatched columns,",
                "unknown method), 1 out of memory (the message says which -Xmx to try).",
                "", "Example:",
                "  mlops drift --reference weather-2012.csv --current weather-2015.csv",
                "  mlops drift --reference train.csv --current today.csv \\",
                "        --column-method weather=psi --threshold temp_max=0.01 --correction bh \\",
                "        --fail-on-drift --json"})
final class DriftCommand implements Callable<Integer> {
    /** Exit code when the dataset drifted and {@code --fail-on-drift} was given. */
    static final int DRIFT_FOUND = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    DriftOptions options;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the HTML report to FILE (kept for compatibility: 'mlops report' writes report files);"
                    + " - prints the page on stdout instead of the table.")
    Path html;

    @Override
    public Integer call() {
        MlopsCommand root = (MlopsCommand) spec.root().userObject();
        options.check();
        Outputs outputs = options.inputs(new Outputs()).output("--html", html);
        outputs.check(root.json());
        DriftReport report = options.compare(root.progress());
        PrintWriter out = spec.commandLine().getOut();
        if (html != null) {
            Outputs.write("--html", html, DriftReportHtml.render(report), out);
        }
        // with --html -, stdout carries the page alone; the exit code still tells the verdict
        if (!outputs.toStdout() && root.json()) {
            JsonOutput.printText(out, DriftReportJson.toJson(report));
        } else if (!outputs.toStdout()) {
            print(out, report);
            if (html != null) {
                out.println(Text.printable("html report: " + html));
                out.flush();
            }
        }
        return options.failOnDrift && report.datasetDrift() ? DRIFT_FOUND : Errors.OK;
    }

    private void print(PrintWriter out, DriftReport report) {
        boolean adjusted = !report.correction().equals(Correction.NONE.id());
        Table t = adjusted
                ? new Table("COLUMN", "TYPE", "METHOD", "STATISTIC", "P-VALUE", "ADJ. P", "THRESHOLD", "DRIFT", "MISSING REF/CUR")
                : new Table("COLUMN", "TYPE", "METHOD", "STATISTIC", "P-VALUE", "THRESHOLD", "DRIFT", "MISSING REF/CUR");
        List<String> notes = new ArrayList<>();
        for (ColumnDrift c : report.columns()) {
            String type = c.kind().name().toLowerCase(Locale.ROOT);
            String p = c.pValue().isPresent() ? number(c.pValue().getAsDouble()) : null;
            String drift = c.drifted() ? "yes" : Double.isNaN(c.statistic()) ? "n/a" : "no";
            String missing = percent(c.missingShareReference()) + " / " + percent(c.missingShareCurrent());
            if (adjusted) {
                String adj = c.adjustedPValue().isPresent() ? number(c.adjustedPValue().getAsDouble()) : null;
                t.row(c.column(), type, c.method(), number(c.statistic()), p, adj, number(c.threshold()), drift, missing);
            } else {
                t.row(c.column(), type, c.method(), number(c.statistic()), p, number(c.threshold()), drift, missing);
            }
            c.note().ifPresent(n -> notes.add(c.column() + ": " + n));
        }
        out.println(Text.printable("reference: " + options.reference + " (" + report.referenceRows() + " rows)   current: "
                + options.current
                + " (" + report.currentRows() + " rows)" + (adjusted ? "   correction: " + report.correction() : "")));
        t.print(out);
        for (String n : notes) {
            out.println(Text.printable("note: " + n));
        }
        out.println(verdict(report));
        out.flush();
    }

    /** @return {@code dataset drift: YES (3 of 5 columns drifted, share 0.60 >= 0.50)} */
    static String verdict(DriftReport report) {
        long drifted = report.columns().stream().filter(ColumnDrift::drifted).count();
        long judged = report.columns().stream().filter(c -> !Double.isNaN(c.statistic())).count();
        return String.format(Locale.ROOT, "dataset drift: %s (%d of %d columns drifted, share %.2f %s %.2f)",
                report.datasetDrift() ? "YES" : "no", drifted, judged, report.driftShare(),
                report.datasetDrift() ? ">=" : "<", report.driftShareThreshold());
    }

    /** Four significant digits; {@code -} for NaN, {@code inf} for infinities. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return null;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String percent(double share) {
        if (share == 0) {
            return "0%";
        }
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
