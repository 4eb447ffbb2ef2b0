package dev.mlops.api.tracking;

import dev.mlops.api.ConflictException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.PageRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Experiments and their runs, in the same store as the registry. See {@code docs/tracking.md}.
 */
public interface Tracking {

    /**
     * Starts a run, creating the experiment on first use.
     *
     * @param experiment the experiment's name
     * @param spec what the run starts with
     * @return its logger; closing it ends the run {@link RunStatus#FINISHED}
     * @throws NotFoundException if an input dataset version does not exist
     */
    ActiveRun startRun(String experiment, NewRun spec);

    /**
     * Opens a logger for a run started elsewhere (another process or thread), to log to it as
     * well. Closing it flushes and leaves the run running.
     *
     * @param runId the run
     * @return a logger of that run
     * @throws NotFoundException if there is no such run
     * @throws ConflictException if it has ended
     */
    ActiveRun resumeRun(String runId);

    /**
     * @param runId a run id
     * @return the run, if it exists
     */
    Optional<Run> findRun(String runId);

    /**
     * @param runId a run id
     * @return the run
     * @throws NotFoundException if it does not exist
     */
    Run run(String runId);

    /**
     * @param name experiment name
     * @return the experiment, if it exists
     */
    Optional<Experiment> findExperiment(String name);

    /**
     * @param page which page, in name order
     * @return one page of experiments
     */
    Page<Experiment> listExperiments(PageRequest page);

    /**
     * Every stored point of a metric, in stored order: the points one logger gave for the key
     * keep their order; points of concurrent loggers are interleaved batch by batch.
     *
     * @param runId the run
     * @param key metric name
     * @return the points; empty if the run never logged the metric
     * @throws NotFoundException if the run does not exist
     */
    List<MetricPoint> metricHistory(String runId, String key);

    /**
     * Opens one file of an artifact the run stored with {@link ActiveRun#logArtifact}, verified
     * while read.
     *
     * @param runId the run
     * @param name the artifact's name in the run
     * @param path the file's path in the artifact's manifest
     * @return a stream the caller closes
     * @throws NotFoundException if the run, the artifact or the path does not exist
     */
    java.io.InputStream openArtifact(String runId, String name, String path);

    /**
     * Finds runs by a filter over their params, latest metrics, tags and attributes, sorted and
     * paged.
     *
     * @param query experiments, filter, order and page
     * @return one page of matching runs
     * @throws IllegalArgumentException if the page token is not one this query returned
     */
    Page<Run> searchRuns(RunQuery query);

    /**
     * Compares runs side by side: every parameter (and which differ), every metric's latest point,
     * and, if {@code historyKey} is given, that metric's whole history in each run aligned by step.
     *
     * @param runIds 2 to {@link RunComparison#MAX_RUNS} run ids, each once; the comparison keeps their order
     * @param historyKey a metric whose curves to align by step, or empty for none
     * @return the comparison
     * @throws IllegalArgumentException if fewer than 2 or more than {@link RunComparison#MAX_RUNS} ids
     *     are given, or an id is given twice
     * @throws dev.mlops.api.InvalidNameException if an id is not a run id or the key not a metric name
     * @throws NotFoundException if a run does not exist; the message names it
     */
    RunComparison compareRuns(List<String> runIds, Optional<String> historyKey);

    /**
     * @param runId the run
     * @param key tag key
     * @param value tag value
     * @return the updated run; tags may change after the run ended
     */
    Run setRunTag(String runId, String key, String value);

    /**
     * Ends a run from outside its logger (a scheduler that killed the job). Points still buffered
     * in the run's loggers are then refused when they are flushed.
     *
     * @param runId the run
     * @param status a terminal status
     * @return the run as stored
     * @throws ConflictException if it already ended with another status
     */
    Run endRun(String runId, RunStatus status);

    /**
     * Marks every {@linkplain Run#isAbandoned abandoned} run {@link RunStatus#FAILED}, with the tag
     * {@code mlops.abandoned} holding the time of its last heartbeat. A run whose logger beats
     * again before it is marked is left alone.
     *
     * @param timeout how long a live logger may stay silent; longer than the heartbeat interval
     * @return the runs marked failed
     */
    List<Run> failAbandoned(Duration timeout);
}
