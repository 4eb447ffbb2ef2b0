package dev.mlops.ui;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Server-rendered SVG charts: the data is drawn on the server and reaches the page as shapes,
 * never as script or as data a script would read. Colours come from the stylesheet through
 * classes ({@code s0} to {@code s7}); the SVG uses presentation attributes only, no
 * {@code style} attribute, which the page's Content-Security-Policy would refuse.
 */
final class Charts {
    static final int WIDTH = 760;
    static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 40;
    static final int PALETTE = 8;

    private Charts() {
    }

    /**
     * One line of a chart.
     *
     * @param name the legend's label
     * @param xs the x values, ascending
     * @param ys the y values
     * @param stepped draw as a step function (alias timelines), not straight segments
     */
    record Series(String name, double[] xs, double[] ys, boolean stepped) {
    }

    /**
     * Draws series on shared axes, with a legend under the chart.
     *
     * @param m the page
     * @param label what the chart shows, for screen readers and the caption
     * @param series at least one
     * @param xAxis the x axis' name
     * @param xFormat how x tick labels read
     */
    static void lines(Markup m, String label, List<Series> series, String xAxis, DoubleFunction<String> xFormat) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                minX = Math.min(minX, s.xs()[i]);
                maxX = Math.max(maxX, s.xs()[i]);
                minY = Math.min(minY, s.ys()[i]);
                maxY = Math.max(maxY, s.ys()[i]);
            }
        }
        if (minX > maxX) {
            m.empty("Nothing to draw for " + label + ".");
            return;
        }
        if (maxX == minX) {
            minX -= 1;
            maxX += 1;
        }
        if (maxY == minY) {
            double pad = Math.abs(minY) > 0 ? Math.abs(minY) * 0.05 : 1;
            minY -= pad;
            maxY += pad;
        }
        Scale x = new Scale(minX, maxX, LEFT, WIDTH - RIGHT);
        Scale y = new Scale(minY, maxY, HEIGHT - BOTTOM, TOP);
        m.raw("<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" + WIDTH
                + "\" height=\"" + HEIGHT + "\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\"")
                .attr(label).raw("\">\n");
        // axes and ticks
        m.raw("<line class=\"axis\" x1=\"" + LEFT + "\" y1=\"" + (HEIGHT - BOTTOM) + "\" x2=\"" + (WIDTH - RIGHT)
                + "\" y2=\"" + (HEIGHT - BOTTOM) + "\" stroke=\"#888\"></line>\n");
        m.raw("<line class=\"axis\" x1=\"" + LEFT + "\" y1=\"" + TOP + "\" x2=\"" + LEFT + "\" y2=\"" + (HEIGHT - BOTTOM)
                + "\" stroke=\"#888\"></line>\n");
        for (int i = 0; i <= 4; i++) {
            double vy = minY + (maxY - minY) * i / 4;
            double py = y.at(vy);
            m.raw("<line class=\"grid\" x1=\"" + LEFT + "\" y1=\"" + f(py) + "\" x2=\"" + (WIDTH - RIGHT) + "\" y2=\""
                    + f(py) + "\" stroke=\"#e4e4e4\"></line>");
            m.raw("<text class=\"tick\" x=\"" + (LEFT - 6) + "\" y=\"" + f(py + 4) + "\" text-anchor=\"end\">")
                    .text(Markup.number(round(vy))).raw("</text>\n");
            double vx = minX + (maxX - minX) * i / 4;
            m.raw("<text class=\"tick\" x=\"" + f(x.at(vx)) + "\" y=\"" + (HEIGHT - BOTTOM + 16)
                    + "\" text-anchor=\"" + (i == 0 ? "start" : i == 4 ? "end" : "middle") + "\">").text(xFormat.apply(vx))
                    .raw("</text>\n");
        }
        m.raw("<text class=\"axis-label\" x=\"" + (LEFT + (WIDTH - RIGHT - LEFT) / 2) + "\" y=\"" + (HEIGHT - 6)
                + "\" text-anchor=\"middle\">").text(xAxis).raw("</text>\n");
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String cls = "s" + (k % PALETTE);
            if (s.xs().length == 1) {
                m.raw("<circle class=\"" + cls + "\" cx=\"" + f(x.at(s.xs()[0])) + "\" cy=\"" + f(y.at(s.ys()[0]))
                        + "\" r=\"4\"></circle>\n");
                continue;
            }
            StringBuilder points = new StringBuilder(s.xs().length * 14);
            for (int i = 0; i < s.xs().length; i++) {
                if (s.stepped() && i > 0) {
                    points.append(f(x.at(s.xs()[i]))).append(',').append(f(y.at(s.ys()[i - 1]))).append(' ');
                }
                points.append(f(x.at(s.xs()[i]))).append(',').append(f(y.at(s.ys()[i]))).append(' ');
            }
            m.raw("<polyline class=\"line " + cls + "\" fill=\"none\" stroke-width=\"1.5\" points=\"")
                    .raw(points.toString().strip()).raw("\"></polyline>\n");
        }
        m.raw("</svg>\n<figcaption>").text(label);
        if (series.size() > 1 || !series.get(0).name().isEmpty()) {
            m.raw("<ul class=\"legend\">");
            for (int k = 0; k < series.size(); k++) {
                m.raw("<li><span class=\"swatch s" + (k % PALETTE) + "\"></span>").text(series.get(k).name()).raw("</li>");
            }
            m.raw("</ul>");
        }
        m.raw("</figcaption>\n</figure>\n");
    }

    /** A value rounded to 4 significant digits, for tick labels. */
    private static double round(double v) {
        if (v == 0 || Double.isInfinite(v) || Double.isNaN(v)) {
            return v;
        }
        double scale = Math.pow(10, 3 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A linear map from data to pixels. */
    record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double at(double v) {
            return pixelFrom + (v - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }
}
