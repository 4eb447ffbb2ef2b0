package dev.mlops.api;

/** A value is well-formed but not acceptable here (for example a metric that is NaN). */
public class ValidationException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /** @param message the offending value and what was expected */
    public ValidationException(String message) {
        super(message);
    }
}
