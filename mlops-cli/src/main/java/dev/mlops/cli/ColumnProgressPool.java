package dev.mlops.cli;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool a drift comparison runs its columns on when progress is shown: the analysis submits
 * one task per column ({@code DriftAnalysis.Builder.executor}), so counting submitted and
 * finished tasks gives {@code comparing columns 12 / 100} without a hook in the analysis. Daemon
 * threads, created as columns arrive; the caller shuts the pool down.
 */
final class ColumnProgressPool extends ThreadPoolExecutor {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Progress.Task task;
    private int submitted;

    ColumnProgressPool(int threads, Progress progress) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemonThreads());
        this.task = progress.count("comparing columns", 0);
    }

    private static ThreadFactory daemonThreads() {
        return r -> {
            Thread t = new Thread(r, "mlops-cli-drift-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable command) {
        // the analysis submits every column before it waits for the first, so the total is right
        // by the time a column finishes
        synchronized (this) {
            submitted++;
            task.total(submitted);
        }
        super.execute(command);
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
        task.advance(1);
    }

    /** Draws the final line with the number of columns the report holds. */
    void done(int columns) {
        task.done(columns);
    }

    /** Ends the line if the comparison failed. */
    void closeTask() {
        task.close();
    }
}
