package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.api.Digests;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.registry.tck.process.ChildJvm;
import dev.mlops.registry.tck.process.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code check(true)} decides whether a temp file's writer lives by the lock the writer holds on
 * it, not by the process id in its name, which means nothing across PID namespaces (containers
 * sharing a store directory). A real writer process ({@link GatedBlobWriter}) stops in the middle
 * of a big blob while this process checks the store, once in this PID namespace and once in its
 * own, made with {@code unshare -p -f --mount-proc}; in its own namespace it is given a process
 * id that no process of this namespace has, so a check that trusted the name would think it dead.
 * Needs root and util-linux's {@code unshare} for the second half: without them it is skipped,
 * unless the environment variable {@code CI} is {@code true}, where it fails.
 */
@DisplayName("Temp files of live writers survive check(true), in this PID namespace and in another;"
        + " those of killed writers are removed")
class WriterLivenessTest {
    private static final int MIB = 8;
    /** Only a guard against a hung child; no assertion is made about how long anything takes. */
    private static final long HANG_GUARD_MILLIS = 10 * 60_000L;

    enum Namespace {
        /** The writer runs in this PID namespace. */
        THIS,
        /** The writer runs in a PID namespace of its own. */
        OWN
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "writer in {0} PID namespace")
    @EnumSource(Namespace.class)
    @DisplayName("a live writer's temp file is kept by check(true), and the writer finishes its blob")
    void liveWriterKeepsItsTempFile(Namespace namespace) throws Exception {
        Path storeDir = dir.resolve("store");
        Path gate = Files.createDirectories(dir.resolve("gate"));
        try (FileSystemStore store = FileSystemStore.open(storeDir)) {
            ChildJvm writer = startWriter(namespace, storeDir, gate);
            try {
                awaitWriting(writer, namespace);
                Path temp = singleTempFile(store.root().resolve("blobs"));

                List<IntegrityProblem> problems = store.check(true);

                assertThat(problems).as("a file being written is no leftover").isEmpty();
                assertThat(temp).as("the live writer's temp file").exists();
                Files.createFile(gate.resolve("go"));
                int exit = writer.awaitExit(HANG_GUARD_MILLIS);
                assertThat(exit).as("writer exit; output %s; stderr %s", writer.lines(), stderr(writer)).isZero();
                String expected = expectedSha256();
                assertThat(writer.lines()).contains("put " + expected + " " + ((long) MIB << 20));
                try (InputStream in = store.openBlob(expected)) {
                    assertThat(Digests.hex(digest(in))).isEqualTo(expected);
                }
                assertThat(temp).doesNotExist();
                assertThat(store.check(false)).isEmpty();
            } finally {
                writer.kill();
            }
        }
    }

    @ParameterizedTest(name = "writer in {0} PID namespace")
    @EnumSource(Namespace.class)
    @DisplayName("a writer killed with SIGKILL leaves a temp file that check reports and check(true) removes")
    void killedWritersTempFileIsRemoved(Namespace namespace) throws Exception {
        Path storeDir = dir.resolve("store");
        Path gate = Files.createDirectories(dir.resolve("gate"));
        try (FileSystemStore store = FileSystemStore.open(storeDir)) {
            ChildJvm writer = startWriter(namespace, storeDir, gate);
            Path temp;
            try {
                awaitWriting(writer, namespace);
                temp = singleTempFile(store.root().resolve("blobs"));
                assertThat(store.check(false)).as("the writer still runs").isEmpty();
            } finally {
                assertThat(writer.kill()).as("the writer was running when killed").isTrue();
            }
            assertThat(temp).exists();

            // Under unshare the writer is the launcher's child, killed by the kernel once the
            // launcher dies: a moment later, not when kill() returns. Until then its lock holds.
            List<IntegrityProblem> found = store.check(false);
            for (int polls = 0; found.isEmpty() && polls < 6_000; polls++) {
                Thread.sleep(10);
                found = store.check(false);
            }
            assertThat(found).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.LEFTOVER);
                assertThat(p.location()).isEqualTo("blobs/" + temp.getFileName());
                assertThat(p.repairable()).isTrue();
                assertThat(p.repaired()).isFalse();
            });
            assertThat(temp).exists();

            List<IntegrityProblem> repaired = store.check(true);
            assertThat(repaired).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.LEFTOVER);
                assertThat(p.repaired()).isTrue();
            });
            assertThat(temp).doesNotExist();
            assertThat(store.check(false)).isEmpty();
        }
    }

    private ChildJvm startWriter(Namespace namespace, Path storeDir, Path gate) {
        List<String> launcher = namespace == Namespace.OWN ? ownPidNamespace() : List.of();
        return ChildJvm.start(launcher, GatedBlobWriter.class, "64m", dir.resolve("writer-" + namespace + ".err"),
                storeDir.toString(), gate.toString(), Integer.toString(MIB));
    }

    /** Waits for the writer to be inside its blob; checks that an OWN writer sees another PID. */
    private static void awaitWriting(ChildJvm writer, Namespace namespace) throws Exception {
        int line = writer.awaitLine(0, l -> l.startsWith("writing ") || l.startsWith("error "), HANG_GUARD_MILLIS);
        if (line < 0 || !writer.lines().get(line).startsWith("writing ")) {
            writer.kill();
            fail("the writer did not start its blob: " + writer.lines() + " stderr: " + stderr(writer));
        }
        long seenPid = Long.parseLong(writer.lines().get(line).substring("writing ".length()));
        if (namespace == Namespace.OWN) {
            assertThat(ProcessHandle.of(seenPid).filter(ProcessHandle::isAlive))
                    .as("the writer's own process id %d names no live process here", seenPid).isEmpty();
        }
    }

    /**
     * {@code unshare} puts the JVM in a new PID namespace (and mounts a /proc for it), kills it
     * when it is killed itself, and gives it the process id of no live process of this namespace:
     * the shell, process 1 in the namespace, sets the namespace's last process id before it
     * starts the JVM (where the kernel does not allow that, the JVM gets id 2, and the test still
     * runs, only with an id that may be alive here).
     */
    private static List<String> ownPidNamespace() {
        List<String> unshare = requireUnshare();
        long pid = 32_000;
        while (pid > 1_000 && ProcessHandle.of(pid).isPresent()) {
            pid--;
        }
        String script = "echo " + (pid - 1) + " > /proc/sys/kernel/ns_last_pid 2>/dev/null; \"$@\"; exit $?";
        List<String> launcher = new ArrayList<>(unshare);
        launcher.addAll(List.of("sh", "-c", script, "sh"));
        return launcher;
    }

    /**
     * @return the unshare command that works here: as root a new PID namespace; otherwise one
     *     inside a new user namespace, where the user is root (unprivileged user namespaces)
     */
    private static List<String> requireUnshare() {
        List<String> asRoot = List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child");
        List<String> asUser = List.of("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
                "--kill-child");
        Optional<String> unavailable = unshareUnavailable(asRoot);
        if (unavailable.isEmpty()) {
            return asRoot;
        }
        Optional<String> rootless = unshareUnavailable(asUser);
        if (rootless.isEmpty()) {
            return asUser;
        }
        String message = "cannot run a writer in its own PID namespace: " + unavailable.get() + "; and without root: "
                + rootless.get() + " (needs util-linux's unshare, and root or unprivileged user namespaces)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI is set, where this test must run (see .ci/run)");
        }
        Assumptions.abort(message);
        return List.of();
    }

    private static Optional<String> unshareUnavailable(List<String> unshare) {
        List<String> command = new ArrayList<>(unshare);
        command.add("true");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return Optional.of("'" + String.join(" ", command) + "' did not finish");
            }
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of("'" + String.join(" ", command) + "' exited " + p.exitValue() + ": " + out);
        } catch (IOException e) {
            return Optional.of("could not run unshare: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private static Path singleTempFile(Path blobs) throws IOException {
        List<Path> temps = new ArrayList<>();
        try (Stream<Path> s = Files.list(blobs)) {
            s.filter(p -> Layout.isTemp(p.getFileName().toString())).forEach(temps::add);
        }
        assertThat(temps).as("temp files in %s", blobs).hasSize(1);
        return temps.get(0);
    }

    private static String expectedSha256() throws IOException {
        try (InputStream in = Payloads.stream((long) MIB << 20, GatedBlobWriter.SEED)) {
            return Digests.hex(digest(in));
        }
    }

    private static byte[] digest(InputStream in) throws IOException {
        MessageDigest md = Digests.sha256();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) != -1; ) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }

    private static String stderr(ChildJvm child) throws IOException {
        return Files.exists(child.stderr()) ? Files.readString(child.stderr()) : "";
    }
}
