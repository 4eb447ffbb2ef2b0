package dev.mlops.api.gate;

import dev.mlops.api.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a promotion gate decided about moving an alias to a candidate version. A decision
 * passes only when it has at least one check and every check passed.
 *
 * @param candidate the version that would be promoted
 * @param alias the alias it would receive
 * @param champion the version holding the alias when the decision was made, if any
 * @param checks every check with its observed value and verdict
 * @param decidedAt when
 * @param policy the policy's name or digest, to tell later which rules applied
 */
public record PromotionDecision(ModelRef.Version candidate, String alias, Optional<ModelRef.Version> champion,
                                List<CheckResult> checks, Instant decidedAt, String policy) {
    /** Copies and checks. */
    public PromotionDecision {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(champion, "champion");
        checks = List.copyOf(checks);
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(policy, "policy");
    }

    /** @return true when there is at least one check and all passed */
    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(CheckResult::passed);
    }

    /** @return the checks that failed */
    public List<CheckResult> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
