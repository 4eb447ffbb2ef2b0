package dev.mlops.api.serving;

import dev.mlops.api.MlopsException;
import dev.mlops.api.ModelRef;
import java.util.Objects;

/** The model threw for a request and no fallback answered; names the version that failed. */
public class PredictionException extends MlopsException {
    private static final long serialVersionUID = 1L;

    private final transient ModelRef.Version version;

    /**
     * @param version the version that threw
     * @param cause what it threw
     */
    public PredictionException(ModelRef.Version version, Throwable cause) {
        super("model " + Objects.requireNonNull(version, "version") + " failed: " + cause, cause);
        this.version = version;
    }

    /** @return the version that threw */
    public ModelRef.Version version() {
        return version;
    }
}
