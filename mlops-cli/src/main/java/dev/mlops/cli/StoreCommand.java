package dev.mlops.cli;

import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command that works on a store: checks the input, opens the store, runs, closes
 * the store. Output goes through {@link #out()}; {@code --json} output through {@link #json(Object)}.
 */
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private Progress.Task storing = Progress.off().bytes("storing", -1);

    @Override
    public final Integer call() {
        check();
        try (MlopsCommand.Session session = root().open(createsStore(), this::decorate)) {
            return execute(session.mlops());
        }
    }

    /** Checks what can be checked without the store (names, values, input files). */
    void check() {
    }

    /** @return true for commands that write, which may create the store directory */
    boolean createsStore() {
        return false;
    }

    /**
     * Wraps the opened store before the registry is built on it, as commands that show upload
     * progress do; closing the registry closes what this returns.
     */
    Store decorate(Store store) {
        return store;
    }

    /**
     * @param mlops the open registry
     * @return the exit code
     */
    abstract int execute(Mlops mlops);

    final MlopsCommand root() {
        return (MlopsCommand) spec.root().userObject();
    }

    final Progress progress() {
        return root().progress();
    }

    /**
     * For {@link #decorate}: counts on the progress line the bytes the registry stores while
     * copying {@code source} (nothing when progress is off); {@link #storedBytesDone()} ends it.
     */
    final Store countStoredBytes(Store store, Path source) {
        if (!progress().enabled()) {
            return store;
        }
        storing = progress().bytes("storing " + Inputs.displayName(source), Inputs.size(source));
        return new ByteCountingStore(store, storing);
    }

    /** Ends the line of {@link #countStoredBytes} with {@code , done}. */
    final void storedBytesDone() {
        storing.done();
    }

    final boolean jsonOutput() {
        return root().json();
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final void json(Object value) {
        JsonOutput.print(out(), value);
    }

    /** Prints one line of human output. */
    final void line(String text) {
        out().println(Text.printable(text));
        out().flush();
    }
}
