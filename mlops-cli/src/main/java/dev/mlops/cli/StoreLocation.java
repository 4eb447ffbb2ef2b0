package dev.mlops.cli;

import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import dev.mlops.registry.jdbc.JdbcUrls;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where the store is, as given with {@code --store} or {@code $MLOPS_STORE}: a directory, or a
 * PostgreSQL database named by a JDBC URL. A value that starts with {@code jdbc:} is a URL,
 * anything else a directory; a directory whose name starts so is written {@code ./jdbc:...}.
 */
sealed interface StoreLocation permits StoreLocation.Directory, StoreLocation.Database {
    /** Environment variable holding the database user for a URL store. */
    String USER_ENV = "MLOPS_STORE_USER";
    /** Environment variable holding the database password for a URL store. */
    String PASSWORD_ENV = "MLOPS_STORE_PASSWORD";

    /**
     * @param value the text of {@code --store} or {@code $MLOPS_STORE}
     * @return the directory or database it names
     * @throws BadInputException if it is a URL the CLI does not open (another database, or one
     *     holding a password) or not a valid path
     */
    static StoreLocation parse(String value) {
        if (value.startsWith("jdbc:")) {
            return Database.parse(value);
        }
        if (value.startsWith("postgresql://") || value.startsWith("postgres://")) {
            // what MLflow's --backend-store-uri takes; not quoted, as its user:password@ part may hold a secret
            throw new BadInputException("the store is a libpq URI (" + value.substring(0, value.indexOf(':'))
                    + "://...), which the CLI does not read: give a JDBC URL,"
                    + " jdbc:postgresql://HOST:PORT/DATABASE?currentSchema=SCHEMA, with the user and password in "
                    + USER_ENV + " and " + PASSWORD_ENV + " (a directory whose name starts so is written ./"
                    + value.substring(0, value.indexOf(':') + 1) + "...)");
        }
        try {
            return new Directory(Path.of(value));
        } catch (InvalidPathException e) {
            throw new BadInputException("store " + Names.quote(value) + " is not a valid directory path: "
                    + e.getReason());
        }
    }

    /**
     * Opens the store.
     *
     * @param create whether the store may be created (commands that write): the directory, or the
     *     tables in an existing schema
     * @param environment where a database's user and password come from
     * @return the open store
     */
    Store open(boolean create, Map<String, String> environment);

    /** A store directory. */
    record Directory(Path path) implements StoreLocation {
        @Override
        public Store open(boolean create, Map<String, String> environment) {
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new BadInputException("store " + Names.quote(path.toString()) + " is not a directory");
            }
            if (!create && !Files.isDirectory(path)) {
                throw new BadInputException("store directory " + Names.quote(path.toString())
                        + " does not exist (a 'register' or 'datasets register' creates it)");
            }
            return Stores.open("fs", Map.of("path", path.toString()));
        }
    }

    /**
     * A store in a PostgreSQL database. A URL holding a password is refused by {@link #parse};
     * every message shows the URL {@link JdbcUrls#redact redacted} all the same (without user
     * information and without the values of parameters not known to be safe), so that nothing a
     * user put in it by mistake is repeated. The password comes from the environment, or from
     * the driver's password file, and appears in no message.
     */
    record Database(String url) implements StoreLocation {
        private static final String PREFIX = "jdbc:postgresql:";
        private static final String EXPECTED = "jdbc:postgresql://HOST:PORT/DATABASE?currentSchema=SCHEMA";
        /** Held so that the level set on it stays (the JDK keeps loggers only weakly). */
        private static final Logger DRIVER_LOG = Logger.getLogger("org.postgresql");

        static Database parse(String url) {
            if (!url.startsWith(PREFIX)) {
                throw new BadInputException("store URL " + shown(url) + " is not a PostgreSQL JDBC URL: the CLI"
                        + " opens " + EXPECTED + "; a directory whose name starts with 'jdbc:' is written ./jdbc:...");
            }
            Optional<String> password = JdbcUrls.passwordIn(url);
            if (password.isPresent()) {
                // not even the redacted URL: where the password is, is all the user needs
                throw new BadInputException("the store URL holds a password (" + password.get() + "), which would"
                        + " show in the process list and the shell history; remove it and set " + PASSWORD_ENV
                        + ", or put it in the password file ~/.pgpass (or $PGPASSFILE)");
            }
            Optional<String> unreadable = JdbcUrls.unreadableByDriver(url);
            if (unreadable.isPresent()) {
                throw new BadInputException("store URL " + shown(url) + " is not one the PostgreSQL driver reads: "
                        + unreadable.get() + "; expected " + EXPECTED + ", with the user in " + USER_ENV
                        + " (or the URL's parameter 'user') and the password in " + PASSWORD_ENV);
            }
            return new Database(url);
        }

        /** @return the URL quoted for a message, its secrets hidden */
        static String shown(String url) {
            return JdbcUrls.quoted(url);
        }

        /** @return the URL redacted: a record's string form must not show what its messages hide */
        @Override
        public String toString() {
            return "Database[url=" + JdbcUrls.redact(url) + "]";
        }

        /** @return the URL's query parameters by name (values not decoded; only names matter here) */
        private static Map<String, String> parameters(String url) {
            Map<String, String> found = new HashMap<>();
            int q = url.indexOf('?');
            if (q < 0) {
                return found;
            }
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                found.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
            return found;
        }

        @Override
        public Store open(boolean create, Map<String, String> environment) {
            Optional<String> user = nonEmpty(environment.get(USER_ENV));
            Optional<String> password = nonEmpty(environment.get(PASSWORD_ENV));
            if (user.isPresent() && parameters(url).containsKey("user")) {
                throw new BadInputException("the user is given twice, by " + USER_ENV + " and by the store URL's"
                        + " parameter 'user'; keep one");
            }
            Map<String, String> config = new HashMap<>();
            config.put("url", url);
            config.put("create", Boolean.toString(create));
            user.ifPresent(u -> config.put("user", u));
            password.ifPresent(p -> config.put("password", p));
            // the driver logs through java.util.logging to stderr, which carries only errors here
            DRIVER_LOG.setLevel(Level.OFF);
            try {
                return Stores.open("postgres", config);
            } catch (IllegalArgumentException e) {
                // the provider's message, and so the cause a --debug trace shows, holds the URL redacted only
                throw new BadInputException("store URL " + shown(url) + " is not a valid PostgreSQL JDBC URL, such as "
                        + EXPECTED, e);
            } catch (NotFoundException e) {
                throw new NotFoundException(where() + e.getMessage()
                        + (create ? "" : " ('register' or 'datasets register' creates the store in an existing schema)"));
            } catch (StorageException e) {
                throw refused(e, password.isPresent());
            }
        }

        private String where() {
            return "cannot open the store " + shown(url) + ": ";
        }

        /**
         * Tells what the user can fix (exit 2: credentials, an unknown database) from what failed
         * (exit 1: no server at that address, a broken connection), by the server's SQLState.
         */
        private RuntimeException refused(StorageException e, boolean passwordGiven) {
            Optional<SQLException> sql = sqlCause(e);
            String state = sql.map(SQLException::getSQLState).orElse("");
            String reason = sql.map(StoreLocation.Database::describe).orElse(e.getMessage());
            if (state.equals("08004")) {
                // the driver's "connection rejected": no password given (when none was), SSL refused
                return new BadInputException(where() + reason + (passwordGiven ? "" : "; set " + PASSWORD_ENV
                        + ", or put the password in the password file ~/.pgpass or $PGPASSFILE"), e);
            }
            if (state.startsWith("28")) {
                // invalid authorization: a wrong password, an unknown role, no pg_hba.conf entry
                return new BadInputException(where() + reason + "; check the user (" + USER_ENV
                        + ", else the URL's parameter 'user', else the OS user) and the password (" + PASSWORD_ENV
                        + ", else the password file ~/.pgpass or $PGPASSFILE)", e);
            }
            if (state.equals("3D000")) {
                return new BadInputException(where() + reason, e);
            }
            if (state.equals("42501")) {
                // insufficient privilege: at open, only creating or migrating the tables needs more than a reader has
                return new StorageException(where() + reason + "; creating or migrating the store's tables needs"
                        + " CREATE on the schema", e);
            }
            return new StorageException(where() + reason, e);
        }

        /**
         * The driver's message: its first line (the server's detail and position follow on others),
         * without the server's severity, with a network cause added.
         */
        private static String describe(SQLException e) {
            String m = Objects.toString(e.getMessage(), "").lines().findFirst().orElse(e.getClass().getSimpleName()).replaceFirst("^(FATAL|ERROR): +", "")
                    .replaceFirst("\\.$", "");
            Throwable cause = e.getCause();
            return cause == null || cause instanceof SQLException ? m : m + " (" + cause + ")";
        }

        private static Optional<SQLException> sqlCause(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof SQLException s) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        private static Optional<String> nonEmpty(String value) {
            return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
    }
}
