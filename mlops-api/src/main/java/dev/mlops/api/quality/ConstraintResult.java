package dev.mlops.api.quality;

import java.util.Objects;

/**
 * The outcome of one constraint on one frame.
 *
 * @param name the constraint's name
 * @param constraint the constraint
 * @param verdict pass or fail
 * @param observed the observed value (see each {@link Constraint}); NaN when it could not be
 *     computed (missing column, wrong type, no values), which always fails
 * @param message what was observed and what was expected
 */
public record ConstraintResult(String name, Constraint constraint, Verdict verdict, double observed, String message) {
    /** Checks arguments. */
    public ConstraintResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(message, "message");
    }

    /** @return true if the verdict is {@link Verdict#PASS} */
    public boolean passed() {
        return verdict == Verdict.PASS;
    }
}
