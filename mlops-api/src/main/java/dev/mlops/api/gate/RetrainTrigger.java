package dev.mlops.api.gate;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Why a retraining run started.
 *
 * @param kind {@code drift} (a drift report), {@code estimated-drop} (estimated performance below its
 *     threshold), {@code live-error} (an online detector on live
 *     error), {@code metric-floor} (a serving metric fell below its floor), {@code schedule}, or
 *     {@code manual}
 * @param detail what exactly, in words (drifted columns, the metric and its value, ...)
 * @param at when the trigger fired
 * @param facts machine-readable details (column names, values)
 */
public record RetrainTrigger(String kind, String detail, Instant at, Map<String, String> facts) {
    /** Copies and checks. */
    public RetrainTrigger {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
        facts = Map.copyOf(facts);
    }
}
