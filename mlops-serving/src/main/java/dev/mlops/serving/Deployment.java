package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.serving.Model;
import dev.mlops.core.StripedLongs;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of a model, immutable apart from its reference count. The service holds
 * one reference while the deployment is live; each request holds one while it calls the model.
 *
 * <p>Protocol: the references in use are counted in {@link StripedLongs} cells, a request
 * adding one to its thread's cell and taking it away again (usually in the same cell, though any
 * cell gives the same sum), so two request threads do not write the same cache line. The
 * service's own reference is {@link #retiring} being false. {@link #tryAcquire} adds one and then
 * reads {@code retiring}: if the service has let go, it takes the one away again and fails, and
 * the caller re-reads the slot, which already holds the successor (the service publishes it
 * <em>before</em> calling {@link #retire}). {@link #retire} sets {@code retiring} and then sums
 * the cells; so does every release and every failed acquire once {@code retiring} is set.
 * Whoever sums to zero wins a compare-and-set on {@link #closing} and closes the model. The
 * order of those volatile operations is what makes this safe: an acquire that read
 * {@code retiring} false added its one before {@code retiring} was set, so every sum taken
 * after the set sees it until the matching release; an acquire whose one a sum missed added
 * it after that sum, hence after the set, and so reads {@code retiring} true and backs out
 * without calling the model. The model is closed exactly once, never while a call is inside it.
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

    final ModelVersion metadata;
    final ModelRef.Version version;
    final Model<I, O> model;
    final VersionStats stats;
    final InputCheck check;
    private final ArtifactCache cache;
    private final ArtifactCache.Entry artifact;
    private final Executor closer;
    private final Consumer<Deployment<I, O>> onClosed;
    /** References held by requests, by thread cell. */
    private final StripedLongs inUse = new StripedLongs();
    /** Set once the service no longer holds its own reference. */
    private volatile boolean retiring;
    /** Won by whoever finds no reference left after {@link #retiring}: that one has the model closed. */
    private final AtomicBoolean closing = new AtomicBoolean();
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
        return tryAcquire(StripedLongs.cell());
    }

    /**
     * {@link #tryAcquire()} in a cell the caller already looked up ({@link StripedLongs#cell()}),
     * so a request finds its thread's cell once for the acquire, its counts and the release.
     */
    boolean tryAcquire(int cell) {
        inUse.add(cell, 1);
        if (!retiring) {
            return true;
        }
        inUse.add(cell, -1);
        closeIfUnused();
        return false;
    }

    /** Drops a reference taken by {@link #tryAcquire}; the last one after {@link #retire} has the model closed. */
    void release() {
        release(StripedLongs.cell());
    }

    /** {@link #release()} in the cell the reference was taken in ({@link #tryAcquire(int)}). */
    void release(int cell) {
        inUse.add(cell, -1);
        if (retiring) {
            closeIfUnused(); // kept out of line: release() is on every request's path
        }
    }

    private void closeIfUnused() {
        if (inUse.sum() == 0 && closing.compareAndSet(false, true)) {
            closeLater();
        }
    }

    private void closeLater() {
        try {
            closer.execute(this::dispose);
        } catch (RejectedExecutionException closerGone) {
            dispose();
        }
    }

    /** Drops the service's own reference (idempotent); call after the slot no longer points here. */
    void retire() {
        retiring = true;
        closeIfUnused();
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
