package dev.mlops.api;

/**
 * Result of removing blobs that no model version, dataset version or attachment references.
 *
 * @param blobsExamined blobs looked at
 * @param blobsDeleted blobs removed
 * @param bytesFreed their total size
 */
public record GarbageCollection(long blobsExamined, long blobsDeleted, long bytesFreed) {
}
