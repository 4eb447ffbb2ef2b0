package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code --store} tells a directory from a database, and which URLs it refuses before connecting. */
class StoreLocationTest {
    private static final String SECRET = "Tr0ub4dor-3";

    @Test
    @DisplayName("a value starting with 'jdbc:' is a URL; anything else, ./jdbc:... included, is a directory")
    void directoryOrUrl() {
        assertThat(StoreLocation.parse("jdbc:postgresql://db:5432/mlops?currentSchema=registry"))
                .isEqualTo(new StoreLocation.Database("jdbc:postgresql://db:5432/mlops?currentSchema=registry"));
        assertThat(StoreLocation.parse("./jdbc:postgresql:x")).isEqualTo(new StoreLocation.Directory(Path.of("./jdbc:postgresql:x")));
        assertThat(StoreLocation.parse("/var/lib/mlops")).isEqualTo(new StoreLocation.Directory(Path.of("/var/lib/mlops")));
        assertThat(StoreLocation.parse("registry")).isEqualTo(new StoreLocation.Directory(Path.of("registry")));
    }

    @Test
    @DisplayName("a JDBC URL of another database is bad input that says how to name such a directory")
    void otherDatabase() {
        assertThatThrownBy(() -> StoreLocation.parse("jdbc:mysql://db/mlops")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'jdbc:mysql://db/mlops'").hasMessageContaining("jdbc:postgresql://")
                .hasMessageContaining("./jdbc:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "PASSWORD", "sslpassword"})
    @DisplayName("a URL holding a password is refused, and the message does not repeat it")
    void passwordInUrl(String parameter) {
        String url = "jdbc:postgresql://db:5432/mlops?user=ci&" + parameter + "=" + SECRET + "&currentSchema=r";
        assertThatThrownBy(() -> StoreLocation.parse(url)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'" + parameter + "'").hasMessageContaining(StoreLocation.PASSWORD_ENV)
                .hasMessageContaining("~/.pgpass").hasMessageNotContaining(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "postgres"})
    @DisplayName("a libpq URI, as MLflow takes it, is refused with the JDBC form, and its password is not repeated")
    void libpqUri(String scheme) {
        assertThatThrownBy(() -> StoreLocation.parse(scheme + "://ci:" + SECRET + "@db:5432/mlops"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("jdbc:postgresql://HOST:PORT/DATABASE")
                .hasMessageContaining(StoreLocation.USER_ENV).hasMessageContaining("./" + scheme + ":")
                .hasMessageNotContaining(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://ci:" + SECRET + "@db:5432/mlops",
        "jdbc:postgresql://ci%40corp:" + SECRET + "%2F%40x@db/mlops",
        "jdbc:postgresql://ci:" + SECRET + "@x@db/mlops",
        "jdbc:postgresql://ci:" + SECRET + "@h1:5432,h2:5433/mlops?currentSchema=r",
        "jdbc:postgresql://ci:" + SECRET + "@[::1]:5432/mlops",
        "jdbc:postgresql://ci:Se/" + SECRET + "@db/mlops"})
    @DisplayName("a URL with a user:password@ part is refused, and the message does not repeat it")
    void userInformationWithPassword(String url) {
        assertThatThrownBy(() -> StoreLocation.parse(url)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("user:password@").hasMessageContaining(StoreLocation.PASSWORD_ENV)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    @DisplayName("a URL with a user@ part, a fragment or unreadable hosts is refused, showing the URL redacted")
    void unreadableUrls() {
        assertThatThrownBy(() -> StoreLocation.parse("jdbc:postgresql://" + SECRET + "@db:5432/mlops"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'jdbc:postgresql://***@db:5432/mlops'")
                .hasMessageContaining("user@ part").hasMessageContaining(StoreLocation.USER_ENV)
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> StoreLocation.parse("jdbc:postgresql://db/mlops#" + SECRET))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'jdbc:postgresql://db/mlops#***'")
                .hasMessageContaining("#fragment").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> StoreLocation.parse("jdbc:postgresql://db:" + SECRET + "/mlops"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'jdbc:postgresql://***'")
                .hasMessageContaining("HOST[:PORT]").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> StoreLocation.parse("jdbc:mysql://ci:" + SECRET + "@db/mlops"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'jdbc:mysql://***@db/mlops'")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    @DisplayName("a database location's string form hides what its messages hide")
    void recordStringForm() {
        StoreLocation db = StoreLocation.parse("jdbc:postgresql://db/mlops?currentSchema=r&foo=" + SECRET);
        assertThat(db.toString()).contains("jdbc:postgresql://db/mlops?currentSchema=r&foo=***").doesNotContain(SECRET);
    }

    /** Store URLs holding the secret, each in another place; {@code CLOSED} is a port nothing listens on. */
    static Stream<String> secretUrls() {
        return Stream.of(
                "jdbc:postgresql://ci:" + SECRET + "@127.0.0.1:CLOSED/mlops",
                "jdbc:postgresql://" + SECRET + "@127.0.0.1:CLOSED/mlops",
                "jdbc:postgresql://ci%40corp:" + SECRET + "%2F%40x@127.0.0.1:CLOSED/mlops",
                "jdbc:postgresql://ci:" + SECRET + "@x@127.0.0.1:CLOSED/mlops",
                "jdbc:postgresql://ci:" + SECRET + "@127.0.0.1:CLOSED,127.0.0.1:CLOSED/mlops",
                "jdbc:postgresql://ci:" + SECRET + "@[::1]:CLOSED/mlops",
                "jdbc:postgresql://127.0.0.1:CLOSED/mlops?currentSchema=r&password=" + SECRET,
                "jdbc:postgresql://127.0.0.1:CLOSED/mlops?sslpassword=" + SECRET,
                "jdbc:postgresql://127.0.0.1:CLOSED/mlops?PassWord=" + SECRET,
                "jdbc:postgresql://127.0.0.1:CLOSED/mlops?foo=" + SECRET + "&connectTimeout=5",
                "jdbc:postgresql://127.0.0.1:CLOSED/mlops?" + SECRET + "&connectTimeout=5",
                "jdbc:postgresql://127.0.0.1:CLOSED/mlops#" + SECRET,
                "jdbc:postgresql://127.0.0.1:" + SECRET + "/mlops",
                "jdbc:postgresql://ci:Se/" + SECRET + "@127.0.0.1:CLOSED/mlops",
                "jdbc:postgresql:" + SECRET + "@mlops",
                "jdbc:mysql://ci:" + SECRET + "@127.0.0.1:CLOSED/mlops",
                "jdbc:postgresql://" + SECRET + ":" + SECRET + "@127.0.0.1:CLOSED/mlops?password=" + SECRET + "&x="
                        + SECRET + "#" + SECRET);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("secretUrls")
    @DisplayName("the CLI's output never shows the secret of a store URL, with --debug neither")
    void cliNeverShowsTheSecret(String template) throws IOException {
        String url = template.replace("CLOSED", Integer.toString(closedPort()));
        for (String[] args : List.of(new String[] {"models", "list"}, new String[] {"--debug", "models", "list"},
                new String[] {"register", "rain", "--artifact", "/no/such/file"})) {
            CliRunner.Result r = CliRunner.at(url, Map.of()).run(args);
            assertThat(r.exitCode()).as("exit code of %s: %s", r.args(), r.err()).isIn(1, 2);
            assertThat(r.err()).as("stderr of %s", r.args()).startsWith("mlops: ").doesNotContain(SECRET);
            assertThat(r.out()).as("stdout of %s", r.args()).doesNotContain(SECRET);
        }
    }

    @Test
    @DisplayName("a URL that picocli repeats in its own error (an unexpected argument) is redacted there too")
    void parameterErrors() {
        String url = "jdbc:postgresql://ci:" + SECRET + "@db/mlops?password=" + SECRET;
        for (String[] args : List.of(new String[] {"models", "list", url}, new String[] {"--stor", url, "models", "list"},
                new String[] {"--debug", "models", "list", url})) {
            CliRunner.Result r = CliRunner.at(null, Map.of()).raw(args);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("jdbc:postgresql://***@db/mlops?password=***").doesNotContain(SECRET);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    @DisplayName("the user given both by MLOPS_STORE_USER and in the URL is bad input, found before connecting")
    void userTwice() {
        StoreLocation db = StoreLocation.parse("jdbc:postgresql://127.0.0.1:1/mlops?user=ci");
        assertThatThrownBy(() -> db.open(false, Map.of(StoreLocation.USER_ENV, "ci")))
                .isInstanceOf(BadInputException.class).hasMessageContaining(StoreLocation.USER_ENV)
                .hasMessageContaining("'user'");
    }

    @Test
    @DisplayName("a directory whose name starts with 'jdbc:' is a store directory when written ./jdbc:...")
    void directoryNamedLikeAUrl(@TempDir Path tmp) throws IOException {
        Path model = Files.writeString(tmp.resolve("model.bin"), "weights");
        Path dir = tmp.resolve("jdbc:postgresql:odd");
        // written relative to the working directory, as a user types it
        String relative = "./" + Path.of("").toAbsolutePath().relativize(dir);
        CliRunner.Result r = CliRunner.at(relative, Map.of()).run("register", "rain", "--artifact", model.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dir.resolve("FORMAT")).exists();
    }
}
