package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo session a user types: a dataset, two model versions, an alias moved and rolled back,
 * lineage both ways, verification and the audit chain; in human and in {@code --json} form.
 */
class WorkflowTest {
    private static final String CSV = "date,precipitation,temp_max,weather\n"
            + "2012-01-01,0.0,12.8,drizzle\n"
            + "2012-01-02,10.9,10.6,rain\n"
            + "2012-01-03,0.8,11.7,rain\n";

    @TempDir
    Path tmp;

    private Path store;
    private CliRunner cli;
    private Path csv;
    private Path modelFile;
    private Path modelDir;

    @BeforeEach
    void files() throws IOException {
        store = tmp.resolve("store");
        cli = new CliRunner(store);
        csv = Files.writeString(tmp.resolve("weather.csv"), CSV);
        modelFile = Files.writeString(tmp.resolve("model.bin"), "weights v1");
        modelDir = Files.createDirectories(tmp.resolve("model2"));
        Files.writeString(modelDir.resolve("weights.bin"), "weights v2");
        Files.createDirectories(modelDir.resolve("meta"));
        Files.writeString(modelDir.resolve("meta/config.json"), "{\"layers\":2}");
    }

    @Test
    @DisplayName("a human session prints short tables and every step succeeds")
    void humanSession() {
        assertThat(cli.ok("datasets", "register", "weather", "--file", csv.toString(), "--tag", "source=noaa").out())
                .startsWith("registered weather/1").contains(sha256(CSV)).contains("3 rows");
        assertThat(cli.ok("register", "rain", "--artifact", modelFile.toString(), "--format", "onnx",
                "--metric", "auc=0.91", "--param", "l2=0.01", "--dataset", "weather/1", "--code-ref", "3f2a9c1").out())
                .startsWith("registered rain/1").contains(sha256("weights v1"));
        assertThat(cli.ok("register", "rain", "--artifact", modelDir.toString(), "--metric", "auc=0.93",
                "--dataset", "weather/1", "--retrained-from", "1").out())
                .startsWith("registered rain/2").contains("2 files");

        assertThat(cli.ok("alias", "set", "rain/1", "--alias", "production").out()).isEqualTo("rain@production -> 1 (was unset)\n");
        assertThat(cli.ok("alias", "set", "rain/2", "--alias", "production").out()).isEqualTo("rain@production -> 2 (was 1)\n");
        assertThat(cli.ok("alias", "rollback", "rain", "--alias", "production").out())
                .isEqualTo("rain@production rolled back to 1 (was 2)\n");
        assertThat(lines(cli.ok("alias", "history", "rain", "--alias", "production").out()))
                .hasSize(4).first().asString().startsWith("AT").contains("KIND");

        String lineage = cli.ok("lineage", "rain/2").out();
        assertThat(lineage).contains("retrained from:   rain/1").contains("weather/1").contains(sha256(CSV));
        assertThat(cli.ok("lineage", "rain/1").out()).contains("code ref:         3f2a9c1");
        assertThat(cli.ok("lineage", "--users-of", "weather/1").out()).contains("rain/1").contains("rain/2");

        String models = cli.ok("models", "list").out();
        assertThat(lines(models).get(0)).matches("NAME +LATEST +ALIASES +UPDATED +DESCRIPTION");
        assertThat(lines(models).get(1)).startsWith("rain  ").contains("production=1");
        String versions = cli.ok("versions", "list", "rain").out();
        assertThat(lines(versions)).hasSize(3);
        // columns are aligned: the STATUS header starts where each status starts
        int statusColumn = lines(versions).get(0).indexOf("STATUS");
        assertThat(lines(versions).get(1).substring(statusColumn)).startsWith("active");
        assertThat(lines(versions).get(2).substring(statusColumn)).startsWith("active");
        assertThat(cli.ok("models", "show", "rain").out()).contains("latest version:  2");
        assertThat(cli.ok("versions", "show", "rain@production").out()).contains("version:").contains("rain/1")
                .contains("auc=0.91");
        assertThat(cli.ok("datasets", "list").out()).contains("weather");
        assertThat(cli.ok("datasets", "show", "weather/1").out()).contains("precipitation").contains("rows:");

        assertThat(cli.ok("verify").out()).isEqualTo("ok: no problems found\n");
        assertThat(cli.ok("audit", "--verify").out()).startsWith("ok: audit chain intact");
        String audit = cli.ok("audit").out();
        assertThat(audit).contains("dataset.register").contains("version.register").contains("alias.set")
                .contains("alias.rollback");
    }

    @Test
    @DisplayName("--json prints exactly one JSON document with snake_case keys for every command")
    void jsonSession() throws IOException {
        JsonNode ds = cli.json("datasets", "register", "weather", "--file", csv.toString(), "--description", "daily");
        assertThat(ds.get("name").asText()).isEqualTo("weather");
        assertThat(ds.get("version").asInt()).isEqualTo(1);
        assertThat(ds.get("content_sha256").asText()).isEqualTo(sha256(CSV));
        assertThat(ds.get("row_count").asLong()).isEqualTo(3);
        assertThat(ds.get("created").asBoolean()).isTrue();
        assertThat(ds.get("schema").findValuesAsText("name")).containsExactly("date", "precipitation", "temp_max", "weather");

        JsonNode again = cli.json("datasets", "register", "weather", "--file", csv.toString());
        assertThat(again.get("version").asInt()).as("identical content returns the existing version").isEqualTo(1);
        assertThat(again.get("created").asBoolean()).isFalse();

        JsonNode v1 = cli.json("register", "rain", "--artifact", modelFile.toString(), "--format", "onnx",
                "--metric", "auc=0.91", "--metric", "logloss=-1.5e-2", "--param", "expr=a=b=c", "--param", "empty=",
                "--tag", "team=weather", "--dataset", "weather/1", "--code-ref", "3f2a9c1", "--description", "first");
        assertThat(v1.get("name").asText()).isEqualTo("rain");
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("artifact_sha256").asText()).isEqualTo(sha256(Files.readString(modelFile)));
        assertThat(v1.get("format").asText()).isEqualTo("onnx");
        assertThat(v1.get("metrics").get("auc").asDouble()).isEqualTo(0.91);
        assertThat(v1.get("metrics").get("logloss").asDouble()).isEqualTo(-0.015);
        assertThat(v1.get("params").get("expr").asText()).as("the value keeps its '='").isEqualTo("a=b=c");
        assertThat(v1.get("params").get("empty").asText()).isEmpty();
        assertThat(v1.get("tags").get("team").asText()).isEqualTo("weather");
        assertThat(v1.get("lineage").get("trained_on").get(0).asText()).isEqualTo("weather/1");
        assertThat(v1.get("lineage").get("code_ref").asText()).isEqualTo("3f2a9c1");

        JsonNode v2 = cli.json("register", "rain", "--artifact", modelDir.toString(), "--dataset", "weather/1",
                "--retrained-from", "rain/1");
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(v2.get("files").findValuesAsText("path")).containsExactly("meta/config.json", "weights.bin");
        assertThat(v2.get("artifact_sha256").asText()).hasSize(64).isNotEqualTo(v1.get("artifact_sha256").asText());

        JsonNode set1 = cli.json("alias", "set", "rain/1", "--alias", "production");
        assertThat(set1.get("version").asInt()).isEqualTo(1);
        assertThat(set1.get("previous_version").isNull()).isTrue();
        assertThat(cli.json("alias", "set", "rain/2", "--alias", "production").get("previous_version").asInt()).isEqualTo(1);
        JsonNode rolled = cli.json("alias", "rollback", "rain", "--alias", "production");
        assertThat(rolled.get("version").asInt()).isEqualTo(1);
        assertThat(rolled.get("previous_version").asInt()).isEqualTo(2);
        JsonNode history = cli.json("alias", "history", "rain", "--alias", "production");
        assertThat(history.get("moves").findValuesAsText("kind")).containsExactly("set", "set", "rollback");

        JsonNode lineage = cli.json("lineage", "rain/2");
        assertThat(lineage.get("name").asText()).isEqualTo("rain");
        assertThat(lineage.get("version").asInt()).isEqualTo(2);
        assertThat(lineage.get("retrained_from").asText()).isEqualTo("rain/1");
        assertThat(lineage.get("code_ref").isNull()).isTrue();
        JsonNode d = lineage.get("datasets").get(0);
        assertThat(d.get("role").asText()).isEqualTo("trained");
        assertThat(d.get("ref").asText()).isEqualTo("weather/1");
        assertThat(d.get("content_sha256").asText()).isEqualTo(sha256(CSV));
        assertThat(d.get("missing").asBoolean()).isFalse();

        JsonNode reverse = cli.json("lineage", "--users-of", "weather/1");
        assertThat(reverse.get("content_sha256").asText()).isEqualTo(sha256(CSV));
        assertThat(reverse.get("models").findValuesAsText("version")).containsExactly("1", "2");
        assertThat(reverse.get("models").get(0).get("aliases").get(0).asText()).isEqualTo("production");

        JsonNode models = cli.json("models", "list");
        assertThat(models.get("models").get(0).get("latest_version").asInt()).isEqualTo(2);
        assertThat(models.get("models").get(0).get("aliases").get("production").asInt()).isEqualTo(1);
        assertThat(models.has("next_page_token")).isTrue();
        assertThat(cli.json("models", "show", "rain").get("versions")).hasSize(2);
        assertThat(cli.json("versions", "list", "rain", "--tag", "team=weather").get("versions")).hasSize(1);
        assertThat(cli.json("versions", "list", "rain", "--alias", "production").get("versions").get(0).get("version").asInt())
                .isEqualTo(1);
        assertThat(cli.json("versions", "show", "rain@production").get("version").asInt()).isEqualTo(1);
        assertThat(cli.json("datasets", "list").get("datasets").get(0).get("name").asText()).isEqualTo("weather");
        assertThat(cli.json("datasets", "show", "weather/1").get("description").asText()).isEqualTo("daily");
        assertThat(cli.json("datasets", "show", "weather").get("versions")).hasSize(1);

        JsonNode verify = cli.json("verify");
        assertThat(verify.get("ok").asBoolean()).isTrue();
        assertThat(verify.get("problems").isArray()).isTrue();
        assertThat(verify.get("problems")).isEmpty();

        JsonNode chain = cli.json("audit", "--verify");
        assertThat(chain.get("ok").asBoolean()).isTrue();
        assertThat(chain.get("entries_checked").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(chain.has("first_bad_sequence")).isTrue();
        assertThat(chain.get("first_bad_sequence").isNull()).isTrue();
        assertThat(chain.get("detail").isTextual()).isTrue();

        JsonNode audit = cli.json("audit");
        List<String> actions = audit.get("entries").findValuesAsText("action");
        assertThat(actions).contains("dataset.register", "version.register", "alias.set", "alias.rollback");
        assertThat(audit.get("total").asLong()).isEqualTo(chain.get("entries_checked").asLong());
        JsonNode forAlias = cli.json("audit", "--target", "rain@production", "--limit", "2");
        assertThat(forAlias.get("entries")).hasSize(2);
        assertThat(forAlias.get("entries").findValuesAsText("target")).containsOnly("rain@production");
    }

    @Test
    @DisplayName("archive hides a version from 'versions list' until --archived; restore brings it back")
    void archiveAndRestore() {
        cli.ok("register", "rain", "--artifact", modelFile.toString());
        cli.ok("register", "rain", "--artifact", modelDir.toString());
        assertThat(cli.ok("archive", "rain/1").out()).isEqualTo("archived rain/1\n");
        assertThat(cli.json("versions", "list", "rain").get("versions").findValuesAsText("version")).containsExactly("2");
        assertThat(cli.json("versions", "list", "rain", "--archived").get("versions").findValuesAsText("status"))
                .containsExactly("archived", "active");
        assertThat(cli.json("restore", "rain/1").get("status").asText()).isEqualTo("active");
        assertThat(cli.json("versions", "list", "rain").get("versions")).hasSize(2);
    }

    @Test
    @DisplayName("paging: --limit and --page-token walk through every version once")
    void paging() {
        for (int i = 0; i < 5; i++) {
            cli.ok("register", "rain", "--artifact", modelFile.toString(), "--metric", "run=" + i);
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            List<String> args = new ArrayList<>(List.of("versions", "list", "rain", "--limit", "2"));
            if (token != null) {
                args.add("--page-token");
                args.add(token);
            }
            JsonNode page = cli.json(args.toArray(String[]::new));
            seen.addAll(page.get("versions").findValuesAsText("version"));
            token = page.get("next_page_token").isNull() ? null : page.get("next_page_token").asText();
            pages++;
        } while (token != null && pages < 10);
        assertThat(seen).containsExactly("1", "2", "3", "4", "5");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    @DisplayName("the store can come from $MLOPS_STORE and the actor from --actor")
    void storeFromEnvironment() {
        CliRunner fromEnv = new CliRunner(null, Map.of(MlopsCommand.STORE_ENV, store.toString()));
        assertThat(fromEnv.ok("--actor", "ci-bot", "register", "rain", "--artifact", modelFile.toString()).out())
                .startsWith("registered rain/1");
        assertThat(cli.json("versions", "show", "rain/1").get("creator").asText()).isEqualTo("ci-bot");
        assertThat(cli.json("audit").get("entries").findValuesAsText("actor")).contains("ci-bot");
    }

    @Test
    @DisplayName("gc keeps referenced blobs and reports in JSON")
    void gc() {
        cli.ok("register", "rain", "--artifact", modelFile.toString());
        JsonNode gc = cli.json("gc", "--grace", "0");
        assertThat(gc.get("blobs_deleted").asLong()).isZero();
        assertThat(gc.get("blobs_examined").asLong()).isPositive();
        assertThat(cli.ok("gc").out()).startsWith("examined ");
        assertThat(cli.json("verify").get("ok").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("datasets: a directory and a binary file are stored byte for byte, without rows or schema")
    void directoryAndBinaryDatasets() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Files.writeString(images.resolve("a.png"), "png-a");
        Files.createDirectories(images.resolve("sub"));
        Files.writeString(images.resolve("sub/b.png"), "png-b");
        JsonNode dir = cli.json("datasets", "register", "images", "--file", images.toString(), "--source-uri", "s3://bucket/x");
        assertThat(dir.get("format").asText()).isEqualTo("binary");
        assertThat(dir.get("files").findValuesAsText("path")).containsExactly("a.png", "sub/b.png");
        assertThat(dir.get("row_count").isNull()).isTrue();
        assertThat(dir.get("source_uri").asText()).isEqualTo("s3://bucket/x");
        JsonNode bin = cli.json("datasets", "register", "weather", "--file", csv.toString(), "--format", "binary");
        assertThat(bin.get("format").asText()).isEqualTo("binary");
        assertThat(bin.get("schema").isNull()).isTrue();
        assertThat(cli.run("datasets", "register", "weather", "--file", csv.toString(), "--format", "parquet").exitCode())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("--json and --store may come before or after the subcommand")
    void optionsAnywhere() {
        cli.ok("register", "rain", "--artifact", modelFile.toString());
        CliRunner bare = new CliRunner(null);
        JsonNode before = bare.ok("--json", "--store", store.toString(), "models", "list").json();
        JsonNode after = bare.ok("models", "list", "--store", store.toString(), "--json").json();
        assertThat(before).isEqualTo(after);
        assertThat(before.get("models").get(0).get("name").asText()).isEqualTo("rain");
        assertThat(bare.ok("help", "register").out()).startsWith("Usage: mlops register");
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
