package dev.mlops.cli;

import dev.mlops.api.Names;
import dev.mlops.api.OutputFiles;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The output files of one command ({@code --html}, {@code --json-file}, {@code --markdown}),
 * checked together before the command does any work and written by {@link OutputFiles}' rule:
 * a new path or a regular file, replaced atomically; never a directory, device, FIFO, socket or
 * symbolic link; never an input of the same command or a file inside its store directory; never
 * two outputs on one file. {@value #STDOUT} means standard output, which then carries that
 * document alone (so it cannot go with {@code --json}, nor with a second {@value #STDOUT}).
 */
final class Outputs {
    /** The file name that means standard output. */
    static final String STDOUT = "-";

    private record Named(String option, Path path) {
    }

    private final List<Named> outputs = new ArrayList<>();
    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> inputDirectories = new ArrayList<>();

    /** Adds an output option; {@code path} null (option not given) is skipped. */
    Outputs output(String option, Path path) {
        if (path != null) {
            outputs.add(new Named(option, path));
        }
        return this;
    }

    /** Adds an input file of the command, which no output may overwrite. */
    Outputs input(String option, Path path) {
        if (path != null) {
            inputs.add(new Named(option, path));
        }
        return this;
    }

    /** Adds a directory the command reads (the store), inside which no output may be written. */
    Outputs inputDirectory(String what, Path directory) {
        inputDirectories.add(new Named(what, directory));
        return this;
    }

    /** @return true when {@code path} is {@value #STDOUT} */
    static boolean isStdout(Path path) {
        return path != null && path.toString().equals(STDOUT);
    }

    /** @return true when one of the outputs is standard output, so the command prints nothing else there */
    boolean toStdout() {
        return outputs.stream().anyMatch(o -> isStdout(o.path()));
    }

    /**
     * Checks every output, before anything is read or written.
     *
     * @param jsonOnStdout whether stdout carries the global {@code --json} document
     * @throws BadInputException naming the option and the file, when one may not be written
     */
    void check(boolean jsonOnStdout) {
        for (int i = 0; i < outputs.size(); i++) {
            Named o = outputs.get(i);
            if (isStdout(o.path())) {
                if (jsonOnStdout) {
                    throw new BadInputException(o.option() + " " + STDOUT + " (standard output) cannot go with --json,"
                            + " which prints its own document there; name a file");
                }
            } else {
                try {
                    OutputFiles.requireWritable(o.option(), o.path());
                } catch (ValidationException | StorageException e) {
                    throw new BadInputException(e.getMessage());
                }
                for (Named in : inputs) {
                    if (OutputFiles.sameFile(o.path(), in.path())) {
                        throw new BadInputException(o.option() + " " + Names.quote(o.path().toString())
                                + " is the same file as " + in.option() + " " + Names.quote(in.path().toString())
                                + "; an output never overwrites an input of the same command");
                    }
                }
                for (Named dir : inputDirectories) {
                    if (OutputFiles.inside(o.path(), dir.path())) {
                        throw new BadInputException(o.option() + " " + Names.quote(o.path().toString()) + " is inside "
                                + dir.option() + " " + Names.quote(dir.path().toString())
                                + "; write it outside the store");
                    }
                }
            }
            for (Named other : outputs.subList(0, i)) {
                boolean bothStdout = isStdout(o.path()) && isStdout(other.path());
                if (bothStdout || !isStdout(o.path()) && !isStdout(other.path())
                        && OutputFiles.sameFile(o.path(), other.path())) {
                    throw new BadInputException(other.option() + " and " + o.option() + " name the same "
                            + (bothStdout ? "standard output" : "file " + Names.quote(o.path().toString()))
                            + "; give each its own");
                }
            }
        }
    }

    /**
     * Writes one output: to {@code out} when it is {@value #STDOUT}, else to the file, atomically.
     *
     * @param option the option, for messages
     * @param path the file or {@value #STDOUT}
     * @param content the whole document
     * @param out standard output
     */
    static void write(String option, Path path, String content, PrintWriter out) {
        if (isStdout(path)) {
            out.print(content);
            out.flush();
            return;
        }
        OutputFiles.write(option, path, content.getBytes(StandardCharsets.UTF_8));
    }
}
