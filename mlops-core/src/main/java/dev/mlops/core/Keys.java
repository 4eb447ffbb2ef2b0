package dev.mlops.core;

import dev.mlops.api.store.DocumentKey;

/** Where core keeps its documents. One place, so layout changes touch one file. */
final class Keys {
    static final DocumentKey MODELS = DocumentKey.of("models");
    static final DocumentKey DATASETS = DocumentKey.of("datasets");
    static final DocumentKey EXPERIMENTS = DocumentKey.of("experiments");
    static final DocumentKey RUNS = DocumentKey.of("runs");

    private Keys() {
    }

    static DocumentKey model(String name) {
        return MODELS.child(name);
    }

    static DocumentKey versions(String model) {
        return model(model).child("versions");
    }

    static DocumentKey version(String model, int version) {
        return versions(model).child(number(version));
    }

    /** An idempotent registration's claim; the key is hashed because it may hold upper-case letters. */
    static DocumentKey registration(String model, String idempotencyKey) {
        String digest = dev.mlops.api.Digests.sha256Hex(
                idempotencyKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return model(model).child("registrations").child(digest.substring(0, 40));
    }

    static DocumentKey aliasHistory(String model, String alias) {
        return model(model).child("alias-history").child(alias);
    }

    static DocumentKey dataset(String name) {
        return DATASETS.child(name);
    }

    static DocumentKey datasetVersions(String name) {
        return dataset(name).child("versions");
    }

    static DocumentKey datasetVersion(String name, int version) {
        return datasetVersions(name).child(number(version));
    }

    static DocumentKey datasetContent(String name, String sha256) {
        return dataset(name).child("content").child(sha256);
    }

    static DocumentKey experiment(String name) {
        return EXPERIMENTS.child(name);
    }

    static DocumentKey run(String id) {
        return RUNS.child(id);
    }

    /** The chunks of one metric of a run; hashed because a metric name is free text, not a key segment. */
    static DocumentKey metricChunks(String runId, String metric) {
        String digest = dev.mlops.api.Digests.sha256Hex(metric.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return run(runId).child("metrics").child(digest.substring(0, 40));
    }

    static DocumentKey metricChunk(String runId, String metric, int chunk) {
        return metricChunks(runId, metric).child(number(chunk));
    }

    /** Zero-padded so that key order is numeric order. */
    static String number(int version) {
        if (version < 0) {
            return String.format("%010d", version);
        }
        // not String.format: every version key goes through here, and a JVM's first format call
        // costs milliseconds
        String digits = Integer.toString(version);
        return "0000000000".substring(Math.min(10, digits.length())) + digits;
    }

    static int parseNumber(String segment) {
        return Integer.parseInt(segment);
    }
}
