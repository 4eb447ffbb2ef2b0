package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.MlopsException;
import dev.mlops.api.StorageException;
import dev.mlops.api.Digests;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import dev.mlops.registry.jdbc.StatementKillingDataSource.Kill;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.faults.FaultInjectionKit;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The fault-injection sweep with PostgreSQL's own failure points: every statement the store runs,
 * on its operations' connections and on its lock sessions, is a point, and at point N the
 * connection that runs statement N dies, in each way a {@link Kill} names: its backend
 * terminated just before the statement, or just after the statement completed on the server
 * with its answer lost on the way back. The kit's oracle judges each run; and no killed
 * connection may be lent again by the store's pools.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgresStore with a connection killed at each statement")
class PostgresConnectionKillTest extends FaultInjectionKit {
    /** Polls (of about a millisecond) for a terminated backend to end. */
    private static final int TERMINATE_POLLS = 20_000;
    private static PostgresCluster cluster;
    private static Connection admin;
    private static AnswerCuttingProxy proxy;
    private final Map<Store, Clock> clocks = Collections.synchronizedMap(new IdentityHashMap<>());

    @BeforeAll
    static void start() throws SQLException, IOException {
        cluster = PostgresCluster.require();
        admin = cluster.connect(PostgresCluster.DATABASE);
        proxy = new AnswerCuttingProxy(cluster.port(), PostgresConnectionKillTest::terminate);
    }

    @AfterAll
    static void stop() throws SQLException, IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    /**
     * Ends backend {@code pid} from another session and returns once the server no longer lists
     * it, by then having rolled back its transaction and released its locks. (Polled here rather
     * than with {@code pg_terminate_backend}'s own wait, which sleeps in steps of 100 ms.)
     */
    private static synchronized void terminate(int pid) {
        try (PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)");
             PreparedStatement listed = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
            kill.setInt(1, pid);
            try (ResultSet rs = kill.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalStateException("backend " + pid + " could not be signalled to end");
                }
            }
            listed.setInt(1, pid);
            for (int i = 0; i < TERMINATE_POLLS; i++) {
                try (ResultSet rs = listed.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(1);
            }
            throw new IllegalStateException("backend " + pid + " was still listed " + TERMINATE_POLLS
                    + " polls after pg_terminate_backend");
        } catch (SQLException e) {
            throw new IllegalStateException("could not terminate backend " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while terminating backend " + pid, e);
        }
    }

    /** A store whose statements are counted and killed, and where its connections come from. */
    record Armed(PostgresStore store, StatementKillingDataSource source) {
    }

    /**
     * @return a second store over the schema of {@code store}, pooled as the {@code postgres}
     *     provider pools, whose connections go through the proxy and are counted from now on,
     *     the connection of statement {@code failAt} killed by {@code kill}
     */
    static Armed arm(PostgresStore store, Clock clock, int failAt, Kill kill) {
        PGSimpleDataSource viaProxy = new PGSimpleDataSource();
        viaProxy.setURL("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + PostgresCluster.DATABASE
                + "?currentSchema=" + store.schema().name + "&sslmode=disable&gssEncMode=disable");
        viaProxy.setUser(PostgresCluster.USER);
        StatementKillingDataSource source = new StatementKillingDataSource(viaProxy, failAt, kill,
                PostgresConnectionKillTest::terminate, proxy);
        PostgresStore second = ClusterStores.pooled(source, source::watch, clock, false, () -> { });
        source.startCounting();
        return new Armed(second, source);
    }

    @Override
    protected Store createStore(Path dir, Clock clock) {
        PostgresStore store = ClusterStores.emptied(cluster, clock);
        clocks.put(store, clock);
        return store;
    }

    @Override
    protected List<Injection> injections() {
        return Arrays.stream(Kill.values()).map(ConnectionKill::new).map(i -> (Injection) i).toList();
    }

    /** The sweep is only as good as its kills: each is checked here against the server's state. */
    @Nested
    @DisplayName("the kills are real")
    class KillsAreReal {
        private final DocumentKey key = DocumentKey.of("models", "rain");
        private final byte[] content = "rain".getBytes(StandardCharsets.UTF_8);

        @Test
        @DisplayName("terminated before a statement: it never runs, the call throws StorageException, and the"
                + " next call gets a live connection, never the killed one")
        void terminatedBefore() {
            PostgresStore healthy = ClusterStores.emptied(cluster, Clock.systemUTC());
            Armed armed = arm(healthy, Clock.systemUTC(), 1, Kill.TERMINATED_BEFORE);
            try (healthy; PostgresStore store = armed.store()) {
                assertThatThrownBy(() -> store.create(key, content)).isInstanceOf(StorageException.class)
                        .hasMessageContaining("57P01");
                assertThat(healthy.read(key)).isEmpty();
                assertThat(store.create(key, content).revision()).isEqualTo(1);
                assertThat(armed.source().log()).containsExactly("1 INSERT INTO mlops_document (parent, ...",
                        "2 INSERT INTO mlops_document (parent, ...");
                assertThat(armed.source().relent()).isEmpty();
            }
        }

        @Test
        @DisplayName("answer lost: the statement commits on the server, the client sees an I/O error")
        void answerLost() {
            PostgresStore healthy = ClusterStores.emptied(cluster, Clock.systemUTC());
            Armed armed = arm(healthy, Clock.systemUTC(), 1, Kill.ANSWER_LOST);
            try (healthy; PostgresStore store = armed.store()) {
                assertThatThrownBy(() -> store.create(key, content)).isInstanceOf(StorageException.class)
                        .hasMessageContaining("08006");
                assertThat(healthy.read(key)).hasValueSatisfying(d -> assertThat(d.content()).isEqualTo(content));
                assertThat(store.read(key)).isPresent();
                assertThat(armed.source().relent()).isEmpty();
            }
        }

        @Test
        @DisplayName("answer lost at COMMIT: the transaction is committed, the call reports the outcome unknown")
        void commitAnswerLost() {
            PostgresStore healthy = ClusterStores.emptied(cluster, Clock.systemUTC());
            Armed counted = arm(healthy, Clock.systemUTC(), 0, Kill.ANSWER_LOST);
            try (PostgresStore store = counted.store()) {
                store.putBlob(new ByteArrayInputStream(content));
            }
            List<String> statements = counted.source().log();
            assertThat(statements).last().isEqualTo(statements.size() + " COMMIT");
            byte[] other = "snow".getBytes(StandardCharsets.UTF_8);
            Armed armed = arm(healthy, Clock.systemUTC(), statements.size(), Kill.ANSWER_LOST);
            try (healthy; PostgresStore store = armed.store()) {
                assertThatThrownBy(() -> store.putBlob(new ByteArrayInputStream(other)))
                        .isInstanceOf(StorageException.class).hasMessageContaining("failed at commit");
                assertThat(healthy.blobInfo(Digests.hex(Digests.sha256().digest(other)))).isPresent();
            }
        }

        @Test
        @DisplayName("the statements of lock sessions are points too")
        void lockSessionsCount() {
            PostgresStore healthy = ClusterStores.emptied(cluster, Clock.systemUTC());
            Armed armed = arm(healthy, Clock.systemUTC(), 0, Kill.TERMINATED_BEFORE);
            try (healthy; PostgresStore store = armed.store()) {
                store.lock("gc", StoreLock.Mode.EXCLUSIVE, Duration.ZERO).orElseThrow().close();
                assertThat(armed.source().log()).containsExactly("1 SELECT s.name, s.setting, set_config(s.name, ...",
                        "2 SELECT pg_try_advisory_lock(?), pg_backend_pid()",
                        "3 SELECT pg_advisory_unlock(?), (SELECT count(set_config(v.name, ...");
            }
        }

        @Test
        @DisplayName("the check on lending catches a pool that lends a killed connection again")
        void relendingIsCaught() throws SQLException {
            PostgresStore healthy = ClusterStores.emptied(cluster, Clock.systemUTC());
            Armed armed = arm(healthy, Clock.systemUTC(), 1, Kill.TERMINATED_BEFORE);
            PostgresStore armedStore = armed.store(); // closed with the test; the check runs on its data source
            try (healthy; armedStore; Connection kept = armed.source().getConnection()) {
                DataSource sameConnection = armed.source().watch(new ProxyingDataSource() {
                    @Override
                    public Connection getConnection() {
                        return kept; // a pool that never drops a connection
                    }
                });
                Connection c = sameConnection.getConnection();
                assertThatThrownBy(() -> c.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
                sameConnection.getConnection();
                assertThat(armed.source().relent()).hasSize(1);
            }
        }

        @Test
        @DisplayName("a pooled connection whose backend ended while it was idle fails the one call that borrows it,"
                + " and is dropped")
        void killedWhileIdle() {
            PostgresStore healthy = ClusterStores.emptied(cluster, Clock.systemUTC());
            Armed armed = arm(healthy, Clock.systemUTC(), 0, Kill.TERMINATED_BEFORE);
            try (healthy; PostgresStore store = armed.store()) {
                assertThat(store.read(key)).isEmpty();
                armed.source().pids().forEach(PostgresConnectionKillTest::terminate);
                assertThatThrownBy(() -> store.read(key)).isInstanceOf(StorageException.class);
                assertThat(store.read(key)).isEmpty();
            }
        }

        @Test
        @DisplayName("the check of exception types catches a store that throws other than MlopsException")
        void foreignExceptionsAreCaught() {
            PostgresStore closed = ClusterStores.emptied(cluster, Clock.systemUTC());
            closed.close();
            List<String> wrong = new ArrayList<>();
            assertThatThrownBy(() -> noting(closed, wrong).read(key)).isInstanceOf(IllegalStateException.class);
            assertThat(wrong).singleElement().asString().startsWith("read threw java.lang.IllegalStateException");
        }
    }

    /** One way of killing, swept over the statements. */
    private final class ConnectionKill implements Injection {
        private final Kill kill;
        private StatementKillingDataSource armed;
        private final List<String> notMlops = new ArrayList<>();

        ConnectionKill(Kill kill) {
            this.kill = kill;
        }

        @Override
        public String name() {
            return kill.name();
        }

        @Override
        public Store arm(Store store, int failAt) {
            Armed a = PostgresConnectionKillTest.arm((PostgresStore) store, clocks.remove(store), failAt, kill);
            armed = a.source();
            notMlops.clear();
            return noting(a.store(), notMlops);
        }

        @Override
        public int points() {
            return armed.statements();
        }

        @Override
        public List<String> log() {
            return armed.log();
        }

        /** Also fails the run if a pool lent a killed connection again, or the store threw other than MlopsException. */
        @Override
        public void heal() {
            armed.heal();
            List<String> relent = armed.relent();
            if (!relent.isEmpty()) {
                throw new AssertionError("a pool lent a killed connection again: " + relent + "; statements: "
                        + armed.log());
            }
            synchronized (notMlops) {
                if (!notMlops.isEmpty()) {
                    throw new AssertionError("the store threw other than an MlopsException: " + notMlops
                            + "; statements: " + armed.log());
                }
            }
        }
    }

    /**
     * @return {@code store}, noting in {@code wrong} each exception it (or a blob stream it opened)
     *     throws that is not an {@link MlopsException}: a failed statement must reach the registry
     *     as a {@link StorageException} (or the SPI's conflicts), never as a driver's exception
     */
    static Store noting(Store store, List<String> wrong) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (p, m, args) -> {
                    try {
                        Object result = m.invoke(store, args);
                        return result instanceof InputStream in ? noting(in, m.getName(), wrong) : result;
                    } catch (InvocationTargetException e) {
                        note(e.getCause(), m.getName(), wrong);
                        throw e.getCause();
                    }
                });
    }

    private static InputStream noting(InputStream in, String what, List<String> wrong) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (RuntimeException e) {
                    note(e, what + " read", wrong);
                    throw e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (RuntimeException e) {
                    note(e, what + " read", wrong);
                    throw e;
                }
            }
        };
    }

    private static void note(Throwable t, String what, List<String> wrong) {
        if (!(t instanceof MlopsException)) {
            synchronized (wrong) {
                wrong.add(what + " threw " + t);
            }
        }
    }
}
