package dev.mlops.cli;

import dev.mlops.api.InvalidNameException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.ValidationException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one mapping from failures to exit codes and messages: every error is printed as one line
 * {@code mlops: <message>} on stderr (plus a stack trace with {@code --debug}).
 */
final class Errors {
    /** Success. */
    static final int OK = 0;
    /** Storage, integrity, conflict or other failure; verification found problems. */
    static final int FAILURE = 1;
    /** Bad input: invalid names, values, options, unknown names, missing input files. */
    static final int BAD_INPUT = 2;
    /** A promotion gate refused the candidate ({@code promote}). */
    static final int REFUSED = 4;

    private Errors() {
    }

    /** @return the exit code for a failure thrown by a command */
    static int exitCode(Throwable t) {
        if (t instanceof ParameterException || t instanceof BadInputException
                || t instanceof InvalidNameException || t instanceof ValidationException
                || t instanceof NotFoundException || t instanceof IllegalArgumentException) {
            return BAD_INPUT;
        }
        return FAILURE;
    }

    static int handleParameterException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("mlops: " + oneLine(ex.getMessage()) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        if (isDebug(cl)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return BAD_INPUT;
    }

    static int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        err.println("mlops: " + message(ex));
        if (isDebug(cl)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exitCode(ex);
    }

    /** The message shown to the user: the exception's own for expected failures. */
    static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof MlopsException || t instanceof BadInputException || t instanceof IllegalArgumentException) {
            return oneLine(m == null ? t.getClass().getSimpleName() : m);
        }
        // an unexpected failure: name its type, the message alone may not make sense
        return "unexpected " + t.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m))
                + " (run with --debug for details)";
    }

    private static boolean isDebug(CommandLine cl) {
        Object root = cl.getCommandSpec().root().userObject();
        return root instanceof MlopsCommand m && m.debug();
    }

    /** One printable line: line breaks and the space around them become one space, other unsafe characters escaped. */
    static String oneLine(String s) {
        return s == null ? "" : Text.printable(s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }
}
