package dev.mlops.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One immutable version of a dataset.
 *
 * @param dataset dataset name
 * @param version version number
 * @param contentSha256 digest of the content ({@link ArtifactManifest#digest()}); registering
 *     identical content again returns this version
 * @param files the stored files
 * @param format {@code csv} or {@code binary}
 * @param rowCount data rows (header excluded) for CSV
 * @param schema inferred or given schema, for CSV
 * @param profileSha256 digest of the stored profile document, if any
 * @param tags labels
 * @param description free text
 * @param sourceUri where it came from, as text
 * @param createdAt registration time
 * @param creator who registered it
 */
public record DatasetVersion(String dataset, int version, String contentSha256, ArtifactManifest files, String format,
                             OptionalLong rowCount, Optional<Schema> schema, Optional<String> profileSha256,
                             Map<String, String> tags, String description, Optional<String> sourceUri,
                             Instant createdAt, String creator) {
    /** Copies and checks. */
    public DatasetVersion {
        Names.requireValid(Names.Kind.DATASET, dataset);
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(rowCount, "rowCount");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(profileSha256, "profileSha256");
        tags = Map.copyOf(tags);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sourceUri, "sourceUri");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(creator, "creator");
    }

    /** @return {@code dataset/version} */
    public DatasetRef ref() {
        return new DatasetRef(dataset, version);
    }

    /** @return total size of the files in bytes */
    public long sizeBytes() {
        return files.totalSize();
    }
}
