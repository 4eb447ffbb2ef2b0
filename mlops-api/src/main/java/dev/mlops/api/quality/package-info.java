/**
 * Value types of quality measurement: data-validation constraints and results, evaluation data
 * and metric reports, bootstrap intervals and paired comparisons, fairness slices and gaps,
 * permutation feature importance, latency measurements. Every check or metric carries a
 * {@code name}, an observed value and, where a threshold belongs to the check itself, a
 * {@link dev.mlops.api.quality.Verdict}, so that a promotion gate can evaluate them uniformly.
 * The computations live in {@code dev.mlops.core}.
 */
package dev.mlops.api.quality;
