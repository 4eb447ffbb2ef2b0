package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The black-box findings, as a user at a shell meets them: garbage collection looping
 * beside registrations in other processes, a registration retried with an idempotency key, and a
 * trail cut back at its end.
 */
class RegistryPromisesCliTest {
    @TempDir
    Path tmp;

    /** Starts {@code mlops --store STORE args...} in a JVM of its own. */
    private Process start(Path store, Path log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                MlopsCommand.class.getName(), "-q", "--store", store.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void writeRandom(Path file, long bytes, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                r.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    @Test
    @DisplayName("gc --grace 0s looping beside 3 slow registrations in other processes takes no blob of theirs")
    void gcBesideSlowRegistrations() throws Exception {
        Path store = tmp.resolve("store");
        CliRunner cli = new CliRunner(store);
        Path seed = Files.writeString(tmp.resolve("seed.bin"), "seed");
        cli.ok("register", "seed", "--artifact", seed.toString());
        List<Process> registrations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // a small file stored first, then a large one: the small blob waits unreferenced meanwhile
            Path d = Files.createDirectories(tmp.resolve("d" + i));
            writeRandom(d.resolve("a.bin"), 1000, i);
            writeRandom(d.resolve("z.bin"), 40L << 20, 100 + i);
            registrations.add(start(store, tmp.resolve("register-" + i + ".log"), "register", "slow-" + i,
                    "--artifact", d.toString()));
        }
        int collections = 0;
        while (registrations.stream().anyMatch(Process::isAlive) || collections < 3) {
            CliRunner.Result gc = cli.run("gc", "--grace", "0s");
            assertThat(gc.exitCode()).as(gc.err()).isZero();
            collections++;
        }
        for (int i = 0; i < 3; i++) {
            Process p = registrations.get(i);
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            String out = Files.readString(tmp.resolve("register-" + i + ".log"));
            assertThat(p.exitValue()).as(out).isZero();
        }
        CliRunner.Result verify = cli.run("verify", "--json");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        for (int i = 0; i < 3; i++) {
            JsonNode v = cli.json("versions", "show", "slow-" + i + "/1");
            assertThat(v.toString()).contains("a.bin").contains("z.bin");
        }
        System.out.println("gc beside registrations: " + collections + " collections, 3 registrations whole");
    }

    @Test
    @DisplayName("register --idempotency-key: a retry prints the same version; a malformed key exits 2")
    void idempotencyKey() throws IOException {
        Path store = tmp.resolve("store");
        CliRunner cli = new CliRunner(store);
        Path model = Files.writeString(tmp.resolve("m.bin"), "weights");
        JsonNode first = cli.json("register", "rain", "--artifact", model.toString(), "--idempotency-key", "ci-4711");
        JsonNode again = cli.json("register", "rain", "--artifact", model.toString(), "--idempotency-key", "ci-4711");
        assertThat(again.get("version").asInt()).isEqualTo(first.get("version").asInt()).isEqualTo(1);
        assertThat(cli.json("register", "rain", "--artifact", model.toString()).get("version").asInt())
                .as("without a key, a new version").isEqualTo(2);

        Path other = Files.writeString(tmp.resolve("o.bin"), "other weights");
        CliRunner.Result reused = cli.run("register", "rain", "--artifact", other.toString(), "--idempotency-key", "ci-4711");
        assertThat(reused.exitCode()).isEqualTo(1);
        assertThat(reused.err()).contains("ci-4711").contains("different registration");

        CliRunner.Result bad = cli.run("register", "rain", "--artifact", model.toString(), "--idempotency-key", "a b");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--idempotency-key");
    }

    @Test
    @DisplayName("audit --head, then a trail cut back at its end: audit --verify passes, --expect-head exits 1")
    void expectHeadFindsATruncatedTrail() throws IOException {
        Path store = tmp.resolve("store");
        CliRunner cli = new CliRunner(store);
        Path model = Files.writeString(tmp.resolve("m.bin"), "weights");
        cli.ok("register", "rain", "--artifact", model.toString());
        cli.ok("alias", "set", "rain/1", "--alias", "production");
        String head = cli.ok("audit", "--head").out().strip();
        assertThat(head).matches("[0-9]+:[0-9a-f]{64}");
        JsonNode json = cli.json("audit", "--head");
        assertThat(json.get("head").asText()).isEqualTo(head);
        assertThat(cli.run("audit", "--verify", "--expect-head", head).exitCode()).isZero();

        // remove the newest journal entry file, as someone hiding the last change would
        Path last;
        try (Stream<Path> entries = Files.walk(store.resolve("journal"))) {
            last = entries.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .max(Path::compareTo).orElseThrow();
        }
        Files.delete(last);
        assertThat(cli.run("audit", "--verify").exitCode()).as("the chain alone still verifies").isZero();
        CliRunner.Result cut = cli.run("audit", "--verify", "--expect-head", head);
        assertThat(cut.exitCode()).isEqualTo(1);
        assertThat(cut.out()).contains("BROKEN").contains("removed from its end");

        assertThat(cli.run("audit", "--verify", "--expect-head", "nonsense").exitCode()).isEqualTo(2);
        assertThat(cli.run("audit", "--expect-head", head).exitCode()).as("--expect-head needs --verify").isEqualTo(2);
    }

    @Test
    @DisplayName("verify names what a repair fixes and what it cannot, and suggests --repair only for the first")
    void verifySaysWhatARepairCanFix() throws IOException {
        Path store = tmp.resolve("store");
        CliRunner cli = new CliRunner(store);
        Path model = Files.writeString(tmp.resolve("m.bin"), "weights");
        cli.ok("register", "rain", "--artifact", model.toString());
        cli.ok("register", "rain", "--artifact", Files.writeString(tmp.resolve("m2.bin"), "two").toString());
        Path newest = store.resolve("docs/models/rain/versions/0000000002@doc");
        assertThat(newest).exists();
        Files.delete(newest);
        CliRunner.Result v = cli.run("verify");
        assertThat(v.exitCode()).isEqualTo(1);
        assertThat(v.out()).contains("audit_mismatch").contains("a repair cannot fix").doesNotContain("'verify --repair' fixes");
        CliRunner.Result jsonRun = cli.run("verify", "--json");
        assertThat(jsonRun.exitCode()).isEqualTo(1);
        assertThat(jsonRun.json().get("problems")).anySatisfy(p -> {
            assertThat(p.get("kind").asText()).isEqualTo("audit_mismatch");
            assertThat(p.get("repairable").asBoolean()).isFalse();
        });
    }
}
