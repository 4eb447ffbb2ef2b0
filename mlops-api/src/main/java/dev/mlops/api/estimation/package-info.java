/**
 * Value types of label-free performance estimation over served predictions: a monitored window's
 * estimated and realized metrics, with their sampling errors, thresholds and alerts. The
 * estimation itself lives in {@code dev.mlops.estimation}; a retrain policy reads these types.
 */
package dev.mlops.api.estimation;
