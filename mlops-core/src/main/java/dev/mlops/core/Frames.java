package dev.mlops.core;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Names;
import dev.mlops.api.Schema;
import dev.mlops.api.StorageException;
import dev.mlops.api.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads CSV files into {@link Frame}s, with the same rules the dataset catalog uses to infer a
 * registered CSV's schema, so a frame and its catalog entry agree.
 *
 * <p><b>Format</b>: RFC 4180 (quoted fields, doubled quotes, line breaks inside quotes, CRLF or
 * LF, an optional UTF-8 byte order mark), UTF-8, a header row naming the columns; blank lines
 * are skipped; every other row must have as many fields as the header.
 *
 * <p><b>Types</b>: without a schema, a column's type is the narrowest that fits every
 * non-missing value: {@code INTEGER}, {@code DOUBLE}, {@code BOOLEAN}, {@code DATE}
 * ({@code yyyy-MM-dd} or {@code yyyy/MM/dd}), else {@code STRING}; an all-missing column is
 * {@code STRING}. {@code inf} and {@code Infinity} (any case, optionally signed) are numbers.
 *
 * <p><b>Missing values</b>: an empty cell and the markers {@code NA}, {@code N/A}, {@code NaN},
 * {@code null} (any case, surrounding blanks ignored) are missing: {@code NaN} in numeric
 * columns, {@code null} in the others. They are kept and counted ({@link Frame#missing}).
 *
 * <p><b>Values</b>: numbers are parsed from the stripped text; {@code BOOLEAN} values are stored
 * as {@code "true"}/{@code "false"}, {@code DATE} values as ISO {@code yyyy-MM-dd}; {@code STRING}
 * values are kept exactly as written.
 *
 * <p><b>Errors</b>: a malformed file, a row with the wrong number of fields, or (with a given
 * schema) a value that does not fit its column's type is a {@link ValidationException} naming
 * the source, the line and the column; an I/O failure is a {@link StorageException}.
 */
public final class Frames {

    private Frames() {
    }

    /**
     * Reads a CSV file, inferring the schema; the delimiter is a tab for {@code *.tsv} files,
     * else a comma.
     *
     * @param file the file
     * @return the frame
     * @throws ValidationException if the file is not valid CSV with a header row
     * @throws StorageException if it cannot be read
     */
    public static Frame readCsv(Path file) {
        return readCsv(file, defaultDelimiter(file));
    }

    /**
     * Reads a CSV file, inferring the schema. The file is read twice: once to infer the types,
     * once to parse the values, so only the parsed values are held in memory.
     *
     * @param file the file
     * @param delimiter the field separator, such as {@code ','} or {@code '\t'}
     * @return the frame
     * @throws ValidationException if the file is not valid CSV with a header row
     * @throws StorageException if it cannot be read
     */
    public static Frame readCsv(Path file, char delimiter) {
        Objects.requireNonNull(file, "file");
        String source = source(file);
        Schema schema;
        try (InputStream in = Files.newInputStream(file)) {
            schema = inferSchema(in, delimiter, source);
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
        return readFile(file, delimiter, schema, source);
    }

    /**
     * Infers the schema of CSV text by the rules above, keeping no value: the first of the two
     * passes of {@link #readCsv(Path, char)}. Followed by
     * {@link #readCsv(InputStream, char, String, Schema)} over the same text it gives the frame
     * {@code readCsv(Path, char)} gives, while the caller sees every byte of both passes (to show
     * reading progress, for example).
     *
     * @param in the CSV text, UTF-8; read to its end, not closed
     * @param delimiter the field separator
     * @param source a name for the data in error messages, such as a file name
     * @return the schema: every header column with its inferred type, in header order
     * @throws ValidationException if the text is not valid CSV with a header row
     * @throws StorageException if the stream cannot be read
     */
    public static Schema inferSchema(InputStream in, char delimiter, String source) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        return CsvSummary.read(in, delimiter, source).schema();
    }

    /**
     * Reads a CSV file with the given column types instead of inferred ones; the delimiter is
     * a tab for {@code *.tsv} files, else a comma.
     *
     * @param file the file
     * @param schema the columns to read, with their types; see {@link #readCsv(InputStream, char, String, Schema)}
     * @return the frame, with exactly the schema's columns in the schema's order
     * @throws ValidationException if a schema column is not in the header or a value does not
     *     fit its type
     * @throws StorageException if the file cannot be read
     */
    public static Frame readCsv(Path file, Schema schema) {
        return readCsv(file, defaultDelimiter(file), schema);
    }

    /**
     * Reads a CSV file with the given column types instead of inferred ones.
     *
     * @param file the file
     * @param delimiter the field separator
     * @param schema the columns to read, with their types; see {@link #readCsv(InputStream, char, String, Schema)}
     * @return the frame, with exactly the schema's columns in the schema's order
     * @throws ValidationException if a schema column is not in the header or a value does not
     *     fit its type
     * @throws StorageException if the file cannot be read
     */
    public static Frame readCsv(Path file, char delimiter, Schema schema) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(schema, "schema");
        return readFile(file, delimiter, schema, source(file));
    }

    /**
     * Reads CSV from a stream, inferring the schema. The stream is read to its end (and not
     * closed) and held in memory as bytes while the types are inferred; for large files prefer
     * {@link #readCsv(Path, char)}, which reads the file twice instead.
     *
     * @param in the CSV text, UTF-8
     * @param delimiter the field separator
     * @param source a name for the data in error messages, such as a file name
     * @return the frame
     * @throws ValidationException if the data is not valid CSV with a header row
     * @throws StorageException if the stream cannot be read
     */
    public static Frame readCsv(InputStream in, char delimiter, String source) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
        Schema schema = CsvSummary.read(new ByteArrayInputStream(bytes), delimiter, source).schema();
        return read(new ByteArrayInputStream(bytes), delimiter, schema, source);
    }

    /**
     * Reads CSV from a stream with the given column types. The header must name every schema
     * column (after stripping blanks); header columns not in the schema are skipped. Values
     * must fit their column's type: {@code INTEGER} whole numbers of at most 18 digits,
     * {@code DOUBLE} decimal numbers (or {@code inf}), {@code BOOLEAN} {@code true}/{@code false}
     * (any case), {@code DATE} {@code yyyy-MM-dd} or {@code yyyy/MM/dd}; {@code STRING} and
     * {@code OTHER} take any text. Missing markers are missing in every type.
     *
     * @param in the CSV text, UTF-8; read to its end, not closed
     * @param delimiter the field separator
     * @param source a name for the data in error messages
     * @param schema the columns to read, with their types
     * @return the frame, with exactly the schema's columns in the schema's order
     * @throws ValidationException if a schema column is not in the header or a value does not
     *     fit its type
     * @throws StorageException if the stream cannot be read
     */
    public static Frame readCsv(InputStream in, char delimiter, String source, Schema schema) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(schema, "schema");
        return read(in, delimiter, schema, source);
    }

    private static Frame readFile(Path file, char delimiter, Schema schema, String source) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, delimiter, schema, source);
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
    }

    private static char defaultDelimiter(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
    }

    private static String source(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    private static StorageException cannotRead(String source, IOException e) {
        return new StorageException("cannot read " + source + ": " + e.getMessage(), e);
    }

    /** One pass over the records, parsing each schema column's values into a growing array. */
    private static Frame read(InputStream in, char delimiter, Schema schema, String source) {
        CsvReader csv = CsvReader.utf8(in, delimiter, source);
        try {
            List<String> header = csv.next();
            if (header == null) {
                throw new ValidationException(source + " is empty: expected a header row");
            }
            int[] positions = positions(header, schema, source);
            List<Field> fields = schema.fields();
            ColumnBuilder[] columns = new ColumnBuilder[fields.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = new ColumnBuilder(fields.get(i), source);
            }
            while (true) {
                long line = csv.line();
                List<String> record = csv.next();
                if (record == null) {
                    break;
                }
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // a blank line, typically the last one
                }
                if (record.size() != header.size()) {
                    throw new ValidationException(source + " line " + line + " has " + record.size()
                            + " fields, the header has " + header.size());
                }
                for (int i = 0; i < columns.length; i++) {
                    columns[i].add(record.get(positions[i]), line);
                }
            }
            List<Object> arrays = new ArrayList<>(columns.length);
            for (ColumnBuilder c : columns) {
                arrays.add(c.array());
            }
            return Frame.ofColumns(schema, arrays);
        } catch (CharacterCodingException e) {
            throw new ValidationException(source + " is not valid UTF-8 text near line " + csv.line());
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
    }

    /** Where each schema column is in the header; checks the header's names. */
    private static int[] positions(List<String> header, Schema schema, String source) {
        Map<String, Integer> byName = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip();
            if (name.isEmpty()) {
                throw new ValidationException(source + " header column " + (i + 1) + " has no name");
            }
            try {
                Names.requireValidKey("column name", name);
            } catch (InvalidNameException e) {
                throw new ValidationException(source + " header column " + (i + 1) + " " + Names.quote(header.get(i))
                        + " is not a usable column name: " + e.getMessage());
            }
            if (byName.putIfAbsent(name, i) != null) {
                duplicates.add(name);
            }
        }
        int[] positions = new int[schema.size()];
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < positions.length; i++) {
            String name = schema.fields().get(i).name();
            if (duplicates.contains(name)) {
                throw new ValidationException(source + " header names column " + Names.quote(name) + " twice");
            }
            Integer at = byName.get(name);
            if (at == null) {
                absent.add(Names.quote(name));
            } else {
                positions[i] = at;
            }
        }
        if (!absent.isEmpty()) {
            throw new ValidationException(source + " has no column " + String.join(", ", absent)
                    + "; its header has " + header.stream().map(String::strip).map(Names::quote).toList());
        }
        return positions;
    }

    /** Collects one column's parsed values. */
    private static final class ColumnBuilder {
        private final Field field;
        private final String source;
        private double[] numbers;
        private String[] strings;
        private int size;

        ColumnBuilder(Field field, String source) {
            this.field = field;
            this.source = source;
            if (field.type().isNumeric()) {
                numbers = new double[64];
            } else {
                strings = new String[64];
            }
        }

        void add(String raw, long line) {
            String v = raw.strip();
            boolean missing = CsvSummary.isMissing(v);
            if (numbers != null) {
                if (size == numbers.length) {
                    numbers = Arrays.copyOf(numbers, grow(size));
                }
                numbers[size++] = missing ? Double.NaN : number(v, raw, line);
                return;
            }
            if (size == strings.length) {
                strings = Arrays.copyOf(strings, grow(size));
            }
            strings[size++] = missing ? null : text(v, raw, line);
        }

        private double number(String v, String raw, long line) {
            if (CsvSummary.ColumnGuess.isInteger(v)) {
                return Long.parseLong(v);
            }
            if (field.type() == FieldType.DOUBLE && CsvSummary.ColumnGuess.isDecimal(v)) {
                if (CsvSummary.ColumnGuess.isInfinity(v)) {
                    return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                return Double.parseDouble(v);
            }
            throw bad(raw, line, field.type() == FieldType.INTEGER ? "a whole number" : "a number");
        }

        private String text(String v, String raw, long line) {
            switch (field.type()) {
                case BOOLEAN -> {
                    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                        return v.toLowerCase(Locale.ROOT);
                    }
                    throw bad(raw, line, "true or false");
                }
                case DATE -> {
                    if (CsvSummary.ColumnGuess.isDate(v)) {
                        return v.replace('/', '-');
                    }
                    throw bad(raw, line, "a date yyyy-MM-dd");
                }
                default -> {
                    return raw;
                }
            }
        }

        private ValidationException bad(String raw, long line, String expected) {
            return new ValidationException(source + " line " + line + " column " + Names.quote(field.name()) + ": "
                    + Names.quote(raw) + " is not " + expected + " (the column is " + field.type()
                    + "; missing values are written as an empty cell, NA, N/A, NaN or null)");
        }

        private static int grow(int size) {
            if (size >= Integer.MAX_VALUE - 8) {
                throw new ValidationException("a frame holds at most " + (Integer.MAX_VALUE - 8) + " rows");
            }
            return (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L);
        }

        Object array() {
            return numbers != null ? Arrays.copyOf(numbers, size) : Arrays.copyOf(strings, size);
        }
    }
}
