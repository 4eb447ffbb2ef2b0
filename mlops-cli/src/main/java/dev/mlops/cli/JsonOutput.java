package dev.mlops.cli;

import dev.mlops.api.Names;
import dev.mlops.json.StrictJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prints {@code --json} output: one JSON document per command on stdout, written by
 * {@link StrictJson#writeOutput} (snake_case keys, map entries sorted by key, indented). Only the
 * view records of {@link Views} and plain maps and lists are written; no type information.
 */
final class JsonOutput {
    private JsonOutput() {
    }

    static void print(PrintWriter out, Object value) {
        printText(out, StrictJson.writeOutput(value));
    }

    /** Prints a JSON document made elsewhere (such as a drift report) as {@link #print} prints its own. */
    static void printText(PrintWriter out, String json) {
        out.println(printable(json));
        out.flush();
    }

    /**
     * The same JSON with every code point that {@link Names#isUnsafeToPrint} names (a
     * bidirectional override in a stored parameter value, a zero-width character in a column
     * name) written as a backslash-u escape, so the document means the same to a parser and
     * cannot reorder or hide what a terminal shows. Such characters can only stand inside JSON
     * strings, where an escape is always allowed; the line breaks and indentation of the
     * pretty-printer stay.
     */
    static String printable(String json) {
        StringBuilder sb = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            int units = 1;
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                units = 2;
                cp = Character.toCodePoint(c, json.charAt(i + 1));
            }
            boolean escape = c != '\n' && c != '\r' && c != '\t' && Names.isUnsafeToPrint(cp);
            if (escape && sb == null) {
                sb = new StringBuilder(json.length() + 16).append(json, 0, i);
            }
            if (escape) {
                for (int k = 0; k < units; k++) {
                    sb.append(String.format(Locale.ROOT, "\\u%04x", (int) json.charAt(i + k)));
                }
            } else if (sb != null) {
                sb.append(json, i, i + units);
            }
            i += units - 1;
        }
        return sb == null ? json : sb.toString();
    }

    /** A page of a listing: {@code {"<key>": [...], "next_page_token": ...}}. */
    static Map<String, Object> page(String key, List<?> items, Optional<String> nextPageToken) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, items);
        m.put("next_page_token", nextPageToken.orElse(null));
        return m;
    }
}
