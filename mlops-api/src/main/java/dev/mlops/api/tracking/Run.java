package dev.mlops.api.tracking;

import dev.mlops.api.ArtifactManifest;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.Environment;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One training run as stored: what it was given, what it measured and what it produced. Read with
 * {@link Tracking#run}; a metric's whole curve with {@link Tracking#metricHistory}.
 *
 * @param id 32 lower-case hex digits, unique in the store (as MLflow's run ids)
 * @param experiment the experiment it belongs to
 * @param name a free-text label for people, may be empty
 * @param status where it is in its life
 * @param startTime when it started
 * @param endTime when it ended, empty while {@link RunStatus#RUNNING}
 * @param heartbeatAt when a logger last wrote to it or beat its heart; tells a live run from
 *     one whose process died
 * @param params parameters, each written once
 * @param tags labels, changeable at any time
 * @param metrics each metric's latest point by {@link MetricPoint#LATEST_ORDER}
 * @param inputs dataset versions it read
 * @param models model versions registered from it (their lineage names this run)
 * @param artifacts output files it stored, by name
 * @param codeRef a reference to the training code, such as a git commit
 * @param environment the runtime it started in
 * @param creator who started it
 */
public record Run(String id, String experiment, String name, RunStatus status, Instant startTime,
                  Optional<Instant> endTime, Instant heartbeatAt, Map<String, String> params, Map<String, String> tags,
                  Map<String, MetricPoint> metrics, List<DatasetRef> inputs, List<ModelRef.Version> models,
                  Map<String, ArtifactManifest> artifacts, Optional<String> codeRef, Environment environment,
                  String creator) {

    /** Run ids: 32 lower-case hex digits. */
    public static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    /** Copies and checks. */
    public Run {
        requireValidId(id);
        Names.requireValid(Names.Kind.MODEL, experiment);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        metrics = Map.copyOf(metrics);
        inputs = List.copyOf(inputs);
        models = List.copyOf(models);
        artifacts = Map.copyOf(artifacts);
        Objects.requireNonNull(codeRef, "codeRef");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(creator, "creator");
    }

    /**
     * Whether the run's process is presumed dead: it is still {@link RunStatus#RUNNING} but
     * nothing has written to it or beaten its heart for longer than {@code timeout}. Such a run
     * can be marked failed with {@link Tracking#failAbandoned}.
     *
     * @param now the current time
     * @param timeout how long a live logger may stay silent; longer than its heartbeat interval
     * @return true if abandoned
     */
    public boolean isAbandoned(Instant now, Duration timeout) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(timeout, "timeout");
        return status == RunStatus.RUNNING && heartbeatAt.plus(timeout).isBefore(now);
    }

    /**
     * @param id a caller's run id
     * @return {@code id}
     * @throws InvalidNameException if it is not 32 lower-case hex digits
     */
    public static String requireValidId(String id) {
        return Names.requireValidRunId(id);
    }
}
