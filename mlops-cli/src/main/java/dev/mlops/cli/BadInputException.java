package dev.mlops.cli;

/**
 * Input the user typed is wrong in a way the command itself detects (a malformed
 * {@code KEY=VALUE}, a missing input file, no store given). Exit code 2.
 */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
