package dev.mlops.core;

import dev.mlops.api.ArtifactEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stored forms of tracking: an experiment ({@code experiments/NAME}), a run ({@code runs/ID}),
 * and the chunks of a run's metric ({@code runs/ID/metrics/HASH/N}, numbered from 1 without gaps
 * by create-if-absent). A run document is replaced whole by compare-and-set; a chunk is written
 * once. Timestamps of points are milliseconds since the epoch, as in MLflow.
 */
final class RunDocs {
    static final int SCHEMA_VERSION = StoredDocuments.DOCUMENT_SCHEMA_VERSION;

    private RunDocs() {
    }

    /** An experiment, created with its first run. */
    record ExperimentDoc(int schemaVersion, String name, String createdAt, String creator) {
    }

    /** A metric's latest point. */
    record PointDoc(long step, long timestamp, double value) {
    }

    /**
     * A run. {@code metricChunks} is, per metric, a lower bound of its number of chunks: loggers
     * start probing for the next free chunk number there.
     */
    record RunDoc(int schemaVersion, String runId, String experiment, String name, String status, String startTime,
                  String endTime, String heartbeatAt, Map<String, String> params, Map<String, String> tags,
                  Map<String, PointDoc> metrics, Map<String, Integer> metricChunks, List<String> inputs,
                  List<String> models, Map<String, List<ArtifactEntry>> artifacts, String codeRef,
                  VersionDoc.EnvironmentDoc environment, String creator) {
        RunDoc {
            name = name == null ? "" : name;
            params = params == null ? Map.of() : new TreeMap<>(params);
            tags = tags == null ? Map.of() : new TreeMap<>(tags);
            metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
            metricChunks = metricChunks == null ? Map.of() : new TreeMap<>(metricChunks);
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
            models = models == null ? List.of() : List.copyOf(models);
            artifacts = artifacts == null ? Map.of() : new TreeMap<>(artifacts);
        }

        RunDoc withParams(Map<String, String> p, String now) {
            return new RunDoc(schemaVersion, runId, experiment, name, status, startTime, endTime, now, p, tags,
                    metrics, metricChunks, inputs, models, artifacts, codeRef, environment, creator);
        }

        RunDoc withTags(Map<String, String> t) {
            return new RunDoc(schemaVersion, runId, experiment, name, status, startTime, endTime, heartbeatAt, params, t,
                    metrics, metricChunks, inputs, models, artifacts, codeRef, environment, creator);
        }

        RunDoc withMetrics(Map<String, PointDoc> m, Map<String, Integer> chunks, String now) {
            return new RunDoc(schemaVersion, runId, experiment, name, status, startTime, endTime, now, params, tags,
                    m, chunks, inputs, models, artifacts, codeRef, environment, creator);
        }

        RunDoc withHeartbeat(String now) {
            return new RunDoc(schemaVersion, runId, experiment, name, status, startTime, endTime, now, params, tags,
                    metrics, metricChunks, inputs, models, artifacts, codeRef, environment, creator);
        }

        RunDoc withInput(String dataset, String now) {
            List<String> i = new ArrayList<>(inputs);
            i.add(dataset);
            return new RunDoc(schemaVersion, runId, experiment, name, status, startTime, endTime, now, params, tags,
                    metrics, metricChunks, i, models, artifacts, codeRef, environment, creator);
        }

        RunDoc withModel(String version) {
            List<String> m = new ArrayList<>(models);
            m.add(version);
            return new RunDoc(schemaVersion, runId, experiment, name, status, startTime, endTime, heartbeatAt, params,
                    tags, metrics, metricChunks, inputs, m, artifacts, codeRef, environment, creator);
        }

        RunDoc withArtifact(String artifactName, List<ArtifactEntry> entries, String now) {
            Map<String, List<ArtifactEntry>> a = new TreeMap<>(artifacts);
            a.put(artifactName, entries);
            return new RunDoc(schemaVersion, runId, experiment, name, status, startTime, endTime, now, params, tags,
                    metrics, metricChunks, inputs, models, a, codeRef, environment, creator);
        }

        RunDoc ended(String s, String now, Map<String, String> t) {
            return new RunDoc(schemaVersion, runId, experiment, name, s, startTime, now, heartbeatAt, params, t,
                    metrics, metricChunks, inputs, models, artifacts, codeRef, environment, creator);
        }
    }

    /** Points of one metric, as three columns of equal length, in the order they were logged. */
    record MetricChunkDoc(int schemaVersion, String run, String key, long[] steps, long[] timestamps,
                          double[] values) {
    }
}
