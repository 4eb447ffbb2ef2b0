package dev.mlops.registry.jdbc;

import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.RunCrashKit;
import dev.mlops.registry.tck.process.StoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run loggers killed with SIGKILL on a PostgreSQL store, a new schema per test. */
@ExtendWith(PostgresAvailable.class)
@DisplayName("Run tracking on PostgreSQL: SIGKILL while logging")
class PostgresRunCrashTest extends RunCrashKit {
    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    @Override
    protected StoreConfig createStore(Path dir) {
        return ClusterStores.forChildren(cluster, cluster.newSchema());
    }

    @Override
    protected StoreConfig forChild(StoreConfig store, String childName) {
        return ClusterStores.named(store, childName);
    }
}
