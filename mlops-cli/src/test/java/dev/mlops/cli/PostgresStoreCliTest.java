package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a PostgreSQL store: a throw-away server on loopback (one per test JVM, shared
 * with nothing else here), a role that logs in with a password, and the URL on the command line
 * with the credentials in the environment, as a CI job or an operator would run it.
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("mlops --store jdbc:postgresql://...")
class PostgresStoreCliTest {
    /** Distinctive, so that finding it anywhere in the output is a real leak. */
    private static final String PASSWORD = "pw-Kq7vX2-mlops";
    private static final String WRONG_PASSWORD = "wrong-Zr4pQ9-mlops";

    private static PostgresCluster cluster;
    private static String role;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
        role = cluster.newRole(PASSWORD);
    }

    private static Map<String, String> credentials() {
        return Map.of(StoreLocation.USER_ENV, role, StoreLocation.PASSWORD_ENV, PASSWORD);
    }

    @Test
    @DisplayName("a whole workflow runs on PostgreSQL: datasets, versions, aliases, lineage, verify, audit, gc")
    void workflow() throws IOException, SQLException {
        String schema = cluster.newSchema(role);
        String url = cluster.url(schema);
        CliRunner cli = CliRunner.at(url, credentials());
        Path weather = WeatherYears.writeTo(tmp).y2012();
        Path model = Files.writeString(tmp.resolve("model.onnx"), "weights v1");
        Path modelDir = Files.createDirectories(tmp.resolve("model2"));
        Files.writeString(modelDir.resolve("weights.bin"), "weights v2");
        Files.writeString(modelDir.resolve("config.json"), "{\"layers\":2}");

        JsonNode dataset = cli.json("datasets", "register", "weather", "--file", weather.toString(), "--tag", "source=noaa");
        assertThat(dataset.get("version").asInt()).isEqualTo(1);
        assertThat(dataset.get("created").asBoolean()).isTrue();
        assertThat(dataset.get("row_count").asLong()).isEqualTo(366);
        assertThat(dataset.get("content_sha256").asText()).isEqualTo(sha256(Files.readAllBytes(weather)));

        JsonNode v1 = cli.json("register", "rain", "--artifact", model.toString(), "--format", "onnx",
                "--metric", "auc=0.91", "--dataset", "weather/1", "--code-ref", "3f2a9c1");
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(cli.ok("register", "rain", "--artifact", modelDir.toString(), "--metric", "auc=0.93",
                "--dataset", "weather/1", "--retrained-from", "1").out()).startsWith("registered rain/2").contains("2 files");
        assertThat(cli.ok("alias", "set", "rain/1", "--alias", "production").out()).isEqualTo("rain@production -> 1 (was unset)\n");

        JsonNode versions = cli.json("versions", "list", "rain");
        assertThat(versions.get("versions").findValuesAsText("version")).containsExactly("1", "2");
        assertThat(versions.get("versions").get(0).get("artifact_sha256").asText()).isEqualTo(sha256("weights v1"));
        assertThat(cli.json("versions", "list", "rain", "--alias", "production").get("versions")
                .findValuesAsText("version")).containsExactly("1");

        JsonNode lineage = cli.json("lineage", "rain/2");
        assertThat(lineage.get("retrained_from").asText()).isEqualTo("rain/1");
        assertThat(lineage.get("datasets").get(0).get("ref").asText()).isEqualTo("weather/1");
        assertThat(lineage.get("datasets").get(0).get("content_sha256").asText())
                .isEqualTo(dataset.get("content_sha256").asText());
        assertThat(cli.ok("lineage", "--users-of", "weather/1").out()).contains("rain/1").contains("rain/2");

        // another machine: the store from $MLOPS_STORE, someone else acting
        Map<String, String> env = new HashMap<>(credentials());
        env.put(MlopsCommand.STORE_ENV, url);
        env.put(MlopsCommand.ACTOR_ENV, "ci-bot");
        CliRunner other = new CliRunner(null, env);
        assertThat(other.ok("alias", "set", "rain/2", "--alias", "production").out()).isEqualTo("rain@production -> 2 (was 1)\n");
        assertThat(cli.json("models", "show", "rain").get("aliases").get("production").asInt()).isEqualTo(2);

        // a blob nothing references, as a registration interrupted before its version was written leaves
        try (Store store = Stores.open("postgres", Map.of("url", url, "user", role, "password", PASSWORD))) {
            store.putBlob(new ByteArrayInputStream("left behind".getBytes(StandardCharsets.UTF_8)));
        }

        assertThat(cli.ok("verify").out()).isEqualTo("ok: no problems found\n");
        JsonNode chain = cli.json("audit", "--verify");
        assertThat(chain.get("ok").asBoolean()).isTrue();
        JsonNode audit = cli.json("audit");
        assertThat(audit.get("entries").findValuesAsText("action"))
                .contains("dataset.register", "version.register", "alias.set");
        assertThat(audit.get("entries").findValuesAsText("actor")).contains("ci-bot");
        assertThat(chain.get("entries_checked").asLong()).isEqualTo(audit.get("total").asLong());
        assertThat(rows(schema, "mlops_journal")).as("the schema's journal is the CLI's audit trail")
                .isEqualTo(audit.get("total").asLong());

        // a service's account that may only read: every read command works, a write is refused
        String reader = cluster.newRole(PASSWORD);
        execute("GRANT USAGE ON SCHEMA " + schema + " TO " + reader);
        execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + reader);
        CliRunner readOnly = CliRunner.at(url, Map.of(StoreLocation.USER_ENV, reader, StoreLocation.PASSWORD_ENV, PASSWORD));
        assertThat(readOnly.json("versions", "show", "rain@production").get("version").asInt()).isEqualTo(2);
        assertThat(readOnly.json("lineage", "rain/1").get("code_ref").asText()).isEqualTo("3f2a9c1");
        assertThat(readOnly.json("verify").get("ok").asBoolean()).isTrue();
        assertThat(readOnly.json("audit", "--verify").get("ok").asBoolean()).isTrue();
        CliRunner.Result refused = readOnly.run("alias", "set", "rain/1", "--alias", "production");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("permission denied").doesNotContain(PASSWORD);

        JsonNode gc = cli.json("gc", "--grace", "0");
        assertThat(gc.get("blobs_deleted").asLong()).isEqualTo(1);
        assertThat(gc.get("bytes_freed").asLong()).isEqualTo("left behind".length());
        assertThat(cli.json("gc", "--grace", "0").get("blobs_deleted").asLong()).isZero();
        assertThat(cli.json("verify").get("ok").asBoolean()).isTrue();
        assertThat(rows(schema, "mlops_blob")).as("blobs left after gc").isEqualTo(gc.get("blobs_examined").asLong() - 1);
    }

    @Test
    @DisplayName("a read command on a schema without a store exits 2 and creates nothing; 'datasets register' creates it")
    void readCommandsDoNotCreate() throws IOException, SQLException {
        String schema = cluster.newSchema(role);
        CliRunner cli = CliRunner.at(cluster.url(schema), credentials());
        CliRunner.Result r = cli.run("models", "list");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("'" + cluster.url(schema) + "'").contains("holds no mlops store")
                .contains("'register' or 'datasets register' creates the store");
        assertThat(tables(schema)).isZero();

        Path csv = Files.writeString(tmp.resolve("t.csv"), "a,b\n1,2\n");
        assertThat(cli.ok("datasets", "register", "t", "--file", csv.toString()).out()).startsWith("registered t/1");
        assertThat(tables(schema)).isPositive();
        assertThat(cli.json("datasets", "list").get("datasets").findValuesAsText("name")).containsExactly("t");
    }

    @Test
    @DisplayName("wrong credentials, an unknown database or schema, no server: exit 2 or 1, naming the URL, never the password")
    void refusals() throws IOException, SQLException {
        String schema = cluster.newSchema(role);
        String url = cluster.url(schema);
        Map<String, String> wrong = Map.of(StoreLocation.USER_ENV, role, StoreLocation.PASSWORD_ENV, WRONG_PASSWORD);
        String unknownDatabase = cluster.url("no_such_db", Optional.empty());
        String unknownSchema = cluster.url("no_such_schema");
        String noServer = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/mlops?connectTimeout=10";

        expect(CliRunner.at(url, wrong).run("models", "list"), 2, url, "password authentication failed",
                StoreLocation.PASSWORD_ENV);
        expect(CliRunner.at(url, Map.of(StoreLocation.USER_ENV, role)).run("models", "list"), 2, url,
                "no password was provided", StoreLocation.PASSWORD_ENV);
        expect(CliRunner.at(url, Map.of(StoreLocation.USER_ENV, "no_such_role", StoreLocation.PASSWORD_ENV, PASSWORD))
                .run("models", "list"), 2, url, "password authentication failed for user \"no_such_role\"");
        expect(CliRunner.at(unknownDatabase, credentials()).run("models", "list"), 2, unknownDatabase,
                "database \"no_such_db\" does not exist");
        Path csv = Files.writeString(tmp.resolve("t.csv"), "a,b\n1,2\n");
        expect(CliRunner.at(unknownSchema, credentials()).run("datasets", "register", "t", "--file", csv.toString()),
                2, unknownSchema, "no existing schema", "currentSchema");
        expect(CliRunner.at(noServer, credentials()).run("models", "list"), 1, noServer, "refused");
        String foreign = cluster.newSchema(); // owned by the superuser: the role may not even see it
        String foreignUrl = cluster.url(foreign);
        String[] register = {"datasets", "register", "t", "--file", csv.toString()};
        expect(CliRunner.at(foreignUrl, credentials()).run(register), 2, foreignUrl, "no existing schema that the user may use");
        execute("GRANT USAGE ON SCHEMA " + foreign + " TO " + role);
        expect(CliRunner.at(foreignUrl, credentials()).run(register), 1, foreignUrl, "permission denied for schema " + foreign,
                "needs CREATE on the schema");
        expect(CliRunner.at(url + "&password=" + PASSWORD, Map.of(StoreLocation.USER_ENV, role)).run("models", "list"),
                2, "holds a password", StoreLocation.PASSWORD_ENV);

        // stack traces name no password either
        CliRunner.Result debug = CliRunner.at(url, wrong).run("--debug", "register", "rain", "--artifact", csv.toString());
        assertThat(debug.exitCode()).isEqualTo(2);
        assertThat(debug.err()).contains("PSQLException").doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD);
        assertThat(tables(schema) + tables(foreign)).as("tables created by the refused commands").isZero();
    }

    @Test
    @DisplayName("the password also in an unknown URL parameter: commands work, and neither their output, the audit"
            + " trail, an error nor a --debug trace shows it")
    void secretInAnUnknownParameter() throws IOException {
        String schema = cluster.newSchema(role);
        String url = cluster.url(schema) + "&appSecret=" + PASSWORD + "&ApplicationName=ci";
        String shown = cluster.url(schema) + "&appSecret=***&ApplicationName=ci";
        CliRunner cli = CliRunner.at(url, credentials());
        Path model = Files.writeString(tmp.resolve("model.bin"), "weights");
        List<CliRunner.Result> results = new java.util.ArrayList<>();
        results.add(cli.ok("register", "rain", "--artifact", model.toString()));
        try (Store store = Stores.open("postgres", Map.of("url", url, "user", role, "password", PASSWORD))) {
            assertThat(store.describe()).doesNotContain(PASSWORD);
            store.putBlob(new ByteArrayInputStream("unreferenced".getBytes(StandardCharsets.UTF_8)));
        }
        results.add(cli.ok("gc", "--grace", "0"));
        results.add(cli.ok("verify"));
        results.add(cli.ok("--json", "audit"));
        results.add(cli.ok("versions", "list", "rain"));
        Map<String, String> wrong = Map.of(StoreLocation.USER_ENV, role, StoreLocation.PASSWORD_ENV, WRONG_PASSWORD);
        CliRunner.Result refused = CliRunner.at(url, wrong).run("models", "list");
        expect(refused, 2, "password authentication failed");
        assertThat(refused.err()).contains("'" + shown + "'");
        results.add(refused);
        results.add(CliRunner.at(url, wrong).run("--debug", "models", "list"));
        assertThat(results).allSatisfy(r -> {
            assertThat(r.out()).as("stdout of %s", r.args()).doesNotContain(PASSWORD);
            assertThat(r.err()).as("stderr of %s", r.args()).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
        });
        assertThat(results.get(3).out()).as("gc is audited with the store's description").contains("store.gc");
    }

    private static void expect(CliRunner.Result r, int exitCode, String... inStderr) {
        assertThat(r.exitCode()).as("exit code of %s: %s", r.args(), r.err()).isEqualTo(exitCode);
        assertThat(r.out()).as("stdout of %s", r.args()).isEmpty();
        assertThat(r.err()).as("stderr of %s", r.args()).startsWith("mlops: ").endsWith("\n").hasLineCount(1);
        for (String part : inStderr) {
            assertThat(r.err()).as("stderr of %s", r.args()).contains(part.startsWith("jdbc:") ? "'" + part + "'" : part);
        }
        assertThat(r.err()).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
    }

    @Test
    @DisplayName("without MLOPS_STORE_PASSWORD the password comes from the file PGPASSFILE names (a real process)")
    void passwordFile() throws IOException, InterruptedException {
        String schema = cluster.newSchema(role);
        String url = cluster.url(schema);
        Path csv = Files.writeString(tmp.resolve("t.csv"), "a,b\n1,2\n");
        CliRunner.at(url, credentials()).ok("datasets", "register", "t", "--file", csv.toString());
        Path pgpass = Files.writeString(tmp.resolve("pgpass"), "127.0.0.1:" + cluster.port() + ":"
                + PostgresCluster.DATABASE + ":" + role + ":" + PASSWORD + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MlopsCommand.class.getName(), "--json", "datasets", "list")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        Map<String, String> env = pb.environment();
        env.remove(StoreLocation.PASSWORD_ENV);
        env.put(MlopsCommand.STORE_ENV, url);
        env.put(StoreLocation.USER_ENV, role);
        env.put("PGPASSFILE", pgpass.toString());
        env.put("HOME", tmp.toString());
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the CLI process ended").isTrue();
        String err = Files.readString(tmp.resolve("err"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).isEmpty();
        assertThat(new CliRunner.Result(List.of(), 0, Files.readString(tmp.resolve("out")), err).json()
                .get("datasets").findValuesAsText("name")).containsExactly("t");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void execute(String sql) {
        try (Connection c = cluster.connect(PostgresCluster.DATABASE); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rows(String schema, String table) throws SQLException {
        return count("SELECT count(*) FROM " + schema + "." + table);
    }

    private static long tables(String schema) {
        try {
            return count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = cluster.connect(PostgresCluster.DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
