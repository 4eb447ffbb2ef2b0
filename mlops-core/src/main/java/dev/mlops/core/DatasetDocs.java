package dev.mlops.core;

import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.Schema;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stored forms of the dataset catalog. */
final class DatasetDocs {
    static final int SCHEMA_VERSION = StoredDocuments.DOCUMENT_SCHEMA_VERSION;

    private DatasetDocs() {
    }

    /**
     * Key {@code datasets/NAME}. {@code pending}: made by a registration whose first version may
     * not be committed yet; the dataset exists for readers once it is (see {@code ModelDoc}).
     */
    record DatasetDoc(int schemaVersion, String name, Map<String, String> tags, String createdAt, int latestVersion,
                      Boolean pending) {
        DatasetDoc {
            tags = tags == null ? Map.of() : new TreeMap<>(tags);
            pending = Boolean.TRUE.equals(pending) ? Boolean.TRUE : null;
        }

        static DatasetDoc pending(String name, String now) {
            return new DatasetDoc(SCHEMA_VERSION, name, Map.of(), now, 0, true);
        }

        boolean isPending() {
            return Boolean.TRUE.equals(pending);
        }

        /** @return this document with the hint raised to {@code v}, no longer pending */
        DatasetDoc withLatestVersion(int v) {
            return new DatasetDoc(schemaVersion, name, tags, createdAt, Math.max(v, latestVersion), null);
        }
    }

    /**
     * Key {@code datasets/NAME/versions/N}; a tombstone marks a lost duplicate-content race.
     * {@code updatedAt}: time of the last tag change, absent before the first (and in documents
     * written before it existed).
     */
    record DatasetVersionDoc(int schemaVersion, String dataset, int version, boolean deleted, String contentSha256,
                             List<ArtifactEntry> files, String format, Long rowCount, Schema schema,
                             String profileSha256, Map<String, String> tags, String description, String sourceUri,
                             String createdAt, String creator, String updatedAt) {
        DatasetVersionDoc {
            files = files == null ? List.of() : List.copyOf(files);
            tags = tags == null ? Map.of() : new TreeMap<>(tags);
            description = description == null ? "" : description;
        }

        DatasetVersionDoc withTags(Map<String, String> t, String now) {
            return new DatasetVersionDoc(schemaVersion, dataset, version, deleted, contentSha256, files, format,
                    rowCount, schema, profileSha256, t, description, sourceUri, createdAt, creator, now);
        }

        DatasetVersionDoc tombstone() {
            return new DatasetVersionDoc(schemaVersion, dataset, version, true, contentSha256, List.of(), format,
                    null, null, null, null, null, null, createdAt, creator, updatedAt);
        }

        /** @return when this version last changed: its last tag change, else its registration */
        String changedAt() {
            return updatedAt == null ? createdAt : updatedAt;
        }
    }

    /** Key {@code datasets/NAME/content/SHA256}: which version holds that content. */
    record ContentIndexDoc(int schemaVersion, int version) {
    }
}
