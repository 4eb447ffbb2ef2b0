package dev.mlops.training;

import dev.mlops.api.DatasetVersion;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.gate.RetrainTrigger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Trainer} and a {@link ContinuousTraining.Gate} get for one run.
 *
 * @param run the run's number, from 1 per {@link ContinuousTraining} instance
 * @param model the model being retrained
 * @param alias the alias a passing candidate receives
 * @param trigger why the run started
 * @param champion the version holding the alias when the run started, if any
 * @param datasets the latest version of each configured dataset, in configuration order
 */
public record TrainingRequest(long run, String model, String alias, RetrainTrigger trigger,
                              Optional<ModelVersion> champion, Map<String, DatasetVersion> datasets) {
    /** Copies and checks. */
    public TrainingRequest {
        Names.requireValid(Names.Kind.MODEL, model);
        Names.requireValid(Names.Kind.ALIAS, alias);
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(champion, "champion");
        datasets = Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
    }

    /**
     * @param name a configured dataset
     * @return its latest version when the run started
     * @throws NotFoundException if it is not one of the run's datasets
     */
    public DatasetVersion dataset(String name) {
        Objects.requireNonNull(name, "name");
        DatasetVersion v = datasets.get(name);
        if (v == null) {
            throw new NotFoundException("dataset " + Names.quote(name) + " is not one of this run's datasets "
                    + datasets.keySet() + ": add it with ContinuousTraining.Builder.datasets(...)");
        }
        return v;
    }
}
