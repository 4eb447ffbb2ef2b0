package dev.mlops.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named model: the container of its versions and aliases.
 *
 * @param name model name
 * @param description free text
 * @param tags labels
 * @param aliases alias name to the version it points at
 * @param createdAt when the model was created
 * @param updatedAt last change of the model document (alias move, tag, new version)
 * @param latestVersion the highest version number known, 0 before the first version
 */
public record RegisteredModel(String name, String description, Map<String, String> tags,
                              Map<String, Integer> aliases, Instant createdAt, Instant updatedAt, int latestVersion) {
    /** Copies and checks. */
    public RegisteredModel {
        Names.requireValid(Names.Kind.MODEL, name);
        Objects.requireNonNull(description, "description");
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * @param alias an alias name
     * @return the version it points at, if set
     */
    public Optional<Integer> alias(String alias) {
        return Optional.ofNullable(aliases.get(alias));
    }
}
