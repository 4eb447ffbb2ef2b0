package dev.mlops.api;

/** The storage backend failed (I/O error, failed fsync, lost connection). Never retried silently. */
public class StorageException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /** @param message what operation failed on what */
    public StorageException(String message) {
        super(message);
    }

    /**
     * @param message what operation failed on what
     * @param cause the underlying I/O failure
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
