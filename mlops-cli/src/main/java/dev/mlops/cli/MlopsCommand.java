package dev.mlops.cli;

import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code mlops} command: models, versions, aliases, datasets, lineage, verification and the
 * audit trail of one store, a directory or a PostgreSQL database ({@link StoreLocation}), with
 * human-readable or {@code --json} output.
 *
 * <p>Exit codes: 0 success, 1 failure (storage, integrity, conflict; {@code verify} that found
 * problems; {@code audit --verify} on a broken chain), 2 bad input (invalid names or values,
 * unknown models or datasets, missing input files, wrong options), 3 dataset drift found by
 * {@code drift} or {@code report} with {@code --fail-on-drift}, 4 refused by a promotion gate
 * ({@code promote}).
 *
 * <p>stdout carries results only; stderr carries errors and, when it is a terminal or with
 * {@code --progress}, the {@link Progress} of long operations.
 */
@Command(name = "mlops", mixinStandardHelpOptions = true, versionProvider = MlopsCommand.VersionProvider.class,
        description = "Versioned models and datasets with lineage and an audit trail, in a store directory"
                + " or a PostgreSQL database.",
        footer = {"", "Progress of long operations (storing artifacts and datasets, reading and",
                "comparing large CSV files, verify, gc) shows on stderr when it is a terminal.",
                "-q/--quiet hides it; --progress shows it anyway, even with --quiet;",
                "--no-progress never. Of --progress and --no-progress the last one wins.",
                "", "Exit codes: 0 ok, 1 failure (storage, integrity, verify found problems),",
                "2 bad input, 3 dataset drift (drift or report with --fail-on-drift),",
                "4 refused by a promotion gate (promote).",
                "", "A JDBC URL (jdbc:postgresql://...) opens a PostgreSQL store. The user and",
                "password come from $" + StoreLocation.USER_ENV + " and $" + StoreLocation.PASSWORD_ENV + " (else",
                "~/.pgpass), never from the command line: a URL with a password is refused.",
                "", "Example:",
                "  mlops --store ./registry datasets register weather --file weather.csv",
                "  mlops --store ./registry register rain --artifact model.onnx --format onnx \\",
                "        --metric auc=0.91 --dataset weather/1",
                "  mlops --store ./registry alias set rain/1 --alias production",
                "  mlops --store ./registry lineage rain/1 --json",
                "  mlops drift --reference weather-2012.csv --current weather-2015.csv",
                "  mlops report --reference weather-2012.csv --current weather-2015.csv \\",
                "        --html drift.html",
                "  mlops --store ./registry verify --quiet",
                "  mlops --store jdbc:postgresql://db:5432/mlops?currentSchema=registry \\",
                "        versions list rain"})
public final class MlopsCommand implements Callable<Integer> {

    /** Environment variable naming the store (directory or URL) when {@code --store} is absent. */
    static final String STORE_ENV = "MLOPS_STORE";
    /** Environment variable naming the actor when {@code --actor} is absent. */
    static final String ACTOR_ENV = "MLOPS_ACTOR";

    @Spec
    private CommandSpec spec;

    @Option(names = "--store", paramLabel = "DIR|URL", scope = ScopeType.INHERIT,
            description = "Store directory, or JDBC URL of a PostgreSQL store:"
                    + " jdbc:postgresql://HOST:PORT/DB?currentSchema=S, user and password from $"
                    + StoreLocation.USER_ENV + " and $" + StoreLocation.PASSWORD_ENV + " (default: $" + STORE_ENV + ").")
    private String store;

    @Option(names = "--actor", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Who is acting, recorded in the audit trail (default: $" + ACTOR_ENV + ", else the OS user).")
    private String actor;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print machine-readable JSON on stdout instead of tables.")
    private boolean json;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    private boolean debug;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "No progress on stderr. Errors, stdout and exit codes stay the same.")
    private boolean quiet;

    /** {@code --progress} or {@code --no-progress}, whichever came last; null when neither was given. */
    private Boolean showProgress;

    // two options with setters rather than one negatable field: the last one given wins, on any
    // level of the command line (mlops --no-progress drift --progress), as in git
    @Option(names = "--progress", scope = ScopeType.INHERIT,
            description = "Show progress on stderr even when it is not a terminal, and even with --quiet.")
    private void progressOn(boolean given) {
        showProgress = given;
    }

    @Option(names = "--no-progress", scope = ScopeType.INHERIT,
            description = "Never show progress. Default: progress of long operations on stderr when it is a terminal.")
    private void progressOff(boolean given) {
        showProgress = !given;
    }

    private final Map<String, String> environment;
    private final BooleanSupplier stderrIsTerminal;
    private Progress progress;

    /** Creates the command reading the process environment. */
    public MlopsCommand() {
        this(System.getenv(), StderrTerminal::detect);
    }

    MlopsCommand(Map<String, String> environment, BooleanSupplier stderrIsTerminal) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.stderrIsTerminal = Objects.requireNonNull(stderrIsTerminal, "stderrIsTerminal");
    }

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command on this process's stdout and stderr: a plain help request from its
     * recorded page ({@link HelpPages}), anything else through picocli.
     *
     * @param args the command line
     * @return the exit code
     */
    static int run(String[] args) {
        Optional<String> help = HelpPages.page(args);
        if (help.isPresent()) {
            System.out.print(help.get());
            System.out.flush();
            return 0;
        }
        return commandLine(System.getenv(), StderrTerminal::detect, args).execute(args);
    }

    /**
     * The top-level commands by name, in the order the help lists them. picocli reflects over a
     * command's whole tree when it is added, and that is most of the CLI's start-up, so a run builds
     * only the command it names ({@link #commandLine(Map, BooleanSupplier, String[])}); the names
     * are written here so that finding the command reads no annotation (HelpTest checks them
     * against the commands' own).
     */
    static final Map<String, Class<?>> COMMANDS = byName(
            "models", ModelsCommand.class, "versions", VersionsCommand.class, "register", RegisterCommand.class,
            "datasets", DatasetsCommand.class, "runs", RunsCommand.class, "alias", AliasCommand.class,
            "promote", PromoteCommand.class, "archive", ArchiveCommand.class, "restore", RestoreCommand.class,
            "lineage", LineageCommand.class, "card", CardCommand.class, "verify", VerifyCommand.class,
            "audit", AuditCommand.class, "gc", GcCommand.class, "drift", DriftCommand.class,
            "report", ReportCommand.class, "rollout", RolloutCommand.class, "ui", UiCommand.class,
            "help", CommandLine.HelpCommand.class);
    /** The global options that take a value as the next argument. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--store", "--actor");

    private static Map<String, Class<?>> byName(Object... nameThenType) {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        for (int i = 0; i < nameThenType.length; i += 2) {
            commands.put((String) nameThenType[i], (Class<?>) nameThenType[i + 1]);
        }
        return Collections.unmodifiableMap(commands);
    }

    /**
     * As {@link #commandLine(Map, BooleanSupplier)}, building only what {@code args} runs. A named
     * command is built alone: once picocli has entered a command it never looks at the others. The
     * top-level help and {@code help} list every command, and get the others by name and summary
     * only, which is all that list reads: the same parse and the same output, less start-up.
     * Arguments whose first word is not a command's name get the whole tree.
     *
     * @param environment the process environment
     * @param stderrIsTerminal whether the process's stderr is a terminal
     * @param args the command line
     * @return the command line to execute {@code args} with
     */
    static CommandLine commandLine(Map<String, String> environment, BooleanSupplier stderrIsTerminal, String[] args) {
        Optional<String> name = commandName(args);
        if (name.isPresent() && !COMMANDS.containsKey(name.get())) {
            // not a command's name (a misspelt command, or the value of a misspelt option): every
            // command is built, so that picocli's error is the one the whole tree gives
            return commandLine(environment, stderrIsTerminal);
        }
        CommandLine cl = new CommandLine(new MlopsCommand(environment, stderrIsTerminal));
        if (name.isPresent() && !name.get().equals("help")) {
            cl.addSubcommand(COMMANDS.get(name.get()));
            return configure(cl);
        }
        Set<String> built = new HashSet<>();
        name.ifPresent(built::add);
        if (name.isPresent()) {
            commandName(afterCommand(args)).ifPresent(built::add);
        }
        for (Map.Entry<String, Class<?>> command : COMMANDS.entrySet()) {
            if (built.contains(command.getKey())) {
                cl.addSubcommand(command.getValue());
            } else {
                Command annotation = command.getValue().getAnnotation(Command.class);
                cl.addSubcommand(annotation.name(), new CommandLine(summaryOnly(annotation)), annotation.aliases());
            }
        }
        return configure(cl);
    }

    /** A command as its parent's help lists it: its name and summary, nothing to run. */
    private static CommandSpec summaryOnly(Command annotation) {
        CommandSpec spec = CommandSpec.create().name(annotation.name()).aliases(annotation.aliases());
        spec.usageMessage().header(annotation.header()).description(annotation.description());
        return spec;
    }

    /** The first argument that is not a global option or its value: the command's name, if any. */
    static Optional<String> commandName(String[] args) {
        int at = commandIndex(args);
        return at < 0 ? Optional.empty() : Optional.of(args[at]);
    }

    /** The arguments after the command's name. */
    private static String[] afterCommand(String[] args) {
        int at = commandIndex(args);
        return at < 0 ? new String[0] : Arrays.copyOfRange(args, at + 1, args.length);
    }

    private static int commandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return -1;
            }
            if (a.startsWith("-")) {
                if (OPTIONS_WITH_VALUE.contains(a)) {
                    i++;
                }
                continue;
            }
            return i;
        }
        return -1;
    }

    /**
     * The configured command line: exit codes and error messages as documented on this class.
     * Output goes to {@link CommandLine#getOut()} and {@link CommandLine#getErr()}.
     *
     * @param environment the process environment ({@value #STORE_ENV}, {@value #ACTOR_ENV},
     *     {@value StoreLocation#USER_ENV}, {@value StoreLocation#PASSWORD_ENV})
     * @param stderrIsTerminal whether the process's stderr is a terminal, which turns progress on
     */
    static CommandLine commandLine(Map<String, String> environment, BooleanSupplier stderrIsTerminal) {
        CommandLine cl = new CommandLine(new MlopsCommand(environment, stderrIsTerminal));
        COMMANDS.values().forEach(cl::addSubcommand);
        return configure(cl);
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setParameterExceptionHandler(Errors::handleParameterException);
        cl.setExecutionExceptionHandler(Errors::handleExecutionException);
        cl.setExitCodeExceptionMapper(Errors::exitCode);
        CommandLine help = cl.getSubcommands().get("help");
        if (help != null) {
            // picocli's own help command: every command's help ends with an example, this one too
            help.getCommandSpec().usageMessage().footer("", "Example:", "  mlops help drift", "  mlops help datasets register");
        }
        return cl;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    boolean json() {
        return json;
    }

    boolean debug() {
        return debug;
    }

    /**
     * The progress reporter of this run, decided as git decides: {@code --progress} or
     * {@code --no-progress} when given (the last one wins), else none with {@code --quiet}, else
     * shown when stderr is a terminal. Only progress goes to stderr besides errors, so
     * {@code --quiet} changes nothing else.
     */
    Progress progress() {
        if (progress == null) {
            boolean show = showProgress != null ? showProgress : !quiet && stderrIsTerminal.getAsBoolean();
            progress = show ? Progress.to(spec.commandLine().getErr()) : Progress.off();
        }
        return progress;
    }

    /**
     * Opens the store named by {@code --store} or {@code $MLOPS_STORE}.
     *
     * @param create whether the store may be created (commands that write): a missing directory,
     *     or the tables in an existing schema
     * @param decorate wraps the store before the registry is built on it
     */
    Session open(boolean create, UnaryOperator<Store> decorate) {
        StoreLocation location = StoreLocation.parse(storeLocation());
        String who = actor != null ? actor : environment.get(ACTOR_ENV);
        Store s = location.open(create, environment);
        try {
            s = decorate.apply(s);
            Mlops.Builder b = Mlops.builder().store(s);
            if (who != null) {
                b.actor(who);
            }
            return new Session(b.build());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** @return the store's directory when {@code --store} (or the environment) names a directory store */
    Optional<Path> storeDirectory() {
        return givenLocation().map(StoreLocation::parse)
                .flatMap(l -> l instanceof StoreLocation.Directory d ? Optional.of(d.path()) : Optional.empty());
    }

    private String storeLocation() {
        return givenLocation().orElseThrow(
                () -> new BadInputException("no store given: use --store DIR|URL or set " + STORE_ENV));
    }

    private Optional<String> givenLocation() {
        if (store != null) {
            if (store.isBlank()) {
                throw new BadInputException("--store is empty: expected a store directory or a jdbc:postgresql:// URL");
            }
            return Optional.of(store);
        }
        String fromEnv = environment.get(STORE_ENV);
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv);
    }

    /** An open registry; closing it closes its store. */
    record Session(Mlops mlops) implements AutoCloseable {
        @Override
        public void close() {
            mlops.close();
        }
    }

    /** Prints the version of the tool and of the Java runtime. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = MlopsCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                "mlops " + p.getProperty("version", "unknown") + " (mlops-java)",
                "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name")};
        }
    }
}
