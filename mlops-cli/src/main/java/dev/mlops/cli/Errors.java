package dev.mlops.cli;

import dev.mlops.api.InvalidNameException;
import dev.mlops.api.MlopsException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.ValidationException;
import dev.mlops.registry.jdbc.JdbcUrls;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one mapping from failures to exit codes and messages: every error is printed as one line
 * {@code mlops: <message>} on stderr (plus a stack trace with {@code --debug}). Every database URL
 * in what is printed, the stack trace included, is {@link JdbcUrls#redactWithin redacted}: the
 * messages built here redact theirs where they are made, and this catches what other code (a
 * driver, picocli repeating an argument) put in.
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
        err.println("mlops: " + JdbcUrls.redactWithin(oneLine(ex.getMessage())) + " (see '"
                + cl.getCommandSpec().qualifiedName() + " --help')");
        if (isDebug(cl)) {
            printStackTrace(ex, err);
        }
        err.flush();
        return BAD_INPUT;
    }

    static int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        err.println("mlops: " + message(ex));
        if (isDebug(cl)) {
            printStackTrace(ex, err);
        }
        err.flush();
        return exitCode(ex);
    }

    /** The message shown to the user: the exception's own for expected failures; URLs redacted. */
    static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof MlopsException || t instanceof BadInputException || t instanceof IllegalArgumentException) {
            return JdbcUrls.redactWithin(oneLine(m == null ? t.getClass().getSimpleName() : m));
        }
        // an unexpected failure: name its type, the message alone may not make sense
        return "unexpected " + t.getClass().getSimpleName() + (m == null ? "" : ": " + JdbcUrls.redactWithin(oneLine(m)))
                + " (run with --debug for details)";
    }

    /** Prints {@code t}'s stack trace, causes included, with every URL in it redacted. */
    static void printStackTrace(Throwable t, PrintWriter err) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        err.print(JdbcUrls.redactWithin(trace.toString()));
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
