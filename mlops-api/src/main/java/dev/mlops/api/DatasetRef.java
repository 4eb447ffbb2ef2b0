package dev.mlops.api;

/**
 * A pinned reference to one dataset version, written {@code weather/3}.
 *
 * @param dataset dataset name
 * @param version version number, 1 or more
 */
public record DatasetRef(String dataset, int version) {
    /** Validates name and number. */
    public DatasetRef {
        Names.requireValid(Names.Kind.DATASET, dataset);
        if (version < 1) {
            throw new InvalidNameException("dataset version must be >= 1, was " + version);
        }
    }

    /**
     * @param text {@code NAME/N}
     * @return the reference
     * @throws InvalidNameException if the text is not of that form
     */
    public static DatasetRef parse(String text) {
        if (text == null) {
            throw new InvalidNameException("dataset reference must not be null");
        }
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new InvalidNameException("dataset reference " + Names.quote(text)
                    + " is not valid: expected NAME/VERSION, e.g. weather/2");
        }
        return new DatasetRef(text.substring(0, slash), ModelRef.parseVersionNumber(text, text.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return dataset + "/" + version;
    }
}
