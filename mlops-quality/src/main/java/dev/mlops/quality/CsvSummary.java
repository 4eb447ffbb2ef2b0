package dev.mlops.quality;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one pass over a CSV file with a header row finds while keeping no value: its rows, its
 * inferred schema, and the columns without any value. A column's type is the narrowest that fits
 * every non-missing value: INTEGER, DOUBLE, BOOLEAN, DATE ({@code yyyy-MM-dd} or
 * {@code yyyy/MM/dd}), else STRING. Empty cells and the markers {@code NA}, {@code N/A},
 * {@code NaN}, {@code null} are missing; an all-missing column is STRING, and is listed in
 * {@link #columnsWithoutValues()}: it has no value that could contradict another type.
 * {@code inf}, {@code Infinity} (any case, optionally signed) are numbers, as pandas reads and
 * writes them. {@link Frames} reads values with the same rules; {@link Frames#summarizeCsv} makes
 * one.
 *
 * @param rowCount data rows (blank lines are not rows)
 * @param schema every header column with its inferred type, in header order
 * @param columnsWithoutValues the columns in which every row is missing (all of them when there
 *     are no rows), in header order
 */
public record CsvSummary(long rowCount, Schema schema, Set<String> columnsWithoutValues) {

    static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null");

    /** Checks and copies. */
    public CsvSummary {
        if (rowCount < 0) {
            throw new IllegalArgumentException("rowCount must be >= 0, got " + rowCount);
        }
        Objects.requireNonNull(schema, "schema");
        columnsWithoutValues = Collections.unmodifiableSet(new LinkedHashSet<>(columnsWithoutValues));
        for (String c : columnsWithoutValues) {
            if (schema.field(c).isEmpty()) {
                throw new IllegalArgumentException("column " + Names.quote(c) + " without values is not in the schema");
            }
        }
    }

    static CsvSummary read(InputStream in, char delimiter, String source) {
        return read(in, delimiter, source, Map.of());
    }

    /**
     * @param numeric columns that must hold numbers, each with the reason: the first other value
     *     in one fails at once
     */
    static CsvSummary read(InputStream in, char delimiter, String source, Map<String, String> numeric) {
        CsvReader csv = CsvReader.utf8(in, delimiter, source);
        try {
            List<String> header = csv.next();
            if (header == null) {
                throw new ValidationException(source + " is empty: expected a header row");
            }
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).isBlank()) {
                    throw new ValidationException(source + " header column " + (i + 1) + " has no name");
                }
            }
            ColumnGuess[] guesses = new ColumnGuess[header.size()];
            for (int i = 0; i < guesses.length; i++) {
                guesses[i] = new ColumnGuess(numeric.containsKey(header.get(i).strip()));
            }
            long rows = 0;
            for (List<String> record; (record = csv.nextRow(header.size())) != null; ) {
                for (int i = 0; i < guesses.length; i++) {
                    if (!guesses[i].observe(record.get(i))) {
                        String name = header.get(i).strip();
                        throw new ValidationException(source + " line " + csv.rowLine() + " column " + Names.quote(name) + ": "
                                + Names.quote(record.get(i)) + " is not a number, but " + numeric.get(name));
                    }
                }
                rows++;
            }
            List<Field> fields = new ArrayList<>(header.size());
            Set<String> withoutValues = new LinkedHashSet<>();
            for (int i = 0; i < guesses.length; i++) {
                String name = header.get(i).strip();
                try {
                    fields.add(new Field(name, guesses[i].type()));
                } catch (dev.mlops.api.InvalidNameException e) {
                    throw new ValidationException(source + " header column " + (i + 1) + " "
                            + Names.quote(header.get(i)) + " is not a usable column name: " + e.getMessage());
                }
                if (!guesses[i].seen) {
                    withoutValues.add(name);
                }
            }
            return new CsvSummary(rows, new Schema(fields), withoutValues);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ValidationException(source + " is not valid UTF-8 text near line " + csv.line());
        } catch (IOException e) {
            throw new dev.mlops.api.StorageException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** @return true if a stripped cell value is one of the missing markers */
    static boolean isMissing(String stripped) {
        return MISSING.contains(stripped.toLowerCase(Locale.ROOT));
    }

    /** Narrows a column's type as values arrive. */
    static final class ColumnGuess {
        private final boolean mustBeNumeric;
        private boolean integer = true;
        private boolean decimal = true;
        private boolean bool = true;
        private boolean date = true;
        private boolean seen;

        ColumnGuess(boolean mustBeNumeric) {
            this.mustBeNumeric = mustBeNumeric;
        }

        /** @return false if the column must be numeric and this value is not a number */
        boolean observe(String raw) {
            String v = raw.strip();
            if (isMissing(v)) {
                return true;
            }
            seen = true;
            if (integer && !isInteger(v)) {
                integer = false;
            }
            if (decimal && !integer && !isDecimal(v)) {
                decimal = false;
            }
            if (mustBeNumeric && !integer && !decimal) {
                return false;
            }
            if (bool && !(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
                bool = false;
            }
            if (date && !isDate(v)) {
                date = false;
            }
            return true;
        }

        FieldType type() {
            if (!seen) {
                return FieldType.STRING;
            }
            if (integer) {
                return FieldType.INTEGER;
            }
            if (decimal) {
                return FieldType.DOUBLE;
            }
            if (bool) {
                return FieldType.BOOLEAN;
            }
            return date ? FieldType.DATE : FieldType.STRING;
        }

        static boolean isInteger(String v) {
            int start = v.startsWith("-") || v.startsWith("+") ? 1 : 0;
            if (v.length() == start || v.length() - start > 18) {
                return false;
            }
            for (int i = start; i < v.length(); i++) {
                if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        static boolean isDecimal(String v) {
            if (isInfinity(v)) {
                return true;
            }
            char last = v.charAt(v.length() - 1);
            if (!(Character.isDigit(last) || last == '.') || v.indexOf('x') >= 0 || v.indexOf('X') >= 0) {
                return false; // rejects "1d", "2f" and hexadecimal "0x1p3" that Java would parse
            }
            try {
                Double.parseDouble(v);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** {@code inf} or {@code infinity} in any case, optionally with a sign. */
        static boolean isInfinity(String v) {
            String u = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
            return u.equalsIgnoreCase("inf") || u.equalsIgnoreCase("infinity");
        }

        static boolean isDate(String v) {
            if (v.length() != 10 || (v.charAt(4) != '-' && v.charAt(4) != '/') || v.charAt(7) != v.charAt(4)) {
                return false;
            }
            try {
                LocalDate.parse(v.replace('/', '-'));
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }
}
