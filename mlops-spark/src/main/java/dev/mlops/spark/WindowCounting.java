package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * Counts current rows into the {@link WindowState} of a profile, as a monitor would: rows are
 * gathered into frames of {@value #CHUNK} rows and each is counted with
 * {@link WindowState#of}; partitions' states merge exactly ({@link WindowState#merge}), so the
 * merged state equals the one in-process counting of all rows gives. The result is the state's
 * JSON. Between tasks a buffer travels as {@link Pending#encode}, which its bean encoder carries.
 * Package-private.
 */
final class WindowCounting extends Aggregator<Row, WindowCounting.Pending, String> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Rows gathered before they are counted. */
    static final int CHUNK = 4096;

    /** The profile travels as its JSON: ReferenceProfile is not Serializable. */
    private final String profileJson;
    private final int[] indices;
    private final String[] names;
    private final FieldType[] types;
    private final long windowStart;
    private final long windowEnd;
    private final long sequence;
    private transient ReferenceProfile profile;

    WindowCounting(ReferenceProfile profile, int[] indices, List<Field> fields, DriftReport.Window window) {
        this.profileJson = profile.toJson();
        this.indices = indices.clone();
        this.names = fields.stream().map(Field::name).toArray(String[]::new);
        this.types = fields.stream().map(Field::type).toArray(FieldType[]::new);
        this.windowStart = window.start().toEpochMilli();
        this.windowEnd = window.end().toEpochMilli();
        this.sequence = window.sequence();
        this.profile = profile;
    }

    private ReferenceProfile profile() {
        if (profile == null) {
            profile = ReferenceProfile.fromJson(profileJson);
        }
        return profile;
    }

    private DriftReport.Window window() {
        return new DriftReport.Window(java.time.Instant.ofEpochMilli(windowStart), java.time.Instant.ofEpochMilli(windowEnd),
                sequence);
    }

    /**
     * Public only because Spark's bean encoder requires it: a partition's window state and the rows
     * not yet counted into it. Its one bean property is its bytes ({@link #encode}), so Spark ships
     * those and nothing else.
     */
    public static final class Pending {
        /** The first byte of {@link #encode}: the version of the format. */
        static final byte FORMAT = 1;
        private static final byte NUMBERS = 0;
        private static final byte TEXTS = 1;

        WindowState state;
        /** The state's JSON when the buffer was read from bytes, until the profile reads it. */
        String stateJson;
        /** Per column, the gathered cells: double[] for numbers, String[] for the rest. */
        Object[] columns;
        int rows;

        /** An empty buffer, for Spark's encoder, which then sets its bytes. */
        public Pending() {
        }

        /** @return {@link #encode} */
        public byte[] getBytes() {
            return encode();
        }

        /** @param bytes a buffer's bytes, as {@link #getBytes} gave them */
        public void setBytes(byte[] bytes) {
            Pending p = decode(bytes);
            state = null;
            stateJson = p.stateJson;
            columns = p.columns;
            rows = p.rows;
        }

        /**
         * The buffer as bytes: format byte ({@value #FORMAT}); the state's JSON as text (null for
         * none yet); the gathered rows and the number of columns (varints); per column its kind (0
         * numbers, 1 text) and its gathered cells (raw doubles, or nullable text).
         */
        byte[] encode() {
            String json = state != null ? state.toJson() : stateJson;
            SummaryBytes.Writer out = new SummaryBytes.Writer(64 + (json == null ? 0 : json.length())
                    + 9 * rows * columns.length);
            out.writeByte(FORMAT).text(json).count(rows).count(columns.length);
            for (Object column : columns) {
                if (column instanceof double[] numbers) {
                    out.writeByte(NUMBERS);
                    for (int r = 0; r < rows; r++) {
                        out.number(numbers[r]);
                    }
                } else {
                    out.writeByte(TEXTS);
                    String[] texts = (String[]) column;
                    for (int r = 0; r < rows; r++) {
                        out.text(texts[r]);
                    }
                }
            }
            return out.toByteArray();
        }

        /**
         * Reads what {@link #encode} wrote; the state's JSON is read (and checked against the
         * profile) when the buffer is next counted into or merged.
         *
         * @throws IllegalArgumentException naming what is wrong if the bytes are truncated, of
         *     another format, hold more rows than {@value WindowCounting#CHUNK} or than the bytes
         *     could, an unknown column kind, or go on after the last column
         */
        static Pending decode(byte[] bytes) {
            SummaryBytes.Reader in = new SummaryBytes.Reader(bytes, "window buffer", FORMAT);
            Pending p = new Pending();
            p.stateJson = in.text("state");
            long rows = in.count("gathered rows");
            if (rows > CHUNK) {
                throw in.bad("gathered rows is " + rows + ", expected at most " + CHUNK);
            }
            p.rows = (int) rows;
            int n = in.length("column count", 1);
            p.columns = new Object[n];
            for (int c = 0; c < n; c++) {
                int kind = in.readByte("kind of column " + c);
                if (kind == NUMBERS) {
                    if (p.rows > in.remaining() / 8) {
                        throw in.bad("column " + c + ": " + p.rows + " numbers, but only " + in.remaining()
                                + " bytes remain");
                    }
                    double[] numbers = new double[CHUNK];
                    for (int r = 0; r < p.rows; r++) {
                        numbers[r] = in.number("column " + c);
                    }
                    p.columns[c] = numbers;
                } else if (kind == TEXTS) {
                    if (p.rows > in.remaining()) {
                        throw in.bad("column " + c + ": " + p.rows + " texts, but only " + in.remaining()
                                + " bytes remain");
                    }
                    String[] texts = new String[CHUNK];
                    for (int r = 0; r < p.rows; r++) {
                        texts[r] = in.text("column " + c);
                    }
                    p.columns[c] = texts;
                } else {
                    throw in.bad("column " + c + " has kind " + kind + ", expected 0 (numbers) or 1 (text)");
                }
            }
            in.end("column");
            return p;
        }
    }

    @Override
    public Pending zero() {
        Pending p = new Pending();
        p.columns = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            p.columns[i] = types[i].isNumeric() ? new double[CHUNK] : new String[CHUNK];
        }
        return p;
    }

    @Override
    public Pending reduce(Pending b, Row row) {
        int r = b.rows;
        for (int i = 0; i < indices.length; i++) {
            if (types[i].isNumeric()) {
                ((double[]) b.columns[i])[r] = SparkColumns.number(row, indices[i]);
            } else {
                ((String[]) b.columns[i])[r] = SparkColumns.text(row, indices[i]);
            }
        }
        b.rows = r + 1;
        if (b.rows == CHUNK) {
            flush(b);
        }
        return b;
    }

    /** Counts the gathered rows into the state (reading it back first if it travelled). */
    private WindowState flush(Pending b) {
        checkShape(b);
        if (b.state == null && b.stateJson != null) {
            b.state = WindowState.fromJson(b.stateJson, profile());
            b.stateJson = null;
        }
        if (b.state == null) {
            b.state = WindowState.empty(profile(), window());
        }
        if (b.rows > 0) {
            List<Object> cols = new ArrayList<>();
            List<Field> fields = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                fields.add(new Field(names[i], types[i]));
                cols.add(types[i].isNumeric() ? Arrays.copyOf((double[]) b.columns[i], b.rows)
                        : Arrays.copyOf((String[]) b.columns[i], b.rows));
            }
            Frame chunk = Frame.ofColumns(new Schema(fields), cols);
            b.state = b.state.merge(WindowState.of(profile(), chunk, window()));
            b.rows = 0;
        }
        return b.state;
    }

    /** Refuses a buffer read from bytes whose columns are not this aggregation's. */
    private void checkShape(Pending b) {
        if (b.columns.length != names.length) {
            throw new IllegalArgumentException("window buffer: " + b.columns.length + " columns, expected " + names.length);
        }
        for (int i = 0; i < names.length; i++) {
            if (types[i].isNumeric() != b.columns[i] instanceof double[]) {
                throw new IllegalArgumentException("window buffer: column " + i + " holds "
                        + (types[i].isNumeric() ? "text" : "numbers") + ", expected " + (types[i].isNumeric()
                                ? "numbers" : "text") + " for " + types[i] + " column " + names[i]);
            }
        }
    }

    @Override
    public Pending merge(Pending a, Pending b) {
        WindowState merged = flush(a).merge(flush(b));
        a.state = merged;
        return a;
    }

    @Override
    public String finish(Pending b) {
        return flush(b).toJson();
    }

    @Override
    public Encoder<Pending> bufferEncoder() {
        return Encoders.bean(Pending.class);
    }

    @Override
    public Encoder<String> outputEncoder() {
        return Encoders.STRING();
    }
}
