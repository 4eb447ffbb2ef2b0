package dev.mlops.api.drift;

/** How a column is compared for drift. */
public enum ColumnKind {
    /** Numbers: distribution tests and distances over values or bins. */
    NUMERICAL,
    /** Labels: category counts and shares. */
    CATEGORICAL
}
