package dev.mlops.drift;

import static dev.mlops.drift.HtmlText.appendEscaped;
import static dev.mlops.drift.HtmlText.number;
import static dev.mlops.drift.HtmlText.percent;

import dev.mlops.api.OutputFiles;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.ColumnStats;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders a {@link DriftReport} as one self-contained HTML5 page: inline CSS and inline SVG charts,
 * no script, font, stylesheet, image or any other resource from outside the file, and a
 * Content-Security-Policy that forbids loading any. The page has, in this order: the inputs
 * (model, profile, and per side the data set, file, rows and time range, saying whether the
 * times are the data's event time or processing time); an overview (dataset verdict, drift share
 * against its threshold, with its interval when columns are uncertain, counts of drifted,
 * uncertain and undrifted columns, rows, correction, window) and a table of all columns sorted
 * by drift score, each linking to its section; and one section per column with the method,
 * statistic, p-values, threshold, verdict, missing shares, counts, note, the reference and
 * current summary statistics side by side, a bar chart of the two distributions and the shares
 * per bin as a table.
 *
 * <p>An estimated statistic (from a profile's sketch or grid) is printed as an estimate:
 * {@code ≈ 0.32 [0.32, 0.52]}, with its p-value interval, and the verdict {@code uncertain}
 * when the interval straddles the threshold. Exact results are printed as before.
 *
 * <p>Drift score, for sorting: how far a column is past its threshold, 1 at the threshold:
 * statistic ÷ threshold for distances, log p ÷ log threshold for tests (for estimates, at the
 * interval's end nearest to drift). Columns are sorted by verdict (drift, uncertain, no drift,
 * not compared), then by score, highest first, then by name.
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
            .banner.uncertain,.badge.uncertain{background:#fffaeb;color:#93370d;border:1px solid #fec84b}
            .badge.notcompared{background:#f2f4f7;color:var(--muted);border:1px solid var(--line)}
            section.column.uncertain{border-left:6px solid #f79009}
            section.column.notcompared{border-left:6px solid var(--line)}
            tr.uncertain td.verdict{color:#93370d;font-weight:600}
            .estimate{font-style:italic}
            table.stats{max-width:640px;margin:0 0 12px}
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
        columns.sort(Comparator.comparing((ColumnDrift c) -> rank(c.verdict()))
                .thenComparing(Comparator.comparingDouble(DriftReportHtml::driftScore).reversed())
                .thenComparing(ColumnDrift::column));
        int bins = 0;
        for (ColumnDrift c : columns) {
            bins += c.distribution().labels().size();
        }
        StringBuilder sb = new StringBuilder(16_384 + columns.size() * 6_000 + bins * 420);
        head(sb, report);
        inputs(sb, report);
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
                .append("<title>Drift report: ").append(switch (report.datasetVerdict()) {
                    case DRIFT -> "dataset drift";
                    case UNCERTAIN -> "dataset drift uncertain";
                    default -> "no dataset drift";
                })
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main id=\"top\">\n");
    }

    private static void summary(StringBuilder sb, DriftReport report, List<ColumnDrift> columns) {
        long drifted = columns.stream().filter(ColumnDrift::drifted).count();
        long uncertain = columns.stream().filter(c -> c.verdict() == Verdict.UNCERTAIN).count();
        long judged = columns.stream().filter(c -> c.verdict() != Verdict.NOT_COMPARED).count();
        sb.append("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Overview</h2>\n")
                .append("<dl class=\"facts\">\n");
        fact(sb, "Dataset verdict", report.datasetVerdict().label());
        Interval shares = report.driftShareInterval();
        String share = percent(report.driftShare());
        if (shares.low() != shares.high()) {
            share = "between " + percent(shares.low()) + " and " + percent(shares.high())
                    + " (uncertain columns counted as not drifted, then as drifted)";
        }
        fact(sb, "Drift share", share + "; " + drifted + " drifted, " + uncertain + " uncertain, "
                + (judged - drifted - uncertain) + " not drifted of " + judged + " columns with a verdict");
        fact(sb, "Dataset drift when share \u2265", percent(report.driftShareThreshold()));
        fact(sb, "Reference rows", count(report.referenceRows()));
        fact(sb, "Current rows", count(report.currentRows()));
        fact(sb, "Columns compared", Integer.toString(columns.size()));
        sb.append("<div><dt>Multiple-testing correction</dt><dd>");
        appendEscaped(sb, report.correction());
        sb.append("</dd></div>\n");
        report.window().ifPresent(w -> fact(sb, "Monitor window", "#" + w.sequence() + ", processed " + w.start() + " to "
                + w.end() + " (end exclusive)"));
        fact(sb, "Computed at", report.createdAt().toString());
        sb.append("</dl>\n</section>\n");
    }

    private static void overview(StringBuilder sb, DriftReport report, List<ColumnDrift> columns) {
        boolean adjusted = columns.stream().anyMatch(c -> c.adjustedPValue().isPresent());
        sb.append("<section id=\"columns\" aria-labelledby=\"columns-h\"><h2 id=\"columns-h\">Columns by drift score</h2>\n")
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
            String cls = verdictClass(c.verdict());
            sb.append("<tr class=\"").append(cls).append("\"><td class=\"name\"><a href=\"#").append(id).append("\">");
            appendEscaped(sb, c.column());
            sb.append("</a></td><td>").append(kind(c.kind())).append("</td><td>");
            appendEscaped(sb, c.method());
            sb.append("</td>");
            estimateCell(sb, c.statistic(), c.statisticInterval());
            if (c.pValue().isPresent()) {
                estimateCell(sb, c.pValue().getAsDouble(), c.pValueInterval());
            } else {
                sb.append("<td class=\"num\">\u2014</td>");
            }
            if (adjusted) {
                optionalCell(sb, c.adjustedPValue());
            }
            numberCell(sb, c.threshold());
            sb.append("<td class=\"verdict\">").append(c.verdict().label()).append("</td><td class=\"num\">")
                    .append(percent(c.missingShareReference())).append(" / ").append(percent(c.missingShareCurrent()))
                    .append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void column(StringBuilder sb, String id, ColumnDrift c) {
        String cls = verdictClass(c.verdict());
        sb.append("<section class=\"column ").append(cls).append("\" id=\"").append(id)
                .append("\" aria-labelledby=\"").append(id).append("-h\">\n<h2 id=\"").append(id)
                .append("-h\"><span class=\"name\">");
        appendEscaped(sb, c.column());
        sb.append("</span> <span class=\"badge ").append(cls).append("\">").append(c.verdict().label())
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
        if (c.statisticInterval().isPresent()) {
            estimateFact(sb, "Statistic (estimate)", c.statistic(), c.statisticInterval().get());
        } else {
            preciseFact(sb, "Statistic", c.statistic());
        }
        if (c.pValue().isPresent() && c.pValueInterval().isPresent()) {
            estimateFact(sb, "p-value (estimate)", c.pValue().getAsDouble(), c.pValueInterval().get());
        } else if (c.pValue().isPresent()) {
            preciseFact(sb, "p-value", c.pValue().getAsDouble());
        } else {
            fact(sb, "p-value", "\u2014 (a distance, not a test)");
        }
        c.adjustedPValue().ifPresent(p -> preciseFact(sb, "Adjusted p-value", p));
        String rule = c.pValue().isPresent()
                ? (c.adjustedPValue().isPresent() ? "drift when adjusted p-value < " : "drift when p-value < ")
                : "drift when statistic \u2265 ";
        fact(sb, "Threshold", rule + number(c.threshold()));
        fact(sb, "Verdict", c.verdict().label() + (c.verdict() == Verdict.UNCERTAIN
                ? " (the estimate's interval straddles the threshold: drift for some values in it, none for others)" : ""));
        fact(sb, "Missing share", "reference " + percent(c.missingShareReference()) + ", current "
                + percent(c.missingShareCurrent()));
        fact(sb, "Values compared", "reference " + count(c.referenceCount()) + ", current " + count(c.currentCount()));
        if (c.statisticInterval().isPresent()) {
            fact(sb, "Estimated from", "the reference profile (a quantile sketch, or a grid of the reference's values):"
                    + " the exact statistic lies in the interval");
        } else if (c.errorBound().isPresent() && c.errorBound().getAsDouble() == 0) {
            fact(sb, "Estimated from", "nothing: exact counts from the profile");
        } else if (c.errorBound().isPresent()) {
            // a report of schema 1 read back: it has the bound, not the interval
            fact(sb, "Error bound", "\u00b1 " + number(c.errorBound().getAsDouble()) + " (statistic from sketches)");
        }
        sb.append("</dl>\n");
        statsTable(sb, c);
        sb.append("<figure>");
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

    private static void inputs(StringBuilder sb, DriftReport report) {
        DriftInputs in = report.inputs();
        sb.append("<header><h1>Drift report</h1>\n<p class=\"banner ").append(verdictClass(report.datasetVerdict()))
                .append("\" id=\"dataset-verdict\">").append(datasetVerdict(report.datasetVerdict())).append("</p></header>\n");
        sb.append("<section id=\"inputs\" aria-labelledby=\"inputs-h\"><h2 id=\"inputs-h\">Inputs</h2>\n<dl class=\"facts\">\n");
        fact(sb, "Model", in.model().orElse("not named"));
        fact(sb, "Reference profile", in.profile().orElse("none: the reference data itself"));
        side(sb, "Reference", in.reference(), report.referenceRows());
        side(sb, "Current", in.current(), report.currentRows());
        sb.append("</dl>\n</section>\n");
    }

    private static void side(StringBuilder sb, String name, DriftInputs.Side side, long rows) {
        List<String> what = new ArrayList<>();
        side.dataset().ifPresent(d -> what.add("data set " + d));
        side.file().ifPresent(f -> what.add("file " + f));
        fact(sb, name + " data", (what.isEmpty() ? "not named" : String.join(", ", what)) + "; " + count(rows) + " rows");
        String time;
        if (side.time().isEmpty()) {
            time = "unknown (no event time given)";
        } else {
            DriftInputs.TimeRange t = side.time().get();
            time = t.first() + " to " + t.last() + (t.eventTime()
                    ? " (event time" + t.column().map(c -> ", column " + c).orElse("") + ")"
                    : " (processing time: no event time was given)");
        }
        sb.append("<div id=\"").append(name.toLowerCase(Locale.ROOT)).append("-time\"><dt>").append(name)
                .append(" time range</dt><dd>");
        appendEscaped(sb, time);
        sb.append("</dd></div>\n");
    }

    /** Reference and current summary statistics side by side. */
    private static void statsTable(StringBuilder sb, ColumnDrift c) {
        if (c.referenceStats().isEmpty() && c.currentStats().isEmpty()) {
            return;
        }
        Optional<ColumnStats> r = c.referenceStats();
        Optional<ColumnStats> k = c.currentStats();
        sb.append("<table class=\"stats\"><caption>Summary statistics").append(c.kind() == ColumnKind.CATEGORICAL
                        ? " (each side's five most frequent categories; \u2014: not among them)" : "")
                .append("</caption><thead><tr><th scope=\"col\">Statistic</th>")
                .append("<th scope=\"col\" class=\"num\">Reference</th><th scope=\"col\" class=\"num\">Current</th></tr></thead><tbody>\n");
        statsRow(sb, "count", r.map(s -> count(s.count())), k.map(s -> count(s.count())));
        statsRow(sb, "missing", r.map(s -> count(s.missing())), k.map(s -> count(s.missing())));
        if (c.kind() == ColumnKind.NUMERICAL) {
            statsRow(sb, "mean", r.map(s -> opt(s.mean(), false)), k.map(s -> opt(s.mean(), false)));
            statsRow(sb, "std", r.map(s -> opt(s.std(), false)), k.map(s -> opt(s.std(), false)));
            statsRow(sb, "min", r.map(s -> opt(s.min(), false)), k.map(s -> opt(s.min(), false)));
            statsRow(sb, "25%", r.map(s -> opt(s.q1(), s.quantilesEstimated())), k.map(s -> opt(s.q1(), s.quantilesEstimated())));
            statsRow(sb, "50%", r.map(s -> opt(s.median(), s.quantilesEstimated())),
                    k.map(s -> opt(s.median(), s.quantilesEstimated())));
            statsRow(sb, "75%", r.map(s -> opt(s.q3(), s.quantilesEstimated())), k.map(s -> opt(s.q3(), s.quantilesEstimated())));
            statsRow(sb, "max", r.map(s -> opt(s.max(), false)), k.map(s -> opt(s.max(), false)));
        } else {
            List<String> cats = new ArrayList<>();
            r.ifPresent(s -> s.topCategories().forEach(t -> cats.add(t.value())));
            k.ifPresent(s -> s.topCategories().stream().map(ColumnStats.CategoryShare::value).filter(v -> !cats.contains(v))
                    .forEach(cats::add));
            for (String cat : cats) {
                statsRow(sb, "share of " + cat, r.flatMap(s -> share(s, cat)), k.flatMap(s -> share(s, cat)));
            }
        }
        sb.append("</tbody></table>\n");
    }

    private static Optional<String> share(ColumnStats s, String category) {
        return s.topCategories().stream().filter(t -> t.value().equals(category)).findFirst()
                .map(t -> percent(t.share()) + " (" + count(t.count()) + ")");
    }

    private static String opt(OptionalDouble v, boolean estimated) {
        if (v.isEmpty()) {
            return "\u2014";
        }
        return estimated ? "\u2248 " + number(v.getAsDouble()) : number(v.getAsDouble());
    }

    private static void statsRow(StringBuilder sb, String name, Optional<String> ref, Optional<String> cur) {
        sb.append("<tr><th scope=\"row\">");
        appendEscaped(sb, name);
        sb.append("</th><td class=\"num\">");
        appendEscaped(sb, ref.orElse("\u2014"));
        sb.append("</td><td class=\"num\">");
        appendEscaped(sb, cur.orElse("\u2014"));
        sb.append("</td></tr>\n");
    }

    /**
     * How far past its threshold a column is (see the class comment); NaN for no verdict.
     */
    static double driftScore(ColumnDrift c) {
        if (c.verdict() == Verdict.NOT_COMPARED) {
            return Double.NEGATIVE_INFINITY;
        }
        if (c.pValue().isPresent()) {
            double p = c.adjustedPValue().isPresent() ? c.adjustedPValue().getAsDouble()
                    : c.pValueInterval().map(Interval::low).orElse(c.pValue().getAsDouble());
            if (p <= 0) {
                return Double.POSITIVE_INFINITY;
            }
            return Math.log(p) / Math.log(c.threshold());
        }
        double stat = c.statisticInterval().map(Interval::high).orElse(c.statistic());
        return Double.isNaN(stat) ? Double.NEGATIVE_INFINITY : stat / c.threshold();
    }

    /** An estimate, as {@code ≈ 0.32 [0.13, 0.52]}, two significant digits. */
    static String estimate(double value, Interval interval) {
        return "\u2248 " + HtmlText.significant(value, 2) + " [" + HtmlText.significant(interval.low(), 2) + ", "
                + HtmlText.significant(interval.high(), 2) + "]";
    }

    private static void estimateFact(StringBuilder sb, String term, double value, Interval interval) {
        sb.append("<div><dt>").append(term).append("</dt><dd class=\"estimate\" title=\"").append(Double.toString(value))
                .append(" in [").append(Double.toString(interval.low())).append(", ").append(Double.toString(interval.high()))
                .append("]\">");
        appendEscaped(sb, estimate(value, interval));
        sb.append("</dd></div>\n");
    }

    private static void estimateCell(StringBuilder sb, double value, Optional<Interval> interval) {
        if (interval.isEmpty()) {
            numberCell(sb, value);
            return;
        }
        sb.append("<td class=\"num estimate\" title=\"").append(Double.toString(value)).append("\">");
        appendEscaped(sb, estimate(value, interval.get()));
        sb.append("</td>");
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

    /** Drift, uncertain, no drift, not compared. */
    private static int rank(Verdict v) {
        return switch (v) {
            case DRIFT -> 0;
            case UNCERTAIN -> 1;
            case NO_DRIFT -> 2;
            case NOT_COMPARED -> 3;
        };
    }

    private static String datasetVerdict(Verdict v) {
        return switch (v) {
            case DRIFT -> "Dataset drift detected";
            case UNCERTAIN -> "Dataset drift uncertain";
            default -> "No dataset drift";
        };
    }

    private static String verdictClass(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
