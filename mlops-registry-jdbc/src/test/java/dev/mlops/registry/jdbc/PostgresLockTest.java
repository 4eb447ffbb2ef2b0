package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ConflictException;
import dev.mlops.api.StorageException;
import dev.mlops.api.Digests;
import dev.mlops.api.store.StoreLock;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the kit's lock tests cannot see from outside: the advisory lock behind a {@link StoreLock},
 * its own database session, what happens when that session ends, and what locks cost the pool.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgresStore locks")
class PostgresLockTest {
    private static final Duration NOW = Duration.ZERO;
    private static final Duration LONG = Duration.ofMinutes(1);
    /** Polls (of 50 ms) for the server to show a change made by another session. */
    private static final int POLLS = 600;
    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    private static PostgresStore newStore() {
        return ClusterStores.newStore(cluster, Clock.systemUTC());
    }

    private static PostgresStore sameSchema(PostgresStore store) {
        return ClusterStores.open(cluster, store.schema().name, Clock.systemUTC());
    }

    private static long pid(StoreLock lock) {
        return ((AdvisoryLocks.Held) lock).backendPid();
    }

    @Test
    @DisplayName("the lock is the advisory lock with the documented 64-bit key, held by the lock's own backend")
    void documentedKey() throws Exception {
        try (PostgresStore store = newStore()) {
            String schema = store.schema().name;
            byte[] digest = Digests.sha256().digest(("mlops-store-lock\n" + schema + "\ncollection")
                    .getBytes(StandardCharsets.UTF_8));
            long key = ByteBuffer.wrap(digest, 0, 8).getLong();
            try (StoreLock shared = store.lock("collection", StoreLock.Mode.SHARED, NOW).orElseThrow();
                 Connection other = cluster.connect(PostgresCluster.DATABASE)) {
                assertThat(advisoryHolders(other, key)).containsExactly(pid(shared) + " ShareLock true");
                // another program that keys its locks so is excluded, and excludes
                assertThat(query(other, "SELECT pg_try_advisory_lock(" + key + ")")).isEqualTo("f");
                assertThat(query(other, "SELECT pg_try_advisory_lock_shared(" + key + ")")).isEqualTo("t");
                assertThat(store.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW)).isEmpty();
                assertThat(query(other, "SELECT pg_advisory_unlock_shared(" + key + ")")).isEqualTo("t");
            }
        }
    }

    @Test
    @DisplayName("a lock whose session is terminated (pg_terminate_backend) is no longer held, and others may take it")
    void terminatedSession() throws Exception {
        try (PostgresStore store = newStore(); PostgresStore other = sameSchema(store)) {
            StoreLock lock = store.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow();
            assertThat(lock.held()).isTrue();
            terminate(pid(lock));
            assertThat(lock.held()).isFalse();
            assertThat(lock.held()).as("once false, never true again").isFalse();
            assertThat(store.heldLocks()).isZero();
            other.lock("collection", StoreLock.Mode.EXCLUSIVE, LONG).orElseThrow().close();
            lock.close(); // a lost lock closes quietly
        }
    }

    @Test
    @DisplayName("deleteBlob with a fence whose session was terminated throws ConflictException and the blob stays")
    void fenceLostBeforeDelete() throws Exception {
        try (PostgresStore store = newStore()) {
            String sha = store.putBlob(new ByteArrayInputStream("keep me".getBytes(StandardCharsets.UTF_8))).sha256();
            StoreLock fence = store.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow();
            terminate(pid(fence));
            assertThatThrownBy(() -> store.deleteBlob(sha, fence)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("collection").hasMessageContaining("refused");
            assertThat(store.blobInfo(sha)).as("the blob a lost fence tried to delete").isPresent();
            assertThat(fence.held()).isFalse();
            assertThatThrownBy(() -> store.deleteBlob(sha, fence)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("no longer held");
            assertThat(store.blobInfo(sha)).isPresent();
            assertThat(store.check(false)).isEmpty();
        }
    }

    @Test
    @DisplayName("the fenced delete runs on the fence's own session (a trigger records the deleting backend)")
    void fencedDeleteRunsOnTheFenceSession() throws Exception {
        try (PostgresStore store = newStore()) {
            Schema s = store.schema();
            String log = Schema.quoteIdentifier(s.name) + ".deleted_by";
            execute("CREATE TABLE " + log + " (pid integer)",
                    "CREATE FUNCTION " + Schema.quoteIdentifier(s.name) + ".record_pid() RETURNS trigger LANGUAGE plpgsql"
                            + " AS $$ BEGIN INSERT INTO " + log + " VALUES (pg_backend_pid()); RETURN OLD; END $$",
                    "CREATE TRIGGER record_pid AFTER DELETE ON " + s.blobs + " FOR EACH ROW EXECUTE FUNCTION "
                            + Schema.quoteIdentifier(s.name) + ".record_pid()");
            String sha = store.putBlob(new ByteArrayInputStream("fenced".getBytes(StandardCharsets.UTF_8))).sha256();
            try (StoreLock fence = store.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow();
                 Connection c = cluster.connect(PostgresCluster.DATABASE)) {
                assertThat(store.deleteBlob(sha, fence)).isTrue();
                assertThat(query(c, "SELECT string_agg(pid::text, ',') FROM " + log)).isEqualTo(Long.toString(pid(fence)));
            }
        }
    }

    @Test
    @DisplayName("a fence of another store instance is refused with IllegalArgumentException, deleting nothing")
    void foreignFence() {
        try (PostgresStore store = newStore(); PostgresStore other = sameSchema(store)) {
            String sha = store.putBlob(new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))).sha256();
            try (StoreLock fence = other.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow()) {
                assertThatThrownBy(() -> store.deleteBlob(sha, fence)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a lock of");
            }
            assertThat(store.blobInfo(sha)).isPresent();
        }
    }

    @Test
    @DisplayName("closing the store unlocks its locks at once (another instance takes them without waiting)"
            + " and ends their sessions")
    void storeCloseReleases() throws Exception {
        PostgresStore store = newStore();
        try (PostgresStore other = sameSchema(store); Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            StoreLock shared = store.lock("collection", StoreLock.Mode.SHARED, NOW).orElseThrow();
            StoreLock exclusive = store.lock("retry-rain", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow();
            Set<Long> pids = Set.of(pid(shared), pid(exclusive));
            store.close();
            assertThat(shared.held()).isFalse();
            assertThat(exclusive.held()).isFalse();
            other.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow().close();
            other.lock("retry-rain", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow().close();
            pollUntil(() -> backendsAlive(c, pids).isEmpty());
            assertThat(backendsAlive(c, pids)).as("sessions of the closed store's locks").isEmpty();
        }
    }

    @Test
    @DisplayName("24 held locks take no connection from the operations' pool, each has a session of its own,"
            + " and operations go on")
    void manyLocksDoNotExhaustThePool() throws Exception {
        int count = 3 * PostgresStoreProvider.MAX_IDLE;
        try (PostgresStore store = newStore(); Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            ConnectionPool operations = (ConnectionPool) store.dataSource();
            List<StoreLock> locks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                // half shared holders of one lock, half exclusive holders of their own
                locks.add(i % 2 == 0 ? store.lock("collection", StoreLock.Mode.SHARED, NOW).orElseThrow()
                        : store.lock("lock-" + i, StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow());
            }
            assertThat(operations.lentCount()).as("operations' connections lent").isZero();
            assertThat(operations.idleCount()).isLessThanOrEqualTo(PostgresStoreProvider.MAX_IDLE);
            Set<Long> pids = new HashSet<>();
            locks.forEach(l -> pids.add(pid(l)));
            assertThat(pids).as("one backend per held lock").hasSize(count);
            assertThat(backendsAlive(c, pids)).hasSize(count);
            String sha = store.putBlob(new ByteArrayInputStream(new byte[PostgresStore.CHUNK_SIZE + 1])).sha256();
            assertThat(store.blobInfo(sha)).isPresent();
            assertThat(store.heldLocks()).isEqualTo(count);
            locks.forEach(StoreLock::close);
            assertThat(store.heldLocks()).isZero();
            assertThat(query(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isEqualTo("0");
            store.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow().close();
        }
    }

    @Test
    @DisplayName("with a bounded pool and an unpooled lock-session source, held locks leave the pool alone;"
            + " without one, each held lock takes a pooled connection")
    void boundedPool() throws Exception {
        String schema = cluster.newSchema();
        PGSimpleDataSource direct = cluster.dataSource(schema);
        BoundedDataSource pool = new BoundedDataSource(direct, 2);
        try (PostgresStore store = PostgresStore.open(pool, direct, Clock.systemUTC())) {
            List<StoreLock> locks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                locks.add(store.lock("lock-" + i, StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow());
            }
            assertThat(pool.inUse()).isZero();
            store.putBlob(new ByteArrayInputStream("still works".getBytes(StandardCharsets.UTF_8)));
            locks.forEach(StoreLock::close);
        }
        try (PostgresStore store = PostgresStore.open(pool)) {
            StoreLock a = store.lock("a", StoreLock.Mode.SHARED, NOW).orElseThrow();
            StoreLock b = store.lock("b", StoreLock.Mode.SHARED, NOW).orElseThrow();
            assertThat(pool.inUse()).isEqualTo(2);
            assertThatThrownBy(() -> store.lock("c", StoreLock.Mode.SHARED, NOW)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("could not open a database session for lock c");
            a.close();
            b.close();
            assertThat(pool.inUse()).isZero();
        }
    }

    @Test
    @DisplayName("a pooled session is given back as it was lent: settings restored, no advisory lock left")
    void sessionGivenBackAsFound() throws Exception {
        ConnectionPool pool = new ConnectionPool(cluster.dataSource(cluster.newSchema()), 1);
        String settings = "SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout') || ' '"
                + " || current_setting('idle_session_timeout') || ' ' || current_setting('tcp_keepalives_idle')";
        try (PostgresStore store = PostgresStore.open(pool)) {
            String before;
            long backend;
            try (Connection c = pool.getConnection()) {
                execute(c, "SET statement_timeout = '7s'");
                before = query(c, settings);
                backend = Long.parseLong(query(c, "SELECT pg_backend_pid()"));
            }
            StoreLock holder;
            try (PostgresStore other = sameSchema(store)) {
                holder = other.lock("collection", StoreLock.Mode.SHARED, NOW).orElseThrow();
                Thread releaser = new Thread(() -> {
                    sleep(300);
                    holder.close();
                });
                releaser.start();
                // waits (lock_timeout set), then holds (session settings changed), then releases
                StoreLock lock = store.lock("collection", StoreLock.Mode.EXCLUSIVE, LONG).orElseThrow();
                assertThat(pid(lock)).as("the pool's one idle session").isEqualTo(backend);
                lock.close();
                releaser.join();
            }
            try (Connection c = pool.getConnection()) {
                assertThat(query(c, "SELECT pg_backend_pid()")).isEqualTo(Long.toString(backend));
                assertThat(query(c, settings)).isEqualTo(before).startsWith("0 7s ");
                assertThat(query(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"))
                        .isEqualTo("0");
                assertThat(c.getAutoCommit()).isTrue();
            }
        } finally {
            pool.close();
        }
    }

    @Test
    @DisplayName("an exclusive request that waits holds back new shared requests, so registrations cannot starve gc")
    void waitingExclusiveHoldsBackShared() throws Exception {
        try (PostgresStore store = newStore(); Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            long key = AdvisoryLocks.key(store.schema().name, "collection");
            StoreLock shared = store.lock("collection", StoreLock.Mode.SHARED, NOW).orElseThrow();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Optional<StoreLock>> exclusive = pool.submit(() ->
                        store.lock("collection", StoreLock.Mode.EXCLUSIVE, LONG));
                pollUntil(() -> advisoryHolders(c, key).stream().anyMatch(h -> h.endsWith("ExclusiveLock false")));
                assertThat(advisoryHolders(c, key)).as("the exclusive request waits in the server's queue")
                        .anyMatch(h -> h.endsWith("ExclusiveLock false"));
                assertThat(store.lock("collection", StoreLock.Mode.SHARED, NOW))
                        .as("a new shared request while an exclusive one waits").isEmpty();
                shared.close();
                StoreLock got = exclusive.get(2, TimeUnit.MINUTES).orElseThrow();
                assertThat(got.held()).isTrue();
                got.close();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("an interrupted wait leaves no request in the server's queue and no session open")
    void interruptedWaitLeavesNothing() throws Exception {
        try (PostgresStore store = newStore(); Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            long key = AdvisoryLocks.key(store.schema().name, "collection");
            StoreLock shared = store.lock("collection", StoreLock.Mode.SHARED, NOW).orElseThrow();
            AtomicReference<String> outcome = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ofHours(1)).ifPresent(StoreLock::close);
                    outcome.set("acquired");
                } catch (StorageException e) {
                    outcome.set("StorageException, interrupted=" + Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            pollUntil(() -> advisoryHolders(c, key).size() >= 2);
            assertThat(advisoryHolders(c, key)).hasSize(2);
            waiter.interrupt();
            waiter.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(outcome.get()).isEqualTo("StorageException, interrupted=true");
            assertThat(advisoryHolders(c, key)).as("what the server holds or queues for the key")
                    .containsExactly(pid(shared) + " ShareLock true");
            assertThat(store.heldLocks()).isEqualTo(1);
            // a new exclusive request is not queued behind a forgotten one
            shared.close();
            store.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow().close();
        }
    }

    @Test
    @DisplayName("closing the store ends a wait for a lock with IllegalStateException and leaves nothing queued")
    void closeEndsWaits() throws Exception {
        PostgresStore store = newStore();
        try (PostgresStore other = sameSchema(store); Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            long key = AdvisoryLocks.key(store.schema().name, "collection");
            StoreLock held = other.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Optional<StoreLock>> waiting = pool.submit(() ->
                        store.lock("collection", StoreLock.Mode.SHARED, Duration.ofHours(1)));
                pollUntil(() -> advisoryHolders(c, key).size() >= 2);
                store.close();
                assertThatThrownBy(() -> waiting.get(2, TimeUnit.MINUTES)).hasCauseInstanceOf(IllegalStateException.class);
                assertThat(advisoryHolders(c, key)).containsExactly(pid(held) + " ExclusiveLock true");
                held.close();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("a wait longer than the driver's socketTimeout is not cut short by it")
    void waitOutlastsSocketTimeout() throws Exception {
        String schema = cluster.newSchema();
        PGSimpleDataSource ds = cluster.dataSource(schema);
        ds.setSocketTimeout(1);
        try (PostgresStore store = PostgresStoreProvider.openPooled(ds, Clock.systemUTC(), true);
             PostgresStore other = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
            StoreLock holder = other.lock("collection", StoreLock.Mode.EXCLUSIVE, NOW).orElseThrow();
            Thread releaser = new Thread(() -> {
                sleep(2500);
                holder.close();
            });
            releaser.start();
            try (StoreLock lock = store.lock("collection", StoreLock.Mode.SHARED, LONG).orElseThrow()) {
                assertThat(lock.held()).isTrue();
            } finally {
                releaser.join();
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A condition on the server's state, which another session changes. */
    @FunctionalInterface
    private interface ServerState {
        boolean reached() throws SQLException;
    }

    /** Polls until {@code state} is reached, at most {@link #POLLS} times; the caller asserts it. */
    private static void pollUntil(ServerState state) throws SQLException, InterruptedException {
        for (int i = 0; i < POLLS && !state.reached(); i++) {
            Thread.sleep(50);
        }
    }

    /** Terminates a backend and waits until the server no longer lists it. */
    private static void terminate(long pid) throws Exception {
        try (Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            assertThat(query(c, "SELECT pg_terminate_backend(" + pid + ")")).isEqualTo("t");
            pollUntil(() -> backendsAlive(c, Set.of(pid)).isEmpty());
            assertThat(backendsAlive(c, Set.of(pid))).as("backend %d after pg_terminate_backend", pid).isEmpty();
        }
    }

    /** @return "PID MODE GRANTED" of every holder of, or waiter for, the advisory lock {@code key} */
    private static List<String> advisoryHolders(Connection c, long key) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pid, mode, granted FROM pg_locks WHERE locktype = 'advisory'"
                + " AND classid::int8 = ? AND objid::int8 = ? AND objsubid = 1 ORDER BY pid")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
                }
            }
        }
        return out;
    }

    private static Set<Long> backendsAlive(Connection c, Set<Long> pids) throws SQLException {
        Set<Long> alive = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity")) {
            while (rs.next()) {
                if (pids.contains(rs.getLong(1))) {
                    alive.add(rs.getLong(1));
                }
            }
        }
        return alive;
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void execute(String... sql) throws SQLException {
        try (Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            for (String statement : sql) {
                execute(c, statement);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A pool of at most {@code size} connections that refuses, rather than waits, when all are lent. */
    static final class BoundedDataSource extends ProxyingDataSource {
        private final DataSource target;
        private final Semaphore permits;
        private final int size;

        BoundedDataSource(DataSource target, int size) {
            this.target = target;
            this.size = size;
            this.permits = new Semaphore(size);
        }

        int inUse() {
            return size - permits.availablePermits();
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (!permits.tryAcquire()) {
                throw new SQLException("pool exhausted: all " + size + " connections are in use");
            }
            Connection physical;
            try {
                physical = target.getConnection();
            } catch (SQLException e) {
                permits.release();
                throw e;
            }
            AtomicBoolean returned = new AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close") && returned.compareAndSet(false, true)) {
                            permits.release();
                        }
                        try {
                            return method.invoke(physical, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
