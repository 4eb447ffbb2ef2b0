package dev.mlops.registry.jdbc;

import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.ConcurrencyKit;
import dev.mlops.registry.tck.process.StoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The process kit's {@link ConcurrencyKit} against PostgreSQL: four JVM processes, each with its
 * own connections, register 100 versions each into one model in one schema and move its aliases
 * at the same time.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgreSQL: 4 processes x 100 registrations into one model")
class PostgresConcurrencyTest extends ConcurrencyKit {

    @Override
    protected StoreConfig createStore(Path dir) {
        PostgresCluster cluster = PostgresCluster.require();
        return ClusterStores.forChildren(cluster, cluster.newSchema());
    }
}
