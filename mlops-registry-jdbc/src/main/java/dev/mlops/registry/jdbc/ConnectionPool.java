package dev.mlops.registry.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The least connection reuse that makes the {@code postgres} provider usable without a pooling
 * library: connections are opened on demand without limit (the server's
 * {@code max_connections} is the limit) and, when closed by the store, up to {@code maxIdle} of
 * them are kept for the next operation. A kept connection is returned only as it was lent (auto-
 * commit on, no transaction open); one idle for more than 30 seconds is checked with
 * {@link Connection#isValid} before it is lent again, and a broken one is dropped. Applications
 * that have a pool pass it to {@link PostgresStore#open(DataSource)} instead.
 */
final class ConnectionPool implements DataSource, AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);
    private static final long VALIDATE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    private final DataSource target;
    private final int maxIdle;
    /** Idle connections, most recently returned first. Guarded by {@code this}. */
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;
    private final AtomicInteger lent = new AtomicInteger();

    private record Idle(Connection connection, long since) {
    }

    /**
     * @param target where new connections come from
     * @param maxIdle how many idle connections to keep, 0 or more
     */
    ConnectionPool(DataSource target, int maxIdle) {
        this.target = Objects.requireNonNull(target, "target");
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must be >= 0, was " + maxIdle);
        }
        this.maxIdle = maxIdle;
    }

    @Override
    public Connection getConnection() throws SQLException {
        while (true) {
            Idle kept;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the connection pool of the PostgreSQL store is closed");
                }
                kept = idle.pollFirst();
            }
            if (kept == null) {
                return lend(target.getConnection());
            }
            Connection c = kept.connection();
            boolean stale = System.nanoTime() - kept.since() > VALIDATE_AFTER_NANOS;
            if (!c.isClosed() && (!stale || c.isValid(VALIDATION_TIMEOUT_SECONDS))) {
                return lend(c);
            }
            closeQuietly(c);
        }
    }

    /** @return a handle whose {@code close()} gives {@code physical} back instead of closing it */
    private Connection lend(Connection physical) {
        AtomicBoolean returned = new AtomicBoolean();
        lent.incrementAndGet();
        return (Connection) Proxy.newProxyInstance(ConnectionPool.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            if (returned.compareAndSet(false, true)) {
                                lent.decrementAndGet();
                                giveBack(physical);
                            }
                            return null;
                        case "isClosed":
                            return returned.get() || physical.isClosed();
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "toString":
                            return "pooled " + physical;
                        default:
                            if (returned.get()) {
                                throw new SQLException("connection already returned to the pool");
                            }
                            return invoke(physical, method, args);
                    }
                });
    }

    private static Object invoke(Connection physical, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(physical, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void giveBack(Connection c) {
        try {
            if (c.isClosed()) {
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            if (c.isReadOnly()) {
                c.setReadOnly(false);
            }
            c.clearWarnings();
        } catch (SQLException e) {
            LOG.debug("dropping a connection that could not be reset", e);
            closeQuietly(c);
            return;
        }
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(new Idle(c, System.nanoTime()));
                return;
            }
        }
        closeQuietly(c);
    }

    /** Closes the idle connections; connections still lent are closed when they come back. */
    @Override
    public void close() {
        Deque<Idle> drop;
        synchronized (this) {
            closed = true;
            drop = new ArrayDeque<>(idle);
            idle.clear();
        }
        drop.forEach(i -> closeQuietly(i.connection()));
    }

    /** @return how many connections are idle now (for tests) */
    synchronized int idleCount() {
        return idle.size();
    }

    /** @return how many connections are lent and not yet given back (for tests) */
    int lentCount() {
        return lent.get();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("could not close a connection", e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool lends connections of its one configured user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }
}
