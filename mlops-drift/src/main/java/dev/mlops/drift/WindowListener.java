package dev.mlops.drift;

import dev.mlops.api.drift.DriftReport;

/**
 * Called by a {@link DriftMonitor} for every closed window, on the thread that closed it (the
 * request thread whose observation completed the window, or the caller of
 * {@link DriftMonitor#tick()}), in window order. Keep it short or hand off to an executor; an
 * exception is counted ({@link DriftMonitor#listenerFailures()}) and otherwise ignored.
 */
@FunctionalInterface
public interface WindowListener {
    /**
     * @param report the window's drift report ({@link DriftReport#window()} is set)
     * @param state  the window's counters, to store or to merge with other monitors' windows
     */
    void windowClosed(DriftReport report, WindowState state);
}
