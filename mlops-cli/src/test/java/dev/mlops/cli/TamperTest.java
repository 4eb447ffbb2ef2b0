package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Mlops;
import dev.mlops.registry.fs.FileSystemStore;
import dev.mlops.registry.tck.KilledWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage on disk and lost audit entries are reported: {@code verify} and {@code audit --verify} exit 1. */
class TamperTest {
    private static final String WEIGHTS = "weights that will be tampered with";

    @TempDir
    Path tmp;

    private Path store;
    private CliRunner cli;

    @BeforeEach
    void register() throws IOException {
        store = tmp.resolve("store");
        cli = new CliRunner(store);
        Path model = Files.writeString(tmp.resolve("model.bin"), WEIGHTS);
        cli.ok("register", "rain", "--artifact", model.toString());
        cli.ok("alias", "set", "rain/1", "--alias", "production");
        assertThat(cli.json("verify").get("ok").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("a blob modified on disk makes verify exit 1 with ok=false and a corrupt_blob problem")
    void tamperedBlob() throws IOException {
        Path blob = findFileContaining(store.resolve("blobs"), WEIGHTS);
        overwrite(blob, WEIGHTS.replace("tampered", "TAMPERED"));

        CliRunner.Result human = cli.run("verify");
        assertThat(human.exitCode()).as(human.err()).isEqualTo(1);
        assertThat(human.out()).contains("corrupt_blob").contains("NOT OK");
        // it names what the blob breaks, and does not suggest a repair that cannot bring bytes back
        assertThat(human.out()).contains("used by rain/1 model.bin")
                .contains("a repair cannot fix; restore the store from a backup").doesNotContain("'verify --repair' fixes");

        CliRunner.Result json = cli.run("verify", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode report = json.json();
        assertThat(report.get("ok").asBoolean()).isFalse();
        JsonNode problem = report.get("problems").get(0);
        assertThat(problem.get("kind").asText()).isEqualTo("corrupt_blob");
        assertThat(problem.get("location").asText()).isNotEmpty();
        assertThat(problem.get("detail").asText()).endsWith("; used by rain/1 model.bin");
        assertThat(problem.get("repaired").asBoolean()).isFalse();

        // repair cannot invent the lost bytes: still not ok
        assertThat(cli.run("verify", "--repair", "--json").exitCode()).isEqualTo(1);
    }

    @Test
    @DisplayName("a journal entry edited on disk makes audit --verify exit 1 naming the first bad entry")
    void tamperedJournal() throws IOException {
        long registered = -1;
        for (JsonNode e : cli.json("audit").get("entries")) {
            if (e.get("action").asText().equals("version.register")) {
                registered = e.get("sequence").asLong();
            }
        }
        assertThat(registered).isPositive();
        Path entry = findFileContaining(store.resolve("journal"), "\"version.register\"");
        String text = Files.readString(entry);
        overwrite(entry, text.replace("\"version.register\"", "\"version.REGISTER\""));

        CliRunner.Result human = cli.run("audit", "--verify");
        assertThat(human.exitCode()).as(human.err()).isEqualTo(1);
        assertThat(human.out()).startsWith("BROKEN: audit chain breaks at entry " + registered);

        CliRunner.Result json = cli.run("audit", "--verify", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode v = json.json();
        assertThat(v.get("ok").asBoolean()).isFalse();
        assertThat(v.get("first_bad_sequence").asLong()).isEqualTo(registered);
        assertThat(v.get("entries_checked").asLong()).isPositive();
        assertThat(v.get("detail").asText()).isNotEqualTo("ok");

        CliRunner.Result verify = cli.run("verify", "--json");
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.json().get("problems").findValuesAsText("kind")).contains("broken_journal");
    }

    @Test
    @DisplayName("an alias move whose writer died before its audit entry is reported once the grace period is"
            + " waived, and verify --repair appends the entry")
    void lostAuditEntry() throws IOException {
        cli.ok("register", "rain", "--artifact", Files.writeString(tmp.resolve("v2.bin"), "v2").toString());
        try (Mlops writer = Mlops.builder().store(KilledWriter.beforeAuditEntry(FileSystemStore.open(store))).build()) {
            assertThatThrownBy(() -> writer.models().setAlias("rain", "production", 2))
                    .isInstanceOf(IllegalStateException.class);
        }

        assertThat(cli.run("verify").exitCode()).as("within the grace period the writer may still append it").isZero();
        CliRunner.Result found = cli.run("verify", "--audit-grace", "0", "--json");
        assertThat(found.exitCode()).isEqualTo(1);
        JsonNode problem = found.json().get("problems").get(0);
        assertThat(problem.get("kind").asText()).isEqualTo("missing_audit_entry");
        assertThat(problem.get("location").asText()).isEqualTo("rain@production");
        assertThat(problem.get("detail").asText()).startsWith("alias.set entry missing: move 2");

        CliRunner.Result repaired = cli.run("verify", "--repair", "--audit-grace", "0");
        assertThat(repaired.exitCode()).as(repaired.out()).isZero();
        assertThat(repaired.out()).contains("missing_audit_entry").contains("ok: 1 problem(s) repaired");
        assertThat(cli.ok("verify", "--audit-grace", "0").out()).isEqualTo("ok: no problems found\n");
        JsonNode entries = cli.json("audit", "--target", "rain@production").get("entries");
        JsonNode recovered = entries.get(entries.size() - 1);
        assertThat(recovered.get("action").asText()).isEqualTo("alias.set");
        assertThat(recovered.get("after").get("move").asText()).isEqualTo("2");
        assertThat(recovered.get("after").get("recovered_by").asText()).isEqualTo("verify --repair");
    }

    @Test
    @DisplayName("a deleted FORMAT file makes verify, and every other command, exit 1 naming the file and the"
            + " recovery, without writing a new one")
    void deletedFormat() throws IOException {
        Path format = store.resolve("FORMAT");
        Files.delete(format);

        CliRunner.Result verify = cli.run("verify");
        assertThat(verify.exitCode()).as(verify.err()).isEqualTo(1);
        assertThat(verify.err()).startsWith("mlops: ").contains(store.toRealPath().resolve("FORMAT").toString())
                .contains("no FORMAT file").contains("lock-stripes 64").contains("recover-layout=true");
        assertThat(cli.run("verify", "--repair").exitCode()).isEqualTo(1);
        CliRunner.Result register = cli.run("register", "rain", "--artifact",
                Files.writeString(tmp.resolve("v2.bin"), "v2").toString());
        assertThat(register.exitCode()).as(register.err()).isEqualTo(1);
        assertThat(format).doesNotExist();

        // the recovery the message names, then the store verifies clean with its version intact
        Files.writeString(format, "mlops-fs-store\nformat 1\nlock-stripes 64\n");
        assertThat(cli.json("verify").get("ok").asBoolean()).isTrue();
        assertThat(cli.ok("models", "list").out()).contains("rain");
    }

    static Path findFileContaining(Path dir, String content) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> matches = files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8).contains(content);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
            assertThat(matches).as("files under %s holding %s", dir, content).hasSize(1);
            return matches.get(0);
        }
    }

    static void overwrite(Path file, String content) throws IOException {
        Files.setPosixFilePermissions(file, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        Files.writeString(file, content);
    }
}
