package dev.mlops.api.serving;

import dev.mlops.api.ModelRef;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a {@link ModelService}'s metrics: enough to build a Micrometer binder on.
 *
 * @param service the service's name
 * @param versions per-version counters, every version served since start
 * @param shadowDropped shadow requests dropped because the shadow queue was full
 * @param logDropped inference-log records dropped (queue full or write failure)
 * @param observerErrors input and output observers that threw
 */
public record ServiceMetrics(String service, List<VersionMetrics> versions, long shadowDropped, long logDropped,
                             long observerErrors) {
    /** Copies and checks. */
    public ServiceMetrics {
        Objects.requireNonNull(service, "service");
        versions = List.copyOf(versions);
    }

    /**
     * @param version a version
     * @return its counters, if it served
     */
    public Optional<VersionMetrics> version(ModelRef.Version version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }
}
