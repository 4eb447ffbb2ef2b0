package dev.mlops.estimation;

import java.util.List;

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
}
