package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.StorageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@link Errors} prints: one line per failure, and no database URL's secret, stack traces included. */
class ErrorsTest {
    private static final String SECRET = "pw-Zq81-errors";
    private static final String URL = "jdbc:postgresql://ci:" + SECRET + "@db:5432/mlops?password=" + SECRET
            + "&sslmode=require";
    private static final String SHOWN = "jdbc:postgresql://***@db:5432/mlops?password=***&sslmode=require";

    @Test
    @DisplayName("a URL inside any failure's message, expected or not, is shown redacted")
    void messagesRedactUrls() {
        assertThat(Errors.message(new StorageException("cannot open the store '" + URL + "': refused")))
                .isEqualTo("cannot open the store '" + SHOWN + "': refused");
        assertThat(Errors.message(new IllegalStateException("URL invalid " + URL)))
                .isEqualTo("unexpected IllegalStateException: URL invalid " + SHOWN + " (run with --debug for details)");
        assertThat(Errors.message(new BadInputException("store\n" + URL))).isEqualTo("store " + SHOWN);
    }

    @Test
    @DisplayName("a --debug stack trace redacts the URLs in every cause's message")
    void stackTraces() {
        RuntimeException e = new StorageException("failed: " + URL);
        e.initCause(new IllegalArgumentException("URL invalid " + URL));
        e.addSuppressed(new IllegalStateException("'" + URL + "'"));
        StringWriter out = new StringWriter();
        Errors.printStackTrace(e, new PrintWriter(out, true));
        assertThat(out.toString()).contains("Caused by: java.lang.IllegalArgumentException: URL invalid " + SHOWN)
                .contains("Suppressed: java.lang.IllegalStateException: '" + SHOWN + "'").contains("\tat ")
                .doesNotContain(SECRET);
    }
}
