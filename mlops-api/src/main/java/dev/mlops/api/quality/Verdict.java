package dev.mlops.api.quality;

/** The outcome of one check. */
public enum Verdict {
    /** The observed value satisfies the check. */
    PASS,
    /** The observed value violates the check, or could not be computed (see the message). */
    FAIL
}
