package dev.mlops.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable, numbered version of a registered model. Only its tags, description and status
 * change after registration; its artifact, metrics, parameters and lineage never do.
 *
 * @param model model name
 * @param number version number, 1, 2, 3... per model, never reused (as {@link ModelRef.Version#number()})
 * @param format artifact format, such as {@code onnx}, {@code tribuo}, {@code java-function}
 * @param artifact the stored files
 * @param signature inputs and outputs
 * @param params training parameters
 * @param metrics evaluation metrics (finite numbers)
 * @param tags mutable labels
 * @param attachments named documents stored with the version (such as a drift baseline
 *     profile), name to blob digest
 * @param description free text
 * @param createdAt registration time
 * @param creator who registered it
 * @param environment the runtime it was registered from
 * @param lineage datasets, parent version, code reference
 * @param status active or archived
 * @param aliases the aliases pointing at this version when it was read
 */
public record ModelVersion(String model, int number, String format, ArtifactManifest artifact, Signature signature,
                           Map<String, String> params, Map<String, Double> metrics, Map<String, String> tags,
                           Map<String, String> attachments, String description, Instant createdAt, String creator,
                           Environment environment, Lineage lineage, VersionStatus status, List<String> aliases) {
    /** Copies collections and checks arguments. */
    public ModelVersion {
        Names.requireValid(Names.Kind.MODEL, model);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(signature, "signature");
        params = Map.copyOf(params);
        metrics = Map.copyOf(metrics);
        tags = Map.copyOf(tags);
        attachments = Map.copyOf(attachments);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(status, "status");
        aliases = List.copyOf(aliases);
    }

    /** @return the pinned reference {@code model/number} */
    public ModelRef.Version ref() {
        return new ModelRef.Version(model, number);
    }
}
