package dev.mlops.api.serving;

import dev.mlops.api.ModelRef;

/**
 * Told the duration of each model call a {@link ModelService} times, on the request thread,
 * right after the call returned or threw: the same reading the service adds to its own latency
 * histogram ({@link VersionMetrics#latency()}), handed over as it is. Subscribe with
 * {@link ModelService#onLatency}; a Micrometer {@code Timer} is fed this way.
 *
 * <p>While nobody listens, the request path pays one volatile read for this hook. A listener
 * is on that path, so it must be fast, thread-safe and must not allocate or block; one that
 * throws is logged once and ignored, never failing the request.
 */
@FunctionalInterface
public interface LatencyListener {

    /**
     * One timed model call.
     *
     * @param version the version whose model was called (a fallback version for the call it
     *     answered)
     * @param failed true when the model threw
     * @param inputs 1 for {@code predict}, the batch size for {@code predictAll}
     * @param nanos the whole call, measured with {@code System.nanoTime()}
     */
    void timed(ModelRef.Version version, boolean failed, int inputs, long nanos);
}
