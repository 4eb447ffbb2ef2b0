package dev.mlops.core;

/** A parsed document and the revision it was read at, for compare-and-set. */
record Versioned<T>(T value, long revision) {
}
