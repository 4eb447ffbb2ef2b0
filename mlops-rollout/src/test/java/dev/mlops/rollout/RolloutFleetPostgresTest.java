package dev.mlops.rollout;

import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RolloutFleetKit} on one PostgreSQL store: four JVMs, each with its own connections, on
 * one schema of a throw-away server (skipped without PostgreSQL's binaries, failed in CI).
 */
@ExtendWith(PostgresAvailable.class)
class RolloutFleetPostgresTest extends RolloutFleetKit {

    private String url;

    @BeforeEach
    void newSchema() {
        PostgresCluster cluster = PostgresCluster.require();
        // a schema per test: the two tests' rollouts and audit logs stay apart
        url = cluster.url(cluster.newSchema()) + "&user=" + PostgresCluster.USER;
    }

    @Override
    String storeSpec() {
        return "postgres:" + url;
    }
}
