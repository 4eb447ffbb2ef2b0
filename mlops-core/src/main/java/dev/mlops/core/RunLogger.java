package dev.mlops.core;

import dev.mlops.api.Artifact;
import dev.mlops.api.ConflictException;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.Names;
import dev.mlops.api.tracking.ActiveRun;
import dev.mlops.api.tracking.Run;
import dev.mlops.api.tracking.RunStatus;
import dev.mlops.core.RunDocs.PointDoc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ActiveRun}: metric points go into one buffer under a short lock; the call that fills it
 * to the batch size writes the batch (and so waits for it), which bounds memory to the batch size
 * plus one point per logging thread. One flush at a time (the flush lock), and a flush takes the
 * whole buffer at its start, so batches are stored in the order they were filled.
 */
final class RunLogger implements ActiveRun {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunLogger.class);

    /** One buffered point. */
    record Pending(String key, long step, long timestamp, double value) {
    }

    private final StoreTracking tracking;
    private final String id;
    private final boolean starter;
    private final int batchSize;
    private final Object bufferLock = new Object();
    private List<Pending> buffer;
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Guarded by {@link #flushLock}: the chunk each metric tries next, and latest points not yet in the run document. */
    private final Map<String, Integer> nextChunk = new HashMap<>();
    private final Map<String, PointDoc> latest = new HashMap<>();
    /** Metric names already checked, so that a hot loop checks each name once. */
    private final Map<String, Boolean> checkedNames = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> heartbeat;
    private volatile boolean ended;
    private volatile boolean closed;

    RunLogger(StoreTracking tracking, String id, boolean starter) {
        this.tracking = tracking;
        this.id = id;
        this.starter = starter;
        this.batchSize = tracking.batchSize();
        this.buffer = new ArrayList<>(batchSize);
        this.heartbeat = tracking.scheduleHeartbeat(this::beat);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void logParam(String key, String value) {
        logParams(Map.of(Names.requireValid(Names.Kind.PARAMETER, key), Objects.requireNonNull(value, "value")));
    }

    @Override
    public void logParams(Map<String, String> params) {
        Objects.requireNonNull(params, "params");
        requireOpen();
        tracking.logParams(id, params);
    }

    @Override
    public void logMetric(String key, double value) {
        logMetric(key, value, 0);
    }

    @Override
    public void logMetric(String key, double value, long step) {
        if (checkedNames.get(key) == null) {
            Names.requireValid(Names.Kind.METRIC, key);
            checkedNames.put(key, Boolean.TRUE);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric " + Names.quote(key) + " must be a finite number, was " + value
                    + " (step " + step + ")");
        }
        if (step < 0) {
            throw new IllegalArgumentException("metric " + Names.quote(key) + ": step must be >= 0, was " + step);
        }
        Pending p = new Pending(key, step, tracking.clock().millis(), value);
        boolean full;
        synchronized (bufferLock) {
            requireOpen();
            buffer.add(p);
            full = buffer.size() >= batchSize;
        }
        if (full) {
            flush();
        }
    }

    @Override
    public void setTag(String key, String value) {
        tracking.setRunTag(id, key, value);
    }

    @Override
    public void logInput(DatasetRef dataset) {
        requireOpen();
        tracking.logInput(id, dataset);
    }

    @Override
    public void logArtifact(String name, Artifact artifact) {
        requireOpen();
        tracking.logArtifact(id, name, artifact);
    }

    @Override
    public void flush() {
        write();
    }

    /**
     * Writes the buffer.
     *
     * @return true if points were written (the run document's heartbeat then moved too)
     */
    private boolean write() {
        flushLock.lock();
        try {
            List<Pending> batch;
            synchronized (bufferLock) {
                if (buffer.isEmpty() && latest.isEmpty()) {
                    return false;
                }
                batch = buffer;
                buffer = new ArrayList<>(batchSize);
            }
            Map<String, List<Pending>> byKey = new LinkedHashMap<>();
            for (Pending p : batch) {
                // sized for the whole batch: a loop logs few metrics, and regrowing cost more than the slack
                byKey.computeIfAbsent(p.key(), k -> new ArrayList<>(batch.size())).add(p);
            }
            try {
                tracking.appendPoints(id, byKey, nextChunk, latest);
            } catch (ConflictException ended) {
                // the run ended elsewhere: nothing buffered can be stored any more
                synchronized (bufferLock) {
                    buffer.clear();
                }
                latest.clear();
                throw ended;
            } catch (RuntimeException failed) {
                // keep what was not stored, ahead of what came since, so the order per key holds
                List<Pending> kept = new ArrayList<>();
                byKey.values().forEach(kept::addAll);
                synchronized (bufferLock) {
                    kept.addAll(buffer);
                    buffer = kept;
                }
                throw failed;
            }
            return true;
        } finally {
            flushLock.unlock();
        }
    }

    @Override
    public void heartbeat() {
        if (!write()) {
            tracking.touch(id);
        }
    }

    private void beat() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of run {} failed: {}", id, e.getMessage());
        }
    }

    @Override
    public Run end(RunStatus status) {
        Objects.requireNonNull(status, "status");
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a run ends FINISHED, FAILED or KILLED, not " + status);
        }
        try {
            if (!ended) {
                flush();
            }
        } finally {
            stopHeartbeat();
        }
        Run run = tracking.endRun(id, status);
        ended = true;
        return run;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (!ended) {
                flush();
                if (starter) {
                    tracking.end(id, RunStatus.FINISHED, true);
                    ended = true;
                }
            }
        } finally {
            closed = true;
            stopHeartbeat();
        }
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }

    private void requireOpen() {
        if (ended || closed) {
            throw new ConflictException("the logger of run " + id + " is " + (ended ? "ended" : "closed")
                    + "; resume the run with Tracking.resumeRun to log more while it runs");
        }
    }
}
