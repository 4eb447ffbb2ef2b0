package dev.mlops.estimation;

import dev.mlops.api.Html;
import dev.mlops.api.OutputFiles;
import dev.mlops.api.estimation.EstimatedMetric;
import dev.mlops.api.estimation.PerformanceWindow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A self-contained HTML page of estimated against realized performance per chunk (or monitored
 * window): for each metric an SVG chart with the estimate, its sampling-error band (estimate ± 3
 * sampling errors), the realized value where targets are known, the alert thresholds and the
 * alerted chunks, then the same numbers as a table. No script, no external resource; a
 * Content-Security-Policy forbids loading any. Every text from the data is escaped with
 * {@link Html}.
 *
 * <pre>{@code
 * PerformanceReportHtml.write("Car loan, CBPE", cbpe.estimate(analysis), Path.of("performance.html"));
 * PerformanceReportHtml.write("car-loan@production", monitor.windows(), Path.of("online.html"));
 * }</pre>
 */
public final class PerformanceReportHtml {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 64;
    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:24px;color:#1b1b1b;max-width:820px}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
            table{border-collapse:collapse;font-size:.85em;margin-top:.6em}
            th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f2f2f2}
            td.chunk{text-align:left}tr.alert td{background:#fde8e8}
            svg text{font-size:11px;fill:#333}
            .band{fill:#cfe0f5;stroke:none}.estimated{fill:none;stroke:#1f5fa8;stroke-width:2}
            .realized{fill:none;stroke:#333;stroke-width:1.5;stroke-dasharray:5 3}
            .threshold{stroke:#c0392b;stroke-width:1;stroke-dasharray:2 3}.axis{stroke:#888;stroke-width:1}
            circle.estimate{fill:#1f5fa8}circle.alert{fill:#c0392b}circle.real{fill:#333}
            .legend span{margin-right:1.2em;font-size:.85em}.k{display:inline-block;width:18px;height:3px;
            vertical-align:middle;margin-right:4px}.k.e{background:#1f5fa8}.k.r{background:#333}
            .k.b{background:#cfe0f5;height:10px}.k.t{background:#c0392b}.k.a{background:#c0392b;height:8px;width:8px;
            border-radius:4px}
            """;

    private PerformanceReportHtml() {
    }

    /** One chunk's numbers for one metric. */
    private record Point(String chunk, double estimate, double bandLow, double bandHigh, double realized,
                         OptionalDouble lowerThreshold, OptionalDouble upperThreshold, boolean alert) {
    }

    /**
     * @param title the page's heading (escaped)
     * @param result a batch estimate (with realized values when the analysis data carried targets)
     * @return the page
     */
    public static String render(String title, EstimationResult result) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(result, "result");
        Map<String, List<Point>> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, List<ChunkEstimate>> e : result.estimates().entrySet()) {
            List<Point> points = new ArrayList<>();
            for (ChunkEstimate c : e.getValue()) {
                points.add(new Point(c.chunk().key(), c.value(), c.lowerConfidenceBoundary(), c.upperConfidenceBoundary(),
                        c.realized().orElse(Double.NaN), c.lowerThreshold(), c.upperThreshold(), c.alert()));
            }
            metrics.put(e.getKey(), points);
        }
        return page(title, "chunk", metrics);
    }

    /**
     * @param title the page's heading (escaped)
     * @param windows a monitor's windows ({@code CbpeMonitor.windows()}), with the ground truth joined so far
     * @return the page
     */
    public static String render(String title, List<PerformanceWindow> windows) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(windows, "windows");
        Map<String, List<Point>> metrics = new LinkedHashMap<>();
        for (PerformanceWindow w : windows) {
            String label = "#" + w.sequence() + " " + w.start() + "/" + w.end();
            for (EstimatedMetric m : w.metrics()) {
                double se = m.samplingError();
                // a band of 3 sampling errors, clipped to [0, 1] as every online metric is a share
                double low = Math.max(0, m.estimate() - 3 * se);
                double high = Math.min(1, m.estimate() + 3 * se);
                metrics.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(new Point(label, m.estimate(), low, high,
                        m.realized().orElse(Double.NaN), m.lowerThreshold(), m.upperThreshold(), m.alert()));
            }
        }
        return page(title, "window", metrics);
    }

    /**
     * Renders a batch estimate and writes it by {@link OutputFiles}' rule (a regular file or a new path, replaced atomically).
     *
     * @param title the page's heading
     * @param result a batch estimate
     * @param file where to write
     */
    public static void write(String title, EstimationResult result, Path file) {
        OutputFiles.write("cannot write the performance report to", file,
                render(title, result).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renders a monitor's windows and writes them by {@link OutputFiles}' rule.
     *
     * @param title the page's heading
     * @param windows a monitor's windows
     * @param file where to write
     */
    public static void write(String title, List<PerformanceWindow> windows, Path file) {
        OutputFiles.write("cannot write the performance report to", file,
                render(title, windows).getBytes(StandardCharsets.UTF_8));
    }

    private static String page(String title, String unit, Map<String, List<Point>> metrics) {
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"mlops-java PerformanceReportHtml\"/>\n<title>Performance: ");
        Html.appendEscaped(sb, title);
        sb.append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main id=\"top\">\n<h1>");
        Html.appendEscaped(sb, title);
        sb.append("</h1>\n<p class=\"legend\"><span><i class=\"k e\"></i>estimated</span>")
                .append("<span><i class=\"k b\"></i>estimated ± 3 sampling errors</span>")
                .append("<span><i class=\"k r\"></i>realized</span><span><i class=\"k t\"></i>thresholds</span>")
                .append("<span><i class=\"k a\"></i>alert</span></p>\n");
        if (metrics.isEmpty()) {
            sb.append("<p>No ").append(unit).append(" to show.</p>\n");
        }
        int i = 0;
        for (Map.Entry<String, List<Point>> e : metrics.entrySet()) {
            i++;
            List<Point> points = e.getValue();
            long alerts = points.stream().filter(Point::alert).count();
            sb.append("<section id=\"metric-").append(i).append("\">\n<h2><span class=\"name\">");
            Html.appendEscaped(sb, e.getKey());
            sb.append("</span>: ").append(alerts).append(" of ").append(points.size()).append(' ').append(unit)
                    .append(points.size() == 1 ? "" : "s").append(" alerted</h2>\n");
            chart(sb, e.getKey(), points);
            table(sb, unit, points);
            sb.append("</section>\n");
        }
        sb.append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void chart(StringBuilder sb, String metric, List<Point> points) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            for (double v : new double[] {p.estimate, p.bandLow, p.bandHigh, p.realized,
                    p.lowerThreshold.orElse(Double.NaN), p.upperThreshold.orElse(Double.NaN)}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-12) {
            lo -= 0.5;
            hi += 0.5;
        }
        double pad = (hi - lo) * 0.08;
        final double yMin = lo - pad;
        final double yMax = hi + pad;
        int n = points.size();
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        java.util.function.IntToDoubleFunction x = k -> LEFT + (n == 1 ? plotW / 2 : plotW * k / (n - 1));
        java.util.function.DoubleUnaryOperator y = v -> TOP + plotH * (yMax - v) / (yMax - yMin);
        sb.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"");
        Html.appendEscaped(sb, metric);
        sb.append(" estimated and realized per chunk\">\n");
        // axes and y ticks
        sb.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"></line>\n");
        sb.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"></line>\n");
        for (int t = 0; t <= 4; t++) {
            double v = yMin + (yMax - yMin) * t / 4;
            sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y.applyAsDouble(v) + 4))
                    .append("\" text-anchor=\"end\">").append(num(v)).append("</text>\n");
        }
        // the band: upper edge left to right, lower edge back (chunks without an estimate break nothing: skipped)
        StringBuilder band = new StringBuilder();
        List<Integer> defined = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (Double.isFinite(points.get(k).bandLow) && Double.isFinite(points.get(k).bandHigh)) {
                defined.add(k);
            }
        }
        if (!defined.isEmpty()) {
            double halfStep = n == 1 ? 6 : 0;
            for (int j = 0; j < defined.size(); j++) {
                int k = defined.get(j);
                band.append(j == 0 ? 'M' : 'L').append(fmt(x.applyAsDouble(k) - halfStep)).append(' ')
                        .append(fmt(y.applyAsDouble(points.get(k).bandHigh)));
                if (n == 1) {
                    band.append(" L").append(fmt(x.applyAsDouble(k) + halfStep)).append(' ')
                            .append(fmt(y.applyAsDouble(points.get(k).bandHigh)));
                }
            }
            for (int j = defined.size() - 1; j >= 0; j--) {
                int k = defined.get(j);
                band.append(" L").append(fmt(x.applyAsDouble(k) + halfStep)).append(' ')
                        .append(fmt(y.applyAsDouble(points.get(k).bandLow)));
                if (n == 1) {
                    band.append(" L").append(fmt(x.applyAsDouble(k) - halfStep)).append(' ')
                            .append(fmt(y.applyAsDouble(points.get(k).bandLow)));
                }
            }
            sb.append("<path class=\"band\" d=\"").append(band).append(" Z\"></path>\n");
        }
        // thresholds, as horizontal steps per chunk (they come from the reference and are the same for every chunk)
        for (boolean lower : new boolean[] {true, false}) {
            for (int k = 0; k < n; k++) {
                OptionalDouble t = lower ? points.get(k).lowerThreshold : points.get(k).upperThreshold;
                if (t.isPresent()) {
                    double x0 = k == 0 ? LEFT : (x.applyAsDouble(k - 1) + x.applyAsDouble(k)) / 2;
                    double x1 = n == 1 ? WIDTH - RIGHT : k == n - 1 ? WIDTH - RIGHT
                            : (x.applyAsDouble(k) + x.applyAsDouble(k + 1)) / 2;
                    double ty = y.applyAsDouble(t.getAsDouble());
                    sb.append("<line class=\"threshold ").append(lower ? "lower" : "upper").append("\" x1=\"")
                            .append(fmt(x0)).append("\" y1=\"").append(fmt(ty)).append("\" x2=\"").append(fmt(x1))
                            .append("\" y2=\"").append(fmt(ty)).append("\"></line>\n");
                }
            }
        }
        polyline(sb, "estimated", points, true, x, y);
        polyline(sb, "realized", points, false, x, y);
        for (int k = 0; k < n; k++) {
            Point p = points.get(k);
            if (Double.isFinite(p.realized)) {
                sb.append("<circle class=\"real\" cx=\"").append(fmt(x.applyAsDouble(k))).append("\" cy=\"")
                        .append(fmt(y.applyAsDouble(p.realized))).append("\" r=\"2.5\"></circle>\n");
            }
            if (Double.isFinite(p.estimate)) {
                sb.append("<circle class=\"").append(p.alert ? "alert" : "estimate").append("\" cx=\"")
                        .append(fmt(x.applyAsDouble(k))).append("\" cy=\"").append(fmt(y.applyAsDouble(p.estimate)))
                        .append("\" r=\"").append(p.alert ? "5" : "3.5").append("\"><title>");
                Html.appendEscaped(sb, p.chunk);
                sb.append(": estimated ").append(num(p.estimate));
                if (Double.isFinite(p.realized)) {
                    sb.append(", realized ").append(num(p.realized));
                }
                sb.append(p.alert ? ", alert" : "").append("</title></circle>\n");
            }
            // x labels: the chunk's position (its key is in the table)
            sb.append("<text x=\"").append(fmt(x.applyAsDouble(k))).append("\" y=\"").append(HEIGHT - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\">").append(k + 1).append("</text>\n");
        }
        sb.append("</svg>\n");
    }

    private static void polyline(StringBuilder sb, String cls, List<Point> points, boolean estimate,
                                 java.util.function.IntToDoubleFunction x, java.util.function.DoubleUnaryOperator y) {
        StringBuilder pts = new StringBuilder();
        int count = 0;
        for (int k = 0; k < points.size(); k++) {
            double v = estimate ? points.get(k).estimate : points.get(k).realized;
            if (Double.isFinite(v)) {
                pts.append(count++ == 0 ? "" : " ").append(fmt(x.applyAsDouble(k))).append(',')
                        .append(fmt(y.applyAsDouble(v)));
            }
        }
        if (count >= 2) {
            sb.append("<polyline class=\"").append(cls).append("\" points=\"").append(pts).append("\"></polyline>\n");
        }
    }

    private static void table(StringBuilder sb, String unit, List<Point> points) {
        sb.append("<table>\n<thead><tr><th>#</th><th>").append(unit)
                .append("</th><th>estimated</th><th>band low</th><th>band high</th><th>realized</th>"
                        + "<th>lower threshold</th><th>upper threshold</th><th>alert</th></tr></thead>\n<tbody>\n");
        for (int k = 0; k < points.size(); k++) {
            Point p = points.get(k);
            sb.append("<tr").append(p.alert ? " class=\"alert\"" : "").append("><td>").append(k + 1)
                    .append("</td><td class=\"chunk\">");
            Html.appendEscaped(sb, p.chunk);
            sb.append("</td><td>").append(num(p.estimate)).append("</td><td>").append(num(p.bandLow)).append("</td><td>")
                    .append(num(p.bandHigh)).append("</td><td>").append(Double.isFinite(p.realized) ? num(p.realized) : "–")
                    .append("</td><td>").append(p.lowerThreshold.isPresent() ? num(p.lowerThreshold.getAsDouble()) : "–")
                    .append("</td><td>").append(p.upperThreshold.isPresent() ? num(p.upperThreshold.getAsDouble()) : "–")
                    .append("</td><td>").append(p.alert ? "alert" : "").append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e6 || a < 1e-3) ? String.format(Locale.ROOT, "%.4g", v)
                : String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
