package dev.mlops.cli;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.DriftReportJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    /**
     * The table, its notes and the verdict line. An estimated statistic (from a reference profile)
     * prints as an estimate, {@code ≈ 0.32 [0.13, 0.52]}, and so does its p-value; its verdict is
     * {@code uncertain} when the interval straddles the threshold.
     */
    static void print(PrintWriter out, DriftReport report) {
        boolean adjusted = !report.correction().equals(Correction.NONE.id());
        Table t = adjusted
                ? new Table("COLUMN", "TYPE", "METHOD", "STATISTIC", "P-VALUE", "ADJ. P", "THRESHOLD", "VERDICT", "MISSING REF/CUR")
                : new Table("COLUMN", "TYPE", "METHOD", "STATISTIC", "P-VALUE", "THRESHOLD", "VERDICT", "MISSING REF/CUR");
        List<String> notes = new ArrayList<>();
        boolean estimates = false;
        for (ColumnDrift c : report.columns()) {
            String type = c.kind().name().toLowerCase(Locale.ROOT);
            String stat = c.statisticInterval().isPresent() ? estimate(c.statistic(), c.statisticInterval().get())
                    : number(c.statistic());
            String p = c.pValue().isEmpty() ? null : c.pValueInterval().isPresent()
                    ? estimate(c.pValue().getAsDouble(), c.pValueInterval().get()) : number(c.pValue().getAsDouble());
            estimates |= c.statisticInterval().isPresent();
            String verdict = c.verdict() == Verdict.NOT_COMPARED ? "n/a" : c.verdict().label();
            String missing = percent(c.missingShareReference()) + " / " + percent(c.missingShareCurrent());
            if (adjusted) {
                String adj = c.adjustedPValue().isPresent() ? number(c.adjustedPValue().getAsDouble()) : null;
                t.row(c.column(), type, c.method(), stat, p, adj, number(c.threshold()), verdict, missing);
            } else {
                t.row(c.column(), type, c.method(), stat, p, number(c.threshold()), verdict, missing);
            }
            c.note().ifPresent(n -> notes.add(c.column() + ": " + n));
        }
        DriftInputs in = report.inputs();
        out.println(Text.printable(side("reference", in.reference(), in.profile(), report.referenceRows()) + "   "
                + side("current", in.current(), Optional.empty(), report.currentRows())
                + in.model().map(m -> "   model: " + m).orElse("")
                + (adjusted ? "   correction: " + report.correction() : "")));
        t.print(out);
        if (estimates) {
            out.println("\u2248: estimated from the reference profile; the exact value lies in [low, high]. uncertain:"
                    + " the interval straddles the threshold.");
        }
        for (String n : notes) {
            out.println(Text.printable("note: " + n));
        }
        out.println(verdict(report));
        out.flush();
    }

    /** {@code reference: a.csv (366 rows, 2012-01-01 to 2012-12-31)}. */
    private static String side(String name, DriftInputs.Side side, Optional<String> profile, long rows) {
        String what = side.file().or(side::dataset).or(() -> profile).orElse("(unnamed)");
        String time = side.time().map(r -> ", " + instant(r.first()) + " to " + instant(r.last())
                + (r.eventTime() ? "" : " processing time")).orElse("");
        return name + ": " + what + " (" + rows + " rows" + time + ")";
    }

    /** A date alone when the instant is a UTC midnight. */
    private static String instant(Instant t) {
        return t.equals(t.truncatedTo(ChronoUnit.DAYS)) ? t.toString().substring(0, 10) : t.toString();
    }

    /** {@code ≈ 0.32 [0.13, 0.52]}: two significant digits. */
    static String estimate(double value, Interval interval) {
        return "\u2248 " + significant(value) + " [" + significant(interval.low()) + ", " + significant(interval.high()) + "]";
    }

    private static String significant(double v) {
        if (!Double.isFinite(v)) {
            return number(v) == null ? "NaN" : number(v);
        }
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.2g", v);
        if (s.contains("e")) {
            String[] parts = s.split("e");
            return parts[0].replaceAll("\\.?0+$", "") + "e" + Integer.parseInt(parts[1]);
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /**
     * @return {@code dataset drift: YES (3 of 5 columns drifted, share 0.60 >= 0.50)}, or with
     *     uncertain columns {@code dataset drift: UNCERTAIN (1 drifted, 2 uncertain of 5 columns,
     *     share 0.20 to 0.60, threshold 0.50)}
     */
    static String verdict(DriftReport report) {
        long drifted = report.columns().stream().filter(ColumnDrift::drifted).count();
        long uncertain = report.columns().stream().filter(c -> c.verdict() == Verdict.UNCERTAIN).count();
        long judged = report.columns().stream().filter(c -> c.verdict() != Verdict.NOT_COMPARED).count();
        String word = switch (report.datasetVerdict()) {
            case DRIFT -> "YES";
            case UNCERTAIN -> "UNCERTAIN";
            default -> "no";
        };
        if (uncertain > 0) {
            return String.format(Locale.ROOT, "dataset drift: %s (%d drifted, %d uncertain of %d columns, share %.2f to %.2f,"
                    + " threshold %.2f)", word, drifted, uncertain, judged, report.driftShareInterval().low(),
                    report.driftShareInterval().high(), report.driftShareThreshold());
        }
        return String.format(Locale.ROOT, "dataset drift: %s (%d of %d columns drifted, share %.2f %s %.2f)",
                word, drifted, judged, report.driftShare(),
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
