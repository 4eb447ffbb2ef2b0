package dev.mlops.drift.online;

/**
 * DDM, the Drift Detection Method of J. Gama, P. Medas, G. Castillo and P. Rodrigues ("Learning
 * with drift detection", SBIA 2004), for a stream of 0/1 prediction errors (1 = the model was
 * wrong).
 *
 * <p>For the {@code i} values since the last detection it keeps the error rate {@code p_i} and its
 * binomial standard deviation {@code s_i = sqrt(p_i (1 − p_i) / i)}, and remembers {@code p_min}
 * and {@code s_min} at the point where {@code p_i + s_i} was lowest. Then
 * <pre>
 *   p_i + s_i &gt; p_min + 3 · s_min   →  DRIFT (and every statistic restarts from the next value)
 *   p_i + s_i &gt; p_min + 2 · s_min   →  WARNING
 *   otherwise                          →  NONE
 * </pre>
 * No comparison is made, and {@code p_min}, {@code s_min} are not recorded, until
 * {@code minInstances} values have been seen since the last detection: the first comparison is on
 * the next value.
 *
 * <p>Defaults (the paper, river {@code drift.binary.DDM}, MOA {@code DDM}): warning level 2
 * (≈ 95% confidence), drift level 3 (≈ 99%), 30 instances.
 *
 * <p>Choices where the references differ, and why:
 * <ul>
 *   <li>Comparisons are strict ({@code >}), as in river and MOA; the paper writes {@code ≥}, which
 *       would signal a drift on a stream of only zeros (there {@code s_i = s_min = 0}).
 *   <li>Warm-up: the first comparison is made on value {@code minInstances + 1}, as in river, so
 *       that river's documented example gives the same warnings and drift here (a test checks it);
 *       MOA records the minimum and warns from value {@code minInstances − 1} and signals a drift
 *       from value {@code minInstances}.
 *   <li>The minimum is replaced when {@code p_i + s_i ≤ p_min + s_min} (river and MOA).
 * </ul>
 *
 * <p>As published, DDM assumes a non-zero error rate: if the first {@code minInstances} values are
 * all 0, then {@code p_min = s_min = 0} and the first error afterwards is a drift.
 *
 * <p>Not thread-safe: see {@link OnlineDriftDetector}. Updates cost O(1) and allocate nothing.
 */
public final class Ddm implements OnlineDriftDetector {

    /** Default number of values seen before the first comparison (paper, river, MOA). */
    public static final int DEFAULT_MIN_INSTANCES = 30;
    /** Default warning level, in standard deviations (paper, river, MOA). */
    public static final double DEFAULT_WARNING_LEVEL = 2;
    /** Default drift level, in standard deviations (paper, river, MOA). */
    public static final double DEFAULT_DRIFT_LEVEL = 3;

    private final int minInstances;
    private final double warningLevel;
    private final double driftLevel;

    private long n;
    private long errors;
    private double pMin;
    private double sMin;
    private double psMin;
    private long observations;
    private long detections;
    private State state = State.NONE;

    private Ddm(Builder b) {
        this.minInstances = b.minInstances;
        this.warningLevel = b.warningLevel;
        this.driftLevel = b.driftLevel;
        restart();
    }

    /**
     * A detector with the published defaults (30 instances, warning at 2, drift at 3 standard
     * deviations).
     *
     * @return a new detector
     */
    public static Ddm withDefaults() {
        return builder().build();
    }

    /**
     * A builder preset with the published defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds the next prediction outcome.
     *
     * @param error true if the model was wrong
     * @return the state after this outcome
     */
    public State update(boolean error) {
        observations++;
        n++;
        if (error) {
            errors++;
        }
        double p = (double) errors / n;
        double s = Math.sqrt(p * (1 - p) / n);
        if (n <= minInstances) {
            state = State.NONE;
            return state;
        }
        double ps = p + s;
        if (ps <= psMin) {
            pMin = p;
            sMin = s;
            psMin = ps;
        }
        if (ps > pMin + driftLevel * sMin) {
            detections++;
            restart();
            state = State.DRIFT;
        } else if (ps > pMin + warningLevel * sMin) {
            state = State.WARNING;
        } else {
            state = State.NONE;
        }
        return state;
    }

    /**
     * Adds the next prediction outcome as a number.
     *
     * @param value 1 if the model was wrong, 0 if it was right
     * @return the state after this outcome
     * @throws IllegalArgumentException if the value is not exactly 0 or 1 (NaN and infinities
     *     included); the detector's state is then unchanged
     */
    @Override
    public State update(double value) {
        if (value == 1) {
            return update(true);
        }
        if (value == 0) {
            return update(false);
        }
        throw new IllegalArgumentException("DDM takes 0 (correct) or 1 (error), got " + value);
    }

    /**
     * The error rate {@code p_i} over the values since the last detection (0 when there are none).
     *
     * @return the current error rate
     */
    public double errorRate() {
        return n == 0 ? 0 : (double) errors / n;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public long observations() {
        return observations;
    }

    @Override
    public long detections() {
        return detections;
    }

    @Override
    public void reset() {
        restart();
        observations = 0;
        detections = 0;
        state = State.NONE;
    }

    private void restart() {
        n = 0;
        errors = 0;
        pMin = Double.MAX_VALUE;
        sMin = Double.MAX_VALUE;
        psMin = Double.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "Ddm[minInstances=" + minInstances + ", warningLevel=" + warningLevel
                + ", driftLevel=" + driftLevel + "]";
    }

    /** Fail-fast builder: every setter checks its argument, {@link #build()} their consistency. */
    public static final class Builder {
        private int minInstances = DEFAULT_MIN_INSTANCES;
        private double warningLevel = DEFAULT_WARNING_LEVEL;
        private double driftLevel = DEFAULT_DRIFT_LEVEL;

        private Builder() {
        }

        /**
         * The number of values seen since the last detection before the first comparison (made on
         * the next value); default 30.
         *
         * @param minInstances ≥ 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minInstances(int minInstances) {
            this.minInstances = Checks.atLeast("minInstances", minInstances, 0);
            return this;
        }

        /**
         * The warning level, in multiples of {@code s_min}; default 2.
         *
         * @param warningLevel finite and &gt; 0
         * @return this builder
         * @throws IllegalArgumentException if not positive, NaN or infinite
         */
        public Builder warningLevel(double warningLevel) {
            this.warningLevel = Checks.positive("warningLevel", warningLevel);
            return this;
        }

        /**
         * The drift level, in multiples of {@code s_min}; default 3.
         *
         * @param driftLevel finite and &gt; 0
         * @return this builder
         * @throws IllegalArgumentException if not positive, NaN or infinite
         */
        public Builder driftLevel(double driftLevel) {
            this.driftLevel = Checks.positive("driftLevel", driftLevel);
            return this;
        }

        /**
         * Builds the detector.
         *
         * @return a new detector with this builder's settings
         * @throws IllegalArgumentException if the warning level exceeds the drift level
         */
        public Ddm build() {
            if (warningLevel > driftLevel) {
                throw new IllegalArgumentException("warningLevel must be <= driftLevel, got warningLevel "
                        + warningLevel + " and driftLevel " + driftLevel);
            }
            return new Ddm(this);
        }
    }
}
