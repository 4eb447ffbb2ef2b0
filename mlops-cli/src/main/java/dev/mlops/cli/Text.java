package dev.mlops.cli;

import dev.mlops.api.Names;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Formatting of values for human-readable output. */
final class Text {
    private Text() {
    }

    /**
     * Makes stored text safe to print, so it cannot forge output lines, move the cursor or
     * reorder what a terminal shows: tabs and line breaks become spaces, and every other code
     * point that {@link Names#isUnsafeToPrint} names (escape and other controls, bidirectional
     * overrides such as U+202E, zero-width characters, broken UTF-16) is shown as a backslash
     * escape of its code point (U+202E as backslash, {@code u202e}), as {@link Names#quote}
     * shows it.
     */
    static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (Names.isUnsafeToPrint(cp)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                if (cp == '\t' || cp == '\n' || cp == '\r') {
                    sb.append(' ');
                } else if (Character.isSupplementaryCodePoint(cp)) {
                    sb.append(String.format(Locale.ROOT, "\\U%08x", cp));
                } else {
                    sb.append(String.format(Locale.ROOT, "\\u%04x", cp));
                }
            } else if (sb != null) {
                sb.appendCodePoint(cp);
            }
            i = next;
        }
        return sb == null ? s : sb.toString();
    }

    /** @return the instant to the second, ISO-8601 UTC */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** @return the first 12 characters of a digest, as in {@code git log --oneline} */
    static String shortHash(String sha256) {
        return sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
    }

    /** @return {@code 1.5 KiB} style size */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** @return {@code k=v k2=v2} sorted by key, or {@code -} */
    static String pairs(Map<String, ?> map) {
        if (map.isEmpty()) {
            return "-";
        }
        return new TreeMap<>(map).entrySet().stream()
                .map(e -> e.getKey() + "=" + number(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String number(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(v);
    }

    /** @return {@code s} cut to {@code max} characters with an ellipsis */
    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
