package dev.mlops.registry.jdbc.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class, with the reason in the report, when no PostgreSQL server binaries can be
 * found; except in CI (environment variable {@code CI} set), where the class runs and
 * {@link PostgresCluster#require()} fails it, since {@code .ci/run} installs the server.
 */
public final class PostgresAvailable implements ExecutionCondition {
    /** Called by JUnit for {@code @ExtendWith(PostgresAvailable.class)}. */
    public PostgresAvailable() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (PostgresCluster.findBinaries().isPresent()) {
            return ConditionEvaluationResult.enabled("PostgreSQL server binaries found");
        }
        if (System.getenv("CI") != null) {
            return ConditionEvaluationResult.enabled("CI is set: a missing PostgreSQL is an error, not a skip");
        }
        return ConditionEvaluationResult.disabled(PostgresCluster.MISSING);
    }
}
