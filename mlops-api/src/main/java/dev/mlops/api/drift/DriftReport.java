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
 */
public record DriftReport(Instant createdAt, long referenceRows, long currentRows, List<ColumnDrift> columns,
                          double driftShare, double driftShareThreshold, boolean datasetDrift, String correction,
                          Optional<Window> window) {
    /** Copies and checks. */
    public DriftReport {
        Objects.requireNonNull(createdAt, "createdAt");
        columns = List.copyOf(columns);
        Objects.requireNonNull(correction, "correction");
        Objects.requireNonNull(window, "window");
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
