package dev.mlops.registry.jdbc;

import dev.mlops.registry.jdbc.testing.PostgresCluster;
import java.time.Clock;

/**
 * Stores in the test cluster's database with a connection pool of their own, as the
 * {@code postgres} provider makes them, but with the clock a test chooses: this needs the
 * package-private pool, so it stays here rather than in the shared {@link PostgresCluster}.
 */
final class ClusterStores {
    private ClusterStores() {
    }

    /** @return a store over a new schema, with its own connection pool that closing it closes */
    static PostgresStore newStore(PostgresCluster cluster, Clock clock) {
        return open(cluster, cluster.newSchema(), clock);
    }

    /** @return a store over {@code schema}, with its own connection pool that closing it closes */
    static PostgresStore open(PostgresCluster cluster, String schema, Clock clock) {
        ConnectionPool pool = new ConnectionPool(cluster.dataSource(schema), PostgresStoreProvider.MAX_IDLE);
        return PostgresStore.open(pool, clock, pool, true);
    }
}
