package dev.mlops.registry.tck.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AliasMove;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.AuditVerification;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.IntegrityReport;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.RegisteredModel;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import dev.mlops.core.VerifyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs ({@link RegistrationWorker}) register versions and move aliases in a loop on one
 * store and are killed with SIGKILL at random moments: before they are ready, while they work,
 * and just after they announced a registration. Afterwards nothing a child saw committed is lost,
 * nothing half-done is visible, numbering is gap-free, and after {@code verify(VerifyOptions.repair())} every
 * change has exactly one audit entry. Bounded by the number of kills, never by wall time.
 *
 * <p>A backend runs it with a one-screen subclass:
 *
 * <pre>{@code
 * class CrashTest extends CrashKit {
 *     @Override protected StoreConfig createStore(Path dir) {
 *         return new StoreConfig("fs", Map.of("path", dir.toString()));
 *     }
 *     @Override protected int kills() { return 54; }
 * }
 * }</pre>
 *
 * and adds its own checks of what a kill may leave behind in {@link #afterKills(StoreConfig)}.
 */
public abstract class CrashKit extends ProcessKit {
    /** Children running at once. */
    protected static final int PARALLEL = 2;
    /** The models the children write. */
    protected static final String MODELS = "alpha,beta";

    /** What happened to one child. */
    private record Outcome(long seed, String mode, boolean killedAlive, List<String> lines) {
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

    /** For subclasses. */
    protected CrashKit() {
    }

    /** @return how many children are started and killed */
    protected abstract int kills();

    /** @return the least number of kills that still makes the test mean something */
    protected int minimumKills() {
        return 20;
    }

    /** @return the largest artifact a child registers, in bytes */
    protected int maxArtifactBytes() {
        return 256 * 1024;
    }

    /**
     * @return how long after a {@code BEGIN} line a mid-registration kill may land, in
     *     microseconds: about as long as a registration takes on this store
     */
    protected int killJitterMicros() {
        return 15_000;
    }

    /** @return the seed of every random choice; {@code -Dmlops.process.seed} overrides it */
    protected long seed() {
        return Long.getLong("mlops.process.seed", 20_240_611L);
    }

    /**
     * Called a moment before a child is killed, while it still runs: for the record only.
     *
     * @param childName the name {@link #forChild(StoreConfig, String)} got
     */
    protected void beforeKill(String childName) throws Exception {
    }

    /**
     * Called once every child is dead and before the store is opened again: the place for checks
     * of what a killed client may leave behind in this backend.
     *
     * @param store what {@link #createStore(Path)} returned
     */
    protected void afterKills(StoreConfig store) throws Exception {
    }

    /** One child's run in {@link #inSlots(int, ChildRun)}. */
    @FunctionalInterface
    protected interface ChildRun {
        /**
         * @param slot the thread, 0 to {@link #PARALLEL} - 1
         * @param k the child's number
         */
        void run(int slot, int k) throws Exception;
    }

    /**
     * Runs children 0 to {@code count - 1}, {@link #PARALLEL} at a time: slot {@code s} runs
     * children {@code s}, {@code s + PARALLEL}, ... one after the other.
     *
     * @param count how many children
     * @param run starts, watches and ends one child
     */
    protected static void inSlots(int count, ChildRun run) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> slots = new ArrayList<>();
            for (int s = 0; s < PARALLEL; s++) {
                int slot = s;
                slots.add(pool.submit(() -> {
                    for (int k = slot; k < count; k += PARALLEL) {
                        run.run(slot, k);
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
    }

    @Test
    @DisplayName("loses no reported version, shows no half version, keeps numbering gap-free and the audit chain whole")
    void killedWorkersLeaveAConsistentStore(@TempDir Path tmp) throws Exception {
        StoreConfig store = createStore(Files.createDirectories(tmp.resolve("store")));
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        int kills = kills();
        Random[] random = new Random[PARALLEL]; // one sequence per slot, so a seed replays the run
        for (int s = 0; s < PARALLEL; s++) {
            random[s] = new Random(seed() * 31 + s);
        }
        inSlots(kills, (slot, k) -> outcomes.add(runAndKill(store, logs, k, random[slot])));

        Reported reported = new Reported();
        outcomes.forEach(o -> reported.add(o.lines()));
        long killed = outcomes.stream().filter(Outcome::killedAlive).count();
        long beforeReady = outcomes.stream().filter(o -> !o.reachedReady()).count();
        long midRegistration = outcomes.stream().filter(Outcome::killedMidRegistration).count();
        System.out.printf("crash test (%s): seed %d, %d children, %d SIGKILLs (%d before READY, %d between BEGIN and"
                        + " CREATED), %d versions reported created, %d alias moves reported%n", store.provider(),
                seed(), outcomes.size(), killed, beforeReady, midRegistration, reported.created().size(),
                reported.moves().size());

        assertThat(reported.errors()).as("workers' unexpected failures").isEmpty();
        assertThat(killed).as("children still running when SIGKILL was sent").isEqualTo(kills)
                .isGreaterThanOrEqualTo(minimumKills());
        assertThat(midRegistration).as("children killed between BEGIN and CREATED").isPositive();
        assertThat(reported.created()).as("some work was committed between the kills").isNotEmpty();
        afterKills(store);

        try (Store raw = store.open()) {
            int marks = 0;
            for (String model : MODELS.split(",")) {
                marks += RegistryChecks.versionIndexMarks(raw, model);
            }
            System.out.printf("crash test (%s): %d version index marks left by writers killed inside a tag change%n",
                    store.provider(), marks);
        }
        try (Mlops mlops = Mlops.builder().store(store.open()).build()) {
            // every child is dead: no entry is still on its way, so no grace period
            IntegrityReport repaired = mlops.verify(VerifyOptions.repair().auditGracePeriod(Duration.ZERO));
            System.out.println("verify(repair=true) after the kills: " + repaired.problems());
            assertThat(repaired.ok()).as("only repairable leftovers: %s", repaired.problems()).isTrue();
            // a kill inside a tag change leaves a mark (or a writer's temp file) at worst; an entry
            // that disagrees with its version would be a version a filtered listing misses
            assertThat(repaired.problems()).as("version index problems")
                    .noneMatch(p -> p.location().contains("version-index") && p.kind() != IntegrityProblem.Kind.LEFTOVER);

            Map<String, Map<Integer, ModelVersion>> stored = new HashMap<>();
            for (String model : MODELS.split(",")) {
                Map<Integer, ModelVersion> byNumber = new HashMap<>();
                List<ModelVersion> versions = RegistryChecks.allVersions(mlops.models(), model);
                for (ModelVersion v : versions) {
                    assertThat(byNumber.put(v.number(), v)).as("version %s/%d listed once", model, v.number()).isNull();
                    RegistryChecks.assertComplete(mlops.models(), v);
                }
                assertThat(byNumber.keySet()).as("versions of %s are 1..max without gaps", model)
                        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, versions.size()).boxed().toList());
                stored.put(model, byNumber);
            }

            Set<String> claimed = new HashSet<>();
            int exported = 0;
            for (Reported.Created c : reported.created()) {
                assertThat(claimed.add(c.model() + "/" + c.version()))
                        .as("%s/%d reported by exactly one child", c.model(), c.version()).isTrue();
                assertThat(c.sha256()).isEqualTo(Payloads.sha256(c.seed(), c.iteration(), maxArtifactBytes()));
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
                    for (Reported.Move mv : reported.moves()) {
                        if (mv.model().equals(model) && mv.alias().equals(alias)) {
                            AliasMove.Kind kind = mv.kind().equals("ALIAS") ? AliasMove.Kind.SET : AliasMove.Kind.ROLLBACK;
                            assertThat(RegistryChecks.count(history, kind, mv.version()))
                                    .as("reported %s is in the history", mv).isPositive();
                        }
                    }
                }
            }

            // a kill between a tag change's commit and its version index record must not hide
            // the version from a listing filtered by that tag
            for (String model : MODELS.split(",")) {
                for (int s = 0; s < RegistrationWorker.SHARDS; s++) {
                    String shard = Integer.toString(s);
                    List<Integer> expected = stored.get(model).values().stream()
                            .filter(v -> shard.equals(v.tags().get(RegistrationWorker.SHARD)))
                            .map(ModelVersion::number).sorted().toList();
                    assertThat(RegistryChecks.allVersions(mlops.models(), model, RegistrationWorker.SHARD, shard))
                            .extracting(ModelVersion::number).as("%s versions tagged shard=%s", model, shard)
                            .isEqualTo(expected);
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
            for (Reported.Created c : reported.created()) {
                assertThat(registerTargets).as("audit of reported registrations").contains(c.model() + "/" + c.version());
            }
            // including the versions and moves committed just before their writer died: verify(VerifyOptions.repair())
            // appended the entries those writers lost
            Map<String, Set<Integer>> storedNumbers = new HashMap<>();
            stored.forEach((model, versions) -> storedNumbers.put(model, versions.keySet()));
            int moves = RegistryChecks.assertEveryChangeAuditedOnce(mlops.models(), storedNumbers,
                    RegistrationWorker.ALIASES.toArray(String[]::new), trail);
            long recovered = trail.stream().filter(e -> e.after().containsKey("recovered_by")).count();
            System.out.printf("%d alias moves, each with one audit entry; %d entries recovered by verify(VerifyOptions.repair())%n",
                    moves, recovered);

            int storedCount = stored.values().stream().mapToInt(Map::size).sum();
            System.out.printf("crash test (%s): kills by mode %s; %d versions stored, %d of them reported created"
                            + " (the rest were committed just before their writer died)%n", store.provider(),
                    outcomes.stream().collect(Collectors.groupingBy(Outcome::mode, TreeMap::new, Collectors.counting())),
                    storedCount, reported.created().size());

            // a registration killed before its caller saw the answer, retried with its idempotency
            // key, returns the version it committed, or commits one: never a second
            int retried = 0;
            int alreadyCommitted = 0;
            for (Outcome o : outcomes) {
                if (!o.killedMidRegistration()) {
                    continue;
                }
                String[] begin = o.lines().stream().filter(l -> l.startsWith("BEGIN")).reduce((a, b) -> b).orElseThrow()
                        .split(" ");
                String model = begin[1];
                int iteration = Integer.parseInt(begin[2]);
                List<ModelVersion> before = registrationsOf(mlops, model, o.seed(), iteration);
                assertThat(before).as("versions of %s iteration %d", o.seed(), iteration).hasSizeLessThanOrEqualTo(1);
                ModelVersion again = mlops.models().register(model,
                        RegistrationWorker.spec(o.seed(), iteration, maxArtifactBytes()));
                if (!before.isEmpty()) {
                    alreadyCommitted++;
                    assertThat(again.number()).as("the retry returns the version the killed child committed")
                            .isEqualTo(before.get(0).number());
                }
                assertThat(registrationsOf(mlops, model, o.seed(), iteration)).as("after the retry").hasSize(1);
                retried++;
            }
            System.out.printf("crash test (%s): %d registrations killed mid-way retried with their idempotency key, %d"
                    + " of them had committed before the kill; no duplicate%n", store.provider(), retried,
                    alreadyCommitted);

            IntegrityReport after = mlops.verify(VerifyOptions.check().auditGracePeriod(Duration.ZERO));
            assertThat(after.problems()).as("nothing left to repair after verify(VerifyOptions.repair())").isEmpty();
        }
    }

    private static List<ModelVersion> registrationsOf(Mlops mlops, String model, long seed, int iteration) {
        if (mlops.models().findModel(model).isEmpty()) {
            return List.of();
        }
        return RegistryChecks.allVersions(mlops.models(), model).stream()
                .filter(v -> Long.toString(seed).equals(v.params().get("seed"))
                        && Integer.toString(iteration).equals(v.params().get("iteration")))
                .toList();
    }

    private Outcome runAndKill(StoreConfig store, Path logs, int k, Random rnd) throws Exception {
        long seed = seed() * 1000 + k;
        String name = "crash-" + k;
        ChildJvm child = ChildJvm.start(RegistrationWorker.class, logs.resolve("worker-" + k + ".err"),
                forChild(store, name).args(MODELS, Long.toString(seed), Integer.toString(Integer.MAX_VALUE),
                        Integer.toString(maxArtifactBytes())));
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
                int micros = rnd.nextInt(killJitterMicros());
                Thread.sleep(micros / 1000, (micros % 1000) * 1000);
            }
        }
        beforeKill(name);
        boolean alive = child.kill();
        return new Outcome(seed, mode, alive, child.lines());
    }
}
