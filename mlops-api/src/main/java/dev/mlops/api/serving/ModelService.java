package dev.mlops.api.serving;

import dev.mlops.api.ModelRef;
import java.util.List;
import java.util.function.Consumer;

/**
 * A model served by version: follows a reference (usually {@code name@production}), loads the
 * version it points at, and swaps in a new version atomically when the alias moves, without
 * failing a request. Built by {@code ModelServiceBuilder.serve(mlops, ref, loader)}. Thread-safe.
 *
 * @param <I> input type
 * @param <O> output type
 */
public interface ModelService<I, O> extends AutoCloseable {

    /**
     * @param input one input
     * @return the output of the version serving now (or of the fallback)
     * @throws PredictionException if the model throws and no fallback is configured
     */
    O predict(I input);

    /**
     * Predicts with a request key: with a traffic split, one key always reaches the same version.
     *
     * @param requestKey a stable key such as a user id
     * @param input one input
     * @return the output
     */
    O predict(String requestKey, I input);

    /**
     * @param inputs a batch
     * @return outputs in order, all from one version
     */
    List<O> predictAll(List<I> inputs);

    /**
     * @param input one input
     * @return output, version, prediction id and route
     */
    Prediction<O> predictDetailed(I input);

    /**
     * @param requestKey a stable key for sticky traffic splits
     * @param input one input
     * @return output, version, prediction id and route
     */
    Prediction<O> predictDetailed(String requestKey, I input);

    /** @return what the service follows */
    ModelRef ref();

    /** @return the version serving now */
    ModelRef.Version currentVersion();

    /**
     * Checks the reference now and, if it moved, loads, warms up and swaps in the new version
     * before returning. A version that fails to load, or takes longer than the service's load
     * timeout, leaves the old one serving and is reported as a {@link ServiceEvent.LoadFailed}
     * (stage {@code timeout} for the latter). The wait for a back-off is skipped.
     *
     * @return the version serving after the check
     * @throws IllegalStateException if the service is closed, or was closed during the refresh
     */
    ModelRef.Version refresh();

    /**
     * Joins ground truth to an earlier prediction, for live error per version.
     *
     * @param predictionId the id from {@link Prediction#predictionId()}
     * @param actual the true value
     * @return true if the prediction was still known (recent predictions are kept in a bounded window)
     */
    boolean feedback(String predictionId, O actual);

    /** @return a snapshot of the counters */
    ServiceMetrics metrics();

    /**
     * @param listener called for every event, on a service thread; must not block
     * @return a handle; {@code close()} on it unsubscribes, and throws nothing
     */
    dev.mlops.api.Subscription onEvent(Consumer<? super ServiceEvent> listener);

    /**
     * Subscribes to the duration of every model call the service times, as it happens, on the
     * request thread (see {@link LatencyListener} for what a listener may do there). Without a
     * subscriber the request path pays one volatile read for this.
     *
     * @param listener told each timed call; must be fast, must not block or throw
     * @return a handle; {@code close()} on it unsubscribes, and throws nothing
     */
    dev.mlops.api.Subscription onLatency(LatencyListener listener);

    /**
     * Changes the challenger's share of the traffic at once, without loading anything: the split
     * a guarded rollout moves step by step. Keys stay sticky and the split is monotone: a key the
     * challenger answers at one share it answers at every larger share.
     *
     * @param share from 0 to 1
     * @throws IllegalStateException if the service was built without a challenger
     * @throws IllegalArgumentException if {@code share} is not a number from 0 to 1
     */
    void setChallengerShare(double share);

    /** @return the challenger's share of the traffic, as last set; 0 without a challenger */
    double challengerShare();

    /**
     * Stops following the alias, abandons a load in progress, waits for calls in flight and
     * closes every loaded model, waiting at most the service's close timeout: a model still in
     * use then is closed by the last call out of it, and a model a loader returns later is
     * closed unused. Idempotent.
     */
    @Override
    void close();
}
