package dev.mlops.rollout;

/**
 * What a rollout compares between the candidate and the control. For each one-sided guardrail
 * larger is worse. The latency guardrails compare a quantile through the share of requests slower
 * than the control's running quantile (see docs/rollouts.md): the candidate's q-quantile is larger
 * than the control's exactly when more than 1−q of its requests exceed the control's q-quantile.
 * The prediction guardrails compare the distribution of the two arms' predictions the same way,
 * through the share above each of the control's running quartiles; they are {@link #twoSided()}:
 * a shift either way is drift.
 */
public enum Guardrail {
    /** Share of requests whose model call threw; a difference in proportions. */
    ERROR_RATE("error_rate"),
    /** Mean live error (loss) from feedback, when labels arrive; a difference in means. */
    LIVE_LOSS("live_loss"),
    /** Share of requests slower than the control's running median. */
    LATENCY_P50("latency_p50"),
    /** Share of requests slower than the control's running 99th percentile. */
    LATENCY_P99("latency_p99"),
    /** Share of predictions above the control's running lower quartile; two-sided. */
    PREDICTION_Q25("prediction_q25"),
    /** Share of predictions above the control's running median; two-sided. */
    PREDICTION_Q50("prediction_q50"),
    /** Share of predictions above the control's running upper quartile; two-sided. */
    PREDICTION_Q75("prediction_q75"),
    /**
     * Mean estimated loss per prediction without labels (such as CBPE's per-row expected error
     * 1 − calibrated probability of the predicted class, whose mean estimates 1 − accuracy when
     * the scores are calibrated); a difference in means.
     */
    ESTIMATED_LOSS("estimated_loss");

    /** The three prediction-drift guardrails, in order. */
    public static final java.util.List<Guardrail> PREDICTION_DRIFT = java.util.List.of(PREDICTION_Q25, PREDICTION_Q50,
            PREDICTION_Q75);

    private final String jsonName;

    Guardrail(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * @return true for the prediction guardrails: "worse" then means "significantly different"
     *     (either way), and "not worse" means "equivalent within ± the margin"
     */
    public boolean twoSided() {
        return this == PREDICTION_Q25 || this == PREDICTION_Q50 || this == PREDICTION_Q75;
    }

    /** @return the name in documents, such as {@code error_rate} */
    public String jsonName() {
        return jsonName;
    }

    /**
     * @param name a name from {@link #jsonName()}
     * @return the guardrail
     * @throws IllegalArgumentException for an unknown name
     */
    public static Guardrail ofJsonName(String name) {
        for (Guardrail g : values()) {
            if (g.jsonName.equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown guardrail '" + name
                + "', expected one of error_rate, live_loss, latency_p50, latency_p99, prediction_q25, prediction_q50,"
                + " prediction_q75, estimated_loss");
    }
}
