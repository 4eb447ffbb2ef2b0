package dev.mlops.registry.jdbc;

import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.StoreConfig;
import java.time.Clock;
import java.util.Map;

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
        return PostgresStoreProvider.openPooled(cluster.dataSource(schema), clock, true);
    }

    /**
     * Creates the store's tables in {@code schema} once, so that child JVMs that start together
     * start alike.
     *
     * @return how the process kits' children open it: through the {@code postgres} provider
     */
    static StoreConfig forChildren(PostgresCluster cluster, String schema) {
        open(cluster, schema, Clock.systemUTC()).close();
        return new StoreConfig("postgres", Map.of("url", cluster.url(schema), "user", PostgresCluster.USER));
    }

    /**
     * @return {@code store} with the connections named {@code name} ({@code ApplicationName}), so
     *     that pg_stat_activity tells which child a backend serves
     */
    static StoreConfig named(StoreConfig store, String name) {
        return store.with("url", store.settings().get("url") + "&ApplicationName=" + name);
    }
}
