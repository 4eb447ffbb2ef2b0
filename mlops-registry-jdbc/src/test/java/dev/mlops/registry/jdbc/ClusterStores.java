package dev.mlops.registry.jdbc;

import dev.mlops.api.store.JournalEntry;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.StoreConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Stores in the test cluster's database with a connection pool of their own, as the
 * {@code postgres} provider makes them, but with the clock a test chooses: this needs the
 * package-private pool, so it stays here rather than in the shared {@link PostgresCluster}.
 */
final class ClusterStores {
    /** Schemas whose stores were closed, to be emptied and used again by {@link #emptied}. */
    private static final Queue<String> RETURNED = new ConcurrentLinkedQueue<>();

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
     * A new, empty store as {@link #newStore} makes, cheaper for tests that make hundreds: the
     * schema of a store made here and closed is emptied (every row of the store's tables
     * deleted, the journal tail reset) and used again, which saves creating a schema and its
     * tables (most of the cost of a store). Only schemas whose every store is closed come back.
     *
     * @return a store over an empty schema, with its own connection pool that closing it closes
     */
    static PostgresStore emptied(PostgresCluster cluster, Clock clock) {
        String reused = RETURNED.poll();
        String schema = reused != null ? reused : cluster.newSchema();
        PostgresStore store = pooled(cluster.dataSource(schema), pool -> pool, clock, true, () -> RETURNED.add(schema));
        if (reused != null) {
            Schema s = store.schema();
            try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
                // one round trip, one transaction (a multi-statement simple query)
                st.execute("DELETE FROM " + s.documents + "; DELETE FROM " + s.blobs + "; DELETE FROM " + s.chunks
                        + "; DELETE FROM " + s.journal + "; UPDATE " + s.journalTail + " SET sequence = 0, hash = '"
                        + JournalEntry.GENESIS_HASH + "' WHERE id = 1");
            } catch (SQLException e) {
                store.close();
                throw new IllegalStateException("could not empty schema " + schema + " for reuse", e);
            }
        }
        return store;
    }

    /**
     * Opens a store over {@code ds} as the {@code postgres} provider does (two pools, the
     * operations' and the lock sessions', both closed with the store), with hooks for tests.
     *
     * @param lend wraps each pool as the store sees it
     * @param afterClose runs once the store and its pools are closed
     */
    static PostgresStore pooled(DataSource ds, UnaryOperator<DataSource> lend, Clock clock, boolean create,
                                Runnable afterClose) {
        ConnectionPool operations = new ConnectionPool(ds, PostgresStoreProvider.MAX_IDLE);
        ConnectionPool lockSessions = new ConnectionPool(ds, PostgresStoreProvider.LOCK_SESSIONS_IDLE);
        AutoCloseable pools = () -> {
            try {
                lockSessions.close();
            } finally {
                operations.close();
            }
            afterClose.run();
        };
        return PostgresStore.open(lend.apply(operations), lend.apply(lockSessions), clock, pools, create);
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
