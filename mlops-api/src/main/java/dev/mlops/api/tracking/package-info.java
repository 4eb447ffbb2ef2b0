/**
 * Experiment tracking: {@link dev.mlops.api.tracking.Experiment experiments} group
 * {@link dev.mlops.api.tracking.Run runs}; a run records parameters, tags, metric histories by
 * step (a training curve), input datasets, output artifacts and the model versions registered
 * from it, its status and times. {@link dev.mlops.api.tracking.Tracking} reads and searches
 * them, {@link dev.mlops.api.tracking.ActiveRun} logs to one from a training loop. The model
 * follows MLflow's tracking: parameters are written once, metrics are many values per key by
 * step, a search takes a small filter ({@link dev.mlops.api.tracking.RunFilter}) and an order
 * ({@link dev.mlops.api.tracking.RunOrder}). The implementation lives in {@code dev.mlops.core}.
 */
package dev.mlops.api.tracking;
