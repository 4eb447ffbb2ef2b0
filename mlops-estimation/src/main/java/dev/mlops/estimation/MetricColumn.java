package dev.mlops.estimation;

import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * One result column: how to estimate it on a chunk, its sampling error for a chunk, its realized
 * value when targets are known, and the range its values (thresholds and bands) are clipped to.
 *
 * @param name NannyML's column name
 * @param lowerLimit the smallest possible value, or negative infinity
 * @param upperLimit the largest possible value, or positive infinity
 * @param estimate the estimate from calibrated probabilities and predictions
 * @param samplingError the standard error for a chunk of n rows (it depends on the reference and n alone)
 * @param realized the value from the chunk's targets (called only when there are targets)
 */
record MetricColumn(String name, double lowerLimit, double upperLimit, ToDoubleFunction<Rows> estimate,
                    IntToDoubleFunction samplingError, ToDoubleFunction<Rows> realized) {
}
