package dev.mlops.drift.online;

import java.util.Objects;

/**
 * The Page-Hinkley test (E. S. Page, "Continuous inspection schemes", Biometrika 41, 1954; in the
 * form used for concept drift by Gama et al.), a cumulative-sum detector of a change in the mean
 * of a stream of errors or losses.
 *
 * <p>With {@code x̄_t} the running mean of the values since the last detection, it keeps
 * <pre>
 *   m_t = α·m_{t-1} + (x_t − x̄_t − δ),   M_t = min(M_{t-1}, m_t),   m_0 = M_0 = 0
 *   PH_t = m_t − M_t                       (increase of the mean)
 * </pre>
 * and for a decrease the mirrored {@code u_t = α·u_{t-1} + (x_t − x̄_t + δ)},
 * {@code U_t = max(U_{t-1}, u_t)}, {@code PH'_t = U_t − u_t}. A drift is signalled when
 * {@code PH_t > λ} (or {@code PH'_t > λ}, depending on the {@link Direction}) and at least
 * {@code minObservations} values were seen since the last detection; after a drift every
 * statistic restarts from the next value. Page-Hinkley signals no warnings.
 *
 * <p>Defaults (river {@code drift.PageHinkley} and MOA {@code PageHinkleyDM} agree on all four):
 * <ul>
 *   <li>{@code delta} δ = 0.005: the magnitude of change tolerated, in the unit of the values;
 *   <li>{@code lambda} λ = 50: the detection threshold, in value units × observations;
 *   <li>{@code alpha} α = 1 − 0.0001 = 0.9999: fading factor of the cumulative sums, not part of
 *       Page's test (added by Gama, Sebastião and Rodrigues, "On evaluating stream learning
 *       algorithms", 2013); {@code alpha(1)} gives Page's original statistic;
 *   <li>{@code minObservations} = 30: no drift is signalled before this many values since the last
 *       detection;
 *   <li>{@code direction} = {@link Direction#INCREASE}: an error or loss that grows is what matters
 *       (MOA's only mode; recent river releases default to both directions).
 * </ul>
 *
 * <p>Choices where the references differ, and why:
 * <ul>
 *   <li>Minimum: {@code M_t} is the running minimum of the faded sums, as in MOA and recent river
 *       releases, because that is Page's {@code m_T − M_T} with the fading applied; older river
 *       releases used {@code max(0, α·S + x − x̄ − δ)}, the same statistic only for α = 1. Starting
 *       {@code M} at 0 (Page's {@code m_0 = 0}) or at +∞ (MOA, river) makes no difference, because
 *       {@code m_1 = −δ ≤ 0} always.
 *   <li>Warm-up: {@code minObservations} counts the current value, as recent river releases do, so
 *       river's documented example drifts at the same index here (a test checks it); MOA and older
 *       river allow a detection one value earlier.
 *   <li>Threshold: strict {@code > λ}, as MOA and recent river releases (older ones used {@code ≥}).
 * </ul>
 *
 * <p>Not thread-safe: see {@link OnlineDriftDetector}. Updates cost O(1) and allocate nothing.
 */
public final class PageHinkley implements OnlineDriftDetector {

    /** Default δ, the tolerated magnitude of change (river, MOA). */
    public static final double DEFAULT_DELTA = 0.005;
    /** Default λ, the detection threshold (river, MOA). */
    public static final double DEFAULT_LAMBDA = 50;
    /** Default α, the fading factor of the cumulative sums (river, MOA). */
    public static final double DEFAULT_ALPHA = 1 - 0.0001;
    /** Default number of values before a detection is allowed (river, MOA). */
    public static final int DEFAULT_MIN_OBSERVATIONS = 30;

    /** Which change of the mean the test looks for. */
    public enum Direction {
        /** An increase of the mean (the error or loss gets worse). */
        INCREASE,
        /** A decrease of the mean. */
        DECREASE,
        /** Either: two one-sided tests, a drift when either exceeds λ. */
        BOTH
    }

    private final double delta;
    private final double lambda;
    private final double alpha;
    private final int minObservations;
    private final Direction direction;
    private final boolean up;
    private final boolean down;

    private long n;
    private double mean;
    private double sumUp;
    private double minUp;
    private double sumDown;
    private double maxDown;
    private long observations;
    private long detections;
    private State state = State.NONE;

    private PageHinkley(Builder b) {
        this.delta = b.delta;
        this.lambda = b.lambda;
        this.alpha = b.alpha;
        this.minObservations = b.minObservations;
        this.direction = b.direction;
        this.up = direction != Direction.DECREASE;
        this.down = direction != Direction.INCREASE;
    }

    /**
     * A detector with the published defaults (δ = 0.005, λ = 50, α = 0.9999, 30 observations,
     * increase).
     *
     * @return a new detector
     */
    public static PageHinkley withDefaults() {
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

    @Override
    public State update(double value) {
        Checks.finiteInput(value);
        observations++;
        n++;
        mean += (value - mean) / n;
        double deviation = value - mean;
        boolean drift = false;
        if (up) {
            sumUp = alpha * sumUp + deviation - delta;
            minUp = Math.min(minUp, sumUp);
            drift = sumUp - minUp > lambda;
        }
        if (down) {
            sumDown = alpha * sumDown + deviation + delta;
            maxDown = Math.max(maxDown, sumDown);
            drift |= maxDown - sumDown > lambda;
        }
        if (drift && n >= minObservations) {
            detections++;
            restart();
            state = State.DRIFT;
        } else {
            state = State.NONE;
        }
        return state;
    }

    /**
     * The current test statistic: {@code PH_t} for an increase, {@code PH'_t} for a decrease, the
     * larger of the two for both; 0 right after construction, reset or a detection.
     *
     * @return the statistic compared against λ
     */
    public double statistic() {
        double s = 0;
        if (up) {
            s = sumUp - minUp;
        }
        if (down) {
            s = Math.max(s, maxDown - sumDown);
        }
        return s;
    }

    /**
     * The running mean of the values since the last detection (0 when there are none).
     *
     * @return the mean the deviations are measured from
     */
    public double mean() {
        return mean;
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
        mean = 0;
        sumUp = 0;
        minUp = 0;
        sumDown = 0;
        maxDown = 0;
    }

    @Override
    public String toString() {
        return "PageHinkley[delta=" + delta + ", lambda=" + lambda + ", alpha=" + alpha
                + ", minObservations=" + minObservations + ", direction=" + direction + "]";
    }

    /** Fail-fast builder: every setter checks its argument at once. */
    public static final class Builder {
        private double delta = DEFAULT_DELTA;
        private double lambda = DEFAULT_LAMBDA;
        private double alpha = DEFAULT_ALPHA;
        private int minObservations = DEFAULT_MIN_OBSERVATIONS;
        private Direction direction = Direction.INCREASE;

        private Builder() {
        }

        /**
         * δ, the magnitude of change that is tolerated (subtracted from every deviation); default
         * 0.005.
         *
         * @param delta finite and ≥ 0
         * @return this builder
         * @throws IllegalArgumentException if negative, NaN or infinite
         */
        public Builder delta(double delta) {
            this.delta = Checks.nonNegative("delta", delta);
            return this;
        }

        /**
         * λ, the detection threshold; default 50. Larger values mean fewer false alarms and a
         * longer detection delay.
         *
         * @param lambda finite and &gt; 0
         * @return this builder
         * @throws IllegalArgumentException if not positive, NaN or infinite
         */
        public Builder lambda(double lambda) {
            this.lambda = Checks.positive("lambda", lambda);
            return this;
        }

        /**
         * α, the fading factor of the cumulative sums; default 0.9999; 1 gives Page's original test.
         *
         * @param alpha in (0, 1]
         * @return this builder
         * @throws IllegalArgumentException if outside (0, 1]
         */
        public Builder alpha(double alpha) {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /**
         * The number of values since the last detection (the current one included) before a drift
         * may be signalled; default 30.
         *
         * @param minObservations ≥ 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder minObservations(int minObservations) {
            this.minObservations = Checks.atLeast("minObservations", minObservations, 1);
            return this;
        }

        /**
         * Which change to detect; default {@link Direction#INCREASE}.
         *
         * @param direction not null
         * @return this builder
         */
        public Builder direction(Direction direction) {
            this.direction = Objects.requireNonNull(direction, "direction");
            return this;
        }

        /**
         * Builds the detector.
         *
         * @return a new detector with this builder's settings
         */
        public PageHinkley build() {
            return new PageHinkley(this);
        }
    }
}
