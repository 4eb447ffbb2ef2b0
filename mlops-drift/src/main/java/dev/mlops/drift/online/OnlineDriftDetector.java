package dev.mlops.drift.online;

/**
 * A sequential change detector fed one value at a time, typically the error (0/1) or the loss of
 * a deployed model on each labelled prediction, that says when the stream's mean has changed.
 *
 * <p>Implementations: {@link PageHinkley} (Page 1954), {@link Adwin} (Bifet and Gavaldà 2007) and
 * {@link Ddm} (Gama et al. 2004). Each keeps O(1) state, except ADWIN whose window summary takes
 * O(M log W) memory; an update costs O(1) (ADWIN: O(M log W) on every {@code clock}-th update, O(1)
 * amortised otherwise) and allocates nothing in steady state.
 *
 * <p>After an update returns {@link State#DRIFT} the detector has already adapted, and callers need
 * not call {@link #reset()}: Page-Hinkley and DDM restart their statistics from the next value, so
 * a change typically gives one {@code DRIFT}; ADWIN drops only as much of its window as the test
 * requires, so while the rest of the old data ages out it may signal {@code DRIFT} again (a few
 * times per change in the tests, see {@link Adwin}).
 *
 * <p>Thread-safety: detectors are <em>not</em> thread-safe. A detector models one ordered stream;
 * feed it from one thread, or guard every call with the same lock.
 *
 * <p>Input: {@link #update(double)} rejects NaN and infinite values with an
 * {@link IllegalArgumentException} that names the value; DDM also rejects anything but 0 and 1.
 * Any finite value is accepted; values so large (near {@code Double.MAX_VALUE}) that the running
 * sums overflow leave the detector signalling nothing until {@link #reset()}.
 */
public interface OnlineDriftDetector {

    /** What the detector concluded from the values seen so far. */
    enum State {
        /** No evidence of change. */
        NONE,
        /** Evidence of change that is not yet conclusive (only DDM signals warnings). */
        WARNING,
        /** A change was detected on this value. */
        DRIFT
    }

    /**
     * Adds the next value of the stream.
     *
     * @param value the next error or loss; must be finite (DDM: 0 or 1)
     * @return {@link State#DRIFT} if a change was detected on this value, {@link State#WARNING} if
     *     the detector is in its warning zone, {@link State#NONE} otherwise
     * @throws IllegalArgumentException if the value is NaN, infinite, or outside what the
     *     detector accepts; the detector's state is then unchanged
     */
    State update(double value);

    /**
     * The state returned by the last {@link #update(double)}; {@link State#NONE} before the first
     * update and after {@link #reset()}.
     *
     * @return the last state, never null
     */
    State state();

    /**
     * Number of values accepted since construction or the last {@link #reset()}; detections do
     * not reset it.
     *
     * @return the count of accepted values
     */
    long observations();

    /**
     * Number of updates that returned {@link State#DRIFT} since construction or the last
     * {@link #reset()}.
     *
     * @return the count of detected changes
     */
    long detections();

    /** Forgets everything: statistics, window, counters and state, as if newly built. */
    void reset();
}
