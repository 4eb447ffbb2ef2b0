package dev.mlops.drift;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Methods and thresholds for drift computed from a {@link ReferenceProfile} (by
 * {@link ReferenceProfile#compare} or a {@link DriftMonitor}).
 *
 * <p><b>Default method per column</b>, decided from the reference profile alone (so every window
 * of a monitor uses the same method), after Evidently's rules: numerical columns with more than 5
 * distinct reference values use {@code ks} when the reference has at most 1,000 rows, else
 * {@code wasserstein_norm}; categorical columns and numerical columns with at most 5 distinct
 * values use {@code z} when the reference has exactly 2 categories, else {@code chisquare} (at most
 * 1,000 rows) or {@code jensenshannon}. Evidently decides on the pooled reference and current
 * data; a monitor cannot, because the current data changes with every window. Thresholds are each
 * method's {@link DriftMethod#defaultThreshold()}.
 *
 * <p><b>Methods a profile supports</b>: {@link #SUPPORTED}, the tests on category counts
 * ({@code chisquare}, {@code chi2_contingency}, {@code z}, {@code fisher_exact}, {@code g_test})
 * among them. The others ({@code cvm}, {@code anderson}, {@code mann_whitney}, {@code t_test},
 * {@code es}, {@code energy}) need the raw reference sample and are rejected by the builder.
 *
 * @param methods    per-column method overrides
 * @param thresholds per-column threshold overrides
 * @param driftShare dataset drift when the share of drifted columns is at least this (default 0.5)
 */
public record MonitorPolicy(Map<String, DriftMethod> methods, Map<String, Double> thresholds, double driftShare) {

    /** The methods that can be computed from a profile and window counts. */
    public static final Set<DriftMethod> SUPPORTED = EnumSet.of(DriftMethod.KS, DriftMethod.WASSERSTEIN,
            DriftMethod.WASSERSTEIN_NORM, DriftMethod.PSI, DriftMethod.KL_DIV, DriftMethod.JENSENSHANNON,
            DriftMethod.HELLINGER, DriftMethod.TVD, DriftMethod.CHISQUARE, DriftMethod.CHI2_CONTINGENCY, DriftMethod.Z,
            DriftMethod.FISHER_EXACT, DriftMethod.G_TEST);

    /** Reference rows up to which the small-reference defaults (ks, chisquare) apply. */
    public static final long SMALL_REFERENCE_ROWS = 1_000;

    /**
     * Checks and copies.
     *
     * @param methods    method overrides
     * @param thresholds threshold overrides
     * @param driftShare dataset drift share
     */
    public MonitorPolicy {
        methods = Map.copyOf(Objects.requireNonNull(methods, "methods"));
        thresholds = Map.copyOf(Objects.requireNonNull(thresholds, "thresholds"));
        for (Map.Entry<String, DriftMethod> e : methods.entrySet()) {
            checkSupported(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Double> e : thresholds.entrySet()) {
            checkThreshold(e.getKey(), e.getValue());
        }
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw new IllegalArgumentException("driftShare must be in (0, 1], got " + driftShare);
        }
    }

    /** @return default methods and thresholds, drift share 0.5 */
    public static MonitorPolicy defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param column a column
     * @return its method override
     */
    public Optional<DriftMethod> methodFor(String column) {
        return Optional.ofNullable(methods.get(column));
    }

    /**
     * @param column a column
     * @return its threshold override
     */
    public OptionalDouble thresholdFor(String column) {
        Double t = thresholds.get(column);
        return t == null ? OptionalDouble.empty() : OptionalDouble.of(t);
    }

    private static void checkSupported(String column, DriftMethod m) {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(m, "method");
        if (!SUPPORTED.contains(m)) {
            throw new IllegalArgumentException("method " + m.id() + " for column " + dev.mlops.api.Names.quote(column)
                    + " needs the raw reference sample; from a profile use one of " + SUPPORTED);
        }
    }

    private static void checkThreshold(String column, Double t) {
        Objects.requireNonNull(column, "column");
        if (t == null || !Double.isFinite(t) || t < 0) {
            throw new IllegalArgumentException("threshold for column " + dev.mlops.api.Names.quote(column)
                    + " must be a finite number >= 0, got " + t);
        }
    }

    /** Builds a {@link MonitorPolicy}; each setter checks its value at once. */
    public static final class Builder {
        private final Map<String, DriftMethod> methods = new LinkedHashMap<>();
        private final Map<String, Double> thresholds = new LinkedHashMap<>();
        private double driftShare = 0.5;

        private Builder() {
        }

        /**
         * @param column a column
         * @param method one of {@link #SUPPORTED}
         * @return this
         * @throws IllegalArgumentException if the method needs raw reference samples
         */
        public Builder method(String column, DriftMethod method) {
            checkSupported(column, method);
            methods.put(column, method);
            return this;
        }

        /**
         * @param column    a column
         * @param threshold p-value threshold (tests) or distance threshold, finite and ≥ 0
         * @return this
         */
        public Builder threshold(String column, double threshold) {
            checkThreshold(column, threshold);
            thresholds.put(column, threshold);
            return this;
        }

        /**
         * @param share dataset drift when the drifted share of compared columns is at least this, in (0, 1]
         * @return this
         */
        public Builder driftShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("driftShare must be in (0, 1], got " + share);
            }
            this.driftShare = share;
            return this;
        }

        /** @return the policy */
        public MonitorPolicy build() {
            return new MonitorPolicy(methods, thresholds, driftShare);
        }
    }
}
