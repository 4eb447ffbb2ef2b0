package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

    /** A child JVM whose stdout lines are collected as they come. */
    private record Child(Process process, List<String> lines, Thread reader) {
        String last() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private Child spawn(String instance, long seed, double candidateErrors, String role) throws IOException {
        Path barrier = dir.resolveSibling(dir.getFileName() + "-barrier");
        java.nio.file.Files.createDirectories(barrier);
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RolloutFleetChild.class.getName(), storeSpec(),
                instance, String.valueOf(seed), String.valueOf(candidateErrors), "4000", barrier.toString(), "4", role))
                .redirectError(dir.resolveSibling(dir.getFileName() + "-" + instance + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        t.start();
        return new Child(p, lines, t);
    }

    private static void awaitAll(List<Child> children) throws InterruptedException {
        for (Child c : children) {
            assertThat(c.process().waitFor(180, TimeUnit.SECONDS)).as("child exits").isTrue();
            c.reader().join(10_000);
            assertThat(c.process().exitValue()).as("exit of a child, output " + c.lines()).isZero();
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
            assertThat(c.last()).as("last line of %s", c.lines()).isEqualTo("FINAL ROLLED_BACK 0 1");
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
        victim.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(victim.lines()).noneMatch(l -> l.startsWith("FINAL") || l.startsWith("STATE PROMOTED"));
        awaitAll(children.subList(1, 4));
        for (Child c : children.subList(1, 4)) {
            assertThat(c.last()).as("last line of %s", c.lines()).isEqualTo("FINAL PROMOTED 1 2");
        }
        List<AuditEntry> audit = audit();
        assertThat(count(audit, "rollout.start")).isEqualTo(1);
        assertThat(count(audit, "rollout.step")).isEqualTo(1);
        assertThat(count(audit, "rollout.promote")).isEqualTo(1);
        assertThat(count(audit, "alias.promote")).isEqualTo(1);
    }
}
