package dev.mlops.drift;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Escaping and number formatting for the HTML drift report. Every string taken from a report
 * goes through {@link #escape}; every number through {@link #number}, {@link #percent} or
 * {@link #coordinate}, which never depend on the default locale.
 */
final class HtmlText {

    private HtmlText() {
    }

    /** @return {@code s} escaped by the library's one HTML escaper, {@link dev.mlops.api.Html#escape} */
    static String escape(String s) {
        return dev.mlops.api.Html.escape(s);
    }

    /** Appends {@code s} escaped by {@link dev.mlops.api.Html#appendEscaped}. */
    static void appendEscaped(StringBuilder sb, String s) {
        dev.mlops.api.Html.appendEscaped(sb, s);
    }

    /**
     * Cuts a string to at most {@code max} code points, ending a cut string with an ellipsis.
     * Never splits a surrogate pair.
     *
     * @param s any string
     * @param max at least 2
     * @return {@code s} or its first {@code max - 1} code points and "…"
     */
    static String shorten(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "\u2026";
    }

    /**
     * Formats a number for people: four significant digits, plain notation from 1e-4 up to
     * 1e7, scientific ({@code 1.235e-7}) beyond; {@code NaN}, {@code Infinity} and
     * {@code -Infinity} as words. Independent of the default locale.
     *
     * @param v any double
     * @return the text
     */
    static String number(double v) {
        return significant(v, 4);
    }

    /**
     * Formats a share in [0, 1] as a percentage with three significant digits ({@code 12.3%}).
     *
     * @param share any double; non-finite values are written as {@link #number} writes them
     * @return the text
     */
    static String percent(double share) {
        if (!Double.isFinite(share)) {
            return number(share);
        }
        return significant(share * 100, 3) + "%";
    }

    /**
     * Formats a number with the given significant digits (half-even), see {@link #number}.
     *
     * @param v any double
     * @param digits significant digits, at least 1
     * @return the text
     */
    static String significant(double v, int digits) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -4 && exponent < 7) {
            return d.toPlainString();
        }
        return d.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /**
     * Appends an SVG coordinate with at most one decimal. A non-finite value, which the chart
     * code never passes, is written as 0 so that no NaN can reach the markup.
     *
     * @param sb where to append
     * @param v the coordinate
     */
    static void coordinate(StringBuilder sb, double v) {
        long tenths = Double.isFinite(v) ? Math.round(v * 10) : 0;
        if (tenths < 0) {
            sb.append('-');
            tenths = -tenths;
        }
        sb.append(tenths / 10);
        if (tenths % 10 != 0) {
            sb.append('.').append(tenths % 10);
        }
    }
}
