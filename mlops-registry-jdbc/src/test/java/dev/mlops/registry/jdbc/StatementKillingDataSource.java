package dev.mlops.registry.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A data source whose connections count every statement they run, and kill the connection at
 * the chosen one. A statement is every round trip a store asks for: each execution of a
 * {@link Statement} or {@link PreparedStatement}, a {@code COMMIT} or {@code ROLLBACK} of an open
 * transaction ({@link Connection#commit}, {@link Connection#rollback},
 * {@link Connection#setAutoCommit setAutoCommit(true)}), and
 * {@link Connection#setTransactionIsolation}. Probes ({@link Connection#isValid}) and what the
 * driver does on its own are not points.
 *
 * <p>How the connection is killed is a {@link Kill}. Connections lent through {@link #watch}
 * are checked as they are lent: one killed before must never be lent again.
 */
final class StatementKillingDataSource extends ProxyingDataSource {
    private static final Pattern QUALIFIED = Pattern.compile("\"[^\"]*\"\\.");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final int SHOWN_WORDS = 4;

    /** How the connection that runs the chosen statement dies. */
    enum Kill {
        /**
         * Just before the statement is sent, another session ends the connection's backend
         * ({@code pg_terminate_backend}) and waits until it has ended: the statement never runs.
         */
        TERMINATED_BEFORE,
        /**
         * The statement runs and completes on the server, commit included in auto-commit mode;
         * then the backend is terminated and the connection cut before its answer reaches the
         * client ({@link AnswerCuttingProxy}): the answer is lost.
         */
        ANSWER_LOST
    }

    /** Ends backends: another session's {@code pg_terminate_backend}, waiting for the end. */
    interface Terminator {
        void terminate(int pid);
    }

    /** The connection behind a handle, as {@link Connection#unwrap} gives it through a pool's handle. */
    interface Tracked {
        int pid();

        boolean killed();
    }

    private final DataSource target;
    private final int failAt;
    private final Kill kill;
    private final Terminator terminator;
    private final AnswerCuttingProxy proxy;
    private boolean counting;
    private boolean healed;
    private int statements;
    private final List<String> log = new ArrayList<>();
    private final List<String> relent = new ArrayList<>();
    private final List<Integer> pids = new ArrayList<>();

    /**
     * @param target where the connections come from: through {@code proxy}
     * @param failAt the statement whose connection is killed, 1 for the first; 0 for none
     * @param kill how it is killed
     */
    StatementKillingDataSource(DataSource target, int failAt, Kill kill, Terminator terminator,
                               AnswerCuttingProxy proxy) {
        this.target = target;
        this.failAt = failAt;
        this.kill = kill;
        this.terminator = terminator;
        this.proxy = proxy;
    }

    /** Statements from now on are points (opening a store runs some that are not). */
    synchronized void startCounting() {
        counting = true;
    }

    /** Ends the killing: later statements run. */
    synchronized void heal() {
        healed = true;
    }

    /** @return how many statements were counted */
    synchronized int statements() {
        return statements;
    }

    /** @return the statements counted, in order, each as {@code N first words of its SQL} */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    /** @return the backends of the connections opened so far, in order */
    synchronized List<Integer> pids() {
        return List.copyOf(pids);
    }

    /** @return the killed connections that a watched pool lent again, for messages */
    synchronized List<String> relent() {
        return List.copyOf(relent);
    }

    /**
     * @param pool a pool over this data source
     * @return the pool, with each connection it lends checked: it must not be one killed before
     */
    DataSource watch(DataSource pool) {
        return new ProxyingDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection c = pool.getConnection();
                Tracked t = c.unwrap(Tracked.class);
                if (t.killed()) {
                    synchronized (StatementKillingDataSource.this) {
                        relent.add("the connection of backend " + t.pid() + " was lent again after it was killed,"
                                + " at statement " + statements);
                    }
                }
                return c;
            }
        };
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical = target.getConnection();
        int pid = physical.unwrap(PGConnection.class).getBackendPID();
        synchronized (this) {
            pids.add(pid);
        }
        return new Handle(physical, pid).proxy;
    }

    /** Counts a statement about to run on {@code h}, and kills {@code h} if it is the chosen one. */
    private void beforeStatement(Handle h, String what) {
        boolean chosen;
        synchronized (this) {
            if (!counting) {
                return;
            }
            statements++;
            log.add(statements + " " + what);
            chosen = statements == failAt && !healed;
        }
        if (!chosen) {
            return;
        }
        h.killed = true;
        switch (kill) {
            case TERMINATED_BEFORE -> terminator.terminate(h.pid);
            case ANSWER_LOST -> proxy.cutAfterNextAnswer(h.pid);
            default -> throw new AssertionError(kill);
        }
    }

    /** @return the first words of {@code sql}, without schema names or anything after them */
    static String shown(String sql) {
        String[] words = SPACE.split(QUALIFIED.matcher(sql.strip()).replaceAll(""));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN_WORDS, words.length); i++) {
            sb.append(i == 0 ? "" : " ").append(words[i]);
        }
        return sb.append(words.length > SHOWN_WORDS ? " ..." : "").toString();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One physical connection and the handle that counts its statements. */
    private final class Handle implements Tracked {
        final Connection physical;
        final int pid;
        final Connection proxy;
        volatile boolean killed;

        Handle(Connection physical, int pid) {
            this.physical = physical;
            this.pid = pid;
            this.proxy = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (p, m, args) -> onConnection(p, m, args));
        }

        @Override
        public int pid() {
            return pid;
        }

        @Override
        public boolean killed() {
            return killed;
        }

        private boolean inTransaction() throws SQLException {
            return !physical.isClosed()
                    && physical.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
        }

        private Object onConnection(Object p, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "unwrap":
                    if (args[0] == Tracked.class) {
                        return this;
                    }
                    break;
                case "equals":
                    return p == args[0];
                case "hashCode":
                    return System.identityHashCode(p);
                case "toString":
                    return "counted " + physical;
                case "createStatement":
                    return statement(Statement.class, (Statement) invoke(physical, m, args), null);
                case "prepareStatement":
                    return statement(PreparedStatement.class, (PreparedStatement) invoke(physical, m, args),
                            (String) args[0]);
                case "prepareCall":
                    throw new UnsupportedOperationException("the store calls no procedures");
                case "commit":
                case "rollback":
                    if ((args == null || args.length == 0) && inTransaction()) {
                        beforeStatement(this, m.getName().toUpperCase(Locale.ROOT));
                    }
                    break;
                case "setAutoCommit":
                    if ((Boolean) args[0] && !physical.getAutoCommit() && inTransaction()) {
                        beforeStatement(this, "COMMIT (setAutoCommit)");
                    }
                    break;
                case "setTransactionIsolation":
                    beforeStatement(this, "SET SESSION CHARACTERISTICS");
                    break;
                default:
                    break;
            }
            return invoke(physical, m, args);
        }

        private <S extends Statement> S statement(Class<S> type, S real, String preparedSql) {
            return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                    (p, m, args) -> {
                        switch (m.getName()) {
                            case "equals":
                                return p == args[0];
                            case "hashCode":
                                return System.identityHashCode(p);
                            case "getConnection":
                                return proxy;
                            default:
                                if (m.getName().startsWith("execute")) {
                                    String sql = preparedSql != null ? preparedSql
                                            : args != null && args.length > 0 && args[0] instanceof String s ? s : "BATCH";
                                    beforeStatement(this, shown(sql));
                                }
                                return invoke(real, m, args);
                        }
                    }));
        }
    }
}
