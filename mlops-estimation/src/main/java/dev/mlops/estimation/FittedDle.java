package dev.mlops.estimation;

import java.util.List;

/**
 * A DLE estimator fitted on a reference: it estimates a regression model's metrics on data whose
 * targets are not known yet. Instances are immutable and safe to share between threads (the
 * nanny models answer one call at a time).
 */
public interface FittedDle {

    /**
     * @param analysis the same model's outputs on new rows, with the reference's features; targets are
     *                 not used for the estimates, but when present each chunk also carries its realized value
     * @return the estimates per chunk, one list per metric (named by {@link DleMetric#columnName()}),
     *         with sampling-error bands, thresholds and alerts
     * @throws dev.mlops.api.ValidationException if the data has no rows, other features than the
     *         reference, negative values for a log metric, or lacks timestamps that the chunking needs
     */
    EstimationResult estimate(RegressionOutputs analysis);

    /** @return the estimates on the reference's own chunks, with their realized values (NannyML's reference period) */
    EstimationResult reference();

    /** @return the metrics estimated, in the order asked for */
    List<DleMetric> metrics();
}
