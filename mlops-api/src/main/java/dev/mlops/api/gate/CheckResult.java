package dev.mlops.api.gate;

import dev.mlops.api.quality.Verdict;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One check of a promotion decision, with what was observed and what was required.
 *
 * @param name the check, such as {@code min:auc}, {@code improvement:auc}, {@code latency:p99},
 *     {@code data:completeness(age)}, {@code fairness:demographic_parity_difference(sex)}
 * @param observed the observed value, if the check produced one
 * @param required the bound, in words, such as {@code >= 0.85} or {@code candidate - champion >= 0.01 (p < 0.05)}
 * @param verdict pass or fail; a check that could not be computed fails
 * @param detail why, in words (the exception message when evaluation threw)
 */
public record CheckResult(String name, OptionalDouble observed, String required, Verdict verdict, String detail) {
    /** Checks arguments. */
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(required, "required");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    /** @return true when the check passed */
    public boolean passed() {
        return verdict == Verdict.PASS;
    }
}
