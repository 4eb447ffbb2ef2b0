package dev.mlops.drift;

import dev.mlops.api.Names;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Multiple-testing correction of the p-values of one report's columns. Testing many columns at
 * p &lt; 0.05 flags about one in twenty unchanged columns as drifted; a correction adjusts the
 * p-values so that the family of columns keeps the error rate.
 *
 * <p>Only columns compared with a test (a method with a p-value) and given a verdict take part;
 * distances are never adjusted. Drift is then decided on the adjusted p-value.
 */
public enum Correction {
    /** No correction: each column's own p-value decides. */
    NONE("none"),
    /**
     * Bonferroni: p·m, capped at 1, with m the number of tested columns. Controls the
     * family-wise error rate (the chance of any false alarm), conservative for many columns.
     */
    BONFERRONI("bonferroni"),
    /**
     * Benjamini–Hochberg (1995) step-up: with p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted, the adjusted p₍ᵢ₎ is
     * min over j ≥ i of p₍ⱼ₎·m/j, capped at 1, as {@code statsmodels}' {@code fdr_bh}. Controls the
     * false discovery rate (the expected share of false alarms among flagged columns).
     */
    BENJAMINI_HOCHBERG("benjamini-hochberg");

    private final String id;

    Correction(String id) {
        this.id = id;
    }

    /** @return the name used in reports: {@code none}, {@code bonferroni} or {@code benjamini-hochberg} */
    public String id() {
        return id;
    }

    /**
     * Adjusts p-values.
     *
     * @param pValues p-values in [0, 1], in any order (not modified)
     * @return the adjusted p-values, in the same order
     * @throws IllegalArgumentException if a value is not in [0, 1]
     */
    public double[] adjust(double[] pValues) {
        Objects.requireNonNull(pValues, "pValues");
        for (int i = 0; i < pValues.length; i++) {
            if (!(pValues[i] >= 0.0 && pValues[i] <= 1.0)) {
                throw new IllegalArgumentException("p-value at index " + i + " is " + pValues[i] + ", not in [0, 1]");
            }
        }
        int m = pValues.length;
        double[] out = pValues.clone();
        switch (this) {
            case NONE -> {
                return out;
            }
            case BONFERRONI -> {
                for (int i = 0; i < m; i++) {
                    out[i] = Math.min(1.0, pValues[i] * m);
                }
                return out;
            }
            default -> {
                Integer[] order = new Integer[m];
                for (int i = 0; i < m; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Double.compare(pValues[a], pValues[b]));
                double running = 1.0;
                for (int rank = m; rank >= 1; rank--) {
                    int i = order[rank - 1];
                    running = Math.min(running, pValues[i] / ((double) rank / m)); // p exactly at rank m, as statsmodels
                    out[i] = Math.min(1.0, running);
                }
                return out;
            }
        }
    }

    /**
     * The correction with this name: {@code none}, {@code bonferroni}, {@code benjamini-hochberg}
     * or its short form {@code bh} (any case).
     *
     * @param name a name
     * @return the correction, or empty
     */
    public static Optional<Correction> byName(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("bh")) {
            return Optional.of(BENJAMINI_HOCHBERG);
        }
        return Arrays.stream(values()).filter(c -> c.id.equals(n)).findFirst();
    }

    /**
     * The correction with this name, or an exception listing the valid names.
     *
     * @param name a name, as {@link #byName}
     * @return the correction
     * @throws IllegalArgumentException if there is none by that name
     */
    public static Correction parse(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("unknown correction " + Names.quote(name)
                + ": expected none, bonferroni, or benjamini-hochberg (bh)"));
    }

    @Override
    public String toString() {
        return id;
    }
}
