package dev.mlops.drift;

import static dev.mlops.drift.HtmlText.appendEscaped;
import static dev.mlops.drift.HtmlText.number;
import static dev.mlops.drift.HtmlText.percent;

import dev.mlops.api.OutputFiles;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Renders a {@link DriftReport} as one self-contained HTML5 page: inline CSS and inline SVG charts,
 * no script, font, stylesheet, image or any other resource from outside the file, and a
 * Content-Security-Policy that forbids loading any. The page has a summary (dataset verdict,
 * drift share against its threshold, rows, columns compared, correction, window), an overview
 * table of all columns linking to one section per column, drifted columns first (otherwise in
 * report order), and in each section the method, statistic, p-values, threshold, verdict, missing
 * shares, counts, error bound, note, a bar chart of the reference and current distribution, and
 * the shares per bin as a table.
 *
 * <p>Every string from the report is HTML-escaped, so a column named
 * {@code <script>alert(1)</script>} is shown as text; control characters are shown as visible
 * symbols. Numbers are written independently of the default locale, NaN and infinities as words.
 * The output is deterministic: equal reports give identical strings (the page shows the report's
 * own {@code createdAt}, not the time of rendering). The markup is also well-formed XML, so it
 * can be checked with an XML parser.
 */
public final class DriftReportHtml {

    private static final String CSS = """
            :root{color-scheme:light;--ref:%s;--cur:%s;--drift:#b42318;--ok:#067647;--line:#d0d5dd;--muted:#475467}
            *{box-sizing:border-box}
            body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#101828;background:#f9fafb}
            main{max-width:1040px;margin:0 auto;padding:24px}
            h1{font-size:24px;margin:0 0 8px}
            h2{font-size:18px;margin:0 0 12px;overflow-wrap:anywhere}
            section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 20px}
            section.column.drift{border-left:6px solid var(--drift)}
            section.column.nodrift{border-left:6px solid var(--ok)}
            .banner{display:inline-block;font-size:16px;font-weight:600;padding:6px 12px;border-radius:6px;margin:0 0 16px}
            .banner.drift,.badge.drift{background:#fef3f2;color:var(--drift);border:1px solid #fda29b}
            .banner.nodrift,.badge.nodrift{background:#ecfdf3;color:var(--ok);border:1px solid #75e0a7}
            .badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;border-radius:10px;vertical-align:middle;white-space:nowrap}
            dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px 20px;margin:0 0 12px}
            dl.facts div{min-width:0}
            dt{color:var(--muted);font-size:12px}
            dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
            table{border-collapse:collapse;width:100%%;font-variant-numeric:tabular-nums}
            th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
            td.num,th.num{text-align:right}
            td.name{overflow-wrap:anywhere;max-width:320px}
            tr.drift td.verdict{color:var(--drift);font-weight:600}
            tr.nodrift td.verdict{color:var(--ok)}
            .overview-wrap{overflow-x:auto}
            figure{margin:8px 0}
            figcaption{color:var(--muted);font-size:12px}
            svg.chart{display:block;max-width:100%%;height:auto;font-size:11px}
            svg.chart text{fill:#344054}
            svg.chart text.title{font-size:12px;fill:var(--muted)}
            svg.chart text.empty{font-size:14px;fill:var(--muted)}
            svg.chart .ref{fill:var(--ref)}
            svg.chart .cur{fill:var(--cur)}
            svg.chart line.grid{stroke:#eaecf0}
            svg.chart line.base{stroke:#98a2b3}
            svg.chart rect.frame{fill:none;stroke:var(--line)}
            svg.chart .bars g:hover rect{opacity:.75}
            details{margin:4px 0 8px}
            summary{cursor:pointer;color:var(--muted)}
            details table{max-width:640px;margin-top:6px}
            .note{background:#fffaeb;border:1px solid #fedf89;border-radius:6px;padding:6px 10px}
            .back{margin:8px 0 0;font-size:12px}
            footer{color:var(--muted);font-size:12px}
            """.formatted(DistributionSvg.REFERENCE_COLOR, DistributionSvg.CURRENT_COLOR);

    private DriftReportHtml() {
    }

    /**
     * Renders the report as a self-contained HTML page.
     *
     * @param report the report
     * @return the page, deterministic for equal reports
     */
    public static String render(DriftReport report) {
        Objects.requireNonNull(report, "report");
        List<ColumnDrift> columns = new ArrayList<>(report.columns());
        columns.sort(Comparator.comparing((ColumnDrift c) -> !c.drifted())); // stable: report order otherwise
        int bins = 0;
        for (ColumnDrift c : columns) {
            bins += c.distribution().labels().size();
        }
        StringBuilder sb = new StringBuilder(16_384 + columns.size() * 6_000 + bins * 420);
        head(sb, report);
        summary(sb, report, columns);
        overview(sb, report, columns);
        for (int i = 0; i < columns.size(); i++) {
            column(sb, "col-" + (i + 1), columns.get(i));
        }
        sb.append("<footer><p>Generated by mlops-java. This page is self-contained: it loads nothing.</p></footer>\n")
                .append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * Renders the report and writes it to {@code file} (UTF-8) by {@link OutputFiles}' rule:
     * first to a temporary file in the same directory, forced to disk, then moved over
     * {@code file}, so a reader never sees a partial page. Only a new path or a regular file is
     * replaced; a directory, device, FIFO, socket or symbolic link is refused and left untouched.
     *
     * @param report the report
     * @param file the page to write; its directory must exist
     * @throws ValidationException if {@code file} is not a new path or a regular file
     * @throws StorageException if the file cannot be written
     */
    public static void write(DriftReport report, Path file) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(file, "file");
        OutputFiles.write("cannot write the drift report to", file, render(report).getBytes(StandardCharsets.UTF_8));
    }

    private static void head(StringBuilder sb, DriftReport report) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"mlops-java DriftReportHtml\"/>\n")
                .append("<title>Drift report: ").append(report.datasetDrift() ? "dataset drift" : "no dataset drift")
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main id=\"top\">\n");
    }

    private static void summary(StringBuilder sb, DriftReport report, List<ColumnDrift> columns) {
        long drifted = columns.stream().filter(ColumnDrift::drifted).count();
        String cls = verdictClass(report.datasetDrift());
        sb.append("<header><h1>Drift report</h1>\n<p class=\"banner ").append(cls).append("\" id=\"dataset-verdict\">")
                .append(report.datasetDrift() ? "Dataset drift detected" : "No dataset drift").append("</p></header>\n");
        sb.append("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>\n")
                .append("<dl class=\"facts\">\n");
        fact(sb, "Drift share", percent(report.driftShare()) + " (" + drifted + " of " + columns.size()
                + " columns drifted)");
        fact(sb, "Dataset drift when share \u2265", percent(report.driftShareThreshold()));
        fact(sb, "Reference rows", count(report.referenceRows()));
        fact(sb, "Current rows", count(report.currentRows()));
        fact(sb, "Columns compared", Integer.toString(columns.size()));
        sb.append("<div><dt>Multiple-testing correction</dt><dd>");
        appendEscaped(sb, report.correction());
        sb.append("</dd></div>\n");
        report.window().ifPresent(w -> fact(sb, "Window", "#" + w.sequence() + ": " + w.start() + " to " + w.end()
                + " (end exclusive)"));
        fact(sb, "Computed at", report.createdAt().toString());
        sb.append("</dl>\n</section>\n");
    }

    private static void overview(StringBuilder sb, DriftReport report, List<ColumnDrift> columns) {
        boolean adjusted = columns.stream().anyMatch(c -> c.adjustedPValue().isPresent());
        sb.append("<section id=\"columns\" aria-labelledby=\"columns-h\"><h2 id=\"columns-h\">Columns</h2>\n")
                .append("<div class=\"overview-wrap\"><table class=\"overview\">\n<thead><tr><th scope=\"col\">Column</th>")
                .append("<th scope=\"col\">Kind</th><th scope=\"col\">Method</th><th scope=\"col\" class=\"num\">Statistic</th>")
                .append("<th scope=\"col\" class=\"num\">p-value</th>");
        if (adjusted) {
            sb.append("<th scope=\"col\" class=\"num\">Adjusted p-value</th>");
        }
        sb.append("<th scope=\"col\" class=\"num\">Threshold</th><th scope=\"col\">Verdict</th>")
                .append("<th scope=\"col\" class=\"num\">Missing (ref / cur)</th></tr></thead>\n<tbody>\n");
        if (columns.isEmpty()) {
            sb.append("<tr><td colspan=\"").append(adjusted ? 9 : 8).append("\">No columns were compared.</td></tr>\n");
        }
        for (int i = 0; i < columns.size(); i++) {
            ColumnDrift c = columns.get(i);
            String id = "col-" + (i + 1);
            String cls = verdictClass(c.drifted());
            sb.append("<tr class=\"").append(cls).append("\"><td class=\"name\"><a href=\"#").append(id).append("\">");
            appendEscaped(sb, c.column());
            sb.append("</a></td><td>").append(kind(c.kind())).append("</td><td>");
            appendEscaped(sb, c.method());
            sb.append("</td>");
            numberCell(sb, c.statistic());
            optionalCell(sb, c.pValue());
            if (adjusted) {
                optionalCell(sb, c.adjustedPValue());
            }
            numberCell(sb, c.threshold());
            sb.append("<td class=\"verdict\">").append(verdict(c.drifted())).append("</td><td class=\"num\">")
                    .append(percent(c.missingShareReference())).append(" / ").append(percent(c.missingShareCurrent()))
                    .append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void column(StringBuilder sb, String id, ColumnDrift c) {
        String cls = verdictClass(c.drifted());
        sb.append("<section class=\"column ").append(cls).append("\" id=\"").append(id)
                .append("\" aria-labelledby=\"").append(id).append("-h\">\n<h2 id=\"").append(id)
                .append("-h\"><span class=\"name\">");
        appendEscaped(sb, c.column());
        sb.append("</span> <span class=\"badge ").append(cls).append("\">").append(verdict(c.drifted()))
                .append("</span></h2>\n");
        c.note().ifPresent(note -> {
            sb.append("<p class=\"note\"><strong>Note:</strong> ");
            appendEscaped(sb, note);
            sb.append("</p>\n");
        });
        sb.append("<dl class=\"facts\">\n");
        fact(sb, "Kind", kind(c.kind()));
        sb.append("<div><dt>Method</dt><dd>");
        appendEscaped(sb, c.method());
        sb.append("</dd></div>\n");
        preciseFact(sb, "Statistic", c.statistic());
        if (c.pValue().isPresent()) {
            preciseFact(sb, "p-value", c.pValue().getAsDouble());
        } else {
            fact(sb, "p-value", "\u2014 (a distance, not a test)");
        }
        c.adjustedPValue().ifPresent(p -> preciseFact(sb, "Adjusted p-value", p));
        String rule = c.pValue().isPresent()
                ? (c.adjustedPValue().isPresent() ? "drift when adjusted p-value < " : "drift when p-value < ")
                : "drift when statistic \u2265 ";
        fact(sb, "Threshold", rule + number(c.threshold()));
        fact(sb, "Verdict", verdict(c.drifted()));
        fact(sb, "Missing share", "reference " + percent(c.missingShareReference()) + ", current "
                + percent(c.missingShareCurrent()));
        fact(sb, "Values compared", "reference " + count(c.referenceCount()) + ", current " + count(c.currentCount()));
        c.errorBound().ifPresent(b -> fact(sb, "Error bound", b == 0
                ? "none (exact counts from the profile)" : "\u00b1 " + number(b) + " (statistic from sketches)"));
        sb.append("</dl>\n<figure>");
        Distribution d = c.distribution();
        DistributionSvg.append(sb, id + "-chart", c.column(), c.kind(), d);
        sb.append("<figcaption>Share of values per ").append(c.kind() == ColumnKind.CATEGORICAL ? "category" : "bin")
                .append(" of <span class=\"name\">");
        appendEscaped(sb, c.column());
        sb.append("</span>: reference (blue) and current (orange).</figcaption></figure>\n");
        if (!d.labels().isEmpty()) {
            sharesTable(sb, c.kind(), d);
        }
        sb.append("<p class=\"back\"><a href=\"#columns\">Back to the column overview</a></p>\n</section>\n");
    }

    private static void sharesTable(StringBuilder sb, ColumnKind kind, Distribution d) {
        sb.append("<details><summary>Shares per ").append(kind == ColumnKind.CATEGORICAL ? "category" : "bin")
                .append(" (").append(d.labels().size()).append(")</summary>\n<table><thead><tr><th scope=\"col\">")
                .append(kind == ColumnKind.CATEGORICAL ? "Category" : "Bin")
                .append("</th><th scope=\"col\" class=\"num\">Reference</th><th scope=\"col\" class=\"num\">Current</th>")
                .append("</tr></thead><tbody>\n");
        for (int i = 0; i < d.labels().size(); i++) {
            sb.append("<tr><td>");
            appendEscaped(sb, d.labels().get(i));
            sb.append("</td><td class=\"num\">").append(percent(d.referenceShares().get(i)))
                    .append("</td><td class=\"num\">").append(percent(d.currentShares().get(i))).append("</td></tr>\n");
        }
        sb.append("</tbody></table></details>\n");
    }

    /** A fact whose value is fixed text or already formatted by this class (never report strings). */
    private static void fact(StringBuilder sb, String term, String value) {
        sb.append("<div><dt>").append(term).append("</dt><dd>");
        appendEscaped(sb, value);
        sb.append("</dd></div>\n");
    }

    /** A number shown rounded, with its full value in the tooltip. */
    private static void preciseFact(StringBuilder sb, String term, double value) {
        sb.append("<div><dt>").append(term).append("</dt><dd title=\"").append(Double.toString(value)).append("\">")
                .append(number(value)).append("</dd></div>\n");
    }

    private static void numberCell(StringBuilder sb, double v) {
        sb.append("<td class=\"num\" title=\"").append(Double.toString(v)).append("\">").append(number(v))
                .append("</td>");
    }

    private static void optionalCell(StringBuilder sb, OptionalDouble v) {
        if (v.isPresent()) {
            numberCell(sb, v.getAsDouble());
        } else {
            sb.append("<td class=\"num\">\u2014</td>");
        }
    }

    private static String kind(ColumnKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static String verdict(boolean drifted) {
        return drifted ? "drift" : "no drift";
    }

    private static String verdictClass(boolean drifted) {
        return drifted ? "drift" : "nodrift";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
