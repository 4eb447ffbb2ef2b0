package dev.mlops.api.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DOM Chromium serialized for {@code --dump-dom}, read for what a self-contained page must
 * have drawn: its SVG charts, its tables and anything it would load from elsewhere. Chromium's
 * serializer writes every element of a page the way these tests need it (attributes quoted with
 * {@code "}, SVG shapes closed with an end tag, no nested {@code <svg>} or {@code <table>} in the
 * library's pages), so regular expressions over that text are enough; they are not an HTML parser.
 *
 * <p>{@link #problems()} is the one check the Chromium tests share: an empty list means every
 * chart draws something of non-zero size, every table has a header cell and a body row, and the
 * page references nothing outside itself.
 */
public final class DumpedDom {

    private static final Pattern SVG = Pattern.compile("<svg\\b([^>]*)>(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern TABLE = Pattern.compile("<table\\b([^>]*)>(.*?)</table>", Pattern.DOTALL);
    private static final Pattern SHAPE = Pattern.compile("<(rect|line|path|circle|ellipse|polygon|polyline)\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z_:][-A-Za-z0-9_:.]*)=\"([^\"]*)\"");
    private static final Pattern TH = Pattern.compile("<th\\b[^>]*>(.*?)</th>", Pattern.DOTALL);
    private static final Pattern TBODY = Pattern.compile("<tbody\\b[^>]*>(.*?)</tbody>", Pattern.DOTALL);
    private static final Pattern TR = Pattern.compile("<tr\\b([^>]*)>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<t[dh]\\b[^>]*>(.*?)</t[dh]>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern PATH_DRAWS = Pattern.compile("[LlHhVvCcSsQqTtAa]");
    private static final Pattern START_TAG = Pattern.compile("<([a-zA-Z][-a-zA-Z0-9:]*)(\\s[^>]*)?>");
    /** Attributes that make a browser fetch or navigate to what they name. */
    private static final Set<String> LINKING = Set.of("src", "srcset", "href", "xlink:href", "action", "formaction",
            "poster", "data", "background", "ping", "manifest", "codebase", "cite", "longdesc");
    private static final Pattern STYLE_ELEMENT = Pattern.compile("<style\\b[^>]*>(.*?)</style>", Pattern.DOTALL);
    private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?([^'\")]*)|@import\\b[^;]*");

    private final String html;

    private DumpedDom(String html) {
        this.html = html;
    }

    /**
     * @param html the serialized DOM
     * @return it, to be read
     */
    public static DumpedDom of(String html) {
        return new DumpedDom(Objects.requireNonNull(html, "html"));
    }

    /** @return the serialized DOM */
    public String html() {
        return html;
    }

    /** @return every {@code <svg>} element, in document order */
    public List<Svg> svgs() {
        List<Svg> svgs = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        while (m.find()) {
            List<Shape> shapes = new ArrayList<>();
            Matcher s = SHAPE.matcher(m.group(2));
            while (s.find()) {
                shapes.add(new Shape(s.group(1), attributes(s.group(2))));
            }
            svgs.add(new Svg(m.start(), attributes(m.group(1)), m.group(2), shapes));
        }
        return svgs;
    }

    /** @return every {@code <table>} element, in document order */
    public List<Table> tables() {
        List<Table> tables = new ArrayList<>();
        Matcher m = TABLE.matcher(html);
        while (m.find()) {
            String body = m.group(2);
            List<String> headers = new ArrayList<>();
            Matcher th = TH.matcher(body);
            while (th.find()) {
                headers.add(text(th.group(1)));
            }
            List<List<String>> rows = new ArrayList<>();
            Matcher tbody = TBODY.matcher(body);
            while (tbody.find()) {
                Matcher tr = TR.matcher(tbody.group(1));
                while (tr.find()) {
                    if (tr.group(2).contains("<td")) {
                        List<String> cells = new ArrayList<>();
                        Matcher cell = CELL.matcher(tr.group(2));
                        while (cell.find()) {
                            cells.add(text(cell.group(1)));
                        }
                        rows.add(cells);
                    }
                }
            }
            tables.add(new Table(m.start(), attributes(m.group(1)), headers, rows));
        }
        return tables;
    }

    /**
     * @return what the page would fetch from outside itself: URLs in linking attributes other
     *     than same-page fragments ({@code #id}), and URLs in CSS ({@code url(...)}, {@code @import})
     */
    public List<String> externalReferences() {
        List<String> refs = new ArrayList<>();
        List<String> css = new ArrayList<>();
        Matcher tag = START_TAG.matcher(html);
        while (tag.find()) {
            attributes(tag.group(2) == null ? "" : tag.group(2)).forEach((name, value) -> {
                if (LINKING.contains(name) && !value.startsWith("#")) {
                    refs.add("<" + tag.group(1) + " " + name + "=\"" + value + "\">");
                } else if (name.equals("style")) {
                    css.add(value);
                }
            });
        }
        Matcher style = STYLE_ELEMENT.matcher(html);
        while (style.find()) {
            css.add(style.group(1));
        }
        for (String sheet : css) {
            Matcher url = CSS_URL.matcher(sheet);
            while (url.find()) {
                if (url.group(1) == null || !url.group(1).startsWith("#")) {
                    refs.add("CSS " + url.group().strip());
                }
            }
        }
        return refs;
    }

    /**
     * @return what is wrong with the page, one line each, empty when every chart draws a shape of
     *     non-zero size, every table has a header cell and a body row with a data cell, and
     *     {@link #externalReferences()} is empty
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<Svg> svgs = svgs();
        for (int i = 0; i < svgs.size(); i++) {
            Svg svg = svgs.get(i);
            if (!svg.hasSize()) {
                problems.add("svg " + (i + 1) + " at offset " + svg.offset() + " has no width, height or viewBox of"
                        + " non-zero size: " + svg.attributes());
            }
            if (svg.drawnShapes().isEmpty()) {
                problems.add("svg " + (i + 1) + " at offset " + svg.offset() + " draws nothing: expected a rect, line,"
                        + " path, circle, ellipse, polygon or polyline of non-zero size, found " + svg.shapes().size()
                        + " shapes");
            }
        }
        List<Table> tables = tables();
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            if (t.headers().isEmpty()) {
                problems.add("table " + (i + 1) + " at offset " + t.offset() + " has no header cell (th)");
            }
            if (t.rows().isEmpty()) {
                problems.add("table " + (i + 1) + " at offset " + t.offset() + " (headers " + t.headers()
                        + ") has no body row with a data cell");
            }
        }
        externalReferences().forEach(r -> problems.add("references something outside the page: " + r));
        return problems;
    }

    /** @return the text of markup: tags removed, Chromium's character references undone, white space folded */
    public static String text(String markup) {
        return TAG.matcher(markup).replaceAll("").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", "\u00a0").replace("&amp;", "&").replaceAll("[\\s\u00a0]+", " ").strip();
    }

    static Map<String, String> attributes(String markup) {
        Map<String, String> attributes = new TreeMap<>();
        Matcher m = ATTRIBUTE.matcher(markup);
        while (m.find()) {
            attributes.put(m.group(1), m.group(2));
        }
        return attributes;
    }

    private static double number(Map<String, String> attributes, String name) {
        try {
            return Double.parseDouble(attributes.getOrDefault(name, "0").replaceAll("px$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * One {@code <svg>} element.
     *
     * @param offset where it starts in the serialized DOM
     * @param attributes its attributes
     * @param content the markup between its tags
     * @param shapes the shapes in it, in order
     */
    public record Svg(int offset, Map<String, String> attributes, String content, List<Shape> shapes) {
        /** Copies. */
        public Svg {
            attributes = Map.copyOf(attributes);
            shapes = List.copyOf(shapes);
        }

        /** @return true when the width and height attributes, or else the viewBox, are positive */
        public boolean hasSize() {
            if (number(attributes, "width") > 0 && number(attributes, "height") > 0) {
                return true;
            }
            String[] box = attributes.getOrDefault("viewBox", "").trim().split("[\\s,]+");
            try {
                return box.length == 4 && Double.parseDouble(box[2]) > 0 && Double.parseDouble(box[3]) > 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** @return the shapes that draw something: {@link Shape#drawn()} */
        public List<Shape> drawnShapes() {
            return shapes.stream().filter(Shape::drawn).toList();
        }

        /**
         * @param cssClass a class name
         * @return the drawn shapes that have that class
         */
        public List<Shape> drawnShapes(String cssClass) {
            return drawnShapes().stream().filter(s -> s.hasClass(cssClass)).toList();
        }
    }

    /**
     * A shape inside an {@code <svg>}.
     *
     * @param element {@code rect}, {@code line}, {@code path}, {@code circle}, {@code ellipse}, {@code polygon} or {@code polyline}
     * @param attributes its attributes
     */
    public record Shape(String element, Map<String, String> attributes) {
        /** Copies. */
        public Shape {
            attributes = Map.copyOf(attributes);
        }

        /** @return true when its geometry has a non-zero size (a path: a drawing command after the first move) */
        public boolean drawn() {
            return switch (element) {
                case "rect" -> width() > 0 && height() > 0;
                case "line" -> number(attributes, "x1") != number(attributes, "x2")
                        || number(attributes, "y1") != number(attributes, "y2");
                case "circle" -> number(attributes, "r") > 0;
                case "ellipse" -> number(attributes, "rx") > 0 && number(attributes, "ry") > 0;
                case "path" -> PATH_DRAWS.matcher(attributes.getOrDefault("d", "")).find()
                        || attributes.getOrDefault("d", "").trim().split("[\\s,]+").length > 3;
                default -> attributes.getOrDefault("points", "").trim().split("[\\s,]+").length >= 4;
            };
        }

        /** @return the width attribute, 0 when absent */
        public double width() {
            return number(attributes, "width");
        }

        /** @return the height attribute, 0 when absent */
        public double height() {
            return number(attributes, "height");
        }

        /**
         * @param cssClass a class name
         * @return true when the class attribute lists it
         */
        public boolean hasClass(String cssClass) {
            return List.of(attributes.getOrDefault("class", "").trim().split("\\s+")).contains(cssClass);
        }
    }

    /**
     * One {@code <table>} element.
     *
     * @param offset where it starts in the serialized DOM
     * @param attributes its attributes
     * @param headers the text of its header cells ({@code th}: column headers, then row headers), in order
     * @param rows the text of the cells of each body row that has a data cell ({@code td}), in order
     */
    public record Table(int offset, Map<String, String> attributes, List<String> headers, List<List<String>> rows) {
        /** Copies. */
        public Table {
            attributes = Map.copyOf(attributes);
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }
}
