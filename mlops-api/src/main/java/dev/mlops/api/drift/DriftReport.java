package dev.mlops.api.drift;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Drift of a current data set against a reference, column by column and as a whole. Produced
 * by the drift module (batch comparison or a closed monitor window); read by gates, retraining
 * triggers, the CLI and the HTML report.
 *
 * @param createdAt when it was computed
 * @param referenceRows rows in the reference
 * @param currentRows rows in the current data
 * @param columns one verdict per column, drifted columns first, then by name
 * @param driftShare drifted columns over compared columns
 * @param driftShareThreshold dataset drift when {@code driftShare >= driftShareThreshold}
 * @param datasetDrift the dataset verdict
 * @param correction multiple-testing correction applied to p-values: {@code none},
 *     {@code bonferroni} or {@code benjamini-hochberg}
 * @param window for monitor windows: which window
 * @param inputs what was compared: model, profile, data sets, files, time ranges
 * @param datasetVerdict drift, no drift or uncertain (see {@code driftShareInterval});
 *     {@code datasetDrift} is {@code datasetVerdict == DRIFT}
 * @param driftShareInterval the drift share with every uncertain column counted as not drifted
 *     (low) and as drifted (high); a point when no column is uncertain. The data set drifts when
 *     {@code low >= driftShareThreshold}, does not when {@code high < driftShareThreshold}, and is
 *     uncertain otherwise
 */
public record DriftReport(Instant createdAt, long referenceRows, long currentRows, List<ColumnDrift> columns,
                          double driftShare, double driftShareThreshold, boolean datasetDrift, String correction,
                          Optional<Window> window, DriftInputs inputs, Verdict datasetVerdict,
                          Interval driftShareInterval) {
    /** Copies and checks: {@code datasetDrift} must agree with {@code datasetVerdict}. */
    public DriftReport {
        Objects.requireNonNull(createdAt, "createdAt");
        columns = List.copyOf(columns);
        Objects.requireNonNull(correction, "correction");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(datasetVerdict, "datasetVerdict");
        Objects.requireNonNull(driftShareInterval, "driftShareInterval");
        if (datasetDrift != (datasetVerdict == Verdict.DRIFT)) {
            throw new IllegalArgumentException("datasetDrift is " + datasetDrift + " but the dataset verdict is "
                    + datasetVerdict.label());
        }
    }

    /**
     * A report of exact results: no inputs named, the verdict from {@code datasetDrift}, the
     * share interval the point {@code driftShare}. A column with an uncertain verdict is refused
     * ({@link IllegalArgumentException}): its report needs the full constructor.
     *
     * @param createdAt when it was computed
     * @param referenceRows rows in the reference
     * @param currentRows rows in the current data
     * @param columns one verdict per column
     * @param driftShare drifted columns over compared columns
     * @param driftShareThreshold the dataset threshold
     * @param datasetDrift the dataset verdict
     * @param correction the correction
     * @param window the monitor window
     */
    public DriftReport(Instant createdAt, long referenceRows, long currentRows, List<ColumnDrift> columns,
                       double driftShare, double driftShareThreshold, boolean datasetDrift, String correction,
                       Optional<Window> window) {
        this(createdAt, referenceRows, currentRows, columns, driftShare, driftShareThreshold, datasetDrift, correction,
                window, DriftInputs.none(), exactVerdict(columns, datasetDrift), new Interval(driftShare, driftShare));
    }

    /** The dataset verdict of exact results; a column with an uncertain verdict has no place among them. */
    private static Verdict exactVerdict(List<ColumnDrift> columns, boolean datasetDrift) {
        for (ColumnDrift c : columns) {
            if (c.verdict() == Verdict.UNCERTAIN) {
                throw new IllegalArgumentException("column " + c.column() + " has an uncertain verdict, so the dataset"
                        + " verdict and drift share are intervals too: give them with the full constructor");
            }
        }
        return datasetDrift ? Verdict.DRIFT : Verdict.NO_DRIFT;
    }

    /**
     * @param inputs what was compared
     * @return this report naming its inputs
     */
    public DriftReport withInputs(DriftInputs inputs) {
        return new DriftReport(createdAt, referenceRows, currentRows, columns, driftShare, driftShareThreshold,
                datasetDrift, correction, window, inputs, datasetVerdict, driftShareInterval);
    }

    /** @return the names of columns whose verdict is uncertain */
    public List<String> uncertainColumns() {
        return columns.stream().filter(c -> c.verdict() == Verdict.UNCERTAIN).map(ColumnDrift::column).toList();
    }

    /**
     * @param name a column
     * @return its verdict, if it was compared
     */
    public Optional<ColumnDrift> column(String name) {
        return columns.stream().filter(c -> c.column().equals(name)).findFirst();
    }

    /** @return the names of drifted columns */
    public List<String> driftedColumns() {
        return columns.stream().filter(ColumnDrift::drifted).map(ColumnDrift::column).toList();
    }

    /**
     * The window of a monitor a report covers.
     *
     * @param start first observation time, inclusive
     * @param end end time, exclusive
     * @param sequence the window's number, from 1
     */
    public record Window(Instant start, Instant end, long sequence) {
        /** Checks arguments. */
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }
}
