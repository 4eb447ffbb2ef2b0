package dev.mlops.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a new dataset version's bytes come from.
 *
 * @param path a file or a directory
 * @param format {@code csv} (row count and schema are inferred) or {@code binary} (bytes only)
 * @param delimiter CSV field separator
 * @param directory true when {@code path} is a directory tree
 */
public record DatasetSource(Path path, String format, char delimiter, boolean directory) {
    /** Checks arguments. */
    public DatasetSource {
        Objects.requireNonNull(path, "path");
        if (!format.equals("csv") && !format.equals("binary")) {
            throw new IllegalArgumentException("format must be csv or binary, was " + Names.quote(format));
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or a line break");
        }
    }

    /**
     * @param file a CSV file with a header row, comma-separated
     * @return the source
     */
    public static DatasetSource csv(Path file) {
        return new DatasetSource(file, "csv", ',', false);
    }

    /**
     * @param file a CSV file with a header row
     * @param delimiter field separator, such as {@code ';'} or {@code '\t'}
     * @return the source
     */
    public static DatasetSource csv(Path file, char delimiter) {
        return new DatasetSource(file, "csv", delimiter, false);
    }

    /**
     * @param file any file, stored as bytes
     * @return the source
     */
    public static DatasetSource file(Path file) {
        return new DatasetSource(file, "binary", ',', false);
    }

    /**
     * @param directory a directory tree, stored file by file (symbolic links refused)
     * @return the source
     */
    public static DatasetSource directory(Path directory) {
        return new DatasetSource(directory, "binary", ',', true);
    }
}
