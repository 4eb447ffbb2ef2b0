package dev.mlops.api.serving;

import dev.mlops.api.ModelRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Something that happened to a {@link ModelService}, delivered to its listeners. */
public sealed interface ServiceEvent {

    /** @return when it happened */
    Instant at();

    /**
     * A new version now serves.
     *
     * @param at when
     * @param from the version it replaced, if any
     * @param to the version now serving
     */
    record Swapped(Instant at, Optional<ModelRef.Version> from, ModelRef.Version to) implements ServiceEvent {
        /** Checks arguments. */
        public Swapped {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * A version could not be loaded or warmed up, or not within the load timeout; the previous
     * one keeps serving.
     *
     * @param at when
     * @param version the version that failed
     * @param stage {@code load}, {@code warm-up}, or {@code timeout} (the load took longer than the
     *     service's load timeout, or an earlier load that did has not returned yet)
     * @param message what went wrong
     * @param attempt how many consecutive attempts have failed
     * @param retryIn when the next attempt is due
     */
    record LoadFailed(Instant at, ModelRef.Version version, String stage, String message, int attempt, Duration retryIn)
            implements ServiceEvent {
        /** Checks arguments. */
        public LoadFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryIn, "retryIn");
        }
    }

    /**
     * The model threw for a request.
     *
     * @param at when
     * @param version the version that threw
     * @param message the exception's message
     * @param fellBack true when a fallback answered instead
     */
    record PredictionFailed(Instant at, ModelRef.Version version, String message, boolean fellBack)
            implements ServiceEvent {
        /** Checks arguments. */
        public PredictionFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(message, "message");
        }
    }
}
