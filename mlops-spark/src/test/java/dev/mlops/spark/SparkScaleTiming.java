package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.MonitorPolicy;
import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A timed main, not a test: profile and drift report of {@code rows} × {@code columns} (a
 * quarter of them categorical) through Spark local[2] and through the in-process path, on the
 * same values (each cell is a fixed function of its row, column and side). Prints one line per
 * phase. The command line is in docs/spark.md; numbers count only on an idle machine.
 *
 * <p>Arguments: rows (default 10,000,000), columns (default 20).
 */
public final class SparkScaleTiming {
    private static final String[] CATEGORIES = {"a", "b", "c", "d", "e", "f", "g", "h"};

    private SparkScaleTiming() {
    }

    /**
     * @param args rows, columns
     */
    public static void main(String[] args) {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        int columns = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int categorical = columns / 4;
        StructType struct = struct(columns, categorical);
        Schema schema = schema(columns, categorical);
        ProfileOptions options = ProfileOptions.defaults();
        MonitorPolicy policy = MonitorPolicy.defaults();
        Clock clock = Clock.systemUTC();
        System.out.printf(Locale.ROOT, "rows=%d columns=%d (%d categorical)%n", rows, columns, categorical);

        SparkSession spark = SparkTestData.session();
        try {
            Dataset<Row> reference = generate(spark, rows, columns, categorical, struct, 0).cache();
            Dataset<Row> current = generate(spark, rows, columns, categorical, struct, 1).cache();
            long t0 = System.nanoTime();
            reference.count();
            current.count();
            report("spark: generate and cache both sides", t0);
            t0 = System.nanoTime();
            ReferenceProfile sparkProfile = SparkDrift.profile(reference, options);
            report("spark: profile", t0);
            t0 = System.nanoTime();
            DriftReport sparkReport = SparkDrift.compare(sparkProfile, current, policy, clock);
            report("spark: report", t0);
            reference.unpersist();
            current.unpersist();

            t0 = System.nanoTime();
            Frame refFrame = frame(schema, rows, columns, categorical, 0);
            Frame curFrame = frame(schema, rows, columns, categorical, 1);
            report("in process: build both frames", t0);
            t0 = System.nanoTime();
            ReferenceProfile profile = ReferenceProfile.of(refFrame, options);
            report("in process: profile", t0);
            t0 = System.nanoTime();
            DriftReport window = profile.compare(WindowState.of(profile, curFrame, new DriftReport.Window(clock.instant(),
                    clock.instant(), 0)), policy, clock);
            report("in process: report (window counts, as Spark)", t0);
            t0 = System.nanoTime();
            profile.compare(curFrame, policy, clock);
            report("in process: report (exact current values)", t0);
            System.out.printf(Locale.ROOT, "drifted columns: spark %d, in process %d of %d%n",
                    sparkReport.columns().stream().filter(c -> c.drifted()).count(),
                    window.columns().stream().filter(c -> c.drifted()).count(), columns);
        } finally {
            spark.stop();
        }
    }

    /** The Spark schema: c0, c1, … doubles, the last {@code categorical} strings. */
    static StructType struct(int columns, int categorical) {
        StructField[] fs = new StructField[columns];
        for (int c = 0; c < columns; c++) {
            boolean cat = c >= columns - categorical;
            fs[c] = DataTypes.createStructField("c" + c, cat ? DataTypes.StringType : DataTypes.DoubleType, false);
        }
        return new StructType(fs);
    }

    /** The same schema for frames. */
    static Schema schema(int columns, int categorical) {
        List<Field> fields = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            boolean cat = c >= columns - categorical;
            fields.add(new Field("c" + c, cat ? FieldType.STRING : FieldType.DOUBLE));
        }
        return new Schema(fields);
    }

    private static void report(String phase, long t0) {
        System.out.printf(Locale.ROOT, "%-48s %,10.0f ms%n", phase, (System.nanoTime() - t0) / 1e6);
    }

    static Dataset<Row> generate(SparkSession spark, long rows, int columns, int categorical, StructType struct,
            int side) {
        MapFunction<Long, Row> row = i -> {
            Object[] v = new Object[columns];
            for (int c = 0; c < columns; c++) {
                v[c] = c >= columns - categorical ? text(i, c, side) : number(i, c, side);
            }
            return RowFactory.create(v);
        };
        return spark.range(rows).as(Encoders.LONG()).map(row, Encoders.row(struct));
    }

    static Frame frame(Schema schema, long rows, int columns, int categorical, int side) {
        int n = Math.toIntExact(rows);
        List<Object> cols = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (c >= columns - categorical) {
                String[] s = new String[n];
                for (int i = 0; i < n; i++) {
                    s[i] = text(i, c, side);
                }
                cols.add(s);
            } else {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = number(i, c, side);
                }
                cols.add(d);
            }
        }
        return Frame.ofColumns(schema, cols);
    }

    /** A normal value (Box–Muller on two hashed uniforms); side 1 shifts every other column. */
    static double number(long row, int column, int side) {
        double u1 = uniform(row, column, 0);
        double u2 = uniform(row, column, 1);
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return z * (1 + column) + column + (side == 1 && column % 2 == 1 ? 0.25 * (1 + column) : 0.0)
                + 1e-9 * side * uniform(row, column, 2);
    }

    static String text(long row, int column, int side) {
        double u = uniform(row, column, 3 + side);
        return CATEGORIES[(int) (u * u * CATEGORIES.length)];
    }

    /** A uniform in (0, 1) from splitmix64 of row, column and stream. */
    private static double uniform(long row, int column, int stream) {
        long z = row * 0x9E3779B97F4A7C15L + column * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return ((z >>> 11) + 0.5) / (1L << 53);
    }
}
