package dev.mlops.api;

import java.util.List;

/**
 * Result of a whole-store verification: store checks, registry consistency, audit chain.
 *
 * @param problems every problem found (repaired ones included, marked as such)
 */
public record IntegrityReport(List<IntegrityProblem> problems) {
    /** Copies. */
    public IntegrityReport {
        problems = List.copyOf(problems);
    }

    /** @return true when no problem remains unrepaired */
    public boolean ok() {
        return problems.stream().allMatch(IntegrityProblem::repaired);
    }
}
