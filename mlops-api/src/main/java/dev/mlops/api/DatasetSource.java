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
        requireDelimiter(delimiter);
    }

    /**
     * The rule for a CSV field separator, the same for every CSV reader of the library: one
     * character that can separate fields. Refused: the quote {@code "} (it quotes fields), line
     * breaks, half of a surrogate pair and the byte order mark (not characters of their own in
     * the text), letters and digits, and {@code . - +} (they are part of values: numbers, dates).
     * Tab, {@code ,} {@code ;} {@code |}, space and control characters such as U+001F are fine.
     *
     * @param delimiter the separator
     * @return the separator
     * @throws IllegalArgumentException naming the character (and its code point) and the rule
     */
    public static char requireDelimiter(char delimiter) {
        String why = null;
        if (delimiter == '"') {
            why = "the quote character quotes fields";
        } else if (delimiter == '\n' || delimiter == '\r') {
            why = "a line break ends rows";
        } else if (Character.isSurrogate(delimiter) || delimiter == '\uFEFF') {
            why = "it is not a character of its own";
        } else if (Character.isLetterOrDigit(delimiter) || delimiter == '.' || delimiter == '-' || delimiter == '+') {
            why = "letters, digits and . - + are part of values";
        }
        if (why != null) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "CSV delimiter %s (U+%04X) cannot separate fields: %s; expected one character such as , ; | or a tab",
                    Names.quote(String.valueOf(delimiter)), (int) delimiter, why));
        }
        return delimiter;
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
