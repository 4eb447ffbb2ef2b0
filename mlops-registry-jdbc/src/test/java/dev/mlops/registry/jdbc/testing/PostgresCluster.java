package dev.mlops.registry.jdbc.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away PostgreSQL cluster for the tests, started once per test JVM from the binaries of
 * the installed server package ({@code initdb} and {@code pg_ctl} on the {@code PATH}, else the
 * newest {@code /usr/lib/postgresql/N/bin}, or the directory in {@code -Dmlops.test.pgbin}):
 *
 * <ol>
 *   <li>{@code initdb -D BASE/data -U mlops --auth=trust} in a new temporary directory;</li>
 *   <li>{@code pg_ctl start} listening on 127.0.0.1 only, on a free port chosen at random, with
 *       its Unix socket in the same directory;</li>
 *   <li>{@code CREATE DATABASE mlops_test}; each test then makes its own schema
 *       ({@link #newSchema()}), which is cheap, instead of a database.</li>
 * </ol>
 *
 * <p>{@code initdb} and the server refuse to run as root. When the tests run as root (as in CI
 * containers), every PostgreSQL command runs through {@code runuser -u USER --} as the
 * {@code postgres} user the Debian package creates (or {@code nobody} if there is none), and the
 * directory is handed to that user.
 *
 * <p>A JVM shutdown hook stops the server ({@code pg_ctl stop -m immediate}) and deletes the
 * directory. In case the JVM is killed before its hooks run, a small watchdog shell process does
 * the same once the JVM's process is gone.
 *
 * <p>Without any PostgreSQL binary, test classes marked with {@link PostgresAvailable} are skipped
 * with a message, except when the environment variable {@code CI} is set: there a missing server
 * is an error ({@link #require()} throws), since {@code .ci/run} installs it.
 *
 * <p>Authentication: the superuser {@link #USER} connects without a password (trust); every other
 * role connects over TCP with its password (SCRAM), so that tests can check what a wrong or
 * missing password does ({@link #newRole(String)}).
 *
 * <p>This is a test fixture: {@code fsync} and {@code synchronous_commit} are off (the tests kill
 * clients, never the server, so atomicity is what they check, not the server's durability).
 * Shared with other modules' tests through this module's test-jar, which holds this package only.
 */
public final class PostgresCluster {
    /** The superuser, which connects without a password. */
    public static final String USER = "mlops";
    /** The database the cluster creates for the tests. */
    public static final String DATABASE = "mlops_test";
    static final String MISSING = "no PostgreSQL server binaries (initdb, pg_ctl) on the PATH, in"
            + " /usr/lib/postgresql/*/bin or in -Dmlops.test.pgbin: skipped; install the Debian package 'postgresql'"
            + " to run the PostgreSQL store's tests";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final AtomicInteger ROLES = new AtomicInteger();
    private static PostgresCluster shared;
    private static String unavailable;

    private final Path bin;
    private final Path base;
    private final Optional<String> runAs;
    private final int port;

    private PostgresCluster(Path bin, Path base, Optional<String> runAs, int port) {
        this.bin = bin;
        this.base = base;
        this.runAs = runAs;
        this.port = port;
    }

    /**
     * @return the cluster of this JVM, started on first use
     * @throws org.opentest4j.TestAbortedException if no PostgreSQL binary exists outside CI
     * @throws IllegalStateException if none exists in CI, or the cluster fails to start
     */
    public static synchronized PostgresCluster require() {
        if (shared != null) {
            return shared;
        }
        if (unavailable == null) {
            Optional<Path> bin = findBinaries();
            if (bin.isEmpty()) {
                unavailable = MISSING;
            } else {
                shared = start(bin.get(), false);
                return shared;
            }
        }
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(unavailable + " (CI is set: PostgreSQL must be installed, see .ci/run)");
        }
        Assumptions.abort(unavailable);
        throw new AssertionError("unreachable");
    }

    /** @return the directory holding initdb and pg_ctl, if any */
    static Optional<Path> findBinaries() {
        String override = System.getProperty("mlops.test.pgbin");
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override)).filter(PostgresCluster::hasBinaries);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && hasBinaries(Path.of(dir))) {
                    return Optional.of(Path.of(dir));
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin")).filter(PostgresCluster::hasBinaries)
                        .max(Comparator.comparingInt(PostgresCluster::majorVersion));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean hasBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Initialises and starts a new cluster in a new temporary directory.
     *
     * @param bin the server binaries
     * @param durable keep PostgreSQL's default durability (fsync, synchronous commit): for
     *     benchmarks; tests use false
     * @return the running cluster
     */
    static PostgresCluster start(Path bin, boolean durable) {
        try {
            Optional<String> runAs = isRoot() ? Optional.of(unprivilegedUser()) : Optional.empty();
            Path base = Files.createTempDirectory("mlops-pg");
            if (runAs.isPresent()) {
                UserPrincipal owner = base.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(runAs.get());
                Files.setOwner(base, owner);
            }
            PostgresCluster cluster = null;
            IllegalStateException failure = null;
            for (int attempt = 0; attempt < 5 && cluster == null; attempt++) {
                PostgresCluster candidate = new PostgresCluster(bin, base, runAs, freePort());
                if (attempt == 0) {
                    candidate.initdb();
                    candidate.registerCleanup();
                }
                try {
                    candidate.startServer(durable);
                    cluster = candidate;
                } catch (IllegalStateException e) {
                    failure = e; // most likely the port was taken between choosing and binding it
                }
            }
            if (cluster == null) {
                throw failure;
            }
            try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("could not set up a PostgreSQL cluster", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the test database", e);
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** @return {@code postgres} if that user exists (the Debian package creates it), else {@code nobody} */
    private static String unprivilegedUser() throws IOException {
        return run(List.of("id", "-u", "postgres"), null) == 0 ? "postgres" : "nobody";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Path data() {
        return base.resolve("data");
    }

    private void initdb() throws IOException {
        int exit = run(command(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", USER, "--auth=trust",
                "--no-locale", "-E", "UTF8", "--no-sync"), base.resolve("initdb.log"));
        if (exit != 0) {
            throw new IllegalStateException("initdb failed with exit code " + exit + ": " + log("initdb.log"));
        }
        // replaces initdb's all-trust file (written over, so it keeps its owner when run as root)
        Files.writeString(data().resolve("pg_hba.conf"), String.join("\n",
                "# written by the tests' PostgresCluster: the superuser is trusted, other roles give a password",
                "local all all trust",
                "host all " + USER + " 127.0.0.1/32 trust",
                "host all all 127.0.0.1/32 scram-sha-256", ""));
    }

    private void startServer(boolean durable) throws IOException {
        String options = "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                + " -c shared_buffers=64MB"
                + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        int exit = run(command(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l",
                base.resolve("server.log").toString(), "-w", "-t", "120", "-o", options, "start"),
                base.resolve("pg_ctl.log"));
        if (exit != 0) {
            throw new IllegalStateException("pg_ctl start failed with exit code " + exit + ": " + log("pg_ctl.log")
                    + " / " + log("server.log"));
        }
    }

    /** Stops the server when this JVM exits, and also when it is killed (a watchdog shell). */
    private void registerCleanup() throws IOException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "postgres-cluster-stop"));
        String pidFile = data().resolve("postmaster.pid").toString();
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
                + "if [ -f '" + pidFile + "' ]; then kill -QUIT \"$(head -n 1 '" + pidFile + "')\" 2>/dev/null;"
                + " sleep 2; fi; rm -rf '" + base + "'";
        new ProcessBuilder("sh", "-c", script).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Stops the server at once and deletes its directory. */
    void stop() {
        try {
            run(command(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"),
                    null);
        } catch (IOException e) {
            System.err.println("could not stop the test PostgreSQL cluster in " + base + ": " + e);
        }
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete the test PostgreSQL cluster in " + base + ": " + e);
        }
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        runAs.ifPresent(user -> cmd.addAll(List.of("runuser", "-u", user, "--")));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static int run(List<String> cmd, Path output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("command did not finish in 5 minutes: " + cmd);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd, e);
        }
    }

    private String log(String name) {
        try {
            return Files.readString(base.resolve(name));
        } catch (IOException e) {
            return "(no " + name + ": " + e + ")";
        }
    }

    /** @return the port the server listens on, on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return a JDBC URL of {@code database}, with {@code currentSchema} when a schema is given */
    public String url(String database, Optional<String> schema) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + schema.map(s -> "?currentSchema=" + s).orElse("");
    }

    /** @return the JDBC URL of the test database with {@code schema} as its current schema */
    public String url(String schema) {
        return url(DATABASE, Optional.of(schema));
    }

    /** @return a new connection to {@code database} as the superuser {@link #USER} */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database, Optional.empty()), USER, "");
    }

    /** @return the name of a new, empty schema in the test database */
    public String newSchema() {
        return newSchema(USER);
    }

    /**
     * @param owner the role that owns the schema, and so may create the store's tables in it
     * @return the name of a new, empty schema in the test database
     */
    public String newSchema(String owner) {
        String name = "t" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid();
        execute("CREATE SCHEMA " + name + " AUTHORIZATION " + owner);
        return name;
    }

    /**
     * @param password the role's password, which it must give to connect
     * @return the name of a new role that may log in, with no privileges beyond a new role's
     */
    public String newRole(String password) {
        String name = "r" + ROLES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        return name;
    }

    private void execute(String sql) {
        try (Connection c = connect(DATABASE); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql.replaceAll("PASSWORD '.*'", "PASSWORD ..."), e);
        }
    }

    /** @return an unpooled data source whose connections use {@code schema}, as the superuser */
    public PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url(schema));
        ds.setUser(USER);
        return ds;
    }
}
