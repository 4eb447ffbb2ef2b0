package dev.mlops.serving;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One load of a model version on a thread of its own, so whoever waits for it can give up:
 * after a timeout, or because the service closes. Giving up <em>abandons</em> the task: its
 * thread is interrupted and left to finish as a daemon, and whatever it produces after that is
 * handed to {@code discard} (which closes the model) instead of to anyone who could serve it.
 *
 * <p>Protocol: the task's state goes from RUNNING to DONE (the body returned or threw; the
 * thread writes the outcome before the compare-and-set, which publishes it) or to ABANDONED (a waiter timed out, or {@link #abandon} was
 * called), by compare-and-set, so exactly one of "the waiter takes the result" and "the task
 * discards it" happens.
 *
 * @param <T> what a load produces
 */
final class LoadTask<T> implements Runnable {
    /** The work; it may check {@link #abandoned()} between stages to stop early. */
    interface Body<T> {
        T run(LoadTask<T> task) throws Exception;
    }

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int ABANDONED = 2;

    final String what;
    final long startedNanos = System.nanoTime();
    private final Body<T> body;
    private final Consumer<? super T> discard;
    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    /** Counted down when the state leaves RUNNING: the waiter can look. */
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean finished;
    private T result;
    private Exception failure;

    /**
     * @param threadName name of the loading thread
     * @param what what is loaded, for messages ({@code rain/2})
     * @param body the load
     * @param discard closes a result nobody will take
     */
    LoadTask(String threadName, String what, Body<T> body, Consumer<? super T> discard) {
        this.what = what;
        this.body = body;
        this.discard = discard;
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            T r = null;
            Exception f = null;
            try {
                r = body.run(this);
            } catch (Exception e) {
                f = e;
            } catch (Error e) {
                f = new IllegalStateException("the load of " + what + " failed with " + e, e);
            }
            result = r; // before the CAS, which publishes them to the waiter
            failure = f;
            if (state.compareAndSet(RUNNING, DONE)) {
                settled.countDown();
            } else if (r != null) {
                discard.accept(r); // abandoned: nobody will serve it
            }
        } finally {
            finished = true;
        }
    }

    /** @return true once a waiter gave up on this load; its result will be discarded */
    boolean abandoned() {
        return state.get() == ABANDONED;
    }

    /** @return true while an abandoned load has not returned: its thread is still inside it */
    boolean stuck() {
        return state.get() == ABANDONED && !finished;
    }

    /** Gives up on the load: interrupts its thread and wakes the waiter; no effect once done. */
    void abandon() {
        if (state.compareAndSet(RUNNING, ABANDONED)) {
            thread.interrupt();
            settled.countDown();
        }
    }

    /**
     * Waits for the load; on timeout or interruption abandons it.
     *
     * @param timeoutNanos how long to wait
     * @return what the load produced
     * @throws TimeoutException if it did not finish in time (it is abandoned)
     * @throws CancellationException if it was abandoned by someone else, or the waiting thread
     *     was interrupted (its interrupt flag is set again)
     * @throws Exception what the load threw
     */
    T await(long timeoutNanos) throws Exception {
        boolean timedOut = false;
        boolean interrupted = false;
        try {
            timedOut = !settled.await(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (timedOut || interrupted) {
            abandon();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // reading DONE (a volatile read) makes the outcome written before the CAS visible
        if (state.get() != DONE) {
            if (timedOut) {
                throw new TimeoutException("the load of " + what + " did not finish within "
                        + Duration.ofNanos(timeoutNanos) + "; its thread was interrupted and abandoned");
            }
            throw new CancellationException(interrupted ? "interrupted while waiting for the load of " + what
                    : "the load of " + what + " was abandoned");
        }
        joinThread();
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** The thread has set the outcome and only exits now; joining keeps thread counts exact. */
    private void joinThread() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
