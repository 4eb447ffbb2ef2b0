package dev.mlops.api;

/**
 * The operation lost a race or contradicts the current state: a document that should not exist
 * does, a compare-and-set saw another revision, a version still has an alias pointing at it.
 */
public class ConflictException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /** @param message what conflicted with what */
    public ConflictException(String message) {
        super(message);
    }
}
