package dev.mlops.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.NotFoundException;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import dev.mlops.registry.jdbc.testing.PostgresAvailable;
import dev.mlops.registry.jdbc.testing.PostgresCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A password in a database URL appears in no exception (message, cause or suppressed), no
 * {@code describe()}, and no log line, whether this library's (slf4j, captured from stderr,
 * where the test provider slf4j-simple writes) or the driver's ({@code java.util.logging}, at
 * the level it logs by default).
 */
@ExtendWith(PostgresAvailable.class)
@DisplayName("PostgreSQL store: URL secrets in messages and logs")
class PostgresUrlRedactionTest {
    /** Distinctive, so that finding it anywhere is a real leak. */
    private static final String SECRET = "SeCrEt-9xQ";
    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.require();
    }

    /** URL shapes holding the secret, with {@code PORT} for the test server's port and {@code CLOSED} for a closed one. */
    static Stream<String> secretUrls() {
        String db = "/" + PostgresCluster.DATABASE;
        return Stream.of(
                "jdbc:postgresql://ci:" + SECRET + "@127.0.0.1:PORT" + db,
                "jdbc:postgresql://mlops@127.0.0.1:PORT" + db + "?password=" + SECRET,
                "jdbc:postgresql://ci%40corp:" + SECRET + "%2F%40x@127.0.0.1:PORT" + db,
                "jdbc:postgresql://ci:" + SECRET + "@x@127.0.0.1:PORT" + db,
                "jdbc:postgresql://ci:" + SECRET + "@127.0.0.1:PORT,127.0.0.1:CLOSED" + db,
                "jdbc:postgresql://ci:" + SECRET + "@[::1]:PORT" + db,
                "jdbc:postgresql://127.0.0.1:" + SECRET + db,
                "jdbc:postgresql://ci:Se/" + SECRET + "@127.0.0.1:PORT" + db,
                "jdbc:postgresql:" + SECRET + "@" + PostgresCluster.DATABASE,
                "jdbc:postgresql://127.0.0.1:PORT" + db + "#" + SECRET,
                "jdbc:postgresql://127.0.0.1:PORT" + db + "?sslmode=disable&options=-c%20x%3D" + SECRET + "#" + SECRET,
                "jdbc:postgresql://127.0.0.1:CLOSED" + db + "?password=" + SECRET + "&connectTimeout=5",
                "jdbc:postgresql://127.0.0.1:PORT/no_such_db?foo=" + SECRET + "&password=" + SECRET,
                "jdbc:postgresql://127.0.0.1:PORT" + db + "?currentSchema=no_such_schema&sslpassword=" + SECRET,
                "jdbc:postgresql://127.0.0.1:PORT" + db + "?foo=" + SECRET + "&sslpassword=" + SECRET,
                "jdbc:postgresql://" + SECRET + ":" + SECRET + "@127.0.0.1:PORT" + db + "?password=" + SECRET
                        + "&x=" + SECRET + "#" + SECRET);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("secretUrls")
    @DisplayName("opening by URL, refused or not: the secret is in no exception, description or log line")
    void providerNeverShowsTheSecret(String template) throws Exception {
        String url = template.replace("PORT", Integer.toString(cluster.port()))
                .replace("CLOSED", Integer.toString(closedPort()));
        List<String> seen = new ArrayList<>();
        Captured captured = capture(() -> {
            try (Store store = new PostgresStoreProvider().open(Map.of("url", url, "user", PostgresCluster.USER))) {
                seen.add(store.describe());
                seen.add(store.toString());
                return "opened";
            } catch (RuntimeException e) {
                seen.addAll(messages(e));
                return e.getClass().getSimpleName();
            }
        });
        assertThat(seen).as("messages of %s (%s)", url, captured.result()).isNotEmpty()
                .noneMatch(m -> m.contains(SECRET));
        assertThat(captured.stderr()).as("stderr").doesNotContain(SECRET);
        assertThat(captured.driverLog()).as("the driver's log").noneMatch(m -> m.contains(SECRET));
        if (captured.result().equals("IllegalArgumentException")) {
            assertThat(seen.get(0)).as("a refused URL is shown redacted").contains(JdbcUrls.HIDDEN);
        }
    }

    @Test
    @DisplayName("a URL with user information is refused before the driver sees it (the driver logs what it cannot parse)")
    void userInformationNeverReachesTheDriver() throws Exception {
        String url = "jdbc:postgresql://ci:" + SECRET + "@127.0.0.1:" + cluster.port() + "/x";
        Captured captured = capture(() -> {
            try {
                new PostgresStoreProvider().open(Map.of("url", url));
                return "opened";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertThat(captured.result()).contains("'jdbc:postgresql://***@127.0.0.1:" + cluster.port() + "/x'")
                .contains("user:password@").contains("'user' and 'password'").doesNotContain(SECRET);
        assertThat(captured.driverLog()).isEmpty();

        // the capture does see the driver's warnings: a port out of range passes the checks here, and the driver logs it
        Captured portOutOfRange = capture(() -> {
            try {
                new PostgresStoreProvider().open(Map.of("url", "jdbc:postgresql://127.0.0.1:99999/x?password=" + SECRET));
                return "opened";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertThat(portOutOfRange.driverLog()).anyMatch(m -> m.contains("99999"));
        assertThat(portOutOfRange.result()).contains("'jdbc:postgresql://127.0.0.1:99999/x?password=***'")
                .contains("could not parse").doesNotContain(SECRET);
    }

    @Test
    @DisplayName("a driver reporting a URL with secrets: describe(), every message and the lock-loss warning hide them")
    void describeFromTheDriversUrl() throws Exception {
        String reported = "jdbc:postgresql://ci:" + SECRET + "@127.0.0.1:" + cluster.port() + "/" + PostgresCluster.DATABASE
                + "?password=" + SECRET + "&sslmode=disable#" + SECRET;
        DataSource ds = new ReportingDataSource(cluster.dataSource(cluster.newSchema()), reported);
        List<String> seen = new ArrayList<>();
        Captured captured = capture(() -> {
            try (PostgresStore store = PostgresStore.open(ds)) {
                seen.add(store.describe());
                seen.add(store.toString());
                try {
                    store.openBlob(Digests.hex(Digests.sha256().digest(new byte[0])));
                } catch (NotFoundException e) {
                    seen.addAll(messages(e));
                }
                StoreLock lock = store.lock("collection", StoreLock.Mode.EXCLUSIVE, Duration.ZERO).orElseThrow();
                seen.add(lock.toString());
                terminate(((AdvisoryLocks.Held) lock).backendPid());
                seen.add(Boolean.toString(lock.held()));
                return store.describe();
            }
        });
        assertThat(captured.result()).startsWith("postgres://***@127.0.0.1:" + cluster.port() + "/" + PostgresCluster.DATABASE
                + " schema ");
        assertThat(seen).contains("false").noneMatch(m -> m.contains(SECRET));
        assertThat(captured.stderr()).as("the warning is logged, and so captured").contains("was lost")
                .contains(captured.result()).doesNotContain(SECRET);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** What a piece of work returned, printed to stderr and logged through the driver's logger. */
    record Captured(String result, String stderr, List<String> driverLog) {
    }

    /**
     * Runs {@code work} with stderr captured (slf4j-simple writes each line to the current
     * {@code System.err}) and a handler on the driver's {@code java.util.logging} logger, at the
     * level it has by default.
     */
    private static Captured capture(Supplier<String> work) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        List<String> driverLog = Collections.synchronizedList(new ArrayList<>());
        Logger driver = Logger.getLogger("org.postgresql");
        SimpleFormatter format = new SimpleFormatter();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    driverLog.add(format.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        driver.addHandler(handler);
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String result = work.get();
            return new Captured(result, err.toString(StandardCharsets.UTF_8), List.copyOf(driverLog));
        } finally {
            System.setErr(original);
            driver.removeHandler(handler);
        }
    }

    /** @return the message and string form of {@code t} and of every cause and suppressed exception below it */
    private static List<String> messages(Throwable t) {
        List<String> out = new ArrayList<>();
        collect(t, out, 0);
        return out;
    }

    private static void collect(Throwable t, List<String> out, int depth) {
        if (t == null || depth > 20) {
            return;
        }
        out.add(String.valueOf(t.getMessage()));
        out.add(t.toString());
        for (Throwable s : t.getSuppressed()) {
            collect(s, out, depth + 1);
        }
        collect(t.getCause(), out, depth + 1);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void terminate(long pid) {
        try (Connection c = cluster.connect(PostgresCluster.DATABASE); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
            for (int i = 0; i < 600; i++) {
                try (var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connections whose metadata report {@code url} as their URL, as another driver or a proxy might. */
    static final class ReportingDataSource extends ProxyingDataSource {
        private final DataSource target;
        private final String url;

        ReportingDataSource(DataSource target, String url) {
            this.target = target;
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection physical = target.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getMetaData")) {
                            DatabaseMetaData real = physical.getMetaData();
                            return Proxy.newProxyInstance(getClass().getClassLoader(),
                                    new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> m.getName().equals("getURL")
                                            ? url : invoke(real, m, a));
                        }
                        return invoke(physical, method, args);
                    });
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
