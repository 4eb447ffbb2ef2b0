package dev.mlops.cards;

import java.util.List;
import java.util.Locale;

/**
 * The charts of the HTML card as inline SVG, drawn here on the server: no script, no external
 * resource. Every text goes through {@link CardText#html}; every coordinate is finite (a
 * non-finite value draws nothing, and its tooltip and the table beside the chart show it). Each
 * chart has an accessible {@code <title>} and {@code <desc>}, and one tooltip per mark.
 */
final class CardSvg {

    private static final int WIDTH = 900;

    // interval chart: label | plot | numbers
    private static final int LABEL_RIGHT = 196;
    private static final int PLOT_LEFT = 210;
    private static final int PLOT_RIGHT = 640;
    private static final int NUMBERS_LEFT = 656;
    private static final int ROW_HEIGHT = 40;
    private static final int ROWS_TOP = 12;

    // share chart
    private static final int LEFT = 64;
    private static final int RIGHT = 24;
    private static final int TOP = 16;
    private static final double PLOT_HEIGHT = 180;
    private static final double AXIS_Y = TOP + PLOT_HEIGHT;
    private static final int HEIGHT = (int) AXIS_Y + 52;
    private static final int MAX_X_LABELS = 6;

    private CardSvg() {
    }

    static void append(StringBuilder sb, String id, CardLayout.Chart chart) {
        if (chart instanceof CardLayout.IntervalChart c) {
            intervals(sb, id, c);
        } else if (chart instanceof CardLayout.ShareChart c) {
            shares(sb, id, c);
        }
    }

    /** One row per metric: the interval as a whisker with caps, the value as a dot, each row on its own scale. */
    static void intervals(StringBuilder sb, String id, CardLayout.IntervalChart c) {
        int height = ROWS_TOP * 2 + ROW_HEIGHT * c.rows().size();
        open(sb, id, "interval-chart", height, c.title(), "One row per metric: the dot is the value, the line its "
                + "interval; each row has its own scale, with the interval's bounds written at its ends. "
                + c.rows().size() + (c.rows().size() == 1 ? " metric." : " metrics."));
        for (int i = 0; i < c.rows().size(); i++) {
            CardLayout.IntervalRow r = c.rows().get(i);
            double mid = ROWS_TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2.0;
            sb.append("<g class=\"row\"><title>").append(CardText.html(r.label() + ": " + CardText.number(r.value()) + ", "
                    + r.what() + " interval [" + CardText.number(r.lower()) + ", " + CardText.number(r.upper()) + "]"))
                    .append("</title>");
            if (i % 2 == 0) {
                sb.append("<rect class=\"band\" x=\"0\" y=\"").append(num(mid - ROW_HEIGHT / 2.0)).append("\" width=\"")
                        .append(WIDTH).append("\" height=\"").append(ROW_HEIGHT).append("\"/>");
            }
            text(sb, "label", LABEL_RIGHT, mid + 4, "end", shorten(r.label(), 26));
            sb.append("<line class=\"track\" x1=\"").append(PLOT_LEFT).append("\" x2=\"").append(PLOT_RIGHT)
                    .append("\" y1=\"").append(num(mid)).append("\" y2=\"").append(num(mid)).append("\"/>");
            double lo = Math.min(r.lower(), r.value());
            double hi = Math.max(r.upper(), r.value());
            if (Double.isFinite(lo) && Double.isFinite(hi)) {
                double span = hi - lo;
                double pad = span > 0 ? span * 0.15 : Math.max(Math.abs(hi) * 0.1, 1e-9);
                double min = lo - pad;
                double max = hi + pad;
                if (Double.isFinite(r.lower()) && Double.isFinite(r.upper())) {
                    double x1 = x(r.lower(), min, max);
                    double x2 = x(r.upper(), min, max);
                    sb.append("<line class=\"whisker\" x1=\"").append(num(x1)).append("\" x2=\"").append(num(x2))
                            .append("\" y1=\"").append(num(mid)).append("\" y2=\"").append(num(mid)).append("\"/>");
                    cap(sb, x1, mid);
                    cap(sb, x2, mid);
                    text(sb, "bound", x1, mid + 16, "middle", CardText.number(r.lower()));
                    text(sb, "bound", x2, mid + 16, "middle", CardText.number(r.upper()));
                }
                if (Double.isFinite(r.value())) {
                    sb.append("<circle class=\"value\" cx=\"").append(num(x(r.value(), min, max))).append("\" cy=\"")
                            .append(num(mid)).append("\" r=\"5\"/>");
                }
            }
            text(sb, "numbers", NUMBERS_LEFT, mid + 4, "start", CardText.number(r.value()) + "  [" + CardText.number(r.lower())
                    + ", " + CardText.number(r.upper()) + "]  " + r.what());
            sb.append("</g>");
        }
        sb.append("</svg>\n");
    }

    private static double x(double v, double min, double max) {
        return PLOT_LEFT + (v - min) / (max - min) * (PLOT_RIGHT - PLOT_LEFT);
    }

    private static void cap(StringBuilder sb, double x, double mid) {
        sb.append("<line class=\"whisker\" x1=\"").append(num(x)).append("\" x2=\"").append(num(x)).append("\" y1=\"")
                .append(num(mid - 6)).append("\" y2=\"").append(num(mid + 6)).append("\"/>");
    }

    /** A line of shares over time (0 to 100%), the threshold dashed, flagged points in the alarm colour. */
    static void shares(StringBuilder sb, String id, CardLayout.ShareChart c) {
        List<CardLayout.SharePoint> points = c.points();
        int n = points.size();
        long flagged = points.stream().filter(CardLayout.SharePoint::flagged).count();
        open(sb, id, "share-chart", HEIGHT, c.title(), "A line of the " + c.yTitle() + " per window, from 0 to 100%, over "
                + n + (n == 1 ? " window" : " windows") + "; " + flagged + " flagged (red points), the threshold "
                + CardText.percent(c.threshold()) + " as a dashed line.");
        double plotWidth = WIDTH - LEFT - RIGHT;
        sb.append("<g class=\"axis\">");
        for (int i = 0; i <= 4; i++) {
            double y = AXIS_Y - i / 4.0 * PLOT_HEIGHT;
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
            text(sb, null, LEFT - 6, y + 4, "end", (i * 25) + "%");
        }
        double mid = TOP + PLOT_HEIGHT / 2;
        sb.append("<text class=\"title\" x=\"14\" y=\"").append(num(mid)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(num(mid)).append(")\">").append(CardText.html(c.yTitle())).append("</text>");
        // at most MAX_X_LABELS labels, evenly spread, always the first and the last window
        int labels = Math.min(n, MAX_X_LABELS);
        int previous = -1;
        for (int k = 0; k < labels; k++) {
            int i = labels == 1 ? 0 : (int) Math.round(k * (n - 1) / (double) (labels - 1));
            if (i != previous) {
                text(sb, null, px(i, n, plotWidth), AXIS_Y + 18, "middle", points.get(i).label());
                previous = i;
            }
        }
        text(sb, "title", LEFT + plotWidth / 2, HEIGHT - 8, "middle", "window start");
        sb.append("</g>");
        if (Double.isFinite(c.threshold())) {
            double y = AXIS_Y - clamp(c.threshold()) * PLOT_HEIGHT;
            sb.append("<g class=\"threshold\"><title>").append(CardText.html("threshold " + CardText.percent(c.threshold())))
                    .append("</title><line class=\"threshold\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
            text(sb, null, WIDTH - RIGHT - 4, y - 5, "end", "threshold " + CardText.percent(c.threshold()));
            sb.append("</g>");
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double share = points.get(i).share();
            if (Double.isFinite(share)) {
                line.append(line.length() == 0 ? "" : " ").append(num(px(i, n, plotWidth))).append(',')
                        .append(num(AXIS_Y - clamp(share) * PLOT_HEIGHT));
            }
        }
        if (line.length() > 0) {
            sb.append("<polyline class=\"line\" points=\"").append(line).append("\"/>");
        }
        sb.append("<g class=\"points\">");
        for (int i = 0; i < n; i++) {
            CardLayout.SharePoint p = points.get(i);
            sb.append("<g><title>").append(CardText.html(p.label() + ": " + c.yTitle() + " " + CardText.percent(p.share())
                    + "; " + p.detail())).append("</title>");
            if (Double.isFinite(p.share())) {
                sb.append("<circle class=\"").append(p.flagged() ? "flagged" : "ok").append("\" cx=\"")
                        .append(num(px(i, n, plotWidth))).append("\" cy=\"").append(num(AXIS_Y - clamp(p.share()) * PLOT_HEIGHT))
                        .append("\" r=\"4.5\"/>");
            }
            sb.append("</g>");
        }
        sb.append("</g></svg>\n");
    }

    private static double px(int i, int n, double plotWidth) {
        return n == 1 ? LEFT + plotWidth / 2 : LEFT + 12 + i * (plotWidth - 24) / (n - 1);
    }

    private static double clamp(double share) {
        return Math.max(0, Math.min(1, share));
    }

    private static void open(StringBuilder sb, String id, String kind, int height, String title, String desc) {
        sb.append("<svg class=\"chart ").append(kind).append("\" role=\"img\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" aria-labelledby=\"").append(id).append("-t ").append(id).append("-d\">");
        sb.append("<title id=\"").append(id).append("-t\">").append(CardText.html(title)).append("</title>");
        sb.append("<desc id=\"").append(id).append("-d\">").append(CardText.html(desc)).append("</desc>");
    }

    private static void text(StringBuilder sb, String cls, double x, double y, String anchor, String text) {
        sb.append("<text").append(cls == null ? "" : " class=\"" + cls + "\"").append(" x=\"").append(num(x))
                .append("\" y=\"").append(num(y)).append("\" text-anchor=\"").append(anchor).append("\">")
                .append(CardText.html(text)).append("</text>");
    }

    /** A label cut to {@code max} characters with an ellipsis; the tooltip has the whole text. */
    static String shorten(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "\u2026";
    }

    /** A coordinate with at most one decimal, independent of the default locale. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("coordinate " + v + " is not finite");
        }
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%.1f", r);
    }
}
