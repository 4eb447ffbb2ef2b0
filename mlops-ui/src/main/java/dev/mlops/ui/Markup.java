package dev.mlops.ui;

import dev.mlops.api.Html;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An HTML page being written: every string from the store goes through {@link #text} (the one
 * escaper, {@link Html#escape}), markup the UI writes itself through {@link #raw}. The pages have
 * no script and no inline style (the Content-Security-Policy allows neither), only the jar's
 * stylesheet and inline SVG drawn with presentation attributes.
 */
final class Markup {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final StringBuilder sb = new StringBuilder(8192);
    private final String base;

    /** @param base the path prefix the UI is mounted under, without a trailing slash ("" at the root) */
    Markup(String base) {
        this.base = base;
    }

    /** Opens the page: head with the stylesheet, the navigation, and {@code <main>} with a heading. */
    Markup open(String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"mlops-java ui\"/>\n<title>");
        text(title).raw(" · mlops</title>\n<link rel=\"stylesheet\" href=\"").attr(base + "/static/ui.css").raw("\"/>\n")
                .raw("</head>\n<body>\n<nav><span class=\"brand\">mlops</span>")
                .link("/", "Models").link("/experiments", "Runs").link("/drift", "Drift").link("/audit", "Audit")
                .raw("</nav>\n<main id=\"top\">\n<h1>").text(title).raw("</h1>\n");
        return this;
    }

    String close() {
        sb.append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    Markup raw(String s) {
        sb.append(s);
        return this;
    }

    /** Appends escaped text. */
    Markup text(String s) {
        Html.appendEscaped(sb, s);
        return this;
    }

    /** Appends an escaped attribute value (the caller writes the quotes). */
    Markup attr(String s) {
        Html.appendEscaped(sb, s);
        return this;
    }

    Markup num(double v) {
        return text(number(v));
    }

    /** A link to a page of the UI; {@code path} starts with "/" and is already URL-encoded where it must be. */
    Markup link(String path, String label) {
        sb.append("<a href=\"");
        attr(base + path).raw("\">").text(label).raw("</a>");
        return this;
    }

    Markup tag(String tag, String text) {
        sb.append('<').append(tag).append('>');
        text(text);
        sb.append("</").append(tag).append('>');
        return this;
    }

    Markup th(String... headers) {
        sb.append("<thead><tr>");
        for (String h : headers) {
            tag("th", h);
        }
        sb.append("</tr></thead>\n");
        return this;
    }

    Markup td(String text) {
        return tag("td", text);
    }

    Markup tdNum(double v) {
        sb.append("<td class=\"num\">");
        num(v);
        sb.append("</td>");
        return this;
    }

    /** A line saying there is nothing to show, instead of an empty table. */
    Markup empty(String what) {
        sb.append("<p class=\"empty\">");
        text(what).raw("</p>\n");
        return this;
    }

    /** A two-column key/value table of a map, or a note when it is empty. */
    Markup keyValues(String caption, java.util.Map<String, ?> values) {
        if (values.isEmpty()) {
            return empty("No " + caption + ".");
        }
        sb.append("<table class=\"kv\"><caption>");
        text(caption).raw("</caption>");
        th("key", "value").raw("<tbody>\n");
        new java.util.TreeMap<>(values).forEach((k, v) -> {
            raw("<tr>").td(k);
            if (v instanceof Double d) {
                tdNum(d);
            } else {
                td(String.valueOf(v));
            }
            raw("</tr>\n");
        });
        return raw("</tbody></table>\n");
    }

    /** Links to the next page (and back to the first) when there is one. */
    Markup pager(String path, String param, java.util.Optional<String> next, boolean notFirst) {
        if (next.isEmpty() && !notFirst) {
            return this;
        }
        sb.append("<p class=\"pager\">");
        String sep = path.contains("?") ? "&" : "?";
        if (notFirst) {
            link(path, "« first page");
            sb.append(' ');
        }
        next.ifPresent(token -> link(path + sep + param + "=" + url(token), "next page »"));
        sb.append("</p>\n");
        return this;
    }

    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    /** A number as people read it: integers without a fraction, others with up to 6 significant digits. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
