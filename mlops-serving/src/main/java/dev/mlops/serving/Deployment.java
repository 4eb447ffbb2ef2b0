package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.serving.Model;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of a model, immutable apart from its reference count. The service holds
 * one reference while the deployment is live; each request holds one while it calls the model.
 *
 * <p>Protocol: {@link #tryAcquire} adds one and succeeds unless the count was already negative
 * (closed). {@link #release} subtracts one; the thread that brings the count to zero then
 * tries to move it from 0 to {@link #CLOSED} by compare-and-set, and only the winner closes the
 * model. After that every acquire fails, so no request ever calls a closed model. The service
 * publishes its successor in the volatile slot <em>before</em> dropping its own reference
 * ({@link #retire}), so a request that lost the race re-reads the slot and finds the new
 * deployment. A request that read the old deployment just before the swap may still acquire it
 * while the count is 0 but before the CAS; the CAS then fails and that request, releasing last,
 * closes it. Either way the model is closed exactly once, by whoever drops the last reference,
 * and never while a call is inside it.
 *
 * <p>The winner does not close the model itself: it hands the close to the service's closer
 * thread, so a request that happens to release last does not pay for closing a model (an ONNX
 * session's close takes milliseconds). Only once the closer has shut down (the service closed
 * and its close timeout passed) does the releasing thread close the model itself.
 *
 * @param <I> input type
 * @param <O> output type
 */
final class Deployment<I, O> {
    private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);
    /** Far below zero, so increments by failed acquires can never bring it back to zero. */
    private static final long CLOSED = Long.MIN_VALUE / 2;

    final ModelVersion metadata;
    final ModelRef.Version version;
    final Model<I, O> model;
    final VersionStats stats;
    final InputCheck check;
    private final ArtifactCache cache;
    private final ArtifactCache.Entry artifact;
    private final Executor closer;
    private final Consumer<Deployment<I, O>> onClosed;
    private final AtomicLong refs = new AtomicLong(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param closer where the model is closed once the last reference is gone
     * @param onClosed told after the model is closed
     */
    Deployment(ModelVersion metadata, Model<I, O> model, VersionStats stats, InputCheck check, ArtifactCache cache,
               ArtifactCache.Entry artifact, Executor closer, Consumer<Deployment<I, O>> onClosed) {
        this.metadata = metadata;
        this.version = metadata.ref();
        this.model = model;
        this.stats = stats;
        this.check = check;
        this.cache = cache;
        this.artifact = artifact;
        this.closer = closer;
        this.onClosed = onClosed;
    }

    /**
     * Calls the model on one input ({@code batch} null) or on a batch of {@code n}.
     *
     * @param role how a wrong batch is named in the message: empty, or {@code "fallback "}
     * @return the output, or the list of the batch's outputs, one per input
     * @throws IllegalStateException if a batch's outputs are not one per input
     */
    Object predict(I input, List<I> batch, int n, String role) {
        if (batch == null) {
            return model.predict(input);
        }
        List<O> out = model.predictAll(batch);
        if (out == null || out.size() != n) {
            throw new IllegalStateException(role + "predictAll returned " + (out == null ? "null" : out.size() + " outputs")
                    + " for " + n + " inputs");
        }
        return out;
    }

    /** @return one input's share of a request's time; no division for one input, the common case */
    static long perInput(long nanos, int n) {
        return n == 1 ? nanos : nanos / n;
    }

    /** @return true if the caller now holds a reference and must {@link #release} it */
    boolean tryAcquire() {
        return refs.getAndIncrement() >= 0;
    }

    /** Drops a reference taken by {@link #tryAcquire}; the last one has the model closed. */
    void release() {
        if (refs.decrementAndGet() == 0 && refs.compareAndSet(0, CLOSED)) {
            closeLater(); // kept out of line: release() is on every request's path
        }
    }

    private void closeLater() {
        try {
            closer.execute(this::dispose);
        } catch (RejectedExecutionException closerGone) {
            dispose();
        }
    }

    /** Drops the service's own reference, once; call after the slot no longer points here. */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    /**
     * Waits until the last reference is gone and the model closed.
     *
     * @return false if that did not happen within the timeout
     */
    boolean awaitClosed(long timeoutNanos) throws InterruptedException {
        return closed.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void dispose() {
        try {
            model.close();
        } catch (Exception | LinkageError e) {
            LOG.warn("closing model {} failed: {}", version, e.toString(), e);
        } finally {
            cache.release(artifact);
            closed.countDown();
            onClosed.accept(this);
        }
    }
}
