package dev.mlops.registry.jdbc;

import dev.mlops.api.Names;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreProvider;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens a {@link PostgresStore} by name for {@link dev.mlops.api.store.Stores#open}: name
 * {@code postgres}; settings {@code url} (required, {@code jdbc:postgresql://HOST:PORT/DATABASE},
 * optionally with {@code ?currentSchema=SCHEMA} and any other pgjdbc parameter), {@code user} and
 * {@code password} (optional; they may be given as URL parameters instead, but not as
 * {@code user:password@}, which the driver does not read), and {@code create}
 * ({@code true}, the default, or {@code false}: refuse a schema that holds no store instead of
 * creating the store's tables in it, as a reader that must not write would).
 *
 * <pre>{@code
 * Store store = Stores.open("postgres", Map.of("url", "jdbc:postgresql://db:5432/mlops",
 *         "user", "mlops", "password", secret));
 * }</pre>
 *
 * The store keeps up to {@value #MAX_IDLE} idle connections for reuse and closes them when it is
 * closed. A held lock has a connection of its own from a second set of connections (up to
 * {@value #LOCK_SESSIONS_IDLE} of them kept idle), so held locks take none from the operations.
 * To use an existing pool, wire {@link PostgresStore#open(javax.sql.DataSource)} instead.
 *
 * <p>Messages show the URL {@link JdbcUrls#redact redacted}: without its user information and
 * without the values of parameters that are not known to be safe.
 */
public final class PostgresStoreProvider implements StoreProvider {
    /** The provider's name. */
    public static final String NAME = "postgres";
    /** The setting holding the JDBC URL. */
    public static final String URL = "url";
    /** The setting holding the database user. */
    public static final String USER = "user";
    /** The setting holding the user's password. */
    public static final String PASSWORD = "password";
    /** The setting saying whether the store's tables may be created: {@code true} (default) or {@code false}. */
    public static final String CREATE = "create";
    /** Idle connections kept for reuse. */
    static final int MAX_IDLE = 8;
    /** Idle lock sessions (connections that held a lock and were given back unlocked) kept for reuse. */
    static final int LOCK_SESSIONS_IDLE = 4;
    private static final Set<String> SETTINGS = Set.of(URL, USER, PASSWORD, CREATE);
    private static final String EXPECTED_URL = "jdbc:postgresql://HOST[:PORT][,HOST[:PORT]...]/DATABASE[?NAME=VALUE&...]";

    /** Called by {@link java.util.ServiceLoader}. */
    public PostgresStoreProvider() {
    }

    /** @return {@code postgres} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param config {@code url} and optionally {@code user}, {@code password} and {@code create};
     *     no other key is accepted, so a misspelt setting is reported rather than ignored
     * @return the open store; closing it closes its connections
     * @throws IllegalArgumentException if {@code url} is missing or not a PostgreSQL JDBC URL,
     *     {@code create} is neither {@code true} nor {@code false}, or an unknown setting is present
     * @throws dev.mlops.api.NotFoundException if the URL's schema does not exist, or it holds no
     *     store and {@code create} is {@code false}
     * @throws dev.mlops.api.StorageException if the database cannot be reached or its schema
     *     cannot be used
     */
    @Override
    public Store open(Map<String, String> config) {
        Objects.requireNonNull(config, "config");
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(SETTINGS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("store 'postgres' does not know the setting(s) " + unknown
                    + "; its settings are " + new TreeSet<>(SETTINGS));
        }
        String url = config.get(URL);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("store 'postgres' needs the setting '" + URL
                    + "': a JDBC URL such as jdbc:postgresql://localhost:5432/mlops");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("store 'postgres' setting '" + URL + "' must start with"
                    + " 'jdbc:postgresql:', was a URL of another kind");
        }
        // checked before the driver sees the URL: it logs what it cannot parse, a misplaced password included
        JdbcUrls.unreadableByDriver(url).ifPresent(problem -> {
            throw new IllegalArgumentException("store 'postgres' setting '" + URL + "' " + shown(url)
                    + " is not a PostgreSQL JDBC URL the driver reads: " + problem + "; expected "
                    + EXPECTED_URL + ", with the user and password in the settings '" + USER + "' and '" + PASSWORD
                    + "'");
        });
        String create = config.getOrDefault(CREATE, "true");
        if (!create.equals("true") && !create.equals("false")) {
            throw new IllegalArgumentException("store 'postgres' setting '" + CREATE + "' must be true or false, was "
                    + Names.quote(create));
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(url);
        } catch (IllegalArgumentException e) {
            // the driver's message repeats the whole URL, so neither it nor the exception is passed on
            throw new IllegalArgumentException("store 'postgres' setting '" + URL + "' " + shown(url)
                    + " is not a valid PostgreSQL JDBC URL: the driver could not parse it; expected " + EXPECTED_URL);
        }
        if (config.containsKey(USER)) {
            ds.setUser(config.get(USER));
        }
        if (config.containsKey(PASSWORD)) {
            ds.setPassword(config.get(PASSWORD));
        }
        return openPooled(ds, Clock.systemUTC(), Boolean.parseBoolean(create));
    }

    /**
     * Opens a store over {@code ds} as this provider does: the operations' connections from a
     * pool, the held locks' sessions from a second one (so that locks, which keep their session
     * while held, never take connections from the operations), both closed with the store.
     *
     * @param create whether the store's tables may be created
     */
    static PostgresStore openPooled(DataSource ds, Clock clock, boolean create) {
        ConnectionPool operations = new ConnectionPool(ds, MAX_IDLE);
        ConnectionPool lockSessions = new ConnectionPool(ds, LOCK_SESSIONS_IDLE);
        AutoCloseable pools = () -> {
            try {
                lockSessions.close();
            } finally {
                operations.close();
            }
        };
        return PostgresStore.open(operations, lockSessions, clock, pools, create);
    }

    /** @return the URL quoted for a message, its secrets hidden */
    private static String shown(String url) {
        return JdbcUrls.quoted(url);
    }
}
