package dev.mlops.api.tracking;

/**
 * Where a run is in its life: {@link #RUNNING} until it ends, then one of the three terminal
 * states, which never change again. A {@code RUNNING} run whose heartbeat stopped (its process
 * died) is {@linkplain Run#isAbandoned abandoned} and can be marked {@link #FAILED}.
 */
public enum RunStatus {
    /** Started and not ended; its logger may still be writing. */
    RUNNING,
    /** Ended normally. */
    FINISHED,
    /** Ended by an error, or found abandoned. */
    FAILED,
    /** Stopped on purpose before it finished. */
    KILLED;

    /** @return true for every state but {@link #RUNNING} */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
