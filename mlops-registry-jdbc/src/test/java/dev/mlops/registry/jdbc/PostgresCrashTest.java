package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelVersion;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.ChildJvm;
import dev.mlops.registry.tck.process.CrashKit;
import dev.mlops.registry.tck.process.RegistrationWorker;
import dev.mlops.registry.tck.process.RegistryChecks;
import dev.mlops.registry.tck.process.Reported;
import dev.mlops.registry.tck.process.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process kit's {@link CrashKit} against PostgreSQL: child JVMs register versions (artifacts
 * up to 2.5 MiB, so most blobs span several chunk rows) and move aliases in a loop on one schema
 * and are killed with SIGKILL at random moments, many of them while a transaction is open
 * (between BEGIN and CREATED a registration writes blob chunks, documents and a journal entry).
 * On top of the kit's checks: the server has rolled back every transaction of a killed child,
 * and no chunk lacks its blob nor a blob a chunk; and 20 more children are killed while their
 * {@code putBlob} transaction is verifiably open. Bounded by the number of kills, never by wall
 * time.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgreSQL: SIGKILL at random moments")
class PostgresCrashTest extends CrashKit {
    static final int STALL_KILLS = Integer.getInteger("mlops.jdbc.crash.stalls", 20);
    private static PostgresCluster cluster;
    private String schema;
    private final AtomicInteger killedInTransaction = new AtomicInteger();

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    @Override
    protected StoreConfig createStore(Path dir) {
        schema = cluster.newSchema();
        return ClusterStores.forChildren(cluster, schema);
    }

    @Override
    protected StoreConfig forChild(StoreConfig store, String childName) {
        return ClusterStores.named(store, childName);
    }

    @Override
    protected int kills() {
        return Integer.getInteger("mlops.jdbc.crash.kills", 24);
    }

    @Override
    protected int maxArtifactBytes() {
        return 5 * PostgresStore.CHUNK_SIZE / 2;
    }

    @Override
    protected int killJitterMicros() {
        return 30_000;
    }

    @Override
    protected void beforeKill(String childName) {
        if (openTransactions(childName) > 0) { // a moment before the kill: for the record only
            killedInTransaction.incrementAndGet();
        }
    }

    @Override
    protected void afterKills(StoreConfig store) throws Exception {
        System.out.printf("postgres crash test: %d children had a transaction open on the server just before their kill%n",
                killedInTransaction.get());
        assertNoTransactionLeft();
        assertStoreClean(schema);
    }

    @Test
    @DisplayName("20 children killed while their putBlob transaction is open leave no chunk, and lose no registration")
    void killedInsideOpenTransactions(@TempDir Path tmp) throws Exception {
        String schema = cluster.newSchema();
        StoreConfig store = ClusterStores.forChildren(cluster, schema);
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        List<List<String>> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger verifiedOpen = new AtomicInteger();
        inSlots(STALL_KILLS, (slot, k) -> {
            String name = "stall-" + k;
            // two chunk rows are inserted, in an open transaction, before the stream stalls
            ChildJvm child = ChildJvm.start(RegistrationWorker.class, logs.resolve(name + ".err"),
                    ClusterStores.named(store, name).args(MODELS, Long.toString(seed() * 1000 + 500 + k),
                            "1000", Integer.toString(64 * 1024), Integer.toString(1 + k % 3),
                            Integer.toString(5 * PostgresStore.CHUNK_SIZE / 2)));
            int stall = child.awaitLine(0, l -> l.equals("STALL"), 120_000);
            if (stall < 0) {
                child.kill();
                throw new AssertionError(name + " never stalled: " + child.lines() + ", stderr in "
                        + child.stderr());
            }
            // the worker printed STALL after its second chunk INSERT returned, inside the transaction
            long open = 0;
            for (int poll = 0; poll < 200 && open == 0; poll++) {
                open = openTransactions(name);
            }
            assertThat(open).as("%s has a transaction open on the server when it is killed", name)
                    .isEqualTo(1);
            assertThat(child.kill()).as("%s was alive when killed", name).isTrue();
            verifiedOpen.incrementAndGet();
            lines.add(child.lines());
        });
        Reported reported = new Reported();
        lines.forEach(reported::add);
        System.out.printf("postgres crash test: %d SIGKILLs inside an open putBlob transaction (2 chunk rows written),"
                + " %d versions reported created before%n", verifiedOpen.get(), reported.created().size());
        assertThat(reported.errors()).isEmpty();
        assertThat(verifiedOpen.get()).isEqualTo(STALL_KILLS).isGreaterThanOrEqualTo(20);
        assertNoTransactionLeft();
        assertStoreClean(schema);
        try (Mlops mlops = Mlops.builder().store(store.open()).build()) {
            for (Reported.Created c : reported.created()) {
                ModelVersion v = mlops.models().version(c.model(), c.version());
                assertThat(v.artifact().digest()).isEqualTo(c.sha256());
                RegistryChecks.assertComplete(mlops.models(), v);
            }
            assertThat(mlops.audit().verify().ok()).isTrue();
            assertThat(mlops.verify(VerifyOptions.check()).problems()).isEmpty();
        }
    }

    /** Every blob has all its chunks, no chunk lacks its blob, and the store checks clean. */
    private static void assertStoreClean(String schema) throws SQLException {
        try (PostgresStore pg = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
            assertThat(pg.check(false)).as("the store's own check, before any repair").isEmpty();
            assertThat(count(pg, "SELECT count(*) FROM " + pg.schema().chunks + " k WHERE NOT EXISTS (SELECT 1 FROM "
                    + pg.schema().blobs + " b WHERE b.upload_id = k.upload_id)")).as("chunks without a blob").isZero();
            assertThat(count(pg, "SELECT count(*) FROM " + pg.schema().blobs + " b WHERE chunk_count <> (SELECT count(*)"
                    + " FROM " + pg.schema().chunks + " k WHERE k.upload_id = b.upload_id)")).as("blobs missing chunks")
                    .isZero();
        }
    }

    /** @return how many backends of this application name are inside a transaction now */
    private static long openTransactions(String applicationName) {
        try (Connection c = cluster.connect(PostgresCluster.DATABASE);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE application_name = ? AND xact_start IS NOT NULL")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The server rolls back the transaction of a connection whose client died as soon as it reads
     * the end of the connection; wait (bounded by a count of polls) until no backend of the test
     * database is left in a transaction, then require that none is.
     */
    private static void assertNoTransactionLeft() throws Exception {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + PostgresCluster.DATABASE
                + "' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND xact_start IS NOT NULL";
        long open = -1;
        try (Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            for (int poll = 0; poll < 600 && open != 0; poll++) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    open = rs.getLong(1);
                }
                if (open != 0) {
                    Thread.sleep(50);
                }
            }
        }
        assertThat(open).as("transactions still open on the server after every child was killed").isZero();
    }

    private static long count(PostgresStore store, String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
