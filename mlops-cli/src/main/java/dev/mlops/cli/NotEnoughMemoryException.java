package dev.mlops.cli;

import dev.mlops.api.MlopsException;

/**
 * The Java heap ran out: a runtime condition, not a bug, so it is one line {@code mlops: ...}
 * with exit code 1 that says how much data there was and which {@code -Xmx} to try, instead of an
 * {@link OutOfMemoryError}'s stack trace.
 */
final class NotEnoughMemoryException extends MlopsException {
    private static final long serialVersionUID = 1L;

    NotEnoughMemoryException(String message, OutOfMemoryError cause) {
        super(message, cause);
    }
}
