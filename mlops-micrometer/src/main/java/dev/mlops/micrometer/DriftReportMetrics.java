package dev.mlops.micrometer;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * A Micrometer {@link MeterBinder} for drift: gauges that show the latest {@link DriftReport} of a
 * monitor, updated by {@link #update(DriftReport)}, e.g. from a monitor's window listener or after
 * a fleet merge.
 *
 * <pre>{@code
 * DriftReportMetrics drift = new DriftReportMetrics("rain-inputs");
 * drift.bindTo(registry);
 * DriftMonitor monitor = DriftMonitor.builder(profile).timeWindow(Duration.ofHours(1))
 *         .listener((report, state) -> drift.update(report)).build();
 * }</pre>
 *
 * <p><b>Meters.</b> Per column, tags {@code monitor}, {@code column}, {@code method}:
 * {@value #STATISTIC} (the method's statistic: a distance, or a test statistic),
 * {@value #P_VALUE} (tests only), {@value #THRESHOLD}, {@value #DRIFTED} (1 or 0). Per monitor,
 * tag {@code monitor}: {@value #DATASET_DRIFTED} (1 or 0), {@value #DRIFT_SHARE} (drifted over
 * compared columns), {@value #ROWS} (rows of the current window), {@value #REPORTS} (reports
 * seen, a function counter). See {@code docs/micrometer.md}.
 *
 * <p>A gauge shows the latest report: a column, or a (column, method) pair, that the latest
 * report does not contain reads NaN (a monitor switches a z-test column to chi-square when a
 * third category shows up, which gives a new {@code method} tag). Before the first report every
 * gauge reads NaN. Meters appear when a report first names them. Thread-safe: the report is
 * swapped in atomically, so one scrape never mixes two reports.
 */
public final class DriftReportMetrics implements MeterBinder {

    /** The column's statistic. */
    public static final String STATISTIC = "mlops.drift.statistic";
    /** The column test's p-value (after correction when one was applied). */
    public static final String P_VALUE = "mlops.drift.p.value";
    /** The column's threshold. */
    public static final String THRESHOLD = "mlops.drift.threshold";
    /** 1 when the column drifted, else 0. */
    public static final String DRIFTED = "mlops.drift.detected";
    /** 1 when the dataset drifted, else 0. */
    public static final String DATASET_DRIFTED = "mlops.drift.dataset.detected";
    /** Drifted columns over compared columns. */
    public static final String DRIFT_SHARE = "mlops.drift.dataset.share";
    /** Rows of the current data of the latest report. */
    public static final String ROWS = "mlops.drift.rows";
    /** Reports seen. */
    public static final String REPORTS = "mlops.drift.reports";

    private final String monitor;
    private final Tags tags;
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final Set<Key> keys = new LinkedHashSet<>();
    private final Set<Key> tests = new LinkedHashSet<>();
    private final AtomicLong reports = new AtomicLong();
    private volatile Latest latest = new Latest(null, Map.of());

    /** A column and its method: what one set of column meters stands for. */
    private record Key(String column, String method) {
    }

    /** The latest report, indexed. */
    private record Latest(DriftReport report, Map<Key, ColumnDrift> columns) {
    }

    /**
     * @param monitor the monitor's name, the {@code monitor} tag
     */
    public DriftReportMetrics(String monitor) {
        this(monitor, Tags.empty());
    }

    /**
     * @param monitor the monitor's name, the {@code monitor} tag
     * @param tags    extra tags on every meter
     */
    public DriftReportMetrics(String monitor, Iterable<Tag> tags) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        if (monitor.isBlank()) {
            throw new IllegalArgumentException("monitor name must not be blank");
        }
        this.tags = Tags.concat(Objects.requireNonNull(tags, "tags"), "monitor", monitor);
    }

    /** @return the monitor's name */
    public String monitor() {
        return monitor;
    }

    /**
     * Registers the monitor's meters and those of every column seen so far.
     *
     * @param registry the registry
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (!registries.contains(registry)) {
            registries.add(registry);
        }
        Gauge.builder(DATASET_DRIFTED, this, m -> m.report(r -> r.datasetDrift() ? 1 : 0)).tags(tags).strongReference(true)
                .description("1 when the latest report found dataset drift, else 0").register(registry);
        Gauge.builder(DRIFT_SHARE, this, m -> m.report(DriftReport::driftShare)).tags(tags).strongReference(true)
                .description("Drifted columns over compared columns in the latest report").register(registry);
        Gauge.builder(ROWS, this, m -> m.report(r -> r.currentRows())).tags(tags).strongReference(true)
                .description("Rows of the current data in the latest report").baseUnit("rows").register(registry);
        FunctionCounter.builder(REPORTS, reports, AtomicLong::get).tags(tags)
                .description("Drift reports seen").baseUnit("reports").register(registry);
        for (Key k : keys) {
            bindColumn(registry, k);
        }
        for (Key k : tests) {
            bindPValue(registry, k);
        }
    }

    /**
     * Makes {@code report} the latest: every gauge shows it from now on. Registers meters for
     * columns and methods seen for the first time.
     *
     * @param report a drift report of this monitor
     */
    public void update(DriftReport report) {
        Objects.requireNonNull(report, "report");
        Map<Key, ColumnDrift> columns = new HashMap<>();
        for (ColumnDrift c : report.columns()) {
            columns.put(new Key(c.column(), c.method()), c);
        }
        synchronized (this) {
            for (Map.Entry<Key, ColumnDrift> e : columns.entrySet()) {
                Key k = e.getKey();
                if (keys.add(k)) {
                    for (MeterRegistry r : registries) {
                        bindColumn(r, k);
                    }
                }
                if (e.getValue().pValue().isPresent() && tests.add(k)) {
                    for (MeterRegistry r : registries) {
                        bindPValue(r, k);
                    }
                }
            }
            latest = new Latest(report, Map.copyOf(columns));
            reports.incrementAndGet();
        }
    }

    /** @return the latest report, if one was given */
    public Optional<DriftReport> latest() {
        return Optional.ofNullable(latest.report());
    }

    private void bindColumn(MeterRegistry registry, Key k) {
        Tags t = tags.and("column", k.column(), "method", k.method());
        Gauge.builder(STATISTIC, this, m -> m.column(k, ColumnDrift::statistic)).tags(t).strongReference(true)
                .description("Drift statistic of the column in the latest report (distance or test statistic)")
                .register(registry);
        Gauge.builder(THRESHOLD, this, m -> m.column(k, ColumnDrift::threshold)).tags(t).strongReference(true)
                .description("Drift threshold of the column: p-value below it, or distance at or above it")
                .register(registry);
        Gauge.builder(DRIFTED, this, m -> m.column(k, c -> c.drifted() ? 1 : 0)).tags(t).strongReference(true)
                .description("1 when the column drifted in the latest report, else 0").register(registry);
    }

    private void bindPValue(MeterRegistry registry, Key k) {
        Gauge.builder(P_VALUE, this, m -> m.column(k, c -> c.adjustedPValue().isPresent()
                ? c.adjustedPValue().getAsDouble() : c.pValue().orElse(Double.NaN)))
                .tags(tags.and("column", k.column(), "method", k.method())).strongReference(true)
                .description("P-value of the column's test in the latest report (corrected when a correction applied)")
                .register(registry);
    }

    private double report(ToDoubleFunction<DriftReport> f) {
        DriftReport r = latest.report();
        return r == null ? Double.NaN : f.applyAsDouble(r);
    }

    private double column(Key k, ToDoubleFunction<ColumnDrift> f) {
        ColumnDrift c = latest.columns().get(k);
        return c == null ? Double.NaN : f.applyAsDouble(c);
    }

    @Override
    public String toString() {
        return "DriftReportMetrics[" + monitor + "]";
    }
}
