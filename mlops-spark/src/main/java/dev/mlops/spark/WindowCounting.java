package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
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
 * JSON. Package-private.
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

    /** Public only because Spark's encoders require it. A partition's window state and the rows not yet counted into it. */
    public static final class Pending implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        transient WindowState state;
        /** The state as JSON while the buffer travels (WindowState is not Serializable). */
        private String stateJson;
        /** Per column, the gathered cells: double[] for numbers, String[] for the rest. */
        Object[] columns;
        int rows;

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            stateJson = state == null ? null : state.toJson();
            out.defaultWriteObject();
            stateJson = null;
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
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
                cols.add(types[i].isNumeric() ? java.util.Arrays.copyOf((double[]) b.columns[i], b.rows)
                        : java.util.Arrays.copyOf((String[]) b.columns[i], b.rows));
            }
            Frame chunk = Frame.ofColumns(new Schema(fields), cols);
            b.state = b.state.merge(WindowState.of(profile(), chunk, window()));
            b.rows = 0;
        }
        return b.state;
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
        return Encoders.javaSerialization(Pending.class);
    }

    @Override
    public Encoder<String> outputEncoder() {
        return Encoders.STRING();
    }
}
