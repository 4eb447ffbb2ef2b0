package dev.mlops.registry.tck.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.api.store.Document;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's own promises with several JVM processes ({@link StoreWorker}) on one store, each
 * with its own connection, started together through a rendezvous directory so they contend:
 * compare-and-set loses no update and journal appends stay one chain. A backend runs it with a
 * subclass that only implements {@link #createStore(Path)}.
 */
public abstract class MultiProcessKit extends ProcessKit {
    /** Child JVMs at once. */
    protected static final int PROCESSES = 3;
    /** Only a guard against a hung child; no assertion is made about how long anything takes. */
    protected static final long HANG_GUARD_MILLIS = 10 * 60_000L;

    @TempDir
    Path dir;

    /** For subclasses. */
    protected MultiProcessKit() {
    }

    @Test
    @DisplayName("3 processes x 200 compare-and-set increments of one document lose no update: exactly 600")
    void casAcrossProcesses() throws Exception {
        StoreConfig config = createStore(Files.createDirectories(dir.resolve("store")));
        try (Store store = config.open()) {
            store.create(StoreWorker.COUNTER, "0".getBytes(StandardCharsets.UTF_8));
        }
        runChildren("cas", config, 200);
        try (Store store = config.open()) {
            Document d = store.read(StoreWorker.COUNTER).orElseThrow();
            assertThat(new String(d.content(), StandardCharsets.UTF_8)).isEqualTo("600");
            assertThat(d.revision()).isEqualTo(601);
            assertThat(store.check(false)).isEmpty();
        }
    }

    @Test
    @DisplayName("3 processes x 100 journal appends give 300 consecutive, correctly chained entries")
    void journalAcrossProcesses() throws Exception {
        StoreConfig config = createStore(Files.createDirectories(dir.resolve("store")));
        runChildren("append", config, 100);
        try (Store store = config.open()) {
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
    @DisplayName("a lock held by another process excludes this one, shared holders coexist across processes,"
            + " and killing the holder (SIGKILL) releases its lock")
    void locksAcrossProcesses() throws Exception {
        StoreConfig config = createStore(Files.createDirectories(dir.resolve("store")));
        ChildJvm exclusive = holder(config, "exclusive", "x");
        ChildJvm shared1 = null;
        ChildJvm shared2 = null;
        try (Store store = config.open()) {
            assertThat(store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO))
                    .as("held exclusively by process %d", exclusive.pid()).isEmpty();
            assertThat(exclusive.kill()).isTrue();
            StoreLock mine = store.lock("collection", StoreLock.Mode.SHARED, Duration.ofSeconds(60))
                    .orElseThrow(() -> new AssertionError("the killed holder's lock was not released"));
            shared1 = holder(config, "shared", "s1");
            shared2 = holder(config, "shared", "s2");
            mine.close();
            assertThat(store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ZERO))
                    .as("two other processes hold it shared").isEmpty();
            shared1.kill();
            assertThat(store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ZERO))
                    .as("one other process still holds it shared").isEmpty();
            shared2.kill();
            store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ofSeconds(60))
                    .orElseThrow(() -> new AssertionError("killed shared holders' locks were not released")).close();
        } finally {
            for (ChildJvm c : new ChildJvm[] {exclusive, shared1, shared2}) {
                if (c != null) {
                    c.kill();
                }
            }
        }
    }

    /** Starts a child that takes the collection lock and keeps it until killed. */
    private ChildJvm holder(StoreConfig config, String mode, String id) throws Exception {
        ChildJvm child = ChildJvm.start(StoreWorker.class, "64m", dir.resolve("hold-" + id + ".err"),
                forChild(config, "hold-" + id).args("hold", "60", "collection", mode));
        int line = child.awaitLine(0, l -> l.equals("held") || l.equals("busy"), HANG_GUARD_MILLIS);
        if (line < 0 || !child.lines().get(line).equals("held")) {
            child.kill();
            fail("child did not take the " + mode + " lock: " + child.lines() + " stderr: "
                    + (Files.exists(child.stderr()) ? Files.readString(child.stderr()) : ""));
        }
        return child;
    }

    /** Starts the children, lets them go at once when all are ready, and requires each to succeed. */
    private void runChildren(String mode, StoreConfig store, int count) throws Exception {
        Path rendezvous = Files.createDirectories(dir.resolve("rendezvous-" + mode));
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            String id = "w" + i;
            children.add(ChildJvm.start(StoreWorker.class, "64m", dir.resolve(mode + "-" + id + ".err"),
                    forChild(store, mode + "-" + id).args(mode, Integer.toString(count), id, rendezvous.toString())));
        }
        for (int polls = 0; ; polls++) {
            long ready;
            try (Stream<Path> s = Files.list(rendezvous)) {
                ready = s.filter(p -> p.getFileName().toString().startsWith("ready-")).count();
            }
            if (ready == PROCESSES) {
                break;
            }
            if (polls > 30_000 || children.stream().anyMatch(c -> !c.isAlive())) {
                for (ChildJvm c : children) {
                    c.kill();
                }
                fail("children did not get ready: " + logs(children));
            }
            Thread.sleep(2);
        }
        Files.createFile(rendezvous.resolve("go"));
        List<Integer> exits = new ArrayList<>();
        for (ChildJvm c : children) {
            exits.add(c.awaitExit(HANG_GUARD_MILLIS));
        }
        System.out.println(store.provider() + " " + mode + " children:" + logs(children));
        assertThat(exits).as("children's exit codes; logs: %s", logs(children)).containsOnly(0);
    }

    private static String logs(List<ChildJvm> children) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < children.size(); i++) {
            ChildJvm c = children.get(i);
            String err = Files.exists(c.stderr()) ? Files.readString(c.stderr()).trim() : "";
            sb.append("\n[w").append(i).append("] ").append(String.join(" ", c.lines()))
                    .append(err.isEmpty() ? "" : " stderr: " + err);
        }
        return sb.toString();
    }
}
