package dev.mlops.drift;

import dev.mlops.api.Names;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.serving.InputObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Streaming drift against a {@link ReferenceProfile}: request threads {@link #observe} feature
 * rows; every closed window yields a {@link DriftReport} and a mergeable {@link WindowState}.
 *
 * <pre>{@code
 * DriftMonitor monitor = DriftMonitor.builder(profile)
 *         .timeWindow(Duration.ofHours(1)).slidingSubWindows(4)       // 1 h window, reported every 15 min
 *         .listener((report, state) -> store.save(state.toJson()))
 *         .onDrift(3, Duration.ofHours(6), report -> pager.alert(report.driftedColumns()))
 *         .build();
 * InputObserver<Features> observer = monitor.observer(extractor);    // for ModelService
 * }</pre>
 *
 * <p><b>Windows.</b> By count ({@link Builder#countWindow}: a window closes after exactly that
 * many rows) or by time ({@link Builder#timeWindow}: windows are aligned to multiples of the
 * duration since the epoch of the injected {@link Clock}; a window closes at the first
 * {@link #observe} or {@link #tick()} at or after its end). Tumbling by default; with
 * {@link Builder#slidingSubWindows}(n) the window is made of n sub-windows and a report is
 * produced each time a sub-window closes, once n sub-windows have closed. Windows without rows
 * produce no report. Count windows start at the close of the previous window.
 *
 * <p><b>What is computed.</b> Per window the counters of {@link WindowState} (exact integer
 * counts per grid cell, bin, category); the report applies the {@link MonitorPolicy} (by default
 * Evidently-like methods decided from the reference). KS and Wasserstein carry a deterministic
 * error bound from the profile's CDF grid; binned distances and categorical tests are exact.
 *
 * <p><b>Threads.</b> {@link #observe} is safe from any number of threads and allocates nothing.
 * Rows go to one of a few lock stripes (by thread, moving on when the stripe is busy), each with
 * its own preallocated counters; the thread that completes a window takes the stripes in turn
 * and adds them up. A count window's row limit is one atomic counter, so every window holds
 * exactly its size. Striped counters were chosen over lock-free sketches because the window
 * state is a few hundred counters per column: adding stripes at close is cheap and exact,
 * whereas shared lock-free counters would make two request threads fight over the same cache
 * lines on every row.
 *
 * <p><b>Alerts.</b> {@link Builder#onDrift} fires after N consecutive windows with dataset drift
 * and not again within the cooldown (time from the clock).
 */
public final class DriftMonitor {

    private static final long COUNT_MASK = 0xFFFF_FFFFL;
    /** A row observed without event time. */
    private static final long NO_EVENT_TIME = Long.MIN_VALUE;

    /**
     * The profile windows are compared with, its layout and methods. Replaced (by
     * {@link #switchProfile}) only under closeLock while every stripe is locked or harvested, so
     * a window's rows are all counted in one profile's layout.
     */
    private volatile Reference current;
    /** A switch waiting for the open window to close; guarded by closeLock. */
    private Reference pending;
    private final MonitorPolicy policy;
    private final Clock clock;
    private final boolean countMode;
    private final long subRows;
    private final long subMillis;
    private final int subWindows;
    private final int numericalCount;
    private final int categoricalCount;
    private final Stripe[] stripes;
    private final int stripeMask;
    private final List<WindowListener> listeners;
    private final List<ReferenceListener> referenceListeners;
    private final List<Alert> alerts;

    /** (epoch &lt;&lt; 32) | rows reserved in the open count window. */
    private final AtomicLong state = new AtomicLong();
    /** Time windows: end (exclusive, clock millis) of the open sub-window. */
    private volatile long subEnd;
    private final java.util.concurrent.atomic.LongAdder observed = new java.util.concurrent.atomic.LongAdder();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicLong observerFailures = new AtomicLong();

    // guarded by closeLock
    private final ReentrantLock closeLock = new ReentrantLock();
    private final WindowData[] ring; // elements replaced when the profile switches
    private final long[] ringStart;
    private final long[] ringEnd;
    private int ringPos;
    private long closedSubWindows;
    private long openStart;
    private long sequence;
    private WindowData scratch;

    private DriftMonitor(Builder b) {
        this.policy = b.policy;
        this.current = new Reference(b.profile, policy, b.tag);
        ProfileLayout layout = current.layout;
        this.clock = b.clock;
        this.countMode = b.countRows > 0;
        this.subWindows = b.subWindows;
        this.subRows = countMode ? b.countRows / subWindows : 0;
        this.subMillis = countMode ? 0 : b.duration.toMillis() / subWindows;
        this.numericalCount = layout.numerical.length;
        this.categoricalCount = layout.categorical.length;
        int s = Integer.highestOneBit(Math.max(1, b.stripes - 1)) << 1;
        if (b.stripes == 1) {
            s = 1;
        }
        stripes = new Stripe[s];
        for (int i = 0; i < s; i++) {
            stripes[i] = new Stripe(layout);
        }
        stripeMask = s - 1;
        listeners = List.copyOf(b.listeners);
        referenceListeners = List.copyOf(b.referenceListeners);
        alerts = List.copyOf(b.alerts);
        ring = new WindowData[subWindows];
        ringStart = new long[subWindows];
        ringEnd = new long[subWindows];
        for (int i = 0; i < subWindows; i++) {
            ring[i] = layout.newData();
        }
        scratch = layout.newData();
        long now = clock.millis();
        if (countMode) {
            openStart = now;
        } else {
            long slot = Math.floorDiv(now, subMillis);
            openStart = slot * subMillis;
            subEnd = openStart + subMillis;
        }
    }

    /**
     * @param profile the reference profile
     * @return a builder; set {@link Builder#countWindow} or {@link Builder#timeWindow}
     */
    public static Builder builder(ReferenceProfile profile) {
        return new Builder(profile);
    }

    /** @return the profile this monitor compares with now (the newest, once a switch waits for its window to close) */
    public ReferenceProfile profile() {
        return current.profile;
    }

    /** @return the window length of a time-window monitor (the whole window, not a sub-window); empty for count windows */
    public Optional<Duration> timeWindow() {
        return countMode ? Optional.empty() : Optional.of(Duration.ofMillis(subMillis * subWindows));
    }

    /** @return the rows per window of a count-window monitor; empty for time windows */
    public OptionalLong countWindow() {
        return countMode ? OptionalLong.of(subRows * subWindows) : OptionalLong.empty();
    }

    /** @return sub-windows per window: 1 for tumbling windows, n for {@link Builder#slidingSubWindows}(n) */
    public int slidingSubWindows() {
        return subWindows;
    }

    /** @return the numerical columns, in the order {@link #observe} expects them */
    public List<String> numericalColumns() {
        return current.layout.numericalNames();
    }

    /** @return the categorical columns, in the order {@link #observe} expects them */
    public List<String> categoricalColumns() {
        return current.layout.categoricalNames();
    }

    // ------------------------------------------------------------------ observing

    /**
     * Records one row. Thread-safe; allocates nothing (except when the row closes a window, which
     * computes the report on this thread).
     *
     * @param numerical   one value per {@link #numericalColumns()} (NaN = missing); read, not kept
     * @param categorical one value per {@link #categoricalColumns()} (null = missing); read, not kept
     * @throws IllegalArgumentException if an array has the wrong length
     */
    public void observe(double[] numerical, String[] categorical) {
        observe(numerical, categorical, NO_EVENT_TIME);
    }

    /**
     * Records one row with its event time: the time the data describes (a measurement's date),
     * which the window's report shows as the current data's time range. Windows still close by
     * row count or by the clock; without event times a report shows the window's processing time
     * and says so.
     *
     * @param numerical   as {@link #observe(double[], String[])}
     * @param categorical as {@link #observe(double[], String[])}
     * @param eventTime   the row's event time
     * @throws IllegalArgumentException if an array has the wrong length
     */
    public void observe(double[] numerical, String[] categorical, Instant eventTime) {
        Objects.requireNonNull(eventTime, "eventTime");
        observe(numerical, categorical, eventTime.toEpochMilli());
    }

    private void observe(double[] numerical, String[] categorical, long eventMillis) {
        if (numerical.length != numericalCount || categorical.length != categoricalCount) {
            throw new IllegalArgumentException("a row needs " + numericalCount + " numerical and " + categoricalCount
                    + " categorical values, got " + numerical.length + " and " + categorical.length);
        }
        int h = probe();
        for (;;) {
            int r = tryObserve(h, numerical, categorical, eventMillis);
            if (r >= 0) {
                observed.increment();
                if (r == 1) {
                    closeCountWindow();
                }
                return;
            }
            h++;
            Thread.onSpinWait();
        }
    }

    /**
     * @return -1 to retry, 0 when recorded, 1 when recorded as the last row of a count window
     */
    private int tryObserve(int h, double[] numerical, String[] categorical, long eventMillis) {
        long s = state.get();
        int epoch = (int) (s >>> 32);
        long now = 0;
        if (!countMode) {
            now = clock.millis();
            if (now >= subEnd) {
                advanceTime(now);
                return -1;
            }
        }
        Stripe st = lock(h);
        try {
            if (st.epoch != epoch) {
                return -1; // the stripe still holds (or already moved past) another window
            }
            int result = 0;
            if (countMode) {
                long cur;
                do {
                    cur = state.get();
                    if ((int) (cur >>> 32) != epoch || (cur & COUNT_MASK) >= subRows) {
                        return -1; // the window is full: wait for its close
                    }
                } while (!state.compareAndSet(cur, cur + 1));
                result = (cur & COUNT_MASK) + 1 == subRows ? 1 : 0;
            }
            WindowData d = st.data;
            ProfileLayout layout = st.layout; // the stripe's: it changes with its data, under its lock
            long[] c = d.counts;
            double[] mm = d.minMax;
            ProfileLayout.Num[] nums = layout.numerical;
            for (int i = 0; i < nums.length; i++) {
                nums[i].add(c, mm, numerical[i]);
            }
            ProfileLayout.Cat[] cats = layout.categorical;
            for (int i = 0; i < cats.length; i++) {
                cats[i].add(c, categorical[i]);
            }
            d.rows++;
            if (eventMillis != NO_EVENT_TIME) {
                d.firstMillis = Math.min(d.firstMillis, eventMillis);
                d.lastMillis = Math.max(d.lastMillis, eventMillis);
            }
            return result;
        } finally {
            st.lock.unlock();
        }
    }

    private int probe() {
        long id = Thread.currentThread().getId();
        long x = id * 0x9E3779B97F4A7C15L;
        return (int) (x >>> 40);
    }

    private Stripe lock(int h) {
        Stripe[] ss = stripes;
        for (int i = 0; i < ss.length; i++) {
            Stripe st = ss[(h + i) & stripeMask];
            if (st.lock.tryLock()) {
                return st;
            }
        }
        Stripe st = ss[h & stripeMask];
        st.lock.lock();
        return st;
    }

    /**
     * An {@link InputObserver} for a {@code ModelService}: extracts features with the given
     * extractor into per-thread arrays and observes them. It never throws; failures of the
     * extractor are counted in {@link #observerFailures()}.
     *
     * @param extractor writes the features of one input
     * @param <I>       input type
     * @return the observer
     */
    public <I> InputObserver<I> observer(FeatureExtractor<I> extractor) {
        return observerOf(extractor, null);
    }

    /**
     * As {@link #observer(FeatureExtractor)}, each row observed with the event time of its input
     * (see {@link #observe(double[], String[], Instant)}).
     *
     * @param extractor writes the features of one input
     * @param eventTime the time an input describes
     * @param <I>       input type
     * @return the observer
     */
    public <I> InputObserver<I> observer(FeatureExtractor<I> extractor, Function<? super I, Instant> eventTime) {
        Objects.requireNonNull(eventTime, "eventTime");
        return observerOf(extractor, eventTime);
    }

    /** @param eventTime null: rows without event time */
    private <I> InputObserver<I> observerOf(FeatureExtractor<I> extractor, Function<? super I, Instant> eventTime) {
        Objects.requireNonNull(extractor, "extractor");
        ThreadLocal<Row> rows = ThreadLocal.withInitial(() -> new Row(numericalCount, categoricalCount));
        return input -> {
            try {
                Row r = rows.get();
                Arrays.fill(r.numerical, Double.NaN);
                Arrays.fill(r.categorical, null);
                extractor.extract(input, r.numerical, r.categorical);
                observe(r.numerical, r.categorical, eventTime == null ? NO_EVENT_TIME : eventTime.apply(input).toEpochMilli());
            } catch (RuntimeException e) {
                observerFailures.incrementAndGet();
            }
        };
    }

    private static final class Row {
        final double[] numerical;
        final String[] categorical;

        Row(int n, int c) {
            numerical = new double[n];
            categorical = new String[c];
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes time windows whose end has passed by the clock (call it from a scheduler when traffic
     * can pause). No effect on count windows.
     */
    public void tick() {
        if (!countMode) {
            long now = clock.millis();
            if (now >= subEnd) {
                advanceTime(now);
            }
        }
    }

    /**
     * Closes the open (sub-)window now, whatever its size or end, e.g. at shutdown. Time windows
     * keep their alignment: the next sub-window runs from now to the regular end.
     */
    public void closeWindow() {
        closeLock.lock();
        try {
            closeSubWindow(clock.millis(), true);
        } finally {
            closeLock.unlock();
        }
    }

    private void closeCountWindow() {
        closeLock.lock();
        try {
            long s = state.get();
            if ((s & COUNT_MASK) >= subRows) {
                closeSubWindow(clock.millis(), true);
            }
        } finally {
            closeLock.unlock();
        }
    }

    private void advanceTime(long now) {
        closeLock.lock();
        try {
            if (now < subEnd) {
                return;
            }
            long end = subEnd;
            closeSubWindow(end, true);
            int empties = 0;
            while (now >= end + subMillis && empties < subWindows) { // sub-windows that saw no row
                end += subMillis;
                closeSubWindow(end, false);
                empties++;
            }
            long slot = Math.floorDiv(now, subMillis);
            openStart = slot * subMillis;
            subEnd = openStart + subMillis;
        } finally {
            closeLock.unlock();
        }
    }

    /** Under closeLock: ends the open sub-window at {@code end}, adds up the stripes, reports. */
    private void closeSubWindow(long end, boolean harvest) {
        WindowData target = ring[ringPos];
        target.reset();
        Reference next = harvest ? pending : null;
        if (harvest) {
            int epoch = (int) (state.get() >>> 32);
            state.set((long) (epoch + 1) << 32);
            for (Stripe st : stripes) {
                st.lock.lock();
                try {
                    target.mergeFrom(st.data);
                    if (next != null) {
                        // rows of the next window are counted in the next profile's layout
                        st.data = next.layout.newData();
                        st.layout = next.layout;
                    } else {
                        st.data.reset();
                    }
                    st.epoch = epoch + 1;
                } finally {
                    st.lock.unlock();
                }
            }
        }
        ringStart[ringPos] = harvest ? openStart : end - subMillis;
        ringEnd[ringPos] = end;
        ringPos = (ringPos + 1) % subWindows;
        closedSubWindows++;
        openStart = end;
        if (closedSubWindows >= subWindows) {
            emit();
        }
        if (next != null) {
            install(next);
        }
    }

    /** Under closeLock, with the stripes already on {@code next}: the closed sub-windows start over on it. */
    private void install(Reference next) {
        for (int i = 0; i < subWindows; i++) {
            ring[i] = next.layout.newData();
        }
        scratch = next.layout.newData();
        closedSubWindows = 0;
        pending = null;
        current = next;
    }

    private void emit() {
        Reference ref = current;
        ProfileLayout layout = ref.layout;
        scratch.reset();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (int i = 0; i < subWindows; i++) {
            scratch.mergeFrom(ring[i]);
            start = Math.min(start, ringStart[i]);
            end = Math.max(end, ringEnd[i]);
        }
        if (scratch.rows == 0) {
            return;
        }
        sequence++;
        DriftReport.Window w = new DriftReport.Window(Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), sequence);
        DriftReport report = layout.report(scratch, null, ref.choices, policy.driftShare(), clock.instant(), Optional.of(w));
        WindowState ws = new WindowState(layout, scratch.copy(), w);
        for (ReferenceListener l : referenceListeners) {
            try {
                l.windowClosed(report, ws, ref.tag);
            } catch (RuntimeException e) {
                listenerFailures.incrementAndGet();
            }
        }
        for (WindowListener l : listeners) {
            try {
                l.windowClosed(report, ws);
            } catch (RuntimeException e) {
                listenerFailures.incrementAndGet();
            }
        }
        long now = clock.millis();
        for (Alert a : alerts) {
            a.consecutive = report.datasetDrift() ? a.consecutive + 1 : 0;
            if (a.consecutive >= a.windows && (a.lastFired == Long.MIN_VALUE || now - a.lastFired >= a.cooldownMillis)) {
                a.lastFired = now;
                try {
                    a.action.accept(report);
                } catch (RuntimeException e) {
                    listenerFailures.incrementAndGet();
                }
            }
        }
    }

    // ------------------------------------------------------------------ state

    /**
     * The window that would be reported if the open sub-window closed now: the last n − 1 closed
     * sub-windows plus the open one (for tumbling windows: the open window).
     *
     * @return a copy of its counters; {@link DriftReport.Window#sequence()} is the next sequence number
     */
    public WindowState snapshot() {
        closeLock.lock();
        try {
            ProfileLayout layout = current.layout;
            WindowData d = layout.newData();
            long start = openStart;
            long kept = Math.min(subWindows - 1, closedSubWindows);
            for (int i = 1; i <= kept; i++) {
                int idx = Math.floorMod(ringPos - i, subWindows);
                d.mergeFrom(ring[idx]);
                start = Math.min(start, ringStart[idx]);
            }
            for (Stripe st : stripes) {
                st.lock.lock();
                try {
                    d.mergeFrom(st.data);
                } finally {
                    st.lock.unlock();
                }
            }
            long now = clock.millis();
            return new WindowState(layout, d, new DriftReport.Window(Instant.ofEpochMilli(start),
                    Instant.ofEpochMilli(Math.max(now, start)), sequence + 1));
        } finally {
            closeLock.unlock();
        }
    }

    /**
     * The report of any window of this monitor's profile (e.g. a merge of several monitors'
     * windows) with this monitor's policy and clock.
     *
     * @param window a window state of the same profile
     * @return its report
     */
    public DriftReport report(WindowState window) {
        return current.profile.compare(window, policy, clock);
    }

    /** @return rows observed since the monitor was built */
    public long observed() {
        return observed.sum();
    }

    /** @return exceptions thrown by listeners and alert actions (each was ignored) */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** @return inputs the {@link #observer} could not record because the extractor threw */
    public long observerFailures() {
        return observerFailures.get();
    }

    /**
     * Bytes of counters one window holds for one numerical column: 4 counts, one per grid cell,
     * min and max. This is what a window state needs per column in memory.
     *
     * @param column a numerical column
     * @return bytes
     */
    public long windowBytes(String column) {
        for (ProfileLayout.Num n : current.layout.numerical) {
            if (n.col.name().equals(column)) {
                return 8L * (4 + n.cuts.length + 1) + 16;
            }
        }
        throw new IllegalArgumentException("no numerical column " + Names.quote(column));
    }

    /** @return bytes of all counter arrays of this monitor: stripes, sub-windows and scratch */
    public long counterBytes() {
        long one = current.layout.newData().arrayBytes();
        return one * (stripes.length + subWindows + 1);
    }

    /** @return the number of lock stripes */
    public int stripes() {
        return stripes.length;
    }

    @Override
    public String toString() {
        return "DriftMonitor[" + (countMode ? subRows * subWindows + " rows" : Duration.ofMillis(subMillis * subWindows))
                + (subWindows > 1 ? " in " + subWindows + " sub-windows" : "") + ", " + observed() + " observed]";
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        // guarded by lock
        WindowData data;
        ProfileLayout layout;
        int epoch;

        Stripe(ProfileLayout layout) {
            this.layout = layout;
            this.data = layout.newData();
        }
    }

    /** A profile with the layout and the methods the policy chose for it, and the caller's tag for it. */
    private static final class Reference {
        final ReferenceProfile profile;
        final ProfileLayout layout;
        final ProfileLayout.Choice[] choices;
        final Object tag;

        Reference(ReferenceProfile profile, MonitorPolicy policy, Object tag) {
            this.profile = profile;
            this.layout = profile.layout();
            this.choices = layout.resolve(policy);
            this.tag = tag;
        }
    }

    /** Told of every closed window with the tag of the profile it was compared with ({@link AliasDriftMonitor}). */
    @FunctionalInterface
    interface ReferenceListener {
        void windowClosed(DriftReport report, WindowState state, Object tag);
    }

    // ------------------------------------------------------------------ switching profiles

    /**
     * Compares the following windows with {@code next}. The open window is compared with the
     * profile it was counted in: the switch happens at once when the open window has no row yet
     * (sliding windows then also drop the closed sub-windows of the old profile), else when the
     * open window closes, in the same step that starts the next window. A later switch
     * replaces one still waiting.
     *
     * @param next a profile with the same numerical and categorical columns, in the same order
     * @param tag  given to reference listeners with each window compared with {@code next}
     * @return true if the switch happened at once, false if it waits for the open window to close
     * @throws IllegalArgumentException if the columns differ or the policy does not fit {@code next}
     */
    boolean switchProfile(ReferenceProfile next, Object tag) {
        Objects.requireNonNull(next, "next");
        Reference ref = new Reference(next, policy, tag);
        ProfileLayout now = current.layout;
        if (!ref.layout.numericalNames().equals(now.numericalNames())
                || !ref.layout.categoricalNames().equals(now.categoricalNames())) {
            throw new IllegalArgumentException("the profile has numerical columns " + ref.layout.numericalNames()
                    + " and categorical columns " + ref.layout.categoricalNames() + ", the monitor observes "
                    + now.numericalNames() + " and " + now.categoricalNames());
        }
        closeLock.lock();
        try {
            for (Stripe st : stripes) {
                st.lock.lock();
            }
            try {
                long rows = 0;
                for (Stripe st : stripes) {
                    rows += st.data.rows;
                }
                if (rows > 0) {
                    pending = ref;
                    return false;
                }
                for (Stripe st : stripes) {
                    st.data = ref.layout.newData();
                    st.layout = ref.layout;
                }
                install(ref);
                return true;
            } finally {
                for (Stripe st : stripes) {
                    st.lock.unlock();
                }
            }
        } finally {
            closeLock.unlock();
        }
    }

    /**
     * Drops a switch still waiting for the open window to close.
     *
     * @return true if one was waiting
     */
    boolean cancelSwitch() {
        closeLock.lock();
        try {
            boolean waiting = pending != null;
            pending = null;
            return waiting;
        } finally {
            closeLock.unlock();
        }
    }

    /** @return the clock of windows, reports and cooldowns */
    Clock clock() {
        return clock;
    }

    /** @return the tag of the profile windows are compared with now */
    Object currentTag() {
        return current.tag;
    }

    private static final class Alert {
        final int windows;
        final long cooldownMillis;
        final Consumer<DriftReport> action;
        int consecutive;
        long lastFired = Long.MIN_VALUE;

        Alert(int windows, long cooldownMillis, Consumer<DriftReport> action) {
            this.windows = windows;
            this.cooldownMillis = cooldownMillis;
            this.action = action;
        }
    }

    // ------------------------------------------------------------------ builder

    /** Builds a {@link DriftMonitor}; each setter checks its value at once. */
    public static final class Builder {
        private final ReferenceProfile profile;
        private MonitorPolicy policy = MonitorPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private long countRows;
        private Duration duration;
        private int subWindows = 1;
        private int stripes = Math.min(16, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
        private final List<WindowListener> listeners = new ArrayList<>();
        private final List<ReferenceListener> referenceListeners = new ArrayList<>();
        private final List<Alert> alerts = new ArrayList<>();
        private Object tag;

        private Builder(ReferenceProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
        }

        /**
         * @param policy methods, thresholds and drift share (default {@link MonitorPolicy#defaults()})
         * @return this
         */
        public Builder policy(MonitorPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param clock time source for windows, reports and cooldowns (default UTC system clock)
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
            if (rows < 1 || rows > COUNT_MASK) {
                throw new IllegalArgumentException("count window must hold 1 to " + COUNT_MASK + " rows, got " + rows);
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
                throw new IllegalArgumentException("time window must be a positive whole number of milliseconds, got " + duration);
            }
            if (countRows > 0) {
                throw new IllegalStateException("a count window is already set; a monitor has one kind of window");
            }
            this.duration = duration;
            return this;
        }

        /**
         * Sliding windows: the window is made of n sub-windows and reported every sub-window
         * (default 1: tumbling). The window size must divide by n.
         *
         * @param n sub-windows per window, 1 to 1,000
         * @return this
         */
        public Builder slidingSubWindows(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("sub-windows must be 1 to 1000, got " + n);
            }
            this.subWindows = n;
            return this;
        }

        /**
         * @param n lock stripes for concurrent observers (rounded up to a power of two; default
         *          twice the processors, 2 to 16)
         * @return this
         */
        public Builder stripes(int n) {
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("stripes must be 1 to 256, got " + n);
            }
            this.stripes = n;
            return this;
        }

        /**
         * @param listener called with every closed window's report and state
         * @return this
         */
        public Builder listener(WindowListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * An alert with hysteresis and cooldown: {@code action} runs when the last
         * {@code consecutiveWindows} reports all had dataset drift, but not within
         * {@code cooldown} of its previous run.
         *
         * @param consecutiveWindows drifted windows in a row needed, at least 1
         * @param cooldown           minimum time between two runs, not negative
         * @param action             receives the report that triggered it
         * @return this
         */
        public Builder onDrift(int consecutiveWindows, Duration cooldown, Consumer<DriftReport> action) {
            if (consecutiveWindows < 1) {
                throw new IllegalArgumentException("consecutive windows must be at least 1, got " + consecutiveWindows);
            }
            Objects.requireNonNull(cooldown, "cooldown");
            if (cooldown.isNegative()) {
                throw new IllegalArgumentException("cooldown must not be negative, got " + cooldown);
            }
            alerts.add(new Alert(consecutiveWindows, cooldown.toMillis(), Objects.requireNonNull(action, "action")));
            return this;
        }

        /** Tags the initial profile for reference listeners. */
        Builder tag(Object t) {
            this.tag = t;
            return this;
        }

        /** Adds a listener told which profile (by tag) each window was compared with. */
        Builder referenceListener(ReferenceListener l) {
            referenceListeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** @return true once {@link #countWindow} was set (for the fleet publisher, which refuses it) */
        boolean isCountWindow() {
            return countRows > 0;
        }

        /** @return the profile the monitor will compare with */
        ReferenceProfile profile() {
            return profile;
        }

        /**
         * @return the monitor
         * @throws IllegalStateException if no window was set or it does not divide into the sub-windows
         * @throws IllegalArgumentException if the policy does not fit the profile
         */
        public DriftMonitor build() {
            if (countRows == 0 && duration == null) {
                throw new IllegalStateException("set countWindow(rows) or timeWindow(duration)");
            }
            if (countRows > 0 && countRows % subWindows != 0) {
                throw new IllegalStateException("count window of " + countRows + " rows does not divide into " + subWindows
                        + " sub-windows");
            }
            if (duration != null && duration.toMillis() % subWindows != 0) {
                throw new IllegalStateException("time window of " + duration.toMillis() + " ms does not divide into "
                        + subWindows + " sub-windows");
            }
            return new DriftMonitor(this);
        }
    }
}
