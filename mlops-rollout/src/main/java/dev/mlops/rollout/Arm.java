package dev.mlops.rollout;

/** The two sides of a rollout. */
public enum Arm {
    /** The version holding the alias. */
    CONTROL,
    /** The version being rolled out. */
    CANDIDATE
}
