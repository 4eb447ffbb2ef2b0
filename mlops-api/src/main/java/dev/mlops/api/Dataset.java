package dev.mlops.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A named dataset in the catalog: the container of its versions.
 *
 * @param name dataset name
 * @param tags labels
 * @param createdAt when the first version was registered
 * @param latestVersion highest version number known
 */
public record Dataset(String name, Map<String, String> tags, Instant createdAt, int latestVersion) {
    /** Copies and checks. */
    public Dataset {
        Names.requireValid(Names.Kind.DATASET, name);
        tags = Map.copyOf(tags);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
