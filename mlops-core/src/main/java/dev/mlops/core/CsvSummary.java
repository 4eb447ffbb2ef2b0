package dev.mlops.core;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Row count and inferred schema of a CSV file with a header row. A column's type is the
 * narrowest that fits every non-missing value: INTEGER, DOUBLE, BOOLEAN, DATE ({@code yyyy-MM-dd}
 * or {@code yyyy/MM/dd}), else STRING.
 * Empty cells and the markers {@code NA}, {@code N/A}, {@code NaN}, {@code null} are missing; an
 * all-missing column is STRING. {@code inf}, {@code Infinity} (any case, optionally signed) are
 * numbers, as pandas reads and writes them. {@link Frames} reads values with the same rules.
 */
record CsvSummary(long rowCount, Schema schema) {

    static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null");

    static CsvSummary read(InputStream in, char delimiter, String source) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CsvReader csv = new CsvReader(new BufferedReader(new InputStreamReader(in, utf8), 1 << 16), delimiter, source);
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
                guesses[i] = new ColumnGuess();
            }
            long rows = 0;
            List<String> record;
            while ((record = csv.next()) != null) {
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // a blank line, typically the last one
                }
                if (record.size() != header.size()) {
                    throw new ValidationException(source + " line " + (csv.line() - 1) + " has " + record.size()
                            + " fields, the header has " + header.size());
                }
                for (int i = 0; i < guesses.length; i++) {
                    guesses[i].observe(record.get(i));
                }
                rows++;
            }
            List<Field> fields = new ArrayList<>(header.size());
            for (int i = 0; i < guesses.length; i++) {
                try {
                    fields.add(new Field(header.get(i).strip(), guesses[i].type()));
                } catch (dev.mlops.api.InvalidNameException e) {
                    throw new ValidationException(source + " header column " + (i + 1) + " "
                            + Names.quote(header.get(i)) + " is not a usable column name: " + e.getMessage());
                }
            }
            return new CsvSummary(rows, new Schema(fields));
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
        private boolean integer = true;
        private boolean decimal = true;
        private boolean bool = true;
        private boolean date = true;
        private boolean seen;

        void observe(String raw) {
            String v = raw.strip();
            if (isMissing(v)) {
                return;
            }
            seen = true;
            if (integer && !isInteger(v)) {
                integer = false;
            }
            if (decimal && !integer && !isDecimal(v)) {
                decimal = false;
            }
            if (bool && !(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
                bool = false;
            }
            if (date && !isDate(v)) {
                date = false;
            }
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
