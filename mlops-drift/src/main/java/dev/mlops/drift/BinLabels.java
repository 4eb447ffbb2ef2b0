package dev.mlops.drift;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Display text of bin edges and values: as few significant digits as keep neighbouring numbers
 * apart, so {@code 9.549999999999999} reads {@code 9.55}. The numbers themselves (edges in the
 * report JSON, shares, statistics) keep full precision; only labels are shortened.
 */
final class BinLabels {
    /** Below this, labels of ordinary data would still carry rounding noise. */
    private static final int MIN_DIGITS = 4;

    private BinLabels() {
    }

    /**
     * @param sorted distinct numbers in increasing order (infinities allowed)
     * @return their texts, in the same order, pairwise distinct
     */
    static String[] of(double[] sorted) {
        for (int digits = MIN_DIGITS; digits < 17; digits++) {
            String[] texts = format(sorted, digits);
            if (distinct(texts, sorted)) {
                return texts;
            }
        }
        String[] full = new String[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            full[i] = text(sorted[i], 17);
        }
        return full;
    }

    private static String[] format(double[] values, int digits) {
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = text(values[i], digits);
        }
        return texts;
    }

    private static boolean distinct(String[] texts, double[] values) {
        for (int i = 1; i < texts.length; i++) {
            if (texts[i].equals(texts[i - 1]) && values[i] != values[i - 1]) {
                return false;
            }
        }
        return true;
    }

    static String text(double v, int digits) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(v);
        int whole = Math.max(0, exact.precision() - exact.scale());   // digits before the point are never rounded away
        BigDecimal d = exact.round(new MathContext(Math.min(17, Math.max(digits, whole)))).stripTrailingZeros();
        int magnitude = d.precision() - d.scale();  // digits before the point
        return magnitude > 9 || magnitude < -5 ? d.toString() : d.toPlainString();
    }
}
