package dev.mlops.api.store;

import dev.mlops.api.Digests;
import java.time.Instant;
import java.util.Objects;

/**
 * What a store knows of one content-addressed blob.
 *
 * @param sha256 lowercase hex SHA-256 of the content; the blob's address
 * @param size length in bytes
 * @param storedAt when the blob was first stored, or last stored again (a dedup hit refreshes
 *     it, so garbage collection with a grace period never removes a blob a writer just reused)
 */
public record BlobInfo(String sha256, long size, Instant storedAt) {
    /** Checks the digest form. */
    public BlobInfo {
        Digests.requireSha256(sha256);
        Objects.requireNonNull(storedAt, "storedAt");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
    }
}
