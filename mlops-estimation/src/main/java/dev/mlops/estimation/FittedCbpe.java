package dev.mlops.estimation;

import dev.mlops.api.estimation.ExpectedLoss;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * A CBPE estimator fitted on a reference: it estimates the metrics of data without targets.
 * Instances are immutable and safe to share between threads.
 */
public interface FittedCbpe {

    /**
     * @param analysis the outputs of the same classifier (same classes) on new rows; targets are not used
     *                 for the estimates, but when present each chunk also carries its realized value
     * @return the estimates per chunk, with bands and alerts
     * @throws dev.mlops.api.ValidationException if the data has no rows, other classes than the reference,
     *         or lacks timestamps that the chunking needs
     */
    EstimationResult estimate(ModelOutputs analysis);

    /** @return the estimates on the reference's own chunks, with their realized values (NannyML's reference period) */
    EstimationResult reference();

    /**
     * @return the classes whose probabilities are calibrated by isotonic regression (NannyML's
     *         {@code needs_calibration} said so); for a binary classifier {@code ["1"]} or none
     */
    List<String> calibratedClasses();

    /**
     * CBPE's per-row quantity for one served output of a binary classifier: 1 − the calibrated
     * probability of the predicted class (the reference's isotonic calibration), the probability
     * that this prediction is wrong. Its mean over served outputs estimates 1 − accuracy when the
     * calibration still holds: what a guarded rollout's estimated-loss guardrail compares, with one
     * estimator per arm, each fitted on its own model's reference outputs.
     *
     * @param positiveProbability reads class 1's (uncalibrated) probability, in [0, 1], from an output
     * @param predicted reads the predicted class, 0 or 1
     * @param <O> output type
     * @return the expected loss; it throws {@link IllegalArgumentException} naming a value out of
     *     range, or when this estimator is multiclass
     */
    <O> ExpectedLoss<O> binaryExpectedLoss(ToDoubleFunction<? super O> positiveProbability,
                                           ToIntFunction<? super O> predicted);

    /**
     * As {@link #binaryExpectedLoss}, for a multiclass classifier: each probability through its
     * class's calibrator, the row scaled to sum to one, then 1 − the predicted class's probability.
     *
     * @param probabilities reads an output's probability per class (in the reference's class
     *     order) into a per-thread array and returns the predicted class's index
     * @param <O> output type
     * @return the expected loss; it throws {@link IllegalArgumentException} for a bad row, or
     *     when this estimator is binary
     */
    <O> ExpectedLoss<O> multiclassExpectedLoss(CbpeMonitor.ProbabilityReader<? super O> probabilities);
}
