package dev.mlops.api;

/**
 * Root of every exception thrown by mlops-java for a runtime condition (as opposed to a
 * programming error such as a null argument). Unchecked, so callers catch only what they can
 * handle; subclasses say what went wrong.
 */
public class MlopsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what was expected */
    public MlopsException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong and what was expected
     * @param cause the underlying failure
     */
    public MlopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
