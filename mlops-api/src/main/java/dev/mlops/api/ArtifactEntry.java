package dev.mlops.api;


/**
 * One file of a stored artifact.
 *
 * @param path relative {@code /}-separated path inside the artifact, checked by
 *     {@link Names#requireValidPath}
 * @param sha256 digest of the file's content (the blob's address)
 * @param size length in bytes
 */
public record ArtifactEntry(String path, String sha256, long size) {
    /** Checks arguments. */
    public ArtifactEntry {
        Names.requireValidPath(path);
        Digests.requireSha256(sha256);
        if (size < 0) {
            throw new ValidationException("size of " + Names.quote(path) + " must be >= 0, was " + size);
        }
    }
}
