package dev.mlops.training;

import dev.mlops.api.NewModelVersion;

/**
 * The user's training code, called by {@link ContinuousTraining} on its executor for each run.
 *
 * <pre>{@code
 * Trainer trainer = request -> {
 *     DatasetVersion data = request.dataset("weather");               // latest version
 *     Path model = train(mlops.datasets().open(data.ref(), "weather.csv"));
 *     return NewModelVersion.builder().artifact(Artifact.file(model)).metric("error_rate", 0.21).build();
 * };
 * }</pre>
 *
 * <p>Return the candidate's artifact and metadata; {@link ContinuousTraining} adds the lineage
 * (the alias holder as {@code retrainedFrom}, the given datasets as {@code trainedOn}) where the
 * candidate does not set it. Throwing (anything) makes the run an audited failure
 * ({@code training.failed}); the loop goes on.
 */
@FunctionalInterface
public interface Trainer {
    /**
     * @param request why, which version is being replaced, and the latest versions of the datasets
     * @return the candidate to register
     * @throws Exception when training fails
     */
    NewModelVersion train(TrainingRequest request) throws Exception;
}
