package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.api.store.Digests;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Store-level promises with several JVM processes on one schema, each with its own connections. */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgreSQL: several JVM processes on one schema")
class PostgresMultiProcessTest {
    static final int PROCESSES = 3;
    /** Only a guard against a hung child; no assertion is made about how long anything takes. */
    static final long HANG_GUARD_MINUTES = 10;
    private static PostgresCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    private Process child(String mode, String url, int count, String id, Path rendezvous, String heap) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), StoreWorker.class.getName(),
                mode, url, Integer.toString(count), id, rendezvous.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(mode + "-" + id + ".log").toFile())
                .start();
    }

    private List<Process> startChildren(String mode, String url, int count) throws Exception {
        Path rendezvous = Files.createDirectories(dir.resolve("rendezvous-" + mode));
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            children.add(child(mode, url, count, "w" + i, rendezvous, "-Xmx64m"));
        }
        for (int polls = 0; ; polls++) {
            long ready;
            try (var s = Files.list(rendezvous)) {
                ready = s.filter(p -> p.getFileName().toString().startsWith("ready-")).count();
            }
            if (ready == PROCESSES) {
                break;
            }
            if (polls > 30_000 || children.stream().anyMatch(p -> !p.isAlive())) {
                children.forEach(Process::destroyForcibly);
                fail("children did not get ready: " + logs(mode));
            }
            Thread.sleep(2);
        }
        Files.createFile(rendezvous.resolve("go"));
        return children;
    }

    private void awaitAll(List<Process> children, String mode) throws Exception {
        for (Process p : children) {
            if (!p.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                children.forEach(Process::destroyForcibly);
                fail("a child hung: " + logs(mode));
            }
        }
        System.out.println("postgres " + mode + " children:" + logs(mode));
        for (Process p : children) {
            assertThat(p.exitValue()).as("child exit code; logs: %s", logs(mode)).isZero();
        }
    }

    private String logs(String mode) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < PROCESSES; i++) {
            Path log = dir.resolve(mode + "-w" + i + ".log");
            sb.append("\n[w").append(i).append("] ").append(Files.exists(log) ? Files.readString(log).trim() : "(none)");
        }
        return sb.toString();
    }

    @Test
    @DisplayName("3 processes x 200 compare-and-set increments of one document lose no update: exactly 600")
    void casAcrossProcesses() throws Exception {
        String schema = cluster.newSchema();
        try (PostgresStore store = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
            store.create(StoreWorker.COUNTER, "0".getBytes(StandardCharsets.UTF_8));
        }
        awaitAll(startChildren("cas", cluster.url(schema), 200), "cas");
        try (PostgresStore store = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
            Document d = store.read(StoreWorker.COUNTER).orElseThrow();
            assertThat(new String(d.content(), StandardCharsets.UTF_8)).isEqualTo("600");
            assertThat(d.revision()).isEqualTo(601);
            assertThat(store.check(false)).isEmpty();
        }
    }

    @Test
    @DisplayName("3 processes x 100 journal appends give 300 consecutive, correctly chained entries")
    void journalAcrossProcesses() throws Exception {
        String schema = cluster.newSchema();
        ClusterStores.open(cluster, schema, Clock.systemUTC()).close();
        awaitAll(startChildren("append", cluster.url(schema), 100), "append");
        try (PostgresStore store = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
            assertThat(store.journalLength()).isEqualTo(300);
            List<JournalEntry> entries = store.readJournal(1, 1000);
            assertThat(entries).hasSize(300);
            String previous = JournalEntry.GENESIS_HASH;
            Map<String, Integer> nextPerWorker = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                JournalEntry e = entries.get(i);
                assertThat(e.sequence()).isEqualTo(i + 1L);
                assertThat(e.hashMatches()).isTrue();
                assertThat(e.previousHash()).isEqualTo(previous);
                previous = e.hash();
                String[] parts = new String(e.payload(), StandardCharsets.UTF_8).split(":");
                int expected = nextPerWorker.getOrDefault(parts[0], 0);
                assertThat(Integer.parseInt(parts[1])).as("order of worker %s", parts[0]).isEqualTo(expected);
                nextPerWorker.put(parts[0], expected + 1);
            }
            assertThat(nextPerWorker).containsOnly(Map.entry("w0", 100), Map.entry("w1", 100), Map.entry("w2", 100));
            assertThat(store.check(false)).isEmpty();
        }
    }

    @Test
    @DisplayName("a 96 MiB blob goes in and out of a JVM whose whole heap is 32 MiB: it is streamed in chunks")
    void blobLargerThanTheHeap() throws Exception {
        int mib = 96;
        String schema = cluster.newSchema();
        ClusterStores.open(cluster, schema, Clock.systemUTC()).close();
        MessageDigest md = Digests.sha256();
        byte[] buffer = new byte[1 << 20];
        StoreWorker.GeneratedStream expected = new StoreWorker.GeneratedStream((long) mib << 20, 99);
        for (int n; (n = expected.read(buffer, 0, buffer.length)) != -1; ) {
            md.update(buffer, 0, n);
        }
        String sha = Digests.hex(md.digest());

        Process p = child("bigblob", cluster.url(schema), mib, "w0", dir, "-Xmx32m");
        if (!p.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the child hung: " + logs("bigblob"));
        }
        String log = Files.readString(dir.resolve("bigblob-w0.log"));
        System.out.println("postgres bigblob child: " + log.trim().replace('\n', ' '));
        assertThat(p.exitValue()).as("child exit code; log: %s", log).isZero();
        assertThat(log).contains("put " + sha + " " + ((long) mib << 20)).contains("read " + sha + " " + ((long) mib << 20));
        try (PostgresStore store = ClusterStores.open(cluster, schema, Clock.systemUTC())) {
            assertThat(store.blobInfo(sha)).hasValueSatisfying(b -> assertThat(b.size()).isEqualTo((long) mib << 20));
            assertThat(store.check(false)).isEmpty();
        }
    }
}
