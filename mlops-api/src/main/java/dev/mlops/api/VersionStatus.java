package dev.mlops.api;

/** Lifecycle state of a model version. */
public enum VersionStatus {
    /** Listed and usable. */
    ACTIVE,
    /** Hidden from default listings, still resolvable and loadable. */
    ARCHIVED
}
