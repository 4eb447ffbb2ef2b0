package dev.mlops.drift;

import static dev.mlops.drift.HtmlText.appendEscaped;
import static dev.mlops.drift.HtmlText.coordinate;
import static dev.mlops.drift.HtmlText.percent;
import static dev.mlops.drift.HtmlText.shorten;

import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.Distribution;
import java.util.List;

/**
 * The inline SVG chart of one column: grouped bars of the reference and current share per bin or
 * category, with a y axis in percent, bin labels, axis titles, a legend, an accessible
 * {@code <title>}/{@code <desc>} and one tooltip per bin. Shares that are NaN, infinite or
 * negative draw no bar (their tooltip shows the value), so no coordinate is ever non-finite.
 */
final class DistributionSvg {

    static final String REFERENCE_COLOR = "#4c78a8";
    static final String CURRENT_COLOR = "#f58518";

    private static final int WIDTH = 900;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 34;
    private static final double PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final double PLOT_HEIGHT = 190;
    private static final double AXIS_Y = TOP + PLOT_HEIGHT;
    /** Room under the axis for horizontal labels and the axis title. */
    private static final int BOTTOM = 50;
    /** Room under the axis for rotated labels and the axis title. */
    private static final int BOTTOM_ROTATED = 96;
    /** More bins than this get rotated labels. */
    private static final int MAX_HORIZONTAL = 8;
    /** Rotated labels beyond this many bins are thinned to every k-th. */
    private static final int MAX_LABELS = 30;
    private static final double MAX_BAR_WIDTH = 48;

    private DistributionSvg() {
    }

    /**
     * Appends the chart.
     *
     * @param sb where to append
     * @param id a prefix unique in the page, for the title and desc ids
     * @param column the column name (escaped here)
     * @param kind the column kind, for the x axis title
     * @param d the distribution
     */
    static void append(StringBuilder sb, String id, String column, ColumnKind kind, Distribution d) {
        List<String> labels = d.labels();
        int n = labels.size();
        int height = n == 0 ? 80 : (int) AXIS_Y + (n > MAX_HORIZONTAL ? BOTTOM_ROTATED : BOTTOM);
        sb.append("<svg class=\"chart\" role=\"img\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" aria-labelledby=\"").append(id).append("-t ").append(id).append("-d\">");
        sb.append("<title id=\"").append(id).append("-t\">Distribution of ");
        appendEscaped(sb, column);
        sb.append(": reference vs current</title>");
        sb.append("<desc id=\"").append(id).append("-d\">");
        description(sb, kind, d);
        sb.append("</desc>");
        if (n == 0) {
            sb.append("<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"").append(WIDTH - 1)
                    .append("\" height=\"").append(height - 1).append("\"/>");
            sb.append("<text class=\"empty\" x=\"").append(WIDTH / 2).append("\" y=\"").append(height / 2 + 5)
                    .append("\" text-anchor=\"middle\">no distribution data</text></svg>");
            return;
        }
        Scale scale = scale(d);
        legend(sb);
        yAxis(sb, scale);
        bars(sb, d, scale.top());
        xAxis(sb, labels, kind, height);
        sb.append("</svg>");
    }

    private static void description(StringBuilder sb, ColumnKind kind, Distribution d) {
        int n = d.labels().size();
        if (n == 0) {
            sb.append("No distribution data for this column.");
            return;
        }
        String unit = kind == ColumnKind.CATEGORICAL ? (n == 1 ? "category" : "categories") : (n == 1 ? "bin" : "bins");
        sb.append("Grouped bars of the share of values per ").append(kind == ColumnKind.CATEGORICAL ? "category" : "bin")
                .append(", ").append(n).append(' ').append(unit)
                .append(", reference in blue (left bar), current in orange (right bar).");
        int widest = -1;
        double widestGap = -1;
        for (int i = 0; i < n; i++) {
            double gap = Math.abs(d.referenceShares().get(i) - d.currentShares().get(i));
            if (Double.isFinite(gap) && gap > widestGap) {
                widestGap = gap;
                widest = i;
            }
        }
        if (widest >= 0) {
            sb.append(" Largest difference: ");
            appendEscaped(sb, d.labels().get(widest));
            sb.append(", reference ").append(percent(d.referenceShares().get(widest)))
                    .append(", current ").append(percent(d.currentShares().get(widest))).append('.');
        }
    }

    /**
     * The y axis: a round step and the smallest multiple of it at or above the largest drawable
     * share, about five ticks; 0 to 100% when nothing can be drawn.
     *
     * @param top the axis maximum, a share
     * @param step the distance between ticks
     */
    record Scale(double top, double step) {
        int ticks() {
            return (int) Math.round(top / step);
        }
    }

    static Scale scale(Distribution d) {
        double max = 0;
        for (int i = 0; i < d.labels().size(); i++) {
            max = Math.max(max, drawable(d.referenceShares().get(i)));
            max = Math.max(max, drawable(d.currentShares().get(i)));
        }
        if (max <= 0) {
            return new Scale(1, 0.2);
        }
        double step = niceStep(max / 5);
        return new Scale(step * Math.ceil(max / step - 1e-9), step);
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /** @return the share if a bar can be drawn for it, else 0 */
    private static double drawable(double share) {
        return Double.isFinite(share) && share > 0 ? share : 0;
    }

    private static void legend(StringBuilder sb) {
        double x = WIDTH - RIGHT - 190;
        sb.append("<g class=\"legend\">");
        sb.append("<rect class=\"ref\" x=\"");
        coordinate(sb, x);
        sb.append("\" y=\"10\" width=\"12\" height=\"12\"/><text x=\"");
        coordinate(sb, x + 17);
        sb.append("\" y=\"20\">reference</text>");
        sb.append("<rect class=\"cur\" x=\"");
        coordinate(sb, x + 100);
        sb.append("\" y=\"10\" width=\"12\" height=\"12\"/><text x=\"");
        coordinate(sb, x + 117);
        sb.append("\" y=\"20\">current</text></g>");
    }

    private static void yAxis(StringBuilder sb, Scale scale) {
        sb.append("<g class=\"axis\">");
        for (int i = 0; i <= scale.ticks(); i++) {
            double value = i * scale.step();
            double y = AXIS_Y - value / scale.top() * PLOT_HEIGHT;
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"");
            coordinate(sb, y);
            sb.append("\" y2=\"");
            coordinate(sb, y);
            sb.append("\"/><text x=\"").append(LEFT - 6).append("\" y=\"");
            coordinate(sb, y + 4);
            sb.append("\" text-anchor=\"end\">").append(percent(value)).append("</text>");
        }
        double mid = TOP + PLOT_HEIGHT / 2;
        sb.append("<text class=\"title\" x=\"14\" y=\"");
        coordinate(sb, mid);
        sb.append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ");
        coordinate(sb, mid);
        sb.append(")\">share of values</text></g>");
    }

    private static void bars(StringBuilder sb, Distribution d, double top) {
        int n = d.labels().size();
        double band = PLOT_WIDTH / n;
        double bar = Math.min(band * 0.4, MAX_BAR_WIDTH);
        sb.append("<g class=\"bars\">");
        for (int i = 0; i < n; i++) {
            double ref = d.referenceShares().get(i);
            double cur = d.currentShares().get(i);
            double x = LEFT + i * band + (band - 2 * bar) / 2;
            sb.append("<g><title>");
            appendEscaped(sb, d.labels().get(i));
            sb.append(": reference ").append(percent(ref)).append(", current ").append(percent(cur)).append("</title>");
            rect(sb, "ref", x, bar, ref, top);
            rect(sb, "cur", x + bar, bar, cur, top);
            sb.append("</g>");
        }
        sb.append("</g>");
    }

    private static void rect(StringBuilder sb, String cls, double x, double width, double share, double top) {
        double h = Math.min(drawable(share) / top, 1) * PLOT_HEIGHT;
        if (h < 0.05) {
            return;
        }
        sb.append("<rect class=\"").append(cls).append("\" x=\"");
        coordinate(sb, x);
        sb.append("\" y=\"");
        coordinate(sb, AXIS_Y - h);
        sb.append("\" width=\"");
        coordinate(sb, width);
        sb.append("\" height=\"");
        coordinate(sb, h);
        sb.append("\"/>");
    }

    private static void xAxis(StringBuilder sb, List<String> labels, ColumnKind kind, int height) {
        int n = labels.size();
        double band = PLOT_WIDTH / n;
        sb.append("<g class=\"axis\"><line class=\"base\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"");
        coordinate(sb, AXIS_Y);
        sb.append("\" y2=\"");
        coordinate(sb, AXIS_Y);
        sb.append("\"/>");
        boolean rotate = n > MAX_HORIZONTAL;
        int every = rotate ? (n + MAX_LABELS - 1) / MAX_LABELS : 1;
        int maxChars = rotate ? 16 : Math.max(3, (int) (band / 7.5));
        for (int i = 0; i < n; i += every) {
            double x = LEFT + (i + 0.5) * band;
            sb.append("<text x=\"");
            coordinate(sb, x);
            if (rotate) {
                sb.append("\" y=\"");
                coordinate(sb, AXIS_Y + 14);
                sb.append("\" text-anchor=\"end\" transform=\"rotate(-40 ");
                coordinate(sb, x);
                sb.append(' ');
                coordinate(sb, AXIS_Y + 14);
                sb.append(")\">");
            } else {
                sb.append("\" y=\"");
                coordinate(sb, AXIS_Y + 18);
                sb.append("\" text-anchor=\"middle\">");
            }
            appendEscaped(sb, shorten(labels.get(i), maxChars));
            sb.append("</text>");
        }
        sb.append("<text class=\"title\" x=\"");
        coordinate(sb, LEFT + PLOT_WIDTH / 2);
        sb.append("\" y=\"").append(height - 8).append("\" text-anchor=\"middle\">")
                .append(kind == ColumnKind.CATEGORICAL ? "category" : "bin")
                .append(every > 1 ? " (1 label in " + every + " shown)" : "")
                .append("</text></g>");
    }
}
