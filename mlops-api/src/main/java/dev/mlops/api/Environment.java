package dev.mlops.api;

import java.util.Map;
import java.util.Objects;

/**
 * The runtime a model version was registered from, captured automatically.
 *
 * @param javaVersion {@code java.version}
 * @param os {@code os.name} and {@code os.arch}
 * @param libraryVersion the mlops-java version
 * @param extra anything else the caller adds (library versions of the ML framework, ...)
 */
public record Environment(String javaVersion, String os, String libraryVersion, Map<String, String> extra) {
    /** Copies and checks. */
    public Environment {
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        extra = Map.copyOf(extra);
    }
}
