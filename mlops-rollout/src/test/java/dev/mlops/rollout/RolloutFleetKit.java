package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four JVMs run one rollout on one store: one decision each time, every instance converges; and
 * the same with an instance killed (SIGKILL) in the middle of the second step. Each store backend
 * extends this with {@link #storeSpec()}: the filesystem ({@link RolloutFleetProcessesTest}) and
 * PostgreSQL ({@link RolloutFleetPostgresTest}).
 */
abstract class RolloutFleetKit {

    static final RolloutPolicy POLICY = new RolloutPolicy(
            List.of(new RolloutPolicy.Step(0.10, 200, Duration.ZERO), new RolloutPolicy.Step(0.50, 400, Duration.ZERO)),
            List.of(new GuardrailSpec(Guardrail.ERROR_RATE, 0.02, 0.1, 100)), 0.05);

    @TempDir
    Path dir;

    /** Every child this test started, ended after it (a failed assertion leaves none running). */
    private final List<Process> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void endChildren() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * @return the store every child and this test open: {@code fs:DIRECTORY} or
     *     {@code postgres:JDBC-URL} ({@link RolloutFleetChild#openStore})
     */
    abstract String storeSpec();

    private void registerTwoVersions() {
        try (Store store = RolloutFleetChild.openStore(storeSpec()); Mlops mlops = Mlops.builder().store(store).build()) {
            for (int i = 1; i <= 2; i++) {
                mlops.models().register("rain", NewModelVersion.builder()
                        .artifact(Artifact.bytes("model.bin", ("v" + i).getBytes(StandardCharsets.UTF_8))).build());
            }
            mlops.models().setAlias("rain", "production", 1);
        }
    }

    /**
     * A child JVM whose stdout lines are collected as they come (and kept in {@code <dir>-<instance>.out}
     * next to its stderr, {@code <dir>-<instance>.err}, for a failure to be read after the run).
     */
    private record Child(Process process, List<String> lines, Thread reader, Path stderr) {
        String last() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        /** @return its stdout lines and the end of its stderr, for a failure's message */
        String output() {
            String err;
            try {
                List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
                err = String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
            } catch (IOException e) {
                err = "(stderr " + stderr + " unreadable: " + e + ")";
            }
            return lines + "\nstderr " + stderr + ":\n" + err;
        }
    }

    /** @return the directory the children meet in (a file per instance, and {@code victim-paused}) */
    private Path barrier() {
        return dir.resolveSibling(dir.getFileName() + "-barrier");
    }

    private Child spawn(String instance, long seed, double candidateErrors, String role) throws IOException {
        Path barrier = barrier();
        Files.createDirectories(barrier);
        Path stderr = dir.resolveSibling(dir.getFileName() + "-" + instance + ".err");
        // 4,000 ticks only bound a run gone wrong: a one-off simulation of the kill scenario with the
        // policy's own decide() (100,000 runs, docs/rollouts.md) promoted within 18 ticks of a
        // survivor at the second step
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RolloutFleetChild.class.getName(), storeSpec(),
                instance, String.valueOf(seed), String.valueOf(candidateErrors), "4000", barrier.toString(), "4", role))
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        started.add(p);
        List<String> lines = new CopyOnWriteArrayList<>();
        Path stdout = dir.resolveSibling(dir.getFileName() + "-" + instance + ".out");
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter copy = Files.newBufferedWriter(stdout, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    copy.write(line);
                    copy.newLine();
                    copy.flush();
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        t.start();
        return new Child(p, lines, t, stderr);
    }

    private static void awaitAll(List<Child> children) throws InterruptedException {
        for (Child c : children) {
            assertThat(c.process().waitFor(180, TimeUnit.SECONDS)).as("child exits").isTrue();
            c.reader().join(10_000);
            assertThat(c.process().exitValue()).as("exit of a child, output %s", c.output()).isZero();
        }
    }

    private List<AuditEntry> audit() {
        try (Store store = RolloutFleetChild.openStore(storeSpec()); Mlops mlops = Mlops.builder().store(store).build()) {
            return mlops.audit().entries(1, 10_000);
        }
    }

    private static long count(List<AuditEntry> entries, String action) {
        return entries.stream().filter(e -> e.action().equals(action)).count();
    }

    @Test
    void fourInstancesMakeOneRollbackAndAllFollowIt() throws Exception {
        registerTwoVersions();
        List<Child> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            children.add(spawn("web-" + i, 100 + i, 0.30, "plain"));
        }
        awaitAll(children);
        for (Child c : children) {
            assertThat(c.last()).as("last line of %s", c.output()).isEqualTo("FINAL ROLLED_BACK 0 1");
        }
        List<AuditEntry> audit = audit();
        assertThat(count(audit, "rollout.start")).isEqualTo(1);
        assertThat(count(audit, "rollout.rollback")).isEqualTo(1);
        assertThat(count(audit, "alias.promote")).isZero();
    }

    @Test
    void anInstanceKilledMidStepLosesNoDecisionAndTheOthersPromote() throws Exception {
        registerTwoVersions();
        List<Child> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            children.add(spawn("web-" + i, 200 + i, 0.03, i == 0 ? "victim" : "waiter"));
        }
        Child victim = children.get(0);
        // the victim hangs at the second step and the others wait for it there: kill it then
        for (int wait = 0; wait < 36_000 && victim.process().isAlive() && !victim.lines().contains("PAUSED"); wait++) {
            Thread.sleep(5);
        }
        assertThat(victim.lines()).as("the victim reached the second step").contains("PAUSED");
        // the waiters send nothing at the second step until this file exists: a kill before it
        // was created left them waiting in vain, and the step never passed
        assertThat(barrier().resolve("victim-paused")).as("the victim announced its pause after creating the file")
                .exists();
        victim.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(victim.lines()).noneMatch(l -> l.startsWith("FINAL") || l.startsWith("STATE PROMOTED"));
        awaitAll(children.subList(1, 4));
        for (Child c : children.subList(1, 4)) {
            assertThat(c.last()).as("last line of %s", c.output()).isEqualTo("FINAL PROMOTED 1 2");
        }
        List<AuditEntry> audit = audit();
        assertThat(count(audit, "rollout.start")).isEqualTo(1);
        assertThat(count(audit, "rollout.step")).isEqualTo(1);
        assertThat(count(audit, "rollout.promote")).isEqualTo(1);
        assertThat(count(audit, "alias.promote")).isEqualTo(1);
    }
}
