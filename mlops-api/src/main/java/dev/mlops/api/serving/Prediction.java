package dev.mlops.api.serving;

import dev.mlops.api.ModelRef;
import java.util.Objects;

/**
 * One answer of a {@link ModelService} with where it came from.
 *
 * @param output the output
 * @param servedBy the version that produced it (for a fallback function: the version that failed)
 * @param predictionId unique id, to join {@link ModelService#feedback feedback} and the inference log
 * @param route which path answered
 * @param <O> output type
 */
public record Prediction<O>(O output, ModelRef.Version servedBy, String predictionId, Route route) {
    /** Checks arguments. */
    public Prediction {
        Objects.requireNonNull(servedBy, "servedBy");
        Objects.requireNonNull(predictionId, "predictionId");
        Objects.requireNonNull(route, "route");
    }

    /** Which path of the service answered a request. */
    public enum Route {
        /** The version the followed alias points at. */
        PRIMARY,
        /** The challenger of a traffic split. */
        CHALLENGER,
        /** The fallback, after the model threw. */
        FALLBACK
    }
}
