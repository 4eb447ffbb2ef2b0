package dev.mlops.api.drift;

import java.util.Locale;

/**
 * The outcome of a drift check for a column or a data set. {@link #UNCERTAIN} is the honest
 * answer when a statistic was estimated (from a sketch or a profile's grid) and the interval
 * that holds it reaches both sides of the threshold.
 */
public enum Verdict {
    /** Drift, for every value the statistic can have. */
    DRIFT,
    /** No drift, for every value the statistic can have. */
    NO_DRIFT,
    /** The estimate's interval straddles the threshold: drift for some values, none for others. */
    UNCERTAIN,
    /** The column has no verdict (a side without values, a method that rejected the samples). */
    NOT_COMPARED;

    /** @return the word reports use: {@code drift}, {@code no drift}, {@code uncertain}, {@code not compared} */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** @return the JSON value: {@code drift}, {@code no_drift}, {@code uncertain}, {@code not_compared} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id a value of {@link #id()}
     * @return the verdict
     * @throws IllegalArgumentException for any other text
     */
    public static Verdict parse(String id) {
        for (Verdict v : values()) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("verdict \"" + id + "\" is not one of drift, no_drift, uncertain, not_compared");
    }
}
