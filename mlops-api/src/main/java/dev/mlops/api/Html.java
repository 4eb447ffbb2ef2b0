package dev.mlops.api;

/**
 * The one HTML escaper of every report the library writes (drift reports, model cards), so that
 * stored text is shown, never obeyed, by the same rules everywhere.
 */
public final class Html {

    private Html() {
    }

    /**
     * Escapes a string for HTML text and for a double- or single-quoted attribute value, valid in
     * both HTML5 and XML 1.0: {@code & < > " '} become character references; C0 control
     * characters (tab and line breaks included) become their visible control pictures (U+2400 +
     * code, DEL as U+2421); C1 controls, unpaired surrogates, noncharacters and the characters
     * that could reorder or hide text (bidirectional controls and other formatting characters,
     * separators, private-use and unassigned code points, see {@link Names#isUnsafeToPrint})
     * become U+FFFD.
     *
     * @param s any string
     * @return the escaped string
     */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        appendEscaped(sb, s);
        return sb.toString();
    }

    /**
     * Appends {@link #escape escaped} {@code s} to {@code sb}.
     *
     * @param sb where to append
     * @param s any string
     */
    public static void appendEscaped(StringBuilder sb, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> i = appendSafe(sb, s, i);
            }
        }
    }

    /** Appends character {@code i} (and its low surrogate); returns the index of the last one consumed. */
    private static int appendSafe(StringBuilder sb, String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20) {
            sb.append((char) (0x2400 + c));
        } else if (c == 0x7f) {
            sb.append('\u2421');
        } else if (c < 0x7f) {
            sb.append(c);
        } else if (c <= 0x9f) {
            sb.append('\uFFFD');
        } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                if (Names.isUnsafeToPrint(cp)) {
                    sb.append('\uFFFD');
                } else {
                    sb.append(c).append(s.charAt(i + 1));
                }
                return i + 1;
            }
            sb.append('\uFFFD');
        } else if (Character.isLowSurrogate(c) || (c >= 0xFDD0 && c <= 0xFDEF) || c >= 0xFFFE
                || Names.isUnsafeToPrint(c)) {
            sb.append('\uFFFD');
        } else {
            sb.append(c);
        }
        return i;
    }
}
