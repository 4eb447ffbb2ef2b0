package dev.mlops.estimation;

import dev.mlops.api.estimation.EstimatedMetric;
import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.serving.OutputObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * CBPE online: estimated performance per window of served predictions, from the probabilities
 * the model predicts, next to the realized performance of the same window once ground truth
 * arrives. Calibration, sampling-error components and alert thresholds come from a
 * {@link FittedCbpe} fitted once on a reference; each row then adds to fixed-size sums.
 *
 * <pre>{@code
 * FittedCbpe cbpe = Cbpe.builder().metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1).chunking(Chunking.bySize(5000))
 *         .fit(reference);
 * CbpeMonitor monitor = CbpeMonitor.builder(cbpe).countWindow(5000)
 *         .listener(window -> policy.decide(window))                      // each closed window
 *         .build();
 * ModelServiceBuilder.serve(mlops, ref, loader)
 *         .monitorOutputs(monitor.binaryObserver(p -> p, p -> p >= 0.5 ? 1 : 0), 1.0) ...
 * // later, when the outcome is known:
 * monitor.feedback(predictedAt, probability, predicted, actual);
 * }</pre>
 *
 * <p><b>Windows</b>, as {@code DriftMonitor}'s: by count ({@link Builder#countWindow}: a window
 * closes after exactly that many rows) or by time ({@link Builder#timeWindow}: aligned to
 * multiples of the duration since the epoch of the injected clock, closed at the first
 * {@link #observe} or {@link #tick()} at or after the end); tumbling; a window without rows is
 * not reported. Windows are numbered from 1 in the order they close.
 *
 * <p><b>Per row</b> ({@link #observe}): the calibrated probability (the reference's isotonic
 * calibrator: a binary search over its fitted points), then a few additions: rows and calibrated
 * probability per predicted class, and per probability column the row count and calibrated
 * probability sum of the raw score's bin (equal-width bins over [0, 1], {@link Builder#bins}). No
 * allocation. F1, precision, recall, specificity and accuracy follow exactly from these sums.
 * ROC AUC needs the rows in score order: it is computed over the bins, and each window carries a
 * bound on the difference from CBPE over the same rows ({@link EstimatedMetric#estimateBound()}).
 * Confusion-matrix cells and business value are not estimated online.
 *
 * <p><b>Ground truth</b> ({@link #feedback}) is joined to the window its prediction was counted
 * in, by that window's number ({@link #observe} returns it) or by the prediction's time on the
 * monitor's clock (a count window ends, exclusive, one millisecond after its last row, so a
 * prediction made in the millisecond a count window closed is joined to that window; rows of the
 * next window counted in the same millisecond too: join by number where that matters); the last
 * {@link Builder#keepWindows} closed windows can still receive it. Its
 * confusion counts and per-bin positives and negatives give the realized metrics, ROC AUC again
 * with a bound.
 *
 * <p><b>Threads.</b> Every method is safe from any thread. Rows and ground truth are added under
 * one lock (a few dozen nanoseconds held); the thread whose row closes a window computes its
 * report and tells the listeners.
 */
public final class CbpeMonitor {

    private final CbpeEstimator cbpe;
    private final boolean binary;
    private final int columns;
    private final int classes;
    private final IsotonicRegression[] calibrators;
    private final List<Metric> metrics;
    private final Clock clock;
    private final long countRows;
    private final long windowMillis;
    private final int bins;
    private final int keep;
    private final List<Consumer<PerformanceWindow>> listeners;
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicLong observerFailures = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private WindowStats open;
    private long openSequence = 1;
    private long openStart;
    /** Time windows: end (exclusive) of the open window. */
    private long openEnd;
    /** Closed windows still joinable, oldest first. */
    private final List<Closed> closed = new ArrayList<>();
    private long observed;
    private final double[] calibratedRow;

    private CbpeMonitor(Builder b) {
        this.cbpe = b.cbpe;
        this.binary = cbpe.binary();
        this.classes = cbpe.classes().size();
        this.columns = binary ? 1 : classes;
        this.calibrators = cbpe.calibrators();
        this.clock = b.clock;
        this.countRows = b.countRows;
        this.windowMillis = b.duration == null ? 0 : b.duration.toMillis();
        this.bins = b.bins;
        this.keep = b.keep;
        this.listeners = List.copyOf(b.listeners);
        List<Metric> ms = new ArrayList<>();
        for (int i = 0; i < cbpe.columns().size(); i++) {
            MetricColumn col = cbpe.columns().get(i);
            if (WindowMetrics.ONLINE.contains(col.name())) {
                ms.add(new Metric(col, cbpe.thresholds().get(i)));
            }
        }
        if (ms.isEmpty()) {
            throw new IllegalArgumentException("the CBPE estimator estimates none of the metrics a monitor estimates "
                    + "online; expected at least one of " + new java.util.TreeSet<>(WindowMetrics.ONLINE));
        }
        this.metrics = List.copyOf(ms);
        this.open = new WindowStats(columns, classes, bins);
        this.calibratedRow = new double[classes];
        long now = clock.millis();
        if (countRows > 0) {
            openStart = now;
        } else {
            openStart = Math.floorDiv(now, windowMillis) * windowMillis;
            openEnd = openStart + windowMillis;
        }
    }

    /**
     * @param cbpe an estimator fitted on the reference (binary or multiclass)
     * @return a builder; set {@link Builder#countWindow} or {@link Builder#timeWindow}
     */
    public static Builder builder(FittedCbpe cbpe) {
        return new Builder(cbpe);
    }

    /** @return the metrics estimated per window, in the estimator's order */
    public List<String> metrics() {
        return metrics.stream().map(m -> m.column.name()).toList();
    }

    /** @return the class labels, in the order of the probability columns of {@link #observe(double[], int)} */
    public List<String> classes() {
        return cbpe.classes();
    }

    // ------------------------------------------------------------------ rows

    /**
     * Counts one prediction of a binary classifier.
     *
     * @param positiveProbability the model's (uncalibrated) probability of class 1, in [0, 1]
     * @param predicted the predicted class, 0 or 1
     * @return the number of the window the row was counted in (for {@link #feedback(long, double, int, int)})
     * @throws IllegalArgumentException if a value is out of range, or the classifier is multiclass
     */
    public long observe(double positiveProbability, int predicted) {
        if (!binary) {
            throw new IllegalArgumentException("this monitor's classifier has classes " + cbpe.classes()
                    + "; observe(double[] probabilities, int predicted) takes one probability per class");
        }
        checkProbability(positiveProbability, "positiveProbability");
        checkClass(predicted, "predicted");
        IsotonicRegression cal = calibrators[0];
        double p = cal == null ? positiveProbability : cal.predict(positiveProbability);
        lock.lock();
        try {
            if (countRows == 0) { // count windows read the clock only when one closes
                long now = clock.millis();
                if (now >= openEnd) {
                    advanceTime(now);
                }
            }
            open.addBinary(positiveProbability, p, predicted);
            return counted();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts one prediction of a multiclass classifier.
     *
     * @param probabilities the model's probability of each class, in the order of {@link #classes()}; read, not kept
     * @param predicted the predicted class's index in {@link #classes()}
     * @return the number of the window the row was counted in
     * @throws IllegalArgumentException if a value is out of range, or the classifier is binary
     */
    public long observe(double[] probabilities, int predicted) {
        if (binary) {
            throw new IllegalArgumentException("this monitor's classifier is binary; observe(double positiveProbability,"
                    + " int predicted) takes class 1's probability");
        }
        checkRow(probabilities, predicted);
        lock.lock();
        try {
            if (countRows == 0) { // count windows read the clock only when one closes
                long now = clock.millis();
                if (now >= openEnd) {
                    advanceTime(now);
                }
            }
            calibrate(probabilities, calibratedRow);
            open.addMulticlass(probabilities, calibratedRow, predicted);
            return counted();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock, after a row was added: its window's number; closes a full count window. */
    private long counted() {
        observed++;
        long sequence = openSequence;
        if (countRows > 0 && open.rows >= countRows) {
            // the closing millisecond belongs to the window it closes (end exclusive)
            close(clock.millis() + 1);
        }
        return sequence;
    }

    /** CBPE's calibration of one multiclass row: each column through its calibrator, then scaled to sum to one. */
    private void calibrate(double[] raw, double[] out) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            out[c] = calibrators[c] == null ? raw[c] : calibrators[c].predict(raw[c]);
            sum += out[c];
        }
        for (int c = 0; c < classes; c++) {
            out[c] = sum != 0 ? out[c] / sum : 1.0 / classes;
        }
    }

    /**
     * An output observer for {@code ModelServiceBuilder.monitorOutputs}, for a binary classifier. It
     * never throws: outputs it cannot count are counted in {@link #observerFailures()}.
     *
     * @param positiveProbability reads class 1's probability from an output
     * @param predicted reads the predicted class (0 or 1) from an output
     * @param <I> input type
     * @param <O> output type
     * @return the observer
     */
    public <I, O> OutputObserver<I, O> binaryObserver(ToDoubleFunction<? super O> positiveProbability,
                                                      ToIntFunction<? super O> predicted) {
        Objects.requireNonNull(positiveProbability, "positiveProbability");
        Objects.requireNonNull(predicted, "predicted");
        return (input, output) -> {
            try {
                observe(positiveProbability.applyAsDouble(output), predicted.applyAsInt(output));
            } catch (RuntimeException e) {
                observerFailures.incrementAndGet();
            }
        };
    }

    /**
     * An output observer for a multiclass classifier: {@code probabilities} writes an output's
     * probability per class (in the order of {@link #classes()}) into a per-thread array and
     * returns the predicted class's index. It never throws; failures are counted in
     * {@link #observerFailures()}.
     *
     * @param probabilities reads an output
     * @param <I> input type
     * @param <O> output type
     * @return the observer
     */
    public <I, O> OutputObserver<I, O> multiclassObserver(ProbabilityReader<? super O> probabilities) {
        Objects.requireNonNull(probabilities, "probabilities");
        ThreadLocal<double[]> rows = ThreadLocal.withInitial(() -> new double[classes]);
        return (input, output) -> {
            try {
                double[] row = rows.get();
                int predicted = probabilities.read(output, row);
                observe(row, predicted);
            } catch (RuntimeException e) {
                observerFailures.incrementAndGet();
            }
        };
    }

    /**
     * Reads a multiclass output.
     *
     * @param <O> output type
     */
    @FunctionalInterface
    public interface ProbabilityReader<O> {
        /**
         * @param output an output
         * @param probabilities to fill: one probability per class
         * @return the predicted class's index
         */
        int read(O output, double[] probabilities);
    }

    // ------------------------------------------------------------------ ground truth

    /**
     * Joins the ground truth of one binary prediction to the window it was counted in.
     *
     * @param window the number {@link #observe} returned
     * @param positiveProbability the probability that was observed
     * @param predicted the predicted class that was observed
     * @param actual the true class, 0 or 1
     * @return false if that window is no longer kept (or not yet open)
     * @throws IllegalArgumentException if a value is out of range
     */
    public boolean feedback(long window, double positiveProbability, int predicted, int actual) {
        checkBinaryFeedback(positiveProbability, predicted, actual);
        return join(false, window, positiveProbability, null, predicted, actual);
    }

    /**
     * Joins the ground truth of one binary prediction to the window that was open at
     * {@code predictedAt} (the monitor's clock, such as the time of the inference log's record).
     *
     * @param predictedAt when the prediction was counted
     * @param positiveProbability the probability that was observed
     * @param predicted the predicted class that was observed
     * @param actual the true class, 0 or 1
     * @return false if that window is no longer kept
     * @throws IllegalArgumentException if a value is out of range
     */
    public boolean feedback(Instant predictedAt, double positiveProbability, int predicted, int actual) {
        Objects.requireNonNull(predictedAt, "predictedAt");
        checkBinaryFeedback(positiveProbability, predicted, actual);
        return join(true, predictedAt.toEpochMilli(), positiveProbability, null, predicted, actual);
    }

    /**
     * Joins the ground truth of one multiclass prediction to the window it was counted in.
     *
     * @param window the number {@link #observe} returned
     * @param probabilities the probabilities that were observed
     * @param predicted the predicted class index that was observed
     * @param actual the true class's index in {@link #classes()}
     * @return false if that window is no longer kept
     */
    public boolean feedback(long window, double[] probabilities, int predicted, int actual) {
        checkMulticlassFeedback(probabilities, predicted, actual);
        return join(false, window, Double.NaN, probabilities, predicted, actual);
    }

    /**
     * Joins the ground truth of one multiclass prediction to the window open at {@code predictedAt}.
     *
     * @param predictedAt when the prediction was counted (the monitor's clock)
     * @param probabilities the probabilities that were observed
     * @param predicted the predicted class index that was observed
     * @param actual the true class's index in {@link #classes()}
     * @return false if that window is no longer kept
     */
    public boolean feedback(Instant predictedAt, double[] probabilities, int predicted, int actual) {
        Objects.requireNonNull(predictedAt, "predictedAt");
        checkMulticlassFeedback(probabilities, predicted, actual);
        return join(true, predictedAt.toEpochMilli(), Double.NaN, probabilities, predicted, actual);
    }

    /**
     * Adds checked ground truth to the window found by number or by time.
     *
     * @param probabilities null for a binary row, whose class 1 probability is {@code positive}
     */
    private boolean join(boolean byTime, long key, double positive, double[] probabilities, int predicted, int actual) {
        lock.lock();
        try {
            WindowStats s = byTime ? byTime(key) : bySequence(key);
            if (s == null) {
                return false;
            }
            if (probabilities == null) {
                s.labelBinary(positive, predicted, actual);
            } else {
                s.labelMulticlass(probabilities, predicted, actual);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private WindowStats bySequence(long sequence) {
        if (sequence == openSequence) {
            return open;
        }
        for (int i = closed.size() - 1; i >= 0; i--) {
            if (closed.get(i).sequence == sequence) {
                return closed.get(i).stats;
            }
        }
        return null;
    }

    private WindowStats byTime(long millis) {
        if (millis >= openStart) {
            return countRows == 0 && millis >= openEnd ? null : open;
        }
        for (int i = closed.size() - 1; i >= 0; i--) {
            Closed c = closed.get(i);
            if (millis >= c.start && millis < c.end) {
                return c.stats;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ windows

    /** Closes a time window whose end has passed by the clock (call it from a scheduler when traffic can pause). */
    public void tick() {
        if (countRows == 0) {
            lock.lock();
            try {
                long now = clock.millis();
                if (now >= openEnd) {
                    advanceTime(now);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Closes the open window now, whatever its size or end (at shutdown, say); an empty one is not reported. */
    public void closeWindow() {
        lock.lock();
        try {
            close(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    private void advanceTime(long now) {
        close(openEnd);
        openStart = Math.floorDiv(now, windowMillis) * windowMillis;
        openEnd = openStart + windowMillis;
    }

    /** Under the lock: ends the open window at {@code end}; reports it if it has rows. */
    private void close(long end) {
        if (open.rows == 0) {
            openStart = end;
            return;
        }
        Closed c;
        if (closed.size() == keep) {
            c = closed.remove(0);
            c.stats.reset();
            WindowStats recycled = c.stats;
            c = new Closed(openSequence, openStart, end, open);
            open = recycled;
        } else {
            c = new Closed(openSequence, openStart, end, open);
            open = new WindowStats(columns, classes, bins);
        }
        closed.add(c);
        openSequence++;
        openStart = end;
        PerformanceWindow report = report(c.sequence, c.start, c.end, c.stats);
        for (Consumer<PerformanceWindow> l : listeners) {
            try {
                l.accept(report);
            } catch (RuntimeException e) {
                listenerFailures.incrementAndGet();
            }
        }
    }

    private PerformanceWindow report(long sequence, long start, long end, WindowStats s) {
        List<EstimatedMetric> out = new ArrayList<>(metrics.size());
        for (Metric m : metrics) {
            String name = m.column.name();
            WindowMetrics.Value est = WindowMetrics.estimate(name, s);
            WindowMetrics.Value real = WindowMetrics.realized(name, s);
            double se = s.rows == 0 ? Double.NaN : m.column.samplingError().applyAsDouble((int) Math.min(Integer.MAX_VALUE, s.rows));
            out.add(new EstimatedMetric(name, est.value(), se, est.bound(), m.thresholds.lower(), m.thresholds.upper(),
                    m.thresholds.alert(est.value()),
                    Double.isNaN(real.value()) ? OptionalDouble.empty() : OptionalDouble.of(real.value()), real.bound()));
        }
        return new PerformanceWindow(sequence, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), s.rows, s.labelled,
                out);
    }

    /**
     * @return the closed windows still kept (the last {@link Builder#keepWindows}), oldest first, each with the
     *     realized values of the ground truth joined so far
     */
    public List<PerformanceWindow> windows() {
        lock.lock();
        try {
            List<PerformanceWindow> out = new ArrayList<>(closed.size());
            for (Closed c : closed) {
                out.add(report(c.sequence, c.start, c.end, c.stats));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param sequence a window's number
     * @return that closed window, with the ground truth joined so far, if it is still kept
     */
    public Optional<PerformanceWindow> window(long sequence) {
        lock.lock();
        try {
            for (Closed c : closed) {
                if (c.sequence == sequence) {
                    return Optional.of(report(c.sequence, c.start, c.end, c.stats));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** @return the open window as it would be reported if it closed now (its end: now) */
    public PerformanceWindow snapshot() {
        lock.lock();
        try {
            return report(openSequence, openStart, Math.max(openStart, clock.millis()), open);
        } finally {
            lock.unlock();
        }
    }

    /** @return rows observed since the monitor was built */
    public long observed() {
        lock.lock();
        try {
            return observed;
        } finally {
            lock.unlock();
        }
    }

    /** @return exceptions thrown by listeners (each was ignored) */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** @return outputs an observer could not count (a reader threw, or a value was out of range) */
    public long observerFailures() {
        return observerFailures.get();
    }

    /** @return bytes of the sums one window holds */
    public long windowBytes() {
        return 8L * (3L * classes + 4L * columns * bins + (long) classes * classes);
    }

    @Override
    public String toString() {
        return "CbpeMonitor[" + (countRows > 0 ? countRows + " rows" : Duration.ofMillis(windowMillis)) + ", "
                + metrics() + ", " + observed() + " observed]";
    }

    // ------------------------------------------------------------------ checks

    private static void checkProbability(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " is " + p + ", expected a probability in [0, 1]");
        }
    }

    private void checkClass(int index, String what) {
        if (index < 0 || index >= classes) {
            throw new IllegalArgumentException(what + " is " + index + ", expected a class index from 0 to "
                    + (classes - 1) + " (classes " + cbpe.classes() + ")");
        }
    }

    private void checkRow(double[] probabilities, int predicted) {
        Objects.requireNonNull(probabilities, "probabilities");
        if (probabilities.length != classes) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length + " values, expected "
                    + classes + " (one per class " + cbpe.classes() + ")");
        }
        for (int c = 0; c < classes; c++) {
            if (!(probabilities[c] >= 0 && probabilities[c] <= 1)) {
                throw new IllegalArgumentException("probabilities[" + c + "] is " + probabilities[c]
                        + ", expected a probability in [0, 1]");
            }
        }
        checkClass(predicted, "predicted");
    }

    private void checkBinaryFeedback(double p, int predicted, int actual) {
        if (!binary) {
            throw new IllegalArgumentException("this monitor's classifier has classes " + cbpe.classes()
                    + "; its feedback takes one probability per class");
        }
        checkProbability(p, "positiveProbability");
        checkClass(predicted, "predicted");
        checkClass(actual, "actual");
    }

    private void checkMulticlassFeedback(double[] probabilities, int predicted, int actual) {
        if (binary) {
            throw new IllegalArgumentException("this monitor's classifier is binary; its feedback takes class 1's"
                    + " probability");
        }
        checkRow(probabilities, predicted);
        checkClass(actual, "actual");
    }

    private record Metric(MetricColumn column, Thresholds thresholds) {
    }

    private static final class Closed {
        final long sequence;
        final long start;
        final long end;
        final WindowStats stats;

        Closed(long sequence, long start, long end, WindowStats stats) {
            this.sequence = sequence;
            this.start = start;
            this.end = end;
            this.stats = stats;
        }
    }

    // ------------------------------------------------------------------ builder

    /** Builds a {@link CbpeMonitor}; each setter checks its value at once. */
    public static final class Builder {
        private final CbpeEstimator cbpe;
        private Clock clock = Clock.systemUTC();
        private long countRows;
        private Duration duration;
        private int bins = 1000;
        private int keep = 64;
        private final List<Consumer<PerformanceWindow>> listeners = new ArrayList<>();

        private Builder(FittedCbpe cbpe) {
            Objects.requireNonNull(cbpe, "cbpe");
            if (!(cbpe instanceof CbpeEstimator e)) {
                throw new IllegalArgumentException("a monitor needs an estimator from Cbpe.builder().fit(...), got "
                        + cbpe.getClass().getName());
            }
            this.cbpe = e;
        }

        /**
         * @param clock time of windows and of their bounds (default UTC system clock)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Windows of exactly this many rows.
         *
         * @param rows rows per window, at least 1
         * @return this
         * @throws IllegalStateException if a time window was set
         */
        public Builder countWindow(long rows) {
            if (rows < 1 || rows > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("count window must hold 1 to " + Integer.MAX_VALUE + " rows, got " + rows);
            }
            if (duration != null) {
                throw new IllegalStateException("a time window is already set; a monitor has one kind of window");
            }
            this.countRows = rows;
            return this;
        }

        /**
         * Windows of this duration, aligned to multiples of it since the clock's epoch.
         *
         * @param duration at least 1 ms, whole milliseconds
         * @return this
         * @throws IllegalStateException if a count window was set
         */
        public Builder timeWindow(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.toMillis() < 1 || !duration.equals(Duration.ofMillis(duration.toMillis()))) {
                throw new IllegalArgumentException("time window must be a positive whole number of milliseconds, got "
                        + duration);
            }
            if (countRows > 0) {
                throw new IllegalStateException("a count window is already set; a monitor has one kind of window");
            }
            this.duration = duration;
            return this;
        }

        /**
         * @param n equal-width bins of the raw score over [0, 1] for ROC AUC (default 1,000): more bins,
         *     a tighter bound and more memory per window ({@link CbpeMonitor#windowBytes()})
         * @return this
         */
        public Builder bins(int n) {
            if (n < 1 || n > 1_000_000) {
                throw new IllegalArgumentException("bins must be 1 to 1000000, got " + n);
            }
            this.bins = n;
            return this;
        }

        /**
         * @param n closed windows kept for ground truth to join and for {@link CbpeMonitor#windows()} (default 64)
         * @return this
         */
        public Builder keepWindows(int n) {
            if (n < 1 || n > 100_000) {
                throw new IllegalArgumentException("kept windows must be 1 to 100000, got " + n);
            }
            this.keep = n;
            return this;
        }

        /**
         * @param listener told each closed window's estimates (and the realized values joined so far), on
         *     the thread that closed it; must be quick; one that throws is counted and ignored
         * @return this
         */
        public Builder listener(Consumer<PerformanceWindow> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @return the monitor
         * @throws IllegalStateException if no window was set
         * @throws IllegalArgumentException if the estimator estimates none of the online metrics
         */
        public CbpeMonitor build() {
            if (countRows == 0 && duration == null) {
                throw new IllegalStateException("set countWindow(rows) or timeWindow(duration)");
            }
            return new CbpeMonitor(this);
        }
    }
}
