package dev.mlops.rollout;

/**
 * What a rollout compares between the candidate and the control. For each, larger is worse.
 * The latency guardrails compare a quantile through the share of requests slower than the
 * control's running quantile (see docs/rollouts.md): the candidate's q-quantile is larger than
 * the control's exactly when more than 1−q of its requests exceed the control's q-quantile.
 */
public enum Guardrail {
    /** Share of requests whose model call threw; a difference in proportions. */
    ERROR_RATE("error_rate"),
    /** Mean live error (loss) from feedback, when labels arrive; a difference in means. */
    LIVE_LOSS("live_loss"),
    /** Share of requests slower than the control's running median. */
    LATENCY_P50("latency_p50"),
    /** Share of requests slower than the control's running 99th percentile. */
    LATENCY_P99("latency_p99");

    private final String jsonName;

    Guardrail(String jsonName) {
        this.jsonName = jsonName;
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
                + "', expected one of error_rate, live_loss, latency_p50, latency_p99");
    }
}
