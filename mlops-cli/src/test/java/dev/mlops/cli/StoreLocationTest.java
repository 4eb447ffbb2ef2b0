package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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
