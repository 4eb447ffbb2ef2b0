package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;

/**
 * A multivariate drift method fitted on reference data: it computes the method's value on each
 * chunk of new data and compares it with the thresholds taken from the reference. Safe to share
 * between threads; each call works on its own copies.
 */
public interface FittedMultivariateDrift {

    /**
     * @param analysis data with (at least) the fitted columns, of the same types
     * @return the value per chunk of {@code analysis}, with the reference chunks' values and the thresholds
     * @throws dev.mlops.api.ValidationException if a column is missing or of another type, the data has
     *     no rows, or a value is not allowed (named in the message)
     */
    MultivariateDriftResult calculate(Frame analysis);

    /** @return the reference chunks' values and the thresholds derived from them (no analysis chunks) */
    MultivariateDriftResult referenceResult();
}
