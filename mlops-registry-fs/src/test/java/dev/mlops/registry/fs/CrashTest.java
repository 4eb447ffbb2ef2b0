package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.store.Document;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.registry.tck.process.StoreConfig;
import dev.mlops.registry.tck.process.StoreWorker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A writer killed with SIGKILL at random moments leaves a store that checks clean after repair")
class CrashTest {
    static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    @DisplayName("10 kills mid-churn: every acknowledged round survives, documents whole, blobs verify, chain intact")
    void killWriter() throws Exception {
        Path storeDir = dir.resolve("store");
        try (FileSystemStore store = FileSystemStore.open(storeDir)) {
            store.create(StoreWorker.COUNTER, "0".getBytes(StandardCharsets.UTF_8));
        }
        StoreConfig config = new StoreConfig("fs", Map.of("path", storeDir.toString()));
        Random random = new Random(42);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long acknowledged = 0; // counter value of the last round a child reported done
        long acknowledgedAppends = 0; // journal entries reported done, over all children
        int leftoversRepaired = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), StoreWorker.class.getName()));
            command.addAll(List.of(config.args("churn", "0", Integer.toString(kill), dir.toString())));
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int rounds = 1 + random.nextInt(12);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (int seen = 0; seen < rounds; ) {
                    String line = out.readLine();
                    assertThat(line).as("child output before round %d", rounds).isNotNull();
                    if (line.startsWith("done ")) {
                        acknowledged = Long.parseLong(line.substring(5));
                        acknowledgedAppends++;
                        seen++;
                    }
                }
                Thread.sleep(random.nextInt(40)); // land the kill somewhere inside the next round
                child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
                assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("killed child exits").isTrue();
            }

            try (FileSystemStore store = FileSystemStore.open(storeDir)) {
                List<IntegrityProblem> problems = store.check(true);
                assertThat(problems).allSatisfy(p -> {
                    assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.LEFTOVER);
                    assertThat(p.repaired()).isTrue();
                });
                leftoversRepaired += problems.size();
                assertThat(store.check(false)).isEmpty();

                Document counter = store.read(StoreWorker.COUNTER).orElseThrow();
                long value = Long.parseLong(new String(counter.content(), StandardCharsets.UTF_8));
                // the child may finish more rounds between its last line read here and the kill
                assertThat(value).isGreaterThanOrEqualTo(acknowledged);
                assertThat(counter.revision()).isEqualTo(value + 1);

                long length = store.journalLength();
                // a kill between replace and append leaves the journal one round behind the counter
                assertThat(length).isGreaterThanOrEqualTo(acknowledgedAppends).isLessThanOrEqualTo(value);
                List<JournalEntry> entries = store.readJournal(1, 10_000);
                assertThat(entries).hasSize((int) length);
                String previous = JournalEntry.GENESIS_HASH;
                for (JournalEntry e : entries) {
                    assertThat(e.hashMatches()).isTrue();
                    assertThat(e.previousHash()).isEqualTo(previous);
                    previous = e.hash();
                }
                assertThat(store.listBlobs(Optional.empty(), 10_000).items().size())
                        .isGreaterThanOrEqualTo((int) acknowledgedAppends);
            }
        }
        System.out.println("acknowledged rounds: " + acknowledgedAppends + ", leftovers repaired: " + leftoversRepaired);
    }
}
