package dev.mlops.api.quality;

import java.util.Objects;

/**
 * One suggested constraint and why.
 *
 * @param constraint the constraint
 * @param rule the rule that produced it (Deequ's rule name, such as {@code RetainCompletenessRule})
 * @param evidence what was observed on the reference frame
 */
public record Suggestion(Constraint constraint, String rule, String evidence) {
    /** Checks arguments. */
    public Suggestion {
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(evidence, "evidence");
    }
}
