package dev.mlops.api.tracking;

import dev.mlops.api.Artifact;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DatasetRef;
import java.util.Map;

/**
 * A logger for one run, from a training loop. Thread-safe: any number of threads may log through
 * one instance, and any number of instances, in any number of processes, may log to one run
 * ({@link Tracking#resumeRun}).
 *
 * <pre>{@code
 * try (ActiveRun run = mlops.tracking().startRun("rain", NewRun.builder().param("lr", "0.1").build())) {
 *     for (int epoch = 0; epoch < 100; epoch++) {
 *         run.logMetric("loss", train(epoch), epoch);
 *     }
 * } // flushed and FINISHED; call run.end(RunStatus.FAILED) in a catch to record a failure
 * }</pre>
 *
 * <p>Metric points are buffered in memory and written in batches: when the buffer reaches its
 * bound (the writing call then waits for the batch to be stored, so memory stays bounded), on
 * every heartbeat, on {@link #flush()}, and on {@link #end} and {@link #close()}. Each point of a
 * key is stored after the points of that key this instance was given before it. Points still
 * buffered when the process dies are lost; every stored batch is whole. Parameters, tags,
 * inputs and artifacts are written at once.
 */
public interface ActiveRun extends AutoCloseable {

    /** @return the run's id */
    String id();

    /**
     * Records a parameter. A parameter has one value: logging the same value again does nothing,
     * another value is refused.
     *
     * @param key parameter name
     * @param value its value
     * @throws ConflictException if the run has another value for {@code key}, or has ended
     */
    void logParam(String key, String value);

    /**
     * @param params parameters, written together
     * @throws ConflictException if the run has another value for any of them, or has ended; then
     *     none is written
     */
    void logParams(Map<String, String> params);

    /**
     * Buffers a metric point at step 0, timestamped now.
     *
     * @param key metric name
     * @param value a finite number
     */
    void logMetric(String key, double value);

    /**
     * Buffers a metric point, timestamped now. Costs little: the point goes into a buffer that a
     * bounded number of calls share one write of.
     *
     * @param key metric name ({@link dev.mlops.api.Names.Kind#METRIC})
     * @param value a finite number
     * @param step the training step, 0 or more
     * @throws IllegalArgumentException if the value is not finite or the step negative
     * @throws ConflictException if the run has ended (found when the batch is written)
     */
    void logMetric(String key, double value, long step);

    /**
     * @param key tag key
     * @param value tag value
     */
    void setTag(String key, String value);

    /**
     * @param dataset a dataset version the run read; recorded once
     * @throws dev.mlops.api.NotFoundException if it does not exist
     */
    void logInput(DatasetRef dataset);

    /**
     * Stores an output file or directory with the run.
     *
     * @param name the artifact's name in the run (a name, such as {@code confusion-matrix})
     * @param artifact the bytes
     * @throws ConflictException if the run already has an artifact of that name with other content
     */
    void logArtifact(String name, Artifact artifact);

    /** Writes the buffered metric points now. */
    void flush();

    /** Records that the run's process is alive, and writes the buffered points. */
    void heartbeat();

    /**
     * Flushes and ends the run. Ending it again with the same status does nothing.
     *
     * @param status a terminal status
     * @return the run as stored
     * @throws IllegalArgumentException if {@code status} is {@link RunStatus#RUNNING}
     * @throws ConflictException if it already ended with another status
     */
    Run end(RunStatus status);

    /**
     * Flushes and, if this instance started the run and it is still running, ends it
     * {@link RunStatus#FINISHED}. An instance from {@link Tracking#resumeRun} only flushes: the
     * run is its starter's to end. Stops the heartbeat.
     */
    @Override
    void close();
}
