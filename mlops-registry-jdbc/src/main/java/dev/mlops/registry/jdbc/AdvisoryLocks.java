package dev.mlops.registry.jdbc;

import dev.mlops.api.ConflictException;
import dev.mlops.api.StorageException;
import dev.mlops.api.Digests;
import dev.mlops.api.store.StoreLock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named locks ({@link StoreLock}) of one {@link PostgresStore}: PostgreSQL session-level
 * advisory locks, each held on a database session of its own for as long as it is held.
 *
 * <h2>Key</h2>
 * A lock is the advisory lock with the single 64-bit key {@link #key(String, String)}: the first
 * 8 bytes, read as a big-endian signed {@code bigint}, of the SHA-256 of the UTF-8 bytes of
 * {@code "mlops-store-lock\n" + schema + "\n" + name}, where {@code schema} is the store's schema
 * as PostgreSQL reports it and {@code name} the lock's name. Shared holders take it with
 * {@code pg_advisory_lock_shared}, exclusive ones with {@code pg_advisory_lock}; in
 * {@code pg_locks} it shows with {@code locktype = 'advisory'}, {@code classid} its upper and
 * {@code objid} its lower 32 bits, and {@code objsubid = 1}. Another implementation that keys
 * its locks so shares them with this one. (The two-key form that the schema migration uses,
 * {@link Schema#MIGRATION_LOCK_CLASS}, is a separate key space.)
 *
 * <h2>Sessions</h2>
 * Advisory locks belong to a session and are re-entrant within it, so each held lock has a
 * connection of its own, borrowed from {@code sessions} when it is taken and given back when it
 * is released: never shared with another holder (an exclusive request would succeed in a
 * session that holds the lock shared) nor with the store's operations. The session's
 * {@code idle_session_timeout} and {@code statement_timeout} are turned off and its TCP
 * keepalives shortened (60 s, then every 10 s, 6 probes) while it holds the lock, so that an idle
 * holder keeps its lock and the lock of a holder whose machine vanished is freed within about
 * two minutes; the settings are restored before the connection is given back. A holder whose
 * process dies loses its connection, and the server releases its locks.
 *
 * <h2>Waiting</h2>
 * A request first tries ({@code pg_try_advisory_lock[_shared]}). If it must wait, it waits in
 * the server's lock queue with {@code lock_timeout} set to the wait, so that an exclusive
 * request that waits holds back later shared ones as PostgreSQL queues them, and cannot be
 * starved by a stream of them. The blocking statement runs on a helper thread while the caller
 * watches for its own interrupt and for the store's close; either cancels the statement
 * (PostgreSQL's cancel request), and a lock granted in that instant is released before the
 * session is given back.
 */
final class AdvisoryLocks {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLocks.class);
    private static final String KEY_PREFIX = "mlops-store-lock\n";
    /** Settings a lock session runs with, restored when it is given back (names from pg_settings). */
    private static final Map<String, String> SESSION_SETTINGS = sessionSettings();
    /** How long beyond its wait a waiting request waits for any answer from the server. */
    private static final long ANSWER_GRACE_MILLIS = 30_000;
    /** How often a waiting caller looks at its interrupt flag and the store's state. */
    private static final long WATCH_MILLIS = 50;
    /** Cancel requests sent before a waiting session is abandoned (closed without an answer). */
    private static final int CANCEL_ATTEMPTS = 100;
    private static final int VALIDATION_SECONDS = 5;

    private final DataSource sessions;
    private final String schema;
    private final String owner;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final ExecutorService waiters;
    private volatile boolean closed;

    /**
     * @param sessions where lock sessions come from
     * @param schema the store's schema, part of every key
     * @param owner the store's description, for messages
     */
    AdvisoryLocks(DataSource sessions, String schema, String owner) {
        this.sessions = sessions;
        this.schema = schema;
        this.owner = owner;
        this.waiters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mlops-postgres-lock-wait");
            t.setDaemon(true);
            return t;
        });
    }

    private static Map<String, String> sessionSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("idle_session_timeout", "0");
        m.put("statement_timeout", "0");
        m.put("lock_timeout", "0");
        m.put("tcp_keepalives_idle", "60");
        m.put("tcp_keepalives_interval", "10");
        m.put("tcp_keepalives_count", "6");
        return m;
    }

    /**
     * @param schema the store's schema as PostgreSQL reports it
     * @param name the lock's name
     * @return the advisory lock key, as described on this class
     */
    static long key(String schema, String name) {
        byte[] digest = Digests.sha256().digest((KEY_PREFIX + schema + "\n" + name).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
    }

    /**
     * Takes a lock; the caller has checked the arguments and that the store is open.
     *
     * @return the held lock, or empty if it was not granted within {@code wait}
     */
    Optional<StoreLock> acquire(String name, StoreLock.Mode mode, Duration wait) {
        long key = key(schema, name);
        Connection session;
        try {
            session = sessions.getConnection();
        } catch (SQLException e) {
            throw new StorageException("could not open a database session for lock " + name + " of " + owner + ": "
                    + PostgresStore.sqlMessage(e), e);
        }
        Map<String, String> saved = null;
        Held taken = null;
        try {
            saved = configure(session);
            long pid;
            boolean granted;
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_try_advisory_lock"
                    + (mode == StoreLock.Mode.SHARED ? "_shared" : "") + "(?), pg_backend_pid()")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    granted = rs.getBoolean(1);
                    pid = rs.getLong(2);
                }
            }
            if (!granted && !wait.isZero()) {
                granted = await(session, name, key, mode, wait);
            }
            if (!granted) {
                return Optional.empty();
            }
            taken = new Held(name, mode, key, pid, session, saved);
            held.add(taken);
            if (closed) {
                taken.close();
                throw new IllegalStateException("store " + owner + " is closed");
            }
            return Optional.of(taken);
        } catch (SQLException e) {
            throw new StorageException("could not take lock " + name + " of " + owner + ": " + PostgresStore.sqlMessage(e), e);
        } finally {
            if (taken == null) {
                giveBack(session, key, mode, saved, false);
            }
        }
    }

    /** Captures the session's settings and sets the lock session's own; @return the captured values */
    private static Map<String, String> configure(Connection session) throws SQLException {
        if (!session.getAutoCommit()) {
            session.setAutoCommit(true); // the store's operations expect it on; a pool gives it back as configured
        }
        StringBuilder values = new StringBuilder();
        for (String name : SESSION_SETTINGS.keySet()) {
            values.append(values.length() == 0 ? "" : ", ").append("(?, ?)");
        }
        Map<String, String> saved = new LinkedHashMap<>();
        try (PreparedStatement ps = session.prepareStatement("SELECT s.name, s.setting, set_config(s.name, v.value, false)"
                + " FROM pg_catalog.pg_settings s JOIN (VALUES " + values + ") AS v (name, value) ON s.name = v.name")) {
            int i = 1;
            for (Map.Entry<String, String> e : SESSION_SETTINGS.entrySet()) {
                ps.setString(i++, e.getKey());
                ps.setString(i++, e.getValue());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    saved.put(rs.getString(1), rs.getString(2)); // settings this server lacks are simply absent
                }
            }
        }
        return saved;
    }

    /**
     * Waits in the server's queue for the lock. Runs the blocking statement on a helper thread
     * and watches, so that an interrupt or the store's close can cancel it.
     *
     * @return whether the lock was granted within {@code wait}
     */
    private boolean await(Connection session, String name, long key, StoreLock.Mode mode, Duration wait)
            throws SQLException {
        long millis = saturatedMillis(wait);
        // lock_timeout is an int of milliseconds, 0 meaning none: a longer wait waits without one
        long lockTimeout = millis > Integer.MAX_VALUE ? 0 : Math.max(1, millis);
        long answerTimeout = millis + ANSWER_GRACE_MILLIS;
        try (Statement s = session.createStatement()) {
            s.execute("SET lock_timeout = " + lockTimeout);
        }
        int networkTimeout = session.getNetworkTimeout();
        // the driver's socketTimeout would break a long wait; an unanswering server must not hang it for ever
        session.setNetworkTimeout(Runnable::run, answerTimeout > Integer.MAX_VALUE ? 0 : (int) answerTimeout);
        PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_lock"
                + (mode == StoreLock.Mode.SHARED ? "_shared" : "") + "(?)");
        Future<Boolean> granted;
        try {
            ps.setLong(1, key);
            granted = waiters.submit(() -> ps.execute());
        } catch (RejectedExecutionException e) {
            ps.close();
            throw new IllegalStateException("store " + owner + " is closed");
        }
        boolean finished = false;
        boolean answered = false; // the wait ended with an answer, not with an exception
        try {
            while (true) {
                try {
                    granted.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
                    finished = true;
                    answered = true;
                    return true;
                } catch (TimeoutException e) {
                    if (closed) {
                        finished = stopWaiting(ps, granted, session);
                        throw new IllegalStateException("store " + owner + " was closed while waiting for lock " + name);
                    }
                } catch (InterruptedException e) {
                    finished = stopWaiting(ps, granted, session);
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while waiting for lock " + name + " of " + owner
                            + "; the lock was not taken", e);
                } catch (ExecutionException e) {
                    finished = true;
                    if (e.getCause() instanceof SQLException sql) {
                        if ("55P03".equals(sql.getSQLState())) {
                            answered = true;
                            return false; // lock_timeout: the wait ran out
                        }
                        throw sql;
                    }
                    throw new StorageException("waiting for lock " + name + " of " + owner + " failed: " + e.getCause(),
                            e.getCause());
                }
            }
        } finally {
            if (finished) {
                try {
                    ps.close();
                    try (Statement s = session.createStatement()) {
                        s.execute("SET lock_timeout = 0"); // a held lock's later statements must not time out on row locks
                    }
                    session.setNetworkTimeout(Runnable::run, networkTimeout);
                } catch (SQLException e) {
                    if (answered) {
                        throw e;
                    }
                    // the wait's own failure is the one to report; giving the session back closes it
                    LOG.debug("could not reset a lock session after its wait", e);
                }
            }
        }
    }

    /**
     * Cancels a waiting statement, repeating the cancel request until the statement ends (a
     * cancel that arrives before the statement started is lost); abandons the session if it
     * does not end.
     *
     * @return whether the statement ended (else the session was aborted)
     */
    private static boolean stopWaiting(PreparedStatement ps, Future<Boolean> waiting, Connection session) {
        for (int i = 0; i < CANCEL_ATTEMPTS && !waiting.isDone(); i++) {
            try {
                ps.cancel();
            } catch (SQLException e) {
                LOG.debug("could not cancel a wait for a lock", e);
            }
            try {
                waiting.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // ended with the cancel's error, or not yet
            } catch (InterruptedException e) {
                // the caller re-sets the flag; keep making sure the statement ends
            }
        }
        if (waiting.isDone()) {
            return true;
        }
        abort(session); // the server sees the session end and drops it from the lock queue
        return false;
    }

    /**
     * Releases the lock, if it is held, restores the session's settings and gives it back; a
     * session in doubt is closed instead (so a pool never lends a session holding the lock).
     *
     * @param saved the settings to restore, or null if they were never changed
     * @param mustHold whether the lock is held for certain (a release); else it may or may not be
     */
    private static void giveBack(Connection session, long key, StoreLock.Mode mode, Map<String, String> saved,
                                 boolean mustHold) {
        if (saved == null) {
            abort(session);
            return;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < saved.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(?, ?)");
        }
        String restore = saved.isEmpty() ? "0" : "(SELECT count(set_config(v.name, v.setting, false)) FROM (VALUES "
                + values + ") AS v (name, setting))";
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock"
                + (mode == StoreLock.Mode.SHARED ? "_shared" : "") + "(?), " + restore)) {
            ps.setLong(1, key);
            int i = 2;
            for (Map.Entry<String, String> e : saved.entrySet()) {
                ps.setString(i++, e.getKey());
                ps.setString(i++, e.getValue());
            }
            boolean released;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                released = rs.getBoolean(1);
            }
            session.clearWarnings(); // "you don't own a lock" when a request that was not granted is given back
            if (mustHold && !released) {
                abort(session);
                return;
            }
            session.close();
        } catch (SQLException e) {
            LOG.debug("closing a lock session that could not be given back cleanly", e);
            abort(session);
        }
    }

    /** Ends a session at once (a pool drops an aborted connection); never throws. */
    private static void abort(Connection session) {
        try {
            session.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not abort a lock session", e);
        }
        try {
            session.close();
        } catch (SQLException e) {
            LOG.debug("could not close a lock session", e);
        }
    }

    private static long saturatedMillis(Duration wait) {
        try {
            return Math.min(wait.toMillis(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }

    /**
     * @param fence a lock passed to {@link PostgresStore#deleteBlob(String, StoreLock)}
     * @return it, as a lock of this store
     * @throws IllegalArgumentException if another store (or another instance) made it
     */
    Held own(StoreLock fence) {
        if (fence instanceof Held h && h.owner() == this) {
            return h;
        }
        throw new IllegalArgumentException("the fence " + fence + " is not a lock of " + owner
                + ": expected a lock that this store instance's lock() returned");
    }

    /** @return how many locks are held now */
    int heldCount() {
        return held.size();
    }

    /** Releases every held lock (each unlocked before its session goes, so others may take it at once). */
    void close() {
        closed = true;
        for (Held h : List.copyOf(held)) {
            h.close();
        }
        waiters.shutdown(); // waiting callers see the close within WATCH_MILLIS and cancel their waits
    }

    /** Work on a lock's own session. */
    @FunctionalInterface
    interface SessionWork<T> {
        T run(Connection session) throws SQLException;
    }

    /** A held lock and its session. */
    final class Held implements StoreLock {
        private final String name;
        private final Mode mode;
        private final long key;
        private final long backendPid;
        private final Map<String, String> saved;
        private Connection session; // guarded by this; null once released or lost

        Held(String name, Mode mode, long key, long backendPid, Connection session, Map<String, String> saved) {
            this.name = name;
            this.mode = mode;
            this.key = key;
            this.backendPid = backendPid;
            this.session = session;
            this.saved = saved;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Mode mode() {
            return mode;
        }

        /** @return the process id of the server backend that holds the lock */
        long backendPid() {
            return backendPid;
        }

        private AdvisoryLocks owner() {
            return AdvisoryLocks.this;
        }

        /**
         * An SQL condition, true only in this lock's own session and only while that session
         * holds the lock: for statements that must not act for a holder that lost it.
         */
        String heldCondition() {
            return "EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                    + " AND classid::int8 = " + (key >>> 32) + " AND objid::int8 = " + (key & 0xffffffffL)
                    + " AND objsubid = 1 AND mode = '" + (mode == Mode.EXCLUSIVE ? "ExclusiveLock" : "ShareLock")
                    + "' AND granted)";
        }

        /**
         * {@inheritDoc}
         *
         * <p>Asks the lock's own session whether it still holds the lock: one round trip, and
         * false once the session ended (terminated, timed out, the server restarted).
         */
        @Override
        public synchronized boolean held() {
            if (session == null) {
                return false;
            }
            try (PreparedStatement ps = session.prepareStatement("SELECT " + heldCondition());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return true;
                }
                lose("its database session no longer holds it");
            } catch (SQLException e) {
                lose("its database session ended: " + PostgresStore.sqlMessage(e));
            }
            return false;
        }

        /**
         * Runs {@code work} on the lock's session while the lock is held. A statement that fails
         * there has changed nothing; if the session is gone the lock is lost and the failure is
         * a {@link ConflictException}.
         *
         * @param what what the work does, for messages
         * @throws ConflictException if the lock was released or lost
         */
        synchronized <T> T onSession(String what, SessionWork<T> work) {
            Connection c = session;
            if (c == null) {
                throw notHeld(what);
            }
            try {
                return work.run(c);
            } catch (SQLException e) {
                boolean alive;
                try {
                    alive = c.isValid(VALIDATION_SECONDS);
                } catch (SQLException invalid) {
                    alive = false;
                }
                if (!alive) {
                    lose("its database session ended: " + PostgresStore.sqlMessage(e));
                    ConflictException lost = new ConflictException("lock " + name + " of " + owner + " was lost (its"
                            + " database session ended: " + PostgresStore.sqlMessage(e) + "); " + what
                            + " was refused, nothing changed");
                    lost.initCause(e);
                    throw lost;
                }
                throw new StorageException(what + " in " + owner + " failed: " + PostgresStore.sqlMessage(e), e);
            }
        }

        /** @return the exception for work refused because the lock is not held (any more) */
        ConflictException notHeld(String what) {
            return new ConflictException("lock " + name + " of " + owner + " is no longer held; " + what
                    + " was refused, nothing changed");
        }

        /** Marks the lock lost for good (its session ended, or holds it no more) and drops the session. */
        synchronized void lose(String why) {
            if (session == null) {
                return;
            }
            LOG.warn("{} lock {} of {} was lost: {}", mode.name().toLowerCase(Locale.ROOT), name, owner, why);
            Connection c = session;
            session = null;
            held.remove(this);
            abort(c);
        }

        @Override
        public void close() {
            Connection c;
            synchronized (this) {
                c = session;
                session = null;
            }
            if (c != null) {
                held.remove(this);
                giveBack(c, key, mode, saved, true);
            }
        }

        @Override
        public String toString() {
            return mode.name().toLowerCase(Locale.ROOT) + " lock " + name + " of " + owner;
        }
    }
}
