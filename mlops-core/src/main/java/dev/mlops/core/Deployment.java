package dev.mlops.core;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.serving.Model;
import java.util.concurrent.CountDownLatch;
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
    private final AtomicLong refs = new AtomicLong(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    Deployment(ModelVersion metadata, Model<I, O> model, VersionStats stats, InputCheck check, ArtifactCache cache,
               ArtifactCache.Entry artifact) {
        this.metadata = metadata;
        this.version = metadata.ref();
        this.model = model;
        this.stats = stats;
        this.check = check;
        this.cache = cache;
        this.artifact = artifact;
    }

    /** @return true if the caller now holds a reference and must {@link #release} it */
    boolean tryAcquire() {
        return refs.getAndIncrement() >= 0;
    }

    /** Drops a reference taken by {@link #tryAcquire}; the last one closes the model. */
    void release() {
        if (refs.decrementAndGet() == 0 && refs.compareAndSet(0, CLOSED)) {
            dispose();
        }
    }

    /** Drops the service's own reference, once; call after the slot no longer points here. */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    /** Waits until the last reference is gone and the model closed. */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    private void dispose() {
        try {
            model.close();
        } catch (Exception | LinkageError e) {
            LOG.warn("closing model {} failed: {}", version, e.toString(), e);
        } finally {
            cache.release(artifact);
            closed.countDown();
        }
    }
}
