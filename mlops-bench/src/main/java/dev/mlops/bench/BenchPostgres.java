package dev.mlops.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL server a benchmark runs against: the one named by
 * {@code -Dmlops.bench.postgres.url=jdbc:postgresql://HOST:PORT/DB} (with {@code user} and
 * {@code password} system properties of the same prefix), or else a throw-away cluster started
 * here from the installed server package, as mlops-registry-jdbc's tests do: {@code initdb} in a
 * temporary directory, {@code pg_ctl start} on 127.0.0.1 and a free port, run through
 * {@code runuser -u postgres} when this JVM is root. Unlike the tests' cluster it keeps
 * PostgreSQL's default durability ({@code fsync=on}, {@code synchronous_commit=on}), so a commit
 * costs a WAL flush, as a registration on the filesystem store costs its {@code fsync}s.
 */
final class BenchPostgres implements AutoCloseable {
    private static final String USER = "mlops";
    private final Path bin;
    private final Path base;
    private final Optional<String> runAs;
    private final String url;
    private final String user;
    private final String password;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private BenchPostgres(Path bin, Path base, Optional<String> runAs, String url, String user, String password) {
        this.bin = bin;
        this.base = base;
        this.runAs = runAs;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** @return the configured server, or a new throw-away cluster with a fresh database */
    static BenchPostgres start() {
        String given = System.getProperty("mlops.bench.postgres.url");
        if (given != null && !given.isBlank()) {
            return new BenchPostgres(null, null, Optional.empty(), given,
                    System.getProperty("mlops.bench.postgres.user", ""), System.getProperty("mlops.bench.postgres.password", ""));
        }
        Path bin = findBinaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries (initdb,"
                + " pg_ctl) on the PATH or in /usr/lib/postgresql/*/bin; install the Debian package 'postgresql' or"
                + " pass -Dmlops.bench.postgres.url=jdbc:postgresql://HOST:PORT/DB"));
        try {
            Optional<String> runAs = isRoot() ? Optional.of(run(List.of("id", "-u", "postgres")) == 0 ? "postgres" : "nobody")
                    : Optional.empty();
            Path base = Files.createTempDirectory("mlops-bench-pg");
            if (runAs.isPresent()) {
                Files.setOwner(base, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs.get()));
            }
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            BenchPostgres pg = new BenchPostgres(bin, base, runAs, "jdbc:postgresql://127.0.0.1:" + port + "/mlops_bench",
                    USER, "");
            Path data = base.resolve("data");
            pg.require(pg.command("initdb", "-D", data.toString(), "-U", USER, "--auth=trust", "--no-locale", "-E", "UTF8"),
                    "initdb");
            pg.require(pg.command("pg_ctl", "-D", data.toString(), "-l", base.resolve("server.log").toString(), "-w",
                    "-t", "120", "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1", "start"), "pg_ctl start");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE mlops_bench");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "bench-postgres-stop"));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the benchmark database", e);
        }
    }

    /** @return the JDBC URL of the benchmark database */
    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Stops and deletes a cluster this class started; leaves a configured server alone. */
    @Override
    public void close() {
        if (base == null || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            run(command("pg_ctl", "-D", base.resolve("data").toString(), "-m", "fast", "-w", "stop"));
        } catch (IOException e) {
            System.err.println("could not stop the benchmark cluster in " + base + ": " + e);
        }
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete the benchmark cluster in " + base + ": " + e);
        }
    }

    private static Optional<Path> findBinaries() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                    return Optional.of(Path.of(dir));
                }
            }
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private List<String> command(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        runAs.ifPresent(u -> cmd.addAll(List.of("runuser", "-u", u, "--")));
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void require(List<String> cmd, String what) throws IOException {
        int exit = run(cmd);
        if (exit != 0) {
            String log = Files.exists(base.resolve("server.log")) ? Files.readString(base.resolve("server.log")) : "";
            throw new IllegalStateException(what + " failed with exit code " + exit + " (" + cmd + ") " + log);
        }
    }

    private static int run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
}
