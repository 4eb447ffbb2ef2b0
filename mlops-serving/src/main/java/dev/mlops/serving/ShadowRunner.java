package dev.mlops.serving;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors sampled requests to a shadow version off the request thread. A request only offers
 * to a bounded queue (never waits; a full queue drops and counts); one drain task at a time
 * runs on the executor, calls the shadow model and compares its output with the live one.
 * The shadow's answer never reaches the caller.
 *
 * @param <I> input type
 * @param <O> output type
 */
final class ShadowRunner<I, O> implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowRunner.class);

    private record Task<I, O>(I input, O live, List<I> inputs, List<O> lives) {
    }

    private final ServiceSlot<I, O> slot;
    private final BiPredicate<? super O, ? super O> agreement;
    private final ArrayBlockingQueue<Task<I, O>> queue;
    private final Executor executor;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();

    ShadowRunner(ServiceSlot<I, O> slot, BiPredicate<? super O, ? super O> agreement, int capacity, Executor executor) {
        this.slot = slot;
        this.agreement = agreement;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.executor = executor;
    }

    ServiceSlot<I, O> slot() {
        return slot;
    }

    void offer(I input, O live) {
        enqueue(new Task<>(input, live, null, null));
    }

    void offerAll(List<I> inputs, List<O> lives) {
        enqueue(new Task<>(null, null, inputs, lives));
    }

    private void enqueue(Task<I, O> task) {
        if (!queue.offer(task)) {
            dropped.add(task.inputs == null ? 1 : task.inputs.size());
            return;
        }
        schedule();
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                draining.set(false);
            }
        }
    }

    @Override
    public void run() {
        try {
            Task<I, O> t;
            while ((t = queue.poll()) != null) {
                runOne(t);
            }
        } finally {
            draining.set(false);
        }
        // an offer that saw "draining" just before we stopped would otherwise wait for the next one
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    private void runOne(Task<I, O> t) {
        int n = t.inputs == null ? 1 : t.inputs.size();
        Deployment<I, O> d = slot.tryAcquire();
        if (d == null) {
            dropped.add(n);
            return;
        }
        try {
            if (t.inputs == null) {
                O out = d.model.predict(t.input);
                d.stats.shadowCalls.increment();
                if (agreement.test(t.live, out)) {
                    d.stats.shadowAgreements.increment();
                }
            } else {
                List<O> outs = d.model.predictAll(t.inputs);
                d.stats.shadowCalls.add(n);
                for (int i = 0; i < n && i < outs.size(); i++) {
                    if (agreement.test(t.lives.get(i), outs.get(i))) {
                        d.stats.shadowAgreements.increment();
                    }
                }
            }
        } catch (RuntimeException e) {
            d.stats.shadowCalls.add(n);
            d.stats.shadowErrors.add(n);
            LOG.debug("shadow {} failed: {}", d.version, e.toString());
        } finally {
            d.release();
        }
    }

    /** @return requests not mirrored: queue full, or service closed first */
    long dropped() {
        return dropped.sum();
    }

    /** Forgets what is queued (on close); those requests count as dropped. */
    void clear() {
        Task<I, O> t;
        while ((t = queue.poll()) != null) {
            dropped.add(t.inputs == null ? 1 : t.inputs.size());
        }
    }
}
