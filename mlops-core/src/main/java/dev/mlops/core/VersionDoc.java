package dev.mlops.core;

import dev.mlops.api.ArtifactEntry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stored form of a model version (key {@code models/NAME/versions/N}). Created once with
 * create-if-absent, which is the commit point of a registration. A deleted version becomes a
 * tombstone ({@code deleted = true}, no artifact) so its number is never allocated again.
 * {@code updatedAt} is the time of the last change after registration (absent in documents
 * written before it existed, and until the first change): verification leaves a version
 * changed within its grace period alone, since its writer may still be appending the entry.
 * {@code registration} is a random id of the registration call that made the document (so a
 * writer that reads back after an ambiguous failure knows the document is its own), and
 * {@code idempotencyKey} the caller's key, if it gave one.
 */
record VersionDoc(int schemaVersion, String model, int version, boolean deleted, String format,
                  List<ArtifactEntry> artifact, SignatureDoc signature, Map<String, String> params,
                  Map<String, Double> metrics, Map<String, String> tags, Map<String, String> attachments,
                  String description, String createdAt, String creator, EnvironmentDoc environment,
                  LineageDoc lineage, String status, String updatedAt, String registration, String idempotencyKey) {

    static final int SCHEMA_VERSION = StoredDocuments.DOCUMENT_SCHEMA_VERSION;

    VersionDoc {
        artifact = artifact == null ? List.of() : List.copyOf(artifact);
        params = params == null ? Map.of() : new TreeMap<>(params);
        metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
        tags = tags == null ? Map.of() : new TreeMap<>(tags);
        attachments = attachments == null ? Map.of() : new TreeMap<>(attachments);
        description = description == null ? "" : description;
        signature = signature == null ? SignatureDoc.NONE : signature;
    }

    VersionDoc withTags(Map<String, String> t, String now) {
        return new VersionDoc(schemaVersion, model, version, deleted, format, artifact, signature, params, metrics,
                t, attachments, description, createdAt, creator, environment, lineage, status, now, registration, idempotencyKey);
    }

    VersionDoc withAttachment(String name, String sha256, String now) {
        Map<String, String> a = new TreeMap<>(attachments);
        a.put(name, sha256);
        return new VersionDoc(schemaVersion, model, version, deleted, format, artifact, signature, params, metrics,
                tags, a, description, createdAt, creator, environment, lineage, status, now, registration, idempotencyKey);
    }

    VersionDoc withStatus(String s, String now) {
        return new VersionDoc(schemaVersion, model, version, deleted, format, artifact, signature, params, metrics,
                tags, attachments, description, createdAt, creator, environment, lineage, s, now, registration, idempotencyKey);
    }

    VersionDoc tombstone() {
        return new VersionDoc(schemaVersion, model, version, true, format, List.of(), null, null, null, null, null,
                null, createdAt, creator, environment, lineage, status, updatedAt, registration, idempotencyKey);
    }

    /** @return when this version last changed: its last change after registration, else its registration */
    String changedAt() {
        return updatedAt == null ? createdAt : updatedAt;
    }

    /** Stored runtime description; versions and runs record it alike. */
    record EnvironmentDoc(String javaVersion, String os, String libraryVersion, Map<String, String> extra) {
        /** The runtime of this process, with the caller's extra entries. */
        static EnvironmentDoc current(Map<String, String> extra) {
            return new EnvironmentDoc(System.getProperty("java.version", "unknown"),
                    System.getProperty("os.name", "unknown") + " " + System.getProperty("os.arch", ""),
                    LibraryVersion.get(), extra);
        }

        /** @return the API form; an absent description (older documents) reads as unknown */
        static dev.mlops.api.Environment toEnvironment(EnvironmentDoc e) {
            return e == null ? new dev.mlops.api.Environment("unknown", "unknown", "unknown", Map.of())
                    : new dev.mlops.api.Environment(e.javaVersion(), e.os(), e.libraryVersion(),
                            e.extra() == null ? Map.of() : e.extra());
        }
    }

    /**
     * Stored lineage; references as text ({@code weather/2}, {@code rain/3}); {@code run} the id
     * of the tracked run it came from (absent in documents written before runs existed).
     */
    record LineageDoc(List<String> trainedOn, List<String> validatedOn, List<String> testedOn, String retrainedFrom,
                      String codeRef, String run) {
        LineageDoc {
            trainedOn = trainedOn == null ? List.of() : List.copyOf(trainedOn);
            validatedOn = validatedOn == null ? List.of() : List.copyOf(validatedOn);
            testedOn = testedOn == null ? List.of() : List.copyOf(testedOn);
        }
    }
}
