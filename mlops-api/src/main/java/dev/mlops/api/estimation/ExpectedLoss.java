package dev.mlops.api.estimation;

/**
 * Estimates, from one served output alone (no label), the expected loss of that prediction: for
 * a classifier whose scores are calibrated, 1 − the calibrated probability of the predicted
 * class, the probability that the prediction is wrong. Its mean over many predictions is then an
 * unbiased estimate of 1 − accuracy (the per-row quantity behind confidence-based performance
 * estimation, CBPE). An API type, so that a consumer (a guarded rollout's estimated-performance
 * guardrail) does not depend on the module that fits the calibration.
 *
 * <p>Called on the request thread: it must be fast, thread-safe and must not block.
 *
 * @param <O> output type
 */
@FunctionalInterface
public interface ExpectedLoss<O> {
    /**
     * @param output one served output
     * @return its expected loss, a finite number (in [0, 1] for a 0-1 loss)
     */
    double expectedLoss(O output);
}
