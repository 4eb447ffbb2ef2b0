package dev.mlops.api;

/**
 * Stored data does not match what was recorded for it: a blob whose bytes no longer hash to its
 * digest, a document that cannot be parsed, a broken journal chain.
 */
public class IntegrityException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /** @param message what is damaged and where */
    public IntegrityException(String message) {
        super(message);
    }

    /**
     * @param message what is damaged and where
     * @param cause the parse or read failure
     */
    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
