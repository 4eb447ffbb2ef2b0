package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which parts of a URL {@link JdbcUrls} shows, for every shape a user may type. */
class JdbcUrlsTest {
    private static final String SECRET = "SeCrEt";

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # without secrets: shown as given
            jdbc:postgresql://db:5432/mlops                         | jdbc:postgresql://db:5432/mlops
            jdbc:postgresql://db/mlops?currentSchema=reg&sslmode=require&ApplicationName=ci&connectTimeout=10&socketTimeout=30&loginTimeout=5&ssl=true&targetServerType=primary | jdbc:postgresql://db/mlops?currentSchema=reg&sslmode=require&ApplicationName=ci&connectTimeout=10&socketTimeout=30&loginTimeout=5&ssl=true&targetServerType=primary
            jdbc:postgresql://h1:5432,h2:5433/mlops                 | jdbc:postgresql://h1:5432,h2:5433/mlops
            jdbc:postgresql://[::1]:5432/mlops                      | jdbc:postgresql://[::1]:5432/mlops
            jdbc:postgresql://[fe80::1%25eth0]:5432,[::1]/mlops     | jdbc:postgresql://[fe80::1%25eth0]:5432,[::1]/mlops
            jdbc:postgresql:mlops                                   | jdbc:postgresql:mlops
            jdbc:postgresql:///mlops                                | jdbc:postgresql:///mlops
            jdbc:postgresql://db/mlops?ssl                          | jdbc:postgresql://db/mlops?ssl
            # user information: hidden whole
            jdbc:postgresql://ci@db:5432/mlops                      | jdbc:postgresql://***@db:5432/mlops
            jdbc:postgresql://ci:SeCrEt@db:5432/mlops               | jdbc:postgresql://***@db:5432/mlops
            jdbc:postgresql://ci%40corp:Se%2FCr%40Et@db/mlops       | jdbc:postgresql://***@db/mlops
            jdbc:postgresql://ci:Se@Cr@Et@db/mlops                  | jdbc:postgresql://***@db/mlops
            jdbc:postgresql://ci:SeCrEt@h1:5432,h2:5433/mlops?targetServerType=primary | jdbc:postgresql://***@h1:5432,h2:5433/mlops?targetServerType=primary
            jdbc:postgresql://ci:SeCrEt@[::1]:5432/mlops            | jdbc:postgresql://***@[::1]:5432/mlops
            jdbc:postgresql://ci:SeCrEt@db                          | jdbc:postgresql://***@db
            postgresql://ci:SeCrEt@db:5432/mlops                    | postgresql://***@db:5432/mlops
            jdbc:mysql://ci:SeCrEt@db/mlops?useSSL=true             | jdbc:mysql://***@db/mlops?useSSL=***
            # query values: shown only for the known-safe names
            jdbc:postgresql://db/mlops?foo=SeCrEt&currentSchema=r   | jdbc:postgresql://db/mlops?foo=***&currentSchema=r
            jdbc:postgresql://db/mlops?user=ci&password=SeCrEt      | jdbc:postgresql://db/mlops?user=***&password=***
            jdbc:postgresql://db/mlops?PASSWORD=SeCrEt              | jdbc:postgresql://db/mlops?PASSWORD=***
            jdbc:postgresql://db/mlops?sslpassword=SeCrEt&sslmode=verify-full | jdbc:postgresql://db/mlops?sslpassword=***&sslmode=verify-full
            jdbc:postgresql://db/mlops?password=&sslmode=disable    | jdbc:postgresql://db/mlops?password=***&sslmode=disable
            jdbc:postgresql://db/mlops?options=-c%20x%3DSeCrEt      | jdbc:postgresql://db/mlops?options=***
            jdbc:postgresql://db/mlops?&&password=SeCrEt&           | jdbc:postgresql://db/mlops?&&password=***&
            jdbc:postgresql://db/mlops?password=Se=Cr=Et            | jdbc:postgresql://db/mlops?password=***
            # fragments: hidden
            jdbc:postgresql://db/mlops#SeCrEt                       | jdbc:postgresql://db/mlops#***
            jdbc:postgresql://db/mlops?sslmode=require#SeCrEt       | jdbc:postgresql://db/mlops?sslmode=require#***
            # malformed: what cannot be told apart is hidden
            jdbc:postgresql://ci:SeCrEt/mlops                       | jdbc:postgresql://***
            jdbc:postgresql://ci:Se/Cr/mlops                        | jdbc:postgresql://***
            jdbc:postgresql://db:SeCrEt/mlops                       | jdbc:postgresql://***
            jdbc:postgresql://ci:Se/Cr@Et@db/mlops                  | jdbc:postgresql://***
            jdbc:postgresql://ci/x:SeCrEt@db/mlops                  | jdbc:postgresql://***
            jdbc:postgresql://ci:Se?Cr@db/mlops                     | jdbc:postgresql://***?***
            jdbc:postgresql://ci:Se?sslmode=Cr@db/mlops             | jdbc:postgresql://***?sslmode=***
            jdbc:postgresql://ci:Se#Cr@db/mlops                     | jdbc:postgresql://***#***
            jdbc:postgresql:ci:SeCrEt@mlops                         | jdbc:postgresql:***
            jdbc:postgresql://db/mlops?SeCrEt                       | jdbc:postgresql://db/mlops?***
            jdbc:postgresql://db/mlops?Se%20Cr=x                    | jdbc:postgresql://db/mlops?***=***
            jdbc:postgresql://db/mlops?sslmode=Se@Cr                | jdbc:postgresql://***?sslmode=***
            jdbc:postgresql://ci:123?x=Se@db/mlops                  | jdbc:postgresql://***?x=***
            jdbc:postgresql://SeCrEt?@[::1]/mlops                   | jdbc:postgresql://***?***
            jdbc:postgresql://db/mlops?user=me@example.com          | jdbc:postgresql://***?user=***
            SeCrEt                                                  | ***
            ci:SeCrEt@db                                            | ci:***
            "                                                       " | ***
            """)
    @DisplayName("each URL shape is shown with its secrets hidden")
    void shapes(String url, String expected) {
        assertThat(JdbcUrls.redact(url)).isEqualTo(expected);
        assertThat(JdbcUrls.redact(expected)).as("redacting again changes nothing").isEqualTo(expected);
    }

    @Test
    @DisplayName("a secret given in every place at once appears nowhere; null is a placeholder")
    void everywhereAtOnce() {
        String url = "jdbc:postgresql://" + SECRET + ":" + SECRET + "@h1,h2:5433/mlops?password=" + SECRET
                + "&sslpassword=" + SECRET + "&x=" + SECRET + "&" + SECRET + "#" + SECRET;
        assertThat(JdbcUrls.redact(url)).isEqualTo("jdbc:postgresql://***@h1,h2:5433/mlops?password=***"
                + "&sslpassword=***&x=***&***#***").doesNotContain(SECRET);
        assertThat(JdbcUrls.redact(null)).isEqualTo("(no URL)");
    }

    @Test
    @DisplayName("quoted: redacted, whole however long, with quotes and control characters escaped")
    void quoted() {
        String longUrl = "jdbc:postgresql://db.example.internal:5432/registry_database?currentSchema=registry_schema"
                + "&ApplicationName=nightly-training&password=" + SECRET;
        assertThat(JdbcUrls.quoted(longUrl)).isEqualTo("'jdbc:postgresql://db.example.internal:5432/registry_database"
                + "?currentSchema=registry_schema&ApplicationName=nightly-training&password=***'");
        assertThat(JdbcUrls.quoted("jdbc:postgresql://db/it's\nme")).isEqualTo("'jdbc:postgresql://db/it\\u0027s\\u000ame'");
    }

    @Test
    @DisplayName("URLs inside a text are redacted, the rest of the text is kept")
    void withinText() {
        String trace = "java.lang.IllegalArgumentException: URL invalid jdbc:postgresql://ci:" + SECRET + "@db/x\n"
                + "\tat org.postgresql.ds.common.BaseDataSource.setUrl(BaseDataSource.java:1)\n"
                + "store 'jdbc:postgresql://db/x?password=" + SECRET + "&sslmode=require' and \"postgres://u:" + SECRET
                + "@h/d\" (postgresql://h/d)";
        assertThat(JdbcUrls.redactWithin(trace)).isEqualTo(
                "java.lang.IllegalArgumentException: URL invalid jdbc:postgresql://***@db/x\n"
                        + "\tat org.postgresql.ds.common.BaseDataSource.setUrl(BaseDataSource.java:1)\n"
                        + "store 'jdbc:postgresql://db/x?password=***&sslmode=require' and \"postgres://***@h/d\""
                        + " (postgresql://h/d)");
        assertThat(JdbcUrls.redactWithin("no URL here: postgres is a database")).isEqualTo("no URL here: postgres is a database");
        String message = "cannot open the store 'jdbc:postgresql://127.0.0.1:5432/db?currentSchema=x&sslmode=require':"
                + " database \"db\" does not exist (postgres://h/db schema x)";
        assertThat(JdbcUrls.redactWithin(message)).as("a message whose URLs hold no secret is left as it is")
                .isEqualTo(message);
        assertThat(JdbcUrls.redactWithin("store 'jdbc:postgresql://ci:Se'cr\"et@db/x' failed"))
                .as("a quote in the password does not end the URL").isEqualTo("store 'jdbc:postgresql://***@db/x' failed");
        assertThat(JdbcUrls.redactWithin(null)).isNull();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:postgresql://ci:SeCrEt@db/mlops              | the user:password@ part
            jdbc:postgresql://ci:Se/Cr@db/mlops               | the user:password@ part
            jdbc:postgresql://db/mlops?user=ci&password=x     | parameter 'password'
            jdbc:postgresql://db/mlops?SSLPassword=x          | parameter 'SSLPassword'
            """)
    @DisplayName("passwordIn says where a URL holds a password, naming no part of it")
    void passwordIn(String url, String where) {
        assertThat(JdbcUrls.passwordIn(url)).contains(where);
    }

    @Test
    @DisplayName("a URL without a password has none: a user alone, or the safe parameters")
    void noPassword() {
        assertThat(JdbcUrls.passwordIn("jdbc:postgresql://ci@db/mlops")).isEmpty();
        assertThat(JdbcUrls.passwordIn("jdbc:postgresql://db/mlops?user=ci&sslmode=require")).isEmpty();
        assertThat(JdbcUrls.passwordIn("not a url")).isEmpty();
    }

    @Test
    @DisplayName("what the driver must not be given is found before it is: user information, unreadable hosts,"
            + " a fragment")
    void unreadableByDriver() {
        assertThat(JdbcUrls.unreadableByDriver("jdbc:postgresql://ci:" + SECRET + "@db/mlops"))
                .hasValueSatisfying(m -> assertThat(m).contains("user:password@").doesNotContain(SECRET));
        assertThat(JdbcUrls.unreadableByDriver("jdbc:postgresql://ci@db/mlops"))
                .hasValueSatisfying(m -> assertThat(m).contains("user@"));
        assertThat(JdbcUrls.unreadableByDriver("jdbc:postgresql://db:" + SECRET + "/mlops"))
                .hasValueSatisfying(m -> assertThat(m).contains("HOST[:PORT]").doesNotContain(SECRET));
        assertThat(JdbcUrls.unreadableByDriver("jdbc:postgresql://db/mlops#" + SECRET))
                .hasValueSatisfying(m -> assertThat(m).contains("#fragment").doesNotContain(SECRET));
        assertThat(JdbcUrls.unreadableByDriver("jdbc:postgresql://h1:1,[::1]:2/mlops?password=x")).isEmpty();
        assertThat(JdbcUrls.unreadableByDriver("jdbc:postgresql:mlops")).isEmpty();
    }

    @Property(tries = 2000)
    @Label("a password of any characters never shows, wherever in the URL it is put")
    void anyPasswordAnywhere(@ForAll("secrets") String secret, @ForAll @IntRange(min = 0, max = 5) int place) {
        String url = switch (place) {
            case 0 -> "jdbc:postgresql://ci:" + secret + "@db1:5432,db2/mlops?currentSchema=reg";
            case 1 -> "jdbc:postgresql://" + secret + "@[::1]/mlops";
            case 2 -> "jdbc:postgresql://db/mlops?sslmode=require&password=" + secret;
            case 3 -> "jdbc:postgresql://db/mlops?foo=" + secret + "&ApplicationName=ci";
            case 4 -> "jdbc:postgresql://db/mlops#" + secret;
            default -> "jdbc:postgresql://ci:" + secret + "@db/mlops?password=" + secret + "#" + secret;
        };
        String shown = JdbcUrls.redact(url);
        assertThat(shown).doesNotContain(secret);
        assertThat(JdbcUrls.redact(shown)).isEqualTo(shown);
        assertThat(JdbcUrls.redactWithin("failed: '" + url + "'")).doesNotContain(secret);
    }

    /** Passwords of 8 to 24 characters, letters with every character that means something in a URL. */
    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().withChars("SeCrEtXyZqk0123@/?#:&=%[],;+$!~*'()").ofMinLength(8).ofMaxLength(24)
                .filter(s -> s.chars().filter(Character::isLetter).count() >= 3);
    }

    @Test
    @DisplayName("the known-safe list holds no parameter that carries a credential")
    void safeList() {
        assertThat(JdbcUrls.SHOWN_PARAMETERS).doesNotContain("password", "sslpassword", "user", "options", "sslkey",
                "sslcert", "sslrootcert", "jaasapplicationname", "service");
        assertThat(JdbcUrls.SHOWN_PARAMETERS).allSatisfy(p -> assertThat(p).isLowerCase());
        assertThat(Optional.of(JdbcUrls.HIDDEN)).contains("***");
    }
}
