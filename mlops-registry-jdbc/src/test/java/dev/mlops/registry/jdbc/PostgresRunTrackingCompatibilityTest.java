package dev.mlops.registry.jdbc;

import dev.mlops.api.store.Store;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.RunTrackingCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run tracking over a PostgreSQL store, a new schema per test. */
@ExtendWith(PostgresAvailable.class)
@DisplayName("Run tracking over PostgresStore")
class PostgresRunTrackingCompatibilityTest extends RunTrackingCompatibilityKit {
    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    @Override
    protected Store createStore(Path dir, Clock clock) {
        return ClusterStores.newStore(cluster, clock);
    }
}
