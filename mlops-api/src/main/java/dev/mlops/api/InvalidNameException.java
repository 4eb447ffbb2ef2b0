package dev.mlops.api;

/**
 * A caller-supplied name or path (model, alias, dataset, tag key, artifact entry) does not match
 * the allowed pattern. Thrown before anything reaches a store.
 */
public class InvalidNameException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /** @param message the offending value (escaped) and the rule it broke */
    public InvalidNameException(String message) {
        super(message);
    }
}
