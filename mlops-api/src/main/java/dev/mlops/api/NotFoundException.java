package dev.mlops.api;

/** A model, version, alias, dataset, document or blob that was asked for does not exist. */
public class NotFoundException extends MlopsException {
    private static final long serialVersionUID = 1L;

    /** @param message names what was looked for */
    public NotFoundException(String message) {
        super(message);
    }
}
