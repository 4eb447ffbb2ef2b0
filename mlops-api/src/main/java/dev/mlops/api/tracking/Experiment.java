package dev.mlops.api.tracking;

import dev.mlops.api.Names;
import java.time.Instant;
import java.util.Objects;

/**
 * A named group of runs, such as all tries at one model. Created on first use by
 * {@link Tracking#startRun}.
 *
 * @param name the experiment's name, a {@link Names.Kind#MODEL model-like} name
 * @param createdAt when its first run started
 * @param creator who started that run
 */
public record Experiment(String name, Instant createdAt, String creator) {
    /** Checks. */
    public Experiment {
        Names.requireValid(Names.Kind.MODEL, name);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(creator, "creator");
    }
}
