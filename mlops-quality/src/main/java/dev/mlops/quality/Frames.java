package dev.mlops.quality;

import dev.mlops.api.DatasetSource;
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
 * <p><b>Memory</b>: a frame holds 8 bytes per numeric cell and 4 per other cell, plus each
 * distinct text once ({@link dev.mlops.api.CategoryColumn}); values are parsed straight into that
 * storage, never held twice, and the type pass keeps no value. A column of identifiers or free
 * text keeps every distinct value unless it is read with a limit
 * ({@link #readCsv(InputStream, char, String, Frame.Builder)}).
 *
 * <p><b>Delimiter</b>: one character that can separate fields; a quote, a line break, a letter,
 * a digit or a character of numbers is an {@link IllegalArgumentException}
 * ({@link DatasetSource#requireDelimiter(char)}).
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
        DatasetSource.requireDelimiter(delimiter);
        String source = source(file);
        CsvSummary summary;
        try (InputStream in = Files.newInputStream(file)) {
            summary = CsvSummary.read(in, delimiter, source);
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
        return readFile(file, delimiter, Frame.builder(summary.schema()).expectedRows(summary.rowCount()), source);
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
        return summarizeCsv(in, delimiter, source, Map.of()).schema();
    }

    /**
     * The first pass of {@link #readCsv(Path, char)} with all it learns: the rows, the inferred
     * schema and the columns without any value, keeping no value (memory does not grow with the
     * text). A caller that needs some columns to be numeric (because they are numeric in the
     * reference this text is compared with, say) names them: the first value in one of them that
     * is neither a number nor missing fails at once, naming the line, so a type mismatch is found
     * without reading on.
     *
     * @param in the CSV text, UTF-8; read to its end (or to the mismatch), not closed
     * @param delimiter the field separator
     * @param source a name for the data in error messages
     * @param numericColumns columns that must hold numbers, each with the reason the message
     *     gives when one does not ({@code "it is DOUBLE in the reference"}); names not in the
     *     header are ignored; empty for plain inference
     * @return the summary
     * @throws ValidationException if the text is not valid CSV with a header row, or a value in
     *     one of {@code numericColumns} is not a number:
     *     {@code cur.csv line 3 column 'price': 'unknown' is not a number, but <reason>}
     * @throws StorageException if the stream cannot be read
     * @throws IllegalArgumentException if the delimiter cannot separate fields (see
     *     {@link DatasetSource#requireDelimiter(char)})
     */
    public static CsvSummary summarizeCsv(InputStream in, char delimiter, String source,
            Map<String, String> numericColumns) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(numericColumns, "numericColumns");
        DatasetSource.requireDelimiter(delimiter);
        return CsvSummary.read(in, delimiter, source, Map.copyOf(numericColumns));
    }

    /**
     * Reads only the header row: what can be checked of a file before any of its data is read
     * (two files' columns, for example).
     *
     * @param in the CSV text, UTF-8; read up to the end of the header row, not closed
     * @param delimiter the field separator
     * @param source a name for the data in error messages
     * @return the column names, stripped of surrounding blanks, in header order
     * @throws ValidationException if the text is empty, or a name is blank, invalid or repeated
     * @throws StorageException if the stream cannot be read
     * @throws IllegalArgumentException if the delimiter cannot separate fields
     */
    public static List<String> readHeader(InputStream in, char delimiter, String source) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        DatasetSource.requireDelimiter(delimiter);
        CsvReader csv = CsvReader.utf8(in, delimiter, source);
        try {
            List<String> header = csv.next();
            if (header == null) {
                throw new ValidationException(source + " is empty: expected a header row");
            }
            byName(header, source);
            for (String twice : duplicates(header)) {
                throw new ValidationException(source + " header names column " + Names.quote(twice) + " twice");
            }
            return header.stream().map(String::strip).toList();
        } catch (CharacterCodingException e) {
            throw new ValidationException(source + " is not valid UTF-8 text near line " + csv.line());
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
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
        DatasetSource.requireDelimiter(delimiter);
        return readFile(file, delimiter, Frame.builder(schema), source(file));
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
        DatasetSource.requireDelimiter(delimiter);
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
        CsvSummary summary = CsvSummary.read(new ByteArrayInputStream(bytes), delimiter, source);
        return read(new ByteArrayInputStream(bytes), delimiter, Frame.builder(summary.schema()).expectedRows(summary.rowCount()),
                source);
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
        Objects.requireNonNull(schema, "schema");
        return readCsv(in, delimiter, source, Frame.builder(schema));
    }

    /**
     * Reads CSV from a stream into a frame builder, by the builder's schema as
     * {@link #readCsv(InputStream, char, String, Schema)} reads by a schema, and with the
     * builder's settings: {@link Frame.Builder#expectedRows} (the row count a first pass found,
     * {@link CsvSummary#rowCount()}: each column is then allocated once, at its size) and
     * {@link Frame.Builder#maxCategories} (a column of identifiers or free text is then read
     * incomplete, at four bytes a row, see {@link dev.mlops.api.CategoryColumn}). For large files:
     * <pre>{@code
     * Frame f = Frames.readCsv(in, ',', "cur.csv",
     *         Frame.builder(summary.schema()).expectedRows(summary.rowCount()).maxCategories(10_000));
     * }</pre>
     *
     * @param in the CSV text, UTF-8; read to its end, not closed
     * @param delimiter the field separator
     * @param source a name for the data in error messages
     * @param into a builder without values, whose schema names the columns to read
     * @return the frame the builder builds
     * @throws ValidationException if a schema column is not in the header or a value does not
     *     fit its type
     * @throws StorageException if the stream cannot be read
     * @throws IllegalArgumentException if the delimiter cannot separate fields
     */
    public static Frame readCsv(InputStream in, char delimiter, String source, Frame.Builder into) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(into, "into");
        DatasetSource.requireDelimiter(delimiter);
        return read(in, delimiter, into, source);
    }

    private static Frame readFile(Path file, char delimiter, Frame.Builder into, String source) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, delimiter, into, source);
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

    /**
     * One pass over the records, each schema column's values parsed straight into the frame
     * builder's primitive and dictionary storage: no value is held twice.
     */
    private static Frame read(InputStream in, char delimiter, Frame.Builder frame, String source) {
        Schema schema = frame.schema();
        CsvReader csv = CsvReader.utf8(in, delimiter, source);
        try {
            List<String> header = csv.next();
            if (header == null) {
                throw new ValidationException(source + " is empty: expected a header row");
            }
            int[] positions = positions(header, schema, source);
            List<Field> fields = schema.fields();
            ColumnParser[] columns = new ColumnParser[fields.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = new ColumnParser(fields.get(i), source);
            }
            for (List<String> record; (record = csv.nextRow(header.size())) != null; ) {
                if (columns.length == 0) {
                    frame.addRow(); // no column to fill, but the row counts
                }
                for (int i = 0; i < columns.length; i++) {
                    columns[i].add(frame, i, record.get(positions[i]), csv.rowLine());
                }
            }
            return frame.build();
        } catch (CharacterCodingException e) {
            throw new ValidationException(source + " is not valid UTF-8 text near line " + csv.line());
        } catch (IOException e) {
            throw cannotRead(source, e);
        }
    }

    /** Each header name's first position; checks that every name is usable. */
    private static Map<String, Integer> byName(List<String> header, String source) {
        Map<String, Integer> byName = new HashMap<>();
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
            byName.putIfAbsent(name, i);
        }
        return byName;
    }

    /** The names the header has more than once (stripped), in header order. */
    private static Set<String> duplicates(List<String> header) {
        Set<String> seen = new HashSet<>();
        Set<String> twice = new java.util.LinkedHashSet<>();
        for (String h : header) {
            if (!seen.add(h.strip())) {
                twice.add(h.strip());
            }
        }
        return twice;
    }

    /** Where each schema column is in the header; checks the header's names. */
    private static int[] positions(List<String> header, Schema schema, String source) {
        Map<String, Integer> byName = byName(header, source);
        Set<String> duplicates = duplicates(header);
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

    /** Parses one column's values by its type. */
    private static final class ColumnParser {
        private final Field field;
        private final String source;
        private final boolean numeric;

        ColumnParser(Field field, String source) {
            this.field = field;
            this.source = source;
            this.numeric = field.type().isNumeric();
        }

        void add(Frame.Builder frame, int column, String raw, long line) {
            String v = raw.strip();
            boolean missing = CsvSummary.isMissing(v);
            if (numeric) {
                frame.addNumber(column, missing ? Double.NaN : number(v, raw, line));
            } else {
                frame.addText(column, missing ? null : text(v, raw, line));
            }
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
    }

    /**
     * The values of a label column as text, numbers in their shortest form, as the metrics
     * compare them.
     *
     * @param frame the data
     * @param column a label or prediction column
     * @return one label per row
     * @throws ValidationException if a row has no value in the column
     */
    public static String[] labels(Frame frame, String column) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(column, "column");
        return FrameRow.labels(frame, column);
    }
}
