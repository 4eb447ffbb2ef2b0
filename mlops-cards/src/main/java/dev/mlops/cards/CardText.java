package dev.mlops.cards;

import dev.mlops.api.Html;
import dev.mlops.api.Names;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Escaping and number formatting for model cards. Every stored string goes through
 * {@link #html}, {@link #markdownInline} or {@link #markdownParagraphs} before it reaches a
 * rendered card; numbers go through {@link #number}, which never depends on the default locale.
 *
 * <p>(mlops-drift has the same HTML escaping rule for its report, in its own package-private
 * class; core cannot depend on mlops-drift.)
 */
final class CardText {

    private CardText() {
    }

    /**
     * Escapes a string for HTML text and for a double- or single-quoted attribute value, valid
     * in both HTML5 and XML 1.0: {@code & < > " '} become character references; C0 control
     * characters (including tab and line breaks) become their visible "control pictures"
     * (U+2400 + code, DEL as U+2421); C1 controls, unpaired surrogates, the noncharacters
     * U+FDD0..U+FDEF, U+FFFE and U+FFFF, and every other code point that
     * {@link Names#isUnsafeToPrint} names (bidirectional overrides such as U+202E, zero-width
     * and other formatting characters, separators, private-use and unassigned code points)
     * become U+FFFD, so stored text cannot reorder or hide what the card shows.
     *
     * @param s any string
     * @return the escaped string
     */
    static String html(String s) {
        return Html.escape(s);
    }

    /**
     * Escapes a string for one line of Markdown (a table cell, a heading, a list item): the
     * characters that could end a table cell, start markup or raw HTML are backslash-escaped
     * ({@code \ ` * [ ] < > | & # ~ !}, and {@code _} unless it stands between two letters or
     * digits, where CommonMark never reads it as emphasis); line breaks and other control
     * characters become visible control pictures, as in {@link #html}.
     *
     * @param s any string
     * @return text that renders as {@code s} and cannot break the line's structure
     */
    static String markdownInline(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', '`', '*', '[', ']', '<', '>', '|', '&', '#', '~', '!' -> sb.append('\\').append(c);
                case '_' -> {
                    boolean inWord = i > 0 && i + 1 < n && Character.isLetterOrDigit(s.charAt(i - 1))
                            && Character.isLetterOrDigit(s.charAt(i + 1));
                    if (!inWord) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
                case '"', '\'' -> sb.append(c); // plain text in Markdown; Html would make them entities
                default -> {
                    // one code point through the HTML escaper's rules for what may be shown
                    int cp = s.codePointAt(i);
                    Html.appendEscaped(sb, new String(Character.toChars(cp)));
                    i += Character.charCount(cp) - 1;
                }
            }
        }
        return sb.toString();
    }

    /**
     * Escapes multi-line free text (a description) as Markdown paragraphs: blank lines separate
     * paragraphs, other line breaks become hard line breaks, leading spaces are dropped (they
     * would start a code block) and a line that would start a block (a heading, list item,
     * thematic break, setext underline) has its marker escaped.
     *
     * @param s any string
     * @return Markdown that renders as the text of {@code s}
     */
    static String markdownParagraphs(String s) {
        List<List<String>> paragraphs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String raw : s.split("\r\n|\r|\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new ArrayList<>();
                }
                continue;
            }
            current.add(blockSafe(markdownInline(line)));
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        List<String> out = new ArrayList<>();
        for (List<String> p : paragraphs) {
            out.add(String.join("\\\n", p));
        }
        return String.join("\n\n", out);
    }

    /** Escapes a block marker at the start of an (already inline-escaped) line. */
    private static String blockSafe(String line) {
        char first = line.charAt(0);
        if (first == '-' || first == '+' || first == '=') {
            return "\\" + line;
        }
        int digits = 0;
        while (digits < line.length() && digits < 10 && Character.isDigit(line.charAt(digits))) {
            digits++;
        }
        if (digits > 0 && digits < line.length() && (line.charAt(digits) == '.' || line.charAt(digits) == ')')) {
            return line.substring(0, digits) + "\\" + line.substring(digits);
        }
        return line;
    }

    /**
     * Formats a number for people: four significant digits, plain notation from 1e-4 up to 1e7,
     * scientific ({@code 1.235e-7}) beyond; {@code NaN}, {@code Infinity} and {@code -Infinity}
     * as words. Independent of the default locale.
     *
     * @param v any double
     * @return the text
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -4 && exponent < 7) {
            return d.toPlainString();
        }
        return d.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /**
     * @param share a value in [0, 1]
     * @return the value as a percentage with one decimal, such as {@code 95%} or {@code 97.5%}
     */
    static String percent(double share) {
        if (!Double.isFinite(share)) {
            return number(share);
        }
        BigDecimal p = BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return p.toPlainString() + "%";
    }
}
