package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.api.store.Document;
import dev.mlops.api.store.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Several JVM processes on one store directory")
class MultiProcessTest {
    static final int PROCESSES = 3;
    /** Only a guard against a hung child; no assertion is made about how long anything takes. */
    static final long HANG_GUARD_MINUTES = 10;

    @TempDir
    Path dir;

    private List<Process> startChildren(String mode, Path store, int count) throws Exception {
        Path rendezvous = Files.createDirectories(dir.resolve("rendezvous-" + mode));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            children.add(new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), ChildWorker.class.getName(),
                    mode, store.toString(), Integer.toString(count), "w" + i, rendezvous.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(mode + "-w" + i + ".log").toFile())
                    .start());
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
        System.out.println(mode + " children:" + logs(mode));
        for (Process p : children) {
            assertThat(p.exitValue()).as("child exit code; logs: %s", logs(mode)).isZero();
        }
    }

    private String logs(String mode) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < PROCESSES; i++) {
            Path log = dir.resolve(mode + "-w" + i + ".log");
            sb.append("\n[w").append(i).append("] ").append(Files.exists(log) ? Files.readString(log) : "(none)");
        }
        return sb.toString();
    }

    @Test
    @DisplayName("3 processes x 200 compare-and-set increments of one document lose no update: exactly 600")
    void casAcrossProcesses() throws Exception {
        Path storeDir = dir.resolve("store");
        try (FileSystemStore store = FileSystemStore.open(storeDir)) {
            store.create(ChildWorker.COUNTER, "0".getBytes(StandardCharsets.UTF_8));
        }
        awaitAll(startChildren("cas", storeDir, 200), "cas");
        try (FileSystemStore store = FileSystemStore.open(storeDir)) {
            Document d = store.read(ChildWorker.COUNTER).orElseThrow();
            assertThat(new String(d.content(), StandardCharsets.UTF_8)).isEqualTo("600");
            assertThat(d.revision()).isEqualTo(601);
            assertThat(store.check(false)).isEmpty();
        }
    }

    @Test
    @DisplayName("3 processes x 100 journal appends give 300 consecutive, correctly chained entries")
    void journalAcrossProcesses() throws Exception {
        Path storeDir = dir.resolve("store");
        FileSystemStore.open(storeDir).close();
        awaitAll(startChildren("append", storeDir, 100), "append");
        try (FileSystemStore store = FileSystemStore.open(storeDir)) {
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
}
