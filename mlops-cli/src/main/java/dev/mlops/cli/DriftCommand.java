package dev.mlops.cli;

import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.core.Frames;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.DriftMethod;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.DriftReportJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare a current CSV file with a reference CSV file, column by column, for data drift.",
                "Methods and thresholds default to Evidently's choice per column (ks, chisquare, z for references",
                "of at most 1,000 rows; wasserstein_norm, jensenshannon beyond). Needs no store.",
                "Methods: ks, cvm, anderson, mann_whitney, t_test, wasserstein, wasserstein_norm, energy, psi,",
                "kl_div, jensenshannon, hellinger, tvd, chisquare, chi2_contingency, z."},
        footer = {"", "Exit codes: 0 compared (whether or not drift was found), 3 dataset drift with --fail-on-drift,",
                "2 bad input (unreadable file, mismatched columns, unknown method).",
                "", "Example:",
                "  mlops drift --reference weather-2012.csv --current weather-2015.csv",
                "  mlops drift --reference train.csv --current today.csv --column-method weather=psi \\",
                "        --threshold temp_max=0.01 --correction bh --html drift.html --fail-on-drift"})
final class DriftCommand implements Callable<Integer> {
    /** Exit code when the dataset drifted and {@code --fail-on-drift} was given. */
    static final int DRIFT_FOUND = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--reference", required = true, paramLabel = "REF.csv", description = "The reference data (training data, a baseline).")
    Path reference;

    @Option(names = "--current", required = true, paramLabel = "CUR.csv", description = "The data to check.")
    Path current;

    @Option(names = "--method", paramLabel = "M", description = "One method for every column instead of the defaults.")
    String method;

    @Option(names = "--column-method", paramLabel = "COL=M", description = "The method for one column (repeatable).")
    List<String> columnMethods = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "[COL=]X",
            description = "Drift threshold for one column (COL=X) or every column (X) (repeatable).")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--drift-share", paramLabel = "X",
            description = "Dataset drift when this share of the columns drifts, in (0, 1] (default 0.5).")
    String driftShare;

    @Option(names = "--correction", paramLabel = "C", defaultValue = "none",
            description = "Multiple-testing correction of p-values: none, bonferroni or bh (default: ${DEFAULT-VALUE}).")
    String correction;

    @Option(names = "--column", paramLabel = "COL",
            description = "Compare only this column (repeatable); other columns may differ between the files.")
    List<String> columns = new ArrayList<>();

    @Option(names = "--categorical", paramLabel = "COL", description = "Compare a numeric column as categories (repeatable).")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--delimiter", paramLabel = "C", description = "CSV field separator (default: ',' or tab for *.tsv).")
    Character delimiter;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Columns compared at once (default: the number of processors).")
    Integer parallelism;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML page (charts per column) to FILE.")
    Path html;

    @Option(names = "--fail-on-drift", description = "Exit with code 3 when the dataset drifted.")
    boolean failOnDrift;

    @Override
    public Integer call() {
        DriftAnalysis analysis = analysis();
        if (html != null) {
            Inputs.outputFile("--html", html);
        }
        Frame ref = read("--reference", reference);
        Frame cur = read("--current", current);
        DriftReport report = analysis.compare(ref, cur);
        if (html != null) {
            DriftReportHtml.write(report, html);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (((MlopsCommand) spec.root().userObject()).json()) {
            out.println(DriftReportJson.toJson(report));
            out.flush();
        } else {
            print(out, report);
            if (html != null) {
                out.println(Text.printable("html report: " + html));
                out.flush();
            }
        }
        return failOnDrift && report.datasetDrift() ? DRIFT_FOUND : Errors.OK;
    }

    private DriftAnalysis analysis() {
        DriftAnalysis.Builder b = DriftAnalysis.builder();
        if (method != null) {
            b.method(method("--method", method));
        }
        Inputs.keyValues("--column-method", columnMethods).forEach((col, m) -> b.columnMethod(col, method("--column-method", m)));
        boolean global = false;
        for (String t : thresholds) {
            if (t.indexOf('=') < 0) {
                if (global) {
                    throw new BadInputException("--threshold without a column is given twice");
                }
                global = true;
                b.threshold(positive("--threshold", "every column", t));
            }
        }
        List<String> perColumn = thresholds.stream().filter(t -> t.indexOf('=') >= 0).toList();
        Inputs.keyValues("--threshold", perColumn).forEach((col, x) -> b.columnThreshold(col, positive("--threshold", col, x)));
        if (driftShare != null) {
            double share = Inputs.finiteNumber("--drift-share", "share", driftShare);
            if (!(share > 0 && share <= 1)) {
                throw new BadInputException("--drift-share " + Names.quote(driftShare) + " must be in (0, 1]");
            }
            b.driftShare(share);
        }
        try {
            b.correction(Correction.parse(correction));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--correction: " + e.getMessage());
        }
        if (!columns.isEmpty()) {
            if (columns.stream().distinct().count() != columns.size()) {
                throw new BadInputException("--column names a column twice");
            }
            b.columns(columns);
        }
        b.categorical(categorical.toArray(String[]::new));
        b.parallelism(parallelism != null ? Inputs.limit("--parallelism", parallelism, 256)
                : Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private static DriftMethod method(String option, String id) {
        try {
            return DriftMethod.parse(id);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": " + e.getMessage());
        }
    }

    private static double positive(String option, String key, String text) {
        double x = Inputs.finiteNumber(option, key, text);
        if (!(x > 0)) {
            throw new BadInputException(option + " " + Names.quote(key) + " has value " + Names.quote(text)
                    + ": expected a number > 0");
        }
        return x;
    }

    private Frame read(String option, Path file) {
        Inputs.readable(option, file);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(option + " " + Names.quote(file.toString()) + " is not a regular file");
        }
        try {
            return delimiter != null ? Frames.readCsv(file, delimiter) : Frames.readCsv(file);
        } catch (ValidationException | StorageException e) {
            throw new BadInputException(option + " " + Names.quote(file.toString()) + ": " + e.getMessage());
        }
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
        out.println(Text.printable("reference: " + reference + " (" + report.referenceRows() + " rows)   current: " + current
                + " (" + report.currentRows() + " rows)" + (adjusted ? "   correction: " + report.correction() : "")));
        t.print(out);
        for (String n : notes) {
            out.println(Text.printable("note: " + n));
        }
        long drifted = report.columns().stream().filter(ColumnDrift::drifted).count();
        long judged = report.columns().stream().filter(c -> !Double.isNaN(c.statistic())).count();
        out.println(String.format(Locale.ROOT, "dataset drift: %s (%d of %d columns drifted, share %.2f %s %.2f)",
                report.datasetDrift() ? "YES" : "no", drifted, judged, report.driftShare(),
                report.datasetDrift() ? ">=" : "<", report.driftShareThreshold()));
        out.flush();
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
