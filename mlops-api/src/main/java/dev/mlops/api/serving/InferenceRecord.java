package dev.mlops.api.serving;

import dev.mlops.api.ModelRef;
import java.time.Instant;
import java.util.Objects;

/**
 * One logged prediction.
 *
 * @param predictionId the prediction's id
 * @param time when it was made
 * @param version the version that answered
 * @param route which path answered
 * @param input what the model got (as the service's feature mapping produced it)
 * @param output what it answered; null when it threw
 * @param latencyNanos time spent in the model
 */
public record InferenceRecord(String predictionId, Instant time, ModelRef.Version version, Prediction.Route route,
                              Object input, Object output, long latencyNanos) {
    /** Checks arguments. */
    public InferenceRecord {
        Objects.requireNonNull(predictionId, "predictionId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(route, "route");
    }
}
