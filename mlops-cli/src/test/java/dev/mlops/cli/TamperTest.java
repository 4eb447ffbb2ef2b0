package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Damage on disk is reported: {@code verify} and {@code audit --verify} exit 1. */
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
        cli.ok("alias", "set", "rain", "production", "1");
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

        CliRunner.Result json = cli.run("verify", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode report = json.json();
        assertThat(report.get("ok").asBoolean()).isFalse();
        JsonNode problem = report.get("problems").get(0);
        assertThat(problem.get("kind").asText()).isEqualTo("corrupt_blob");
        assertThat(problem.get("location").asText()).isNotEmpty();
        assertThat(problem.get("detail").asText()).isNotEmpty();
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
