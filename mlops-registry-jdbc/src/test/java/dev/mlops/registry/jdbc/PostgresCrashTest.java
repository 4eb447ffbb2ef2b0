package dev.mlops.registry.jdbc;

import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import dev.mlops.registry.tck.process.Payloads;

import dev.mlops.registry.tck.process.ChildJvm;
import dev.mlops.registry.tck.process.RegistryChecks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.store.Digests;
import dev.mlops.core.Mlops;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlops-it's {@code CrashTest} against PostgreSQL: child JVMs register versions (artifacts up to
 * 2.5 MiB, so most blobs span several chunk rows) and move aliases in a loop on one schema and
 * are killed with SIGKILL at random moments, many of them while a transaction is open (between
 * BEGIN and CREATED a registration writes blob chunks, documents and a journal entry);
 * afterwards nothing a child saw committed is lost, nothing half-done is visible, and the server
 * has rolled back every transaction of a killed child. Bounded by the number of kills, never by
 * wall time.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgreSQL: SIGKILL at random moments")
class PostgresCrashTest {
    static final long SEED = Long.getLong("mlops.jdbc.seed", 20_240_611L);
    static final int KILLS = Integer.getInteger("mlops.jdbc.crash.kills", 24);
    static final int PARALLEL = 2;
    static final String MODELS = "alpha,beta";
    static final int MAX_SIZE = 5 * PostgresStore.CHUNK_SIZE / 2;
    static final int STALL_KILLS = Integer.getInteger("mlops.jdbc.crash.stalls", 20);
    private static PostgresCluster cluster;

    /** What happened to one child. */
    record Outcome(long seed, String mode, boolean killedAlive, boolean transactionOpen, List<String> lines,
            String partial) {
        boolean reachedReady() {
            return lines.stream().anyMatch(l -> l.startsWith("READY"));
        }

        /** Killed after announcing a registration and before seeing it return. */
        boolean killedMidRegistration() {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("CREATED")) {
                    return false;
                }
                if (lines.get(i).startsWith("BEGIN")) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    @DisplayName("loses no reported version, shows no half version, keeps numbering gap-free and the audit chain whole")
    void killedWorkersLeaveAConsistentStore(@TempDir Path tmp) throws Exception {
        cluster = PostgresCluster.require();
        String schema = cluster.newSchema();
        ClusterStores.open(cluster, schema, Clock.systemUTC()).close();
        String store = cluster.url(schema);
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> slots = new ArrayList<>();
            for (int s = 0; s < PARALLEL; s++) {
                int slot = s;
                slots.add(pool.submit(() -> {
                    Random rnd = new Random(SEED * 31 + slot);
                    for (int k = slot; k < KILLS; k += PARALLEL) {
                        outcomes.add(runAndKill(store, logs, k, rnd));
                    }
                    return null;
                }));
            }
            for (Future<?> f : slots) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Reported reported = new Reported();
        outcomes.forEach(o -> reported.add(o.lines()));
        long killed = outcomes.stream().filter(Outcome::killedAlive).count();
        long beforeReady = outcomes.stream().filter(o -> !o.reachedReady()).count();
        long midRegistration = outcomes.stream().filter(Outcome::killedMidRegistration).count();
        long transactionOpen = outcomes.stream().filter(Outcome::transactionOpen).count();
        System.out.printf("postgres crash test: seed %d, %d children, %d SIGKILLs (%d before READY, %d between BEGIN and CREATED,"
                        + " %d with a transaction open on the server just before), %d versions reported created,"
                        + " %d alias moves reported%n", SEED, outcomes.size(), killed, beforeReady, midRegistration,
                transactionOpen, reported.created.size(), reported.moves.size());

        assertThat(reported.errors).as("workers' unexpected failures").isEmpty();
        assertThat(killed).as("children still running when SIGKILL was sent").isEqualTo(KILLS).isGreaterThanOrEqualTo(20);
        assertThat(midRegistration).as("children killed between BEGIN and CREATED").isPositive();
        assertNoTransactionLeft();
        assertThat(reported.created).as("some work was committed between the kills").isNotEmpty();

        assertStoreClean(schema);
        try (Mlops mlops = Mlops.builder().store(ClusterStores.open(cluster, schema, Clock.systemUTC())).build()) {
            // every child is dead: no entry is still on its way, so no grace period
            IntegrityReport repaired = mlops.verify(true, Duration.ZERO);
            System.out.println("postgres crash test: verify(repair=true) after the kills: " + repaired.problems());
            assertThat(repaired.ok()).as("only repairable leftovers: %s", repaired.problems()).isTrue();

            Map<String, Map<Integer, ModelVersion>> stored = new HashMap<>();
            for (String model : MODELS.split(",")) {
                Map<Integer, ModelVersion> byNumber = new HashMap<>();
                List<ModelVersion> versions = RegistryChecks.allVersions(mlops.models(), model);
                for (ModelVersion v : versions) {
                    assertThat(byNumber.put(v.version(), v)).as("version %s/%d listed once", model, v.version()).isNull();
                    RegistryChecks.assertComplete(mlops.models(), v);
                }
                assertThat(byNumber.keySet()).as("versions of %s are 1..max without gaps", model)
                        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, versions.size()).boxed().toList());
                stored.put(model, byNumber);
            }

            Set<String> claimed = new HashSet<>();
            int exported = 0;
            for (Reported.Created c : reported.created) {
                assertThat(claimed.add(c.model() + "/" + c.version()))
                        .as("%s/%d reported by exactly one child", c.model(), c.version()).isTrue();
                assertThat(c.sha256()).isEqualTo(Payloads.sha256(c.seed(), c.iteration(), MAX_SIZE));
                ModelVersion v = mlops.models().version(c.model(), c.version());
                assertThat(v.params()).as("%s/%d is the registration the child reported", c.model(), c.version())
                        .containsEntry("seed", Long.toString(c.seed()))
                        .containsEntry("iteration", Integer.toString(c.iteration()));
                assertThat(v.artifact().digest()).isEqualTo(c.sha256());
                assertThat(stored.get(c.model())).containsKey(c.version());
                if (exported++ % 7 == 0) {
                    Path out = mlops.models().exportArtifact(ModelRef.version(c.model(), c.version()),
                            tmp.resolve("export-" + c.model() + "-" + c.version()));
                    assertThat(Digests.sha256Hex(Files.readAllBytes(out))).isEqualTo(c.sha256());
                }
            }

            for (String model : MODELS.split(",")) {
                Optional<RegisteredModel> m = mlops.models().findModel(model);
                if (m.isEmpty()) {
                    assertThat(stored.get(model)).isEmpty();
                    continue;
                }
                for (String alias : RegistrationWorker.ALIASES) {
                    Optional<Integer> current = m.get().alias(alias);
                    current.ifPresent(v -> assertThat(stored.get(model)).as("%s@%s points at a stored version", model, alias)
                            .containsKey(v));
                    List<AliasMove> history = mlops.models().aliasHistory(model, alias);
                    RegistryChecks.assertChained(model, alias, history, current);
                    for (Reported.Move mv : reported.moves) {
                        if (mv.model().equals(model) && mv.alias().equals(alias)) {
                            AliasMove.Kind kind = mv.kind().equals("ALIAS") ? AliasMove.Kind.SET : AliasMove.Kind.ROLLBACK;
                            assertThat(RegistryChecks.count(history, kind, mv.version()))
                                    .as("reported %s is in the history", mv).isPositive();
                        }
                    }
                }
            }

            AuditVerification audit = mlops.audit().verify();
            assertThat(audit.ok()).as("audit chain: %s", audit).isTrue();
            List<AuditEntry> trail = RegistryChecks.allEntries(mlops.audit());
            Set<String> registerTargets = new HashSet<>();
            for (AuditEntry e : trail) {
                if (e.action().equals("version.register")) {
                    assertThat(registerTargets.add(e.target())).as("one version.register entry for %s", e.target()).isTrue();
                }
            }
            for (Reported.Created c : reported.created) {
                assertThat(registerTargets).as("audit of reported registrations").contains(c.model() + "/" + c.version());
            }
            // including the versions and moves committed just before their writer died: verify(true)
            // appended the entries those writers lost
            Map<String, Set<Integer>> storedNumbers = new HashMap<>();
            stored.forEach((model, versions) -> storedNumbers.put(model, versions.keySet()));
            int moves = RegistryChecks.assertEveryChangeAuditedOnce(mlops.models(), storedNumbers, RegistrationWorker.ALIASES, trail);
            long recovered = trail.stream().filter(e -> e.after().containsKey("recovered_by")).count();
            System.out.printf("%d alias moves, each with one audit entry; %d entries recovered by verify(true)%n",
                    moves, recovered);

            int storedCount = stored.values().stream().mapToInt(Map::size).sum();
            System.out.printf("postgres crash test: kills by mode %s; %d versions stored, %d of them reported created"
                            + " (the rest were committed just before their writer died)%n",
                    outcomes.stream().collect(java.util.stream.Collectors.groupingBy(Outcome::mode,
                            java.util.TreeMap::new, java.util.stream.Collectors.counting())),
                    storedCount, reported.created.size());

            IntegrityReport after = mlops.verify(false, Duration.ZERO);
            assertThat(after.problems()).as("nothing left to repair after verify(true)").isEmpty();
        }
    }

    private static Outcome runAndKill(String store, Path logs, int k, Random rnd) throws InterruptedException {
        long seed = SEED * 1000 + k;
        String name = "crash-" + k;
        ChildJvm child = ChildJvm.start(RegistrationWorker.class, logs.resolve("worker-" + k + ".err"),
                store + "&ApplicationName=" + name, MODELS, Long.toString(seed), Integer.toString(Integer.MAX_VALUE),
                Integer.toString(MAX_SIZE));
        String mode;
        if (k < 4 || rnd.nextInt(4) == 0) {
            mode = "after-start";
            Thread.sleep(50 + rnd.nextInt(1450));
        } else {
            int ready = child.awaitLine(0, l -> l.startsWith("READY"), 120_000);
            if (ready < 0) {
                child.kill();
                throw new AssertionError("worker " + k + " never became ready: " + child.lines() + ", stderr in " + child.stderr());
            }
            if (rnd.nextBoolean()) {
                mode = "after-ready";
                Thread.sleep(50 + rnd.nextInt(1450));
            } else {
                mode = "mid-registration";
                Thread.sleep(rnd.nextInt(800));
                child.awaitLine(child.lineCount(), l -> l.startsWith("BEGIN"), 60_000);
                int micros = rnd.nextInt(30_000);
                Thread.sleep(micros / 1000, (micros % 1000) * 1000);
            }
        }
        boolean open = openTransactions(name) > 0; // a moment before the kill: for the record only
        boolean alive = child.kill();
        return new Outcome(seed, mode, alive, open, child.lines(), child.partial());
    }

    @Test
    @DisplayName("20 children killed while their putBlob transaction is open leave no chunk, and lose no registration")
    void killedInsideOpenTransactions(@TempDir Path tmp) throws Exception {
        cluster = PostgresCluster.require();
        String schema = cluster.newSchema();
        ClusterStores.open(cluster, schema, Clock.systemUTC()).close();
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        List<List<String>> lines = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger verifiedOpen = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> slots = new ArrayList<>();
            for (int s = 0; s < PARALLEL; s++) {
                int slot = s;
                slots.add(pool.submit(() -> {
                    for (int k = slot; k < STALL_KILLS; k += PARALLEL) {
                        String name = "stall-" + k;
                        ChildJvm child = ChildJvm.start(RegistrationWorker.class, logs.resolve(name + ".err"),
                                cluster.url(schema) + "&ApplicationName=" + name, MODELS, Long.toString(SEED * 1000 + 500 + k),
                                "1000", Integer.toString(64 * 1024), Integer.toString(1 + k % 3));
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
                    }
                    return null;
                }));
            }
            for (Future<?> f : slots) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Reported reported = new Reported();
        lines.forEach(reported::add);
        System.out.printf("postgres crash test: %d SIGKILLs inside an open putBlob transaction (2 chunk rows written),"
                + " %d versions reported created before%n", verifiedOpen.get(), reported.created.size());
        assertThat(reported.errors).isEmpty();
        assertThat(verifiedOpen.get()).isEqualTo(STALL_KILLS).isGreaterThanOrEqualTo(20);
        assertNoTransactionLeft();
        assertStoreClean(schema);
        try (Mlops mlops = Mlops.builder().store(ClusterStores.open(cluster, schema, Clock.systemUTC())).build()) {
            for (Reported.Created c : reported.created) {
                ModelVersion v = mlops.models().version(c.model(), c.version());
                assertThat(v.artifact().digest()).isEqualTo(c.sha256());
                RegistryChecks.assertComplete(mlops.models(), v);
            }
            assertThat(mlops.audit().verify().ok()).isTrue();
            assertThat(mlops.verify(false).problems()).isEmpty();
        }
    }

    /** Every blob has all its chunks, no chunk lacks its blob, and the store checks clean. */
    private static void assertStoreClean(String schema) throws java.sql.SQLException {
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
        try (java.sql.Connection c = cluster.connect(PostgresCluster.DATABASE);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE application_name = ? AND xact_start IS NOT NULL")) {
            ps.setString(1, applicationName);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
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
        try (java.sql.Connection c = cluster.connect(PostgresCluster.DATABASE)) {
            for (int poll = 0; poll < 600 && open != 0; poll++) {
                try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
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

    private static long count(PostgresStore store, String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = store.dataSource().getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
