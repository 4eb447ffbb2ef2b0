package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/** Runs {@code mlops} in-process as a user would type it, capturing stdout, stderr and the exit code. */
final class CliRunner {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String store;
    private final Map<String, String> env;
    private final boolean stderrIsTerminal;

    CliRunner(Path store) {
        this(store, Map.of());
    }

    CliRunner(Path store, Map<String, String> env) {
        this(store == null ? null : store.toString(), env, false);
    }

    private CliRunner(String store, Map<String, String> env, boolean stderrIsTerminal) {
        this.store = store;
        this.env = env;
        this.stderrIsTerminal = stderrIsTerminal;
    }

    /**
     * A runner whose command believes stderr is a terminal (output is still captured). By default
     * it believes it is not, whatever the test JVM's stderr is, so progress stays off.
     */
    CliRunner withTerminalStderr() {
        return new CliRunner(store, env, true);
    }

    /** A runner that passes {@code --store LOCATION}, a directory or a URL, with {@code env} as the environment. */
    static CliRunner at(String location, Map<String, String> env) {
        return new CliRunner(location, env, false);
    }

    /** Runs {@code mlops --store STORE args...}. */
    Result run(String... args) {
        List<String> all = new ArrayList<>();
        if (store != null) {
            all.add("--store");
            all.add(store);
        }
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    /** Runs {@code mlops args...} without adding {@code --store}. */
    Result raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // as main answers: a plain help request from the recorded page, else only the command
        // the arguments name
        Optional<String> page = HelpPages.page(args);
        if (page.isPresent()) {
            return new Result(List.of(args), 0, page.get(), "");
        }
        CommandLine cl = MlopsCommand.commandLine(env, () -> stderrIsTerminal, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(List.of(args), code, out.toString(), err.toString());
    }

    /** Runs and asserts exit code 0 and an empty stderr. */
    Result ok(String... args) {
        Result r = run(args);
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s", r.args(), r.err()).isZero();
        assertThat(r.err()).as("stderr of %s", r.args()).isEmpty();
        return r;
    }

    /** Runs with {@code --json}, asserts success, and parses stdout as exactly one JSON document. */
    JsonNode json(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        return ok(all.toArray(String[]::new)).json();
    }

    /** A drift report's JSON without {@code created_at}, the one key that differs between two runs. */
    static ObjectNode withoutCreatedAt(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        copy.remove("created_at");
        return copy;
    }

    record Result(List<String> args, int exitCode, String out, String err) {
        /** stdout parsed as exactly one JSON document (fails on anything else on stdout). */
        JsonNode json() {
            try {
                return MAPPER.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout of " + args + " is not one JSON document: " + out, e);
            }
        }
    }
}
