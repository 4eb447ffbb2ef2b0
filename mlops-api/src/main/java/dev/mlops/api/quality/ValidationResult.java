package dev.mlops.api.quality;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every constraint of a suite with its observed value and verdict.
 *
 * @param suite the suite's name
 * @param rows rows in the validated frame
 * @param results one result per constraint, in suite order
 */
public record ValidationResult(String suite, long rows, List<ConstraintResult> results) {
    /** Copies the list and checks arguments. */
    public ValidationResult {
        Objects.requireNonNull(suite, "suite");
        if (rows < 0) {
            throw new IllegalArgumentException("rows is " + rows + ", expected >= 0");
        }
        results = List.copyOf(results);
    }

    /** @return the failed constraints, in suite order */
    public List<ConstraintResult> violations() {
        return results.stream().filter(r -> r.verdict() == Verdict.FAIL).toList();
    }

    /** @return true if every constraint passed */
    public boolean passed() {
        return results.stream().allMatch(ConstraintResult::passed);
    }

    /**
     * @param name a constraint's name
     * @return its result, if the suite has it
     */
    public Optional<ConstraintResult> result(String name) {
        Objects.requireNonNull(name, "name");
        return results.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
