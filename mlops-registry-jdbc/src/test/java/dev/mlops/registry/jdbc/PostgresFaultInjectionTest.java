package dev.mlops.registry.jdbc;

import dev.mlops.api.store.Store;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.faults.FaultInjectionKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault-injection sweep's store-write faults (refused, answer lost, disk full) over a
 * PostgreSQL store, an empty schema per run. {@link PostgresConnectionKillTest} sweeps the
 * statements and connections underneath.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgresStore under fault injection")
class PostgresFaultInjectionTest extends FaultInjectionKit {
    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    @Override
    protected Store createStore(Path dir, Clock clock) {
        return ClusterStores.emptied(cluster, clock);
    }
}
