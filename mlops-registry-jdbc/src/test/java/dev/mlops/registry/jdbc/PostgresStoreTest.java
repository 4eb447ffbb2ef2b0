package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the kits cannot see from outside: schema migration, chunking, connections, the provider. */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgresStore")
class PostgresStoreTest {
    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    private static int tablesIn(String schema) {
        try (Connection c = cluster.dataSource(schema).getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = '"
                     + schema + "'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Store store, String table, String where) {
        try (Connection c = ((PostgresStore) store).dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + (where.isEmpty() ? "" : " WHERE " + where))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String schema, String sql) {
        try (Connection c = cluster.dataSource(schema).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Nested
    @DisplayName("schema migration")
    class Migration {

        @Test
        @DisplayName("a new schema gets every table and version 1 recorded; opening again applies nothing")
        void createsAndRecords() {
            String schema = cluster.newSchema();
            try (PostgresStore store = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
                Schema s = store.schema();
                assertThat(s.name).isEqualTo(schema);
                assertThat(count(store, s.versions, "")).isEqualTo(1);
                assertThat(count(store, s.versions, "version = " + Schema.CURRENT_VERSION)).isEqualTo(1);
                for (String table : List.of(s.documents, s.blobs, s.chunks, s.journal, s.journalTail)) {
                    assertThat(count(store, table, "")).as(table).isEqualTo(table.equals(s.journalTail) ? 1 : 0);
                }
                store.create(DocumentKey.of("kept"), utf8("x"));
            }
            try (PostgresStore again = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
                assertThat(count(again, again.schema().versions, "")).isEqualTo(1);
                assertThat(again.read(DocumentKey.of("kept"))).isPresent();
            }
        }

        @Test
        @DisplayName("6 stores opening one new schema at once all succeed and the migration is applied once")
        void concurrentOpens() throws Exception {
            String schema = cluster.newSchema();
            int n = 6;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<PostgresStore> stores = Collections.synchronizedList(new ArrayList<>());
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        stores.add(ClusterStores.open(cluster, schema, Clock.systemUTC()));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(5, TimeUnit.MINUTES);
                }
                assertThat(stores).hasSize(n);
                assertThat(count(stores.get(0), stores.get(0).schema().versions, "")).isEqualTo(1);
                stores.get(0).create(DocumentKey.of("a"), utf8("from store 0"));
                assertThat(stores.get(n - 1).read(DocumentKey.of("a"))).isPresent();
                assertThat(stores.get(1).append(utf8("one")).sequence()).isEqualTo(1);
                assertThat(stores.get(2).append(utf8("two")).sequence()).isEqualTo(2);
            } finally {
                stores.forEach(PostgresStore::close);
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("a schema at a newer version than the code knows is refused, naming both versions")
        void refusesNewer() {
            String schema = cluster.newSchema();
            ClusterStores.open(cluster, schema, Clock.systemUTC()).close();
            execute(schema, "INSERT INTO mlops_schema_version (version, description) VALUES ("
                    + (Schema.CURRENT_VERSION + 1) + ", 'from the future')");
            assertThatThrownBy(() -> ClusterStores.open(cluster, schema, Clock.systemUTC()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("schema version " + (Schema.CURRENT_VERSION + 1))
                    .hasMessageContaining("newer than this library knows (" + Schema.CURRENT_VERSION + ")");
        }

        @Test
        @DisplayName("a search_path naming no existing schema is a NotFoundException, and nothing is created")
        void missingSchema() {
            assertThatThrownBy(() -> ClusterStores.open(cluster, "no_such_schema", Clock.systemUTC()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("currentSchema");
        }

        @Test
        @DisplayName("a failed migration leaves nothing behind: the next open starts from scratch and succeeds")
        void failedMigrationRollsBack() {
            String schema = cluster.newSchema();
            // a table in the way of migration 1, created after the version table would be
            execute(schema, "CREATE TABLE mlops_journal (x int)");
            assertThatThrownBy(() -> ClusterStores.open(cluster, schema, Clock.systemUTC())).isInstanceOf(StorageException.class)
                    .hasMessageContaining("mlops_journal");
            execute(schema, "DROP TABLE mlops_journal");
            assertThat(tablesIn(schema)).as("tables left by the failed migration").isZero();
            try (PostgresStore store = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
                assertThat(store.append(utf8("works")).sequence()).isEqualTo(1);
            }
        }
    }

    @Nested
    @DisplayName("blobs in chunks")
    class Chunks {

        @Test
        @DisplayName("2.5 MiB are stored as three chunk rows of 1 MiB, 1 MiB and 0.5 MiB, read back whole")
        void chunked() throws IOException {
            try (PostgresStore store = ClusterStores.newStore(cluster, Clock.systemUTC())) {
                byte[] content = random(5 * PostgresStore.CHUNK_SIZE / 2, 1);
                BlobInfo info = store.putBlob(new ByteArrayInputStream(content));
                Schema s = store.schema();
                assertThat(count(store, s.chunks, "")).isEqualTo(3);
                assertThat(count(store, s.chunks, "octet_length(data) = " + PostgresStore.CHUNK_SIZE)).isEqualTo(2);
                assertThat(count(store, s.chunks, "idx = 2 AND octet_length(data) = " + PostgresStore.CHUNK_SIZE / 2))
                        .isEqualTo(1);
                assertThat(count(store, s.blobs, "chunk_count = 3 AND size = " + content.length)).isEqualTo(1);
                try (InputStream in = store.openBlob(info.sha256())) {
                    assertThat(in.readAllBytes()).isEqualTo(content);
                }
            }
        }

        @Test
        @DisplayName("a chunk-sized blob is one chunk; the empty blob has none")
        void boundaries() throws IOException {
            try (PostgresStore store = ClusterStores.newStore(cluster, Clock.systemUTC())) {
                byte[] exact = random(PostgresStore.CHUNK_SIZE, 2);
                String sha = store.putBlob(new ByteArrayInputStream(exact)).sha256();
                String empty = store.putBlob(new ByteArrayInputStream(new byte[0])).sha256();
                Schema s = store.schema();
                assertThat(count(store, s.chunks, "")).isEqualTo(1);
                assertThat(count(store, s.blobs, "chunk_count = 0 AND size = 0")).isEqualTo(1);
                try (InputStream in = store.openBlob(sha)) {
                    assertThat(in.readAllBytes()).isEqualTo(exact);
                }
                try (InputStream in = store.openBlob(empty)) {
                    assertThat(in.read()).isEqualTo(-1);
                }
            }
        }

        @Test
        @DisplayName("storing the same content again keeps one set of chunks and moves storedAt to the later time")
        void dedupKeepsOneCopy() {
            MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
            try (PostgresStore store = ClusterStores.newStore(cluster, clock)) {
                byte[] content = random(3 * PostgresStore.CHUNK_SIZE / 2, 3);
                BlobInfo first = store.putBlob(new ByteArrayInputStream(content));
                clock.now = Instant.parse("2026-01-02T00:00:00Z");
                BlobInfo second = store.putBlob(new ByteArrayInputStream(content));
                assertThat(second.sha256()).isEqualTo(first.sha256());
                assertThat(first.storedAt()).isEqualTo("2026-01-01T00:00:00Z");
                assertThat(second.storedAt()).isEqualTo("2026-01-02T00:00:00Z");
                assertThat(store.blobInfo(first.sha256()).orElseThrow().storedAt()).isEqualTo(second.storedAt());
                assertThat(count(store, store.schema().chunks, "")).isEqualTo(2);
                clock.now = Instant.parse("2025-12-31T00:00:00Z"); // a clock set back does not make a blob older
                assertThat(store.putBlob(new ByteArrayInputStream(content)).storedAt()).isEqualTo(second.storedAt());
                assertThat(store.deleteBlob(first.sha256())).isTrue();
                assertThat(count(store, store.schema().chunks, "")).as("chunks deleted with their blob").isZero();
            }
        }

        @Test
        @DisplayName("a stream failing after 2 MiB rolls its chunks back: no chunk row, no blob row")
        void failureRollsBack() {
            try (PostgresStore store = ClusterStores.newStore(cluster, Clock.systemUTC())) {
                InputStream failing = new InputStream() {
                    private int left = 2 * PostgresStore.CHUNK_SIZE + 17;

                    @Override
                    public int read() throws IOException {
                        return read(new byte[1], 0, 1) < 0 ? -1 : 7;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (left <= 0) {
                            throw new IOException("disk on fire");
                        }
                        int n = Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) 7);
                        left -= n;
                        return n;
                    }
                };
                assertThatThrownBy(() -> store.putBlob(failing)).isInstanceOf(StorageException.class)
                        .hasRootCauseMessage("disk on fire");
                assertThat(count(store, store.schema().chunks, "")).isZero();
                assertThat(count(store, store.schema().blobs, "")).isZero();
                assertThat(store.check(true)).isEmpty();
            }
        }

        @Test
        @DisplayName("a chunk row deleted by hand: openBlob refuses before reading and check reports the blob")
        void missingChunk() {
            try (PostgresStore store = ClusterStores.newStore(cluster, Clock.systemUTC())) {
                String sha = store.putBlob(new ByteArrayInputStream(random(3 * PostgresStore.CHUNK_SIZE, 4))).sha256();
                execute(store.schema().name, "DELETE FROM mlops_blob_chunk WHERE idx = 1");
                assertThatThrownBy(() -> store.openBlob(sha)).isInstanceOf(IntegrityException.class)
                        .hasMessageContaining(sha).hasMessageContaining("2 chunk rows");
                assertThat(store.check(false)).singleElement().satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.CORRUPT_BLOB);
                    assertThat(p.location()).isEqualTo(sha);
                    assertThat(p.detail()).contains("chunk 2 of 3 is missing");
                });
            }
        }

        @Test
        @DisplayName("a blob deleted while a reader is between chunks ends that read with StorageException")
        void deletedWhileRead() throws IOException {
            try (PostgresStore store = ClusterStores.newStore(cluster, Clock.systemUTC())) {
                String sha = store.putBlob(new ByteArrayInputStream(random(2 * PostgresStore.CHUNK_SIZE, 5))).sha256();
                try (InputStream in = store.openBlob(sha)) {
                    assertThat(in.readNBytes(PostgresStore.CHUNK_SIZE)).hasSize(PostgresStore.CHUNK_SIZE);
                    store.deleteBlob(sha);
                    assertThatThrownBy(in::read).isInstanceOf(StorageException.class)
                            .hasMessageContaining("deleted").hasMessageContaining("chunk 2 of 2");
                }
            }
        }
    }

    @Nested
    @DisplayName("journal")
    class Journal {

        @Test
        @DisplayName("a tail row that disagrees with the last entry is reported as a broken journal")
        void tailDisagrees() {
            try (PostgresStore store = ClusterStores.newStore(cluster, Clock.systemUTC())) {
                store.append(utf8("one"));
                store.append(utf8("two"));
                assertThat(store.check(false)).isEmpty();
                execute(store.schema().name, "DELETE FROM mlops_journal WHERE sequence = 2");
                assertThat(store.journalLength()).isEqualTo(1);
                assertThat(store.check(false)).singleElement().satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.BROKEN_JOURNAL);
                    assertThat(p.detail()).contains("tail records entry 2");
                });
                // appending goes on after the tail (an audit log that stops would stop the registry);
                // the gap stays visible
                assertThat(store.append(utf8("three")).sequence()).isEqualTo(3);
                assertThat(store.check(false)).singleElement().satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.BROKEN_JOURNAL);
                    assertThat(p.detail()).contains("journal entry 2 is missing");
                });
            }
        }

        @Test
        @DisplayName("an entry removed from the middle is reported where the gap starts")
        void gap() {
            try (PostgresStore store = ClusterStores.newStore(cluster, Clock.systemUTC())) {
                for (int i = 1; i <= 5; i++) {
                    store.append(utf8("e" + i));
                }
                execute(store.schema().name, "DELETE FROM mlops_journal WHERE sequence = 3");
                assertThat(store.readJournal(1, 10)).extracting(e -> e.sequence()).containsExactly(1L, 2L, 4L, 5L);
                assertThat(store.check(false)).singleElement().satisfies(p -> {
                    assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.BROKEN_JOURNAL);
                    assertThat(p.location()).isEqualTo("journal/3");
                });
            }
        }
    }

    @Nested
    @DisplayName("connections")
    class Connections {

        @Test
        @DisplayName("every operation, failed ones included, closes its connection in the state it found it")
        void leftAsFound() throws IOException {
            InspectingDataSource inspecting = new InspectingDataSource(cluster.dataSource(cluster.newSchema()));
            try (PostgresStore store = PostgresStore.open(inspecting)) {
                exercise(store);
            }
            assertThat(inspecting.closed).as("connections closed").isGreaterThan(20);
            assertThat(inspecting.badStates).as("connections closed in another state").isEmpty();
        }

        @Test
        @DisplayName("every operation, failed ones and blob streams included, gives its pooled connection back")
        void noLeaks() throws IOException {
            ConnectionPool pool = new ConnectionPool(cluster.dataSource(cluster.newSchema()), 4);
            try (PostgresStore store = PostgresStore.open(pool, pool, Clock.systemUTC(), pool, true)) {
                exercise(store);
                assertThat(pool.lentCount()).as("connections not given back").isZero();
                assertThat(pool.idleCount()).isBetween(1, 4);
            }
            assertThat(pool.idleCount()).as("idle connections after close").isZero();
        }

        /** Every kind of operation, succeeding and failing. */
        private void exercise(PostgresStore store) throws IOException {
            DocumentKey key = DocumentKey.of("k");
            store.create(key, utf8("1"));
            assertThatThrownBy(() -> store.create(key, utf8("again"))).isInstanceOf(ConflictException.class);
            store.replace(key, 1, utf8("2"));
            assertThatThrownBy(() -> store.replace(key, 1, utf8("stale"))).isInstanceOf(ConflictException.class);
            store.read(key);
            store.list(DocumentKey.ROOT, Optional.empty(), 10);
            store.listKeys(DocumentKey.ROOT, Optional.empty(), 10);
            String sha = store.putBlob(new ByteArrayInputStream(random(PostgresStore.CHUNK_SIZE + 1, 6))).sha256();
            store.putBlob(new ByteArrayInputStream(random(PostgresStore.CHUNK_SIZE + 1, 6)));
            assertThatThrownBy(() -> store.putBlob(new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("broken");
                }
            })).isInstanceOf(StorageException.class);
            try (InputStream in = store.openBlob(sha)) {
                assertThat(in.read()).isNotNegative(); // closed before the end
            }
            try (InputStream in = store.openBlob(sha)) {
                in.readAllBytes();
            }
            store.blobInfo(sha);
            store.listBlobs(Optional.empty(), 10);
            store.append(utf8("entry"));
            store.readJournal(1, 10);
            store.journalLength();
            assertThat(store.check(true)).isEmpty();
            store.delete(key, 2);
            assertThatThrownBy(() -> store.delete(key, 2)).isInstanceOf(dev.mlops.api.NotFoundException.class);
            store.deleteBlob(sha);
        }

        @Test
        @DisplayName("a plain unpooled DataSource works: each operation opens and closes its own connection")
        void unpooled() throws IOException {
            try (PostgresStore store = PostgresStore.open(cluster.dataSource(cluster.newSchema()))) {
                store.create(DocumentKey.of("a"), utf8("x"));
                String sha = store.putBlob(new ByteArrayInputStream(random(PostgresStore.CHUNK_SIZE + 5, 7))).sha256();
                try (InputStream in = store.openBlob(sha)) {
                    assertThat(in.readAllBytes()).isEqualTo(random(PostgresStore.CHUNK_SIZE + 5, 7));
                }
                assertThat(store.append(utf8("e")).sequence()).isEqualTo(1);
                assertThat(store.check(false)).isEmpty();
            }
        }

        @Test
        @DisplayName("closing the store does not close a DataSource it was given, but closes the pool it made")
        void ownership() throws SQLException {
            String schema = cluster.newSchema();
            ConnectionPool given = new ConnectionPool(cluster.dataSource(schema), 4);
            PostgresStore.open(given).close();
            try (Connection c = given.getConnection()) {
                assertThat(c.isValid(5)).as("the caller's pool still lends connections").isTrue();
            }
            given.close();

            PostgresStore owned = ClusterStores.open(cluster, schema, Clock.systemUTC());
            owned.read(DocumentKey.of("x"));
            owned.close();
            assertThatThrownBy(() -> owned.dataSource().getConnection()).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> owned.read(DocumentKey.of("x"))).isInstanceOf(IllegalStateException.class);
            owned.close(); // idempotent
        }
    }

    @Nested
    @DisplayName("provider 'postgres'")
    class Provider {

        @Test
        @DisplayName("Stores.open finds it by name and opens a working store whose description hides the password")
        void opensByName() {
            String schema = cluster.newSchema();
            Map<String, String> config = new HashMap<>();
            config.put("url", cluster.url(schema) + "&password=s3cret");
            config.put("user", PostgresCluster.USER);
            try (Store store = Stores.open("postgres", config)) {
                assertThat(store).isInstanceOf(PostgresStore.class);
                assertThat(store.describe()).startsWith("postgres://127.0.0.1:" + cluster.port() + "/")
                        .contains(schema).doesNotContain("s3cret");
                store.create(DocumentKey.of("a"), utf8("x"));
                assertThat(store.append(utf8("e")).sequence()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("a missing or foreign URL, or an unknown setting, is refused with IllegalArgumentException")
        void badConfig() {
            PostgresStoreProvider provider = new PostgresStoreProvider();
            assertThat(provider.name()).isEqualTo("postgres");
            assertThatThrownBy(() -> provider.open(Map.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'url'");
            assertThatThrownBy(() -> provider.open(Map.of("url", "jdbc:mysql://localhost/x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
            assertThatThrownBy(() -> provider.open(Map.of("url", cluster.url("public"), "passwd", "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[passwd]");
            assertThatThrownBy(() -> provider.open(Map.of("url", cluster.url("public"), "create", "no")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'create'")
                    .hasMessageContaining("true or false");
        }

        @Test
        @DisplayName("with create=false a schema without the store's tables is a NotFoundException and stays empty;"
                + " one holding a store opens")
        void createFalse() {
            String schema = cluster.newSchema();
            Map<String, String> config = Map.of("url", cluster.url(schema), "user", PostgresCluster.USER, "create", "false");
            assertThatThrownBy(() -> Stores.open("postgres", config)).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining(schema).hasMessageContaining("holds no mlops store");
            assertThat(tablesIn(schema)).as("tables created by a store that may not create them").isZero();
            assertThatThrownBy(() -> Stores.open("postgres", Map.of("url", cluster.url("no_such_schema"), "user",
                    PostgresCluster.USER, "create", "false"))).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("currentSchema");

            ClusterStores.open(cluster, schema, Clock.systemUTC()).close();
            try (Store store = Stores.open("postgres", config)) {
                assertThat(store.append(utf8("e")).sequence()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("an unreachable server is a StorageException naming the cause")
        void unreachable() throws IOException {
            int closedPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            assertThatThrownBy(() -> Stores.open("postgres", Map.of("url", "jdbc:postgresql://127.0.0.1:" + closedPort
                    + "/x?connectTimeout=5")))
                    .isInstanceOf(StorageException.class).hasMessageContaining("could not open the PostgreSQL store");
        }
    }

    /** A clock tests set by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * Hands out connections and, when each is closed, records whether it is in the state a
     * pool expects back: auto-commit on, read-write, READ COMMITTED.
     */
    static final class InspectingDataSource extends ProxyingDataSource {
        private final DataSource target;
        final List<String> badStates = Collections.synchronizedList(new ArrayList<>());
        volatile int closed;

        InspectingDataSource(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection physical = target.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close") && !physical.isClosed()) {
                            closed++;
                            if (!physical.getAutoCommit() || physical.isReadOnly()
                                    || physical.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
                                badStates.add("autoCommit " + physical.getAutoCommit() + ", readOnly "
                                        + physical.isReadOnly() + ", isolation " + physical.getTransactionIsolation());
                            }
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
