package dev.mlops.bench;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.ReferenceProfile;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A timed main, not a JMH benchmark: the in-process {@link ReferenceProfile#of(Frame,
 * ProfileOptions)} of {@code rows} × {@code columns} (a quarter categorical) in a JVM of its own,
 * without Spark, on the values mlops-spark's {@code SparkScaleTiming} generates (each cell a
 * fixed function of row and column). For each row count it builds the frame, then profiles the
 * numerical columns alone, the categorical columns alone and the whole frame, {@code rounds}
 * times each, printing the wall time, the profiling thread's CPU time (the profile runs on one
 * thread; on a loaded machine the CPU time is the steadier figure) and the garbage collectors'
 * time and count over each profile.
 * Run with
 * {@code java -Xmx8g -cp mlops-bench/target/benchmarks.jar dev.mlops.bench.ProfileScaleTiming 1000000,3000000,10000000 20 2}
 * (add {@code -Xlog:gc} for every collection); numbers count only on an idle machine.
 *
 * <p>Arguments: row counts separated by commas (default 1,000,000), columns (default 20),
 * rounds (default 2; the first warms up), megabytes of live ballast held through the run
 * (default 0; to see the profile in a heap that also holds other data, as Spark's cache).
 */
public final class ProfileScaleTiming {
    private static final String[] CATEGORIES = {"a", "b", "c", "d", "e", "f", "g", "h"};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProfileScaleTiming() {
    }

    /** @param args row counts (comma-separated), columns, rounds */
    public static void main(String[] args) {
        String[] rowCounts = (args.length > 0 ? args[0] : "1000000").replace("_", "").split(",");
        int columns = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        // live data the profile shares the heap with, as it shares it with Spark's cache in SparkScaleTiming
        long[][] ballast = new long[args.length > 3 ? Integer.parseInt(args[3]) : 0][];
        int categorical = columns / 4;
        Schema schema = schema(columns, categorical);
        List<String> numericals = new ArrayList<>();
        List<String> categoricals = new ArrayList<>();
        for (Field f : schema.fields()) {
            (f.type().isNumeric() ? numericals : categoricals).add(f.name());
        }
        ProfileOptions options = ProfileOptions.defaults();
        System.out.printf(Locale.ROOT, "columns=%d (%d categorical), max heap %,d MB, ballast %,d MB%n", columns,
                categorical, Runtime.getRuntime().maxMemory() >> 20, ballast.length);
        for (String r : rowCounts) {
            int rows = Integer.parseInt(r);
            long t0 = System.nanoTime();
            Frame frame = frame(schema, rows, columns, categorical);
            System.out.printf(Locale.ROOT, "rows=%,d: frame built in %,.0f ms%n", rows, (System.nanoTime() - t0) / 1e6);
            for (int i = 0; i < ballast.length; i++) {
                if (ballast[i] == null) { // made after the first frame, which needs twice its size while it is built
                    ballast[i] = new long[1 << 17]; // 1 MiB each, small enough not to be humongous
                    Arrays.fill(ballast[i], i);
                }
            }
            Frame numerical = frame.select(numericals);
            Frame categoricalOnly = frame.select(categoricals);
            for (int round = 1; round <= rounds; round++) {
                time(rows, round, numericals.size() + " numerical", () -> ReferenceProfile.of(numerical, options));
                time(rows, round, categoricals.size() + " categorical", () -> ReferenceProfile.of(categoricalOnly, options));
                time(rows, round, "all " + columns, () -> ReferenceProfile.of(frame, options));
            }
        }
        System.out.printf(Locale.ROOT, "ballast check %d%n", ballast.length == 0 ? 0 : ballast[ballast.length - 1][0]);
    }

    private static void time(int rows, int round, String what, java.util.function.Supplier<ReferenceProfile> work) {
        long gcMillis = gcMillis();
        long gcCount = gcCount();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        ReferenceProfile p = work.get();
        double ms = (System.nanoTime() - t0) / 1e6;
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6;
        double values = (double) rows * p.columns().size();
        System.out.printf(Locale.ROOT, "rows=%,11d round %d %-16s %,9.0f ms (%,6.1f ns/value), this thread's cpu %,9.0f ms "
                + "(%,6.1f ns/value); gc %,6d ms in %d  %s%n", rows, round, what, ms, ms * 1e6 / values, cpuMs,
                cpuMs * 1e6 / values, gcMillis() - gcMillis, gcCount() - gcCount, p.sha256().substring(0, 12));
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    private static long gcCount() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionCount());
        }
        return t;
    }

    /** c0, c1, … doubles, the last {@code categorical} strings (as SparkScaleTiming). */
    static Schema schema(int columns, int categorical) {
        List<Field> fields = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            boolean cat = c >= columns - categorical;
            fields.add(new Field("c" + c, cat ? FieldType.STRING : FieldType.DOUBLE));
        }
        return new Schema(fields);
    }

    /** The reference side (side 0) of SparkScaleTiming's frame, value for value. */
    static Frame frame(Schema schema, int rows, int columns, int categorical) {
        List<Object> cols = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (c >= columns - categorical) {
                String[] s = new String[rows];
                for (int i = 0; i < rows; i++) {
                    s[i] = text(i, c);
                }
                cols.add(s);
            } else {
                double[] d = new double[rows];
                for (int i = 0; i < rows; i++) {
                    d[i] = number(i, c);
                }
                cols.add(d);
            }
        }
        return Frame.ofColumns(schema, cols);
    }

    /** A normal value (Box–Muller on two hashed uniforms), scaled and shifted by its column. */
    static double number(long row, int column) {
        double u1 = uniform(row, column, 0);
        double u2 = uniform(row, column, 1);
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return z * (1 + column) + column;
    }

    static String text(long row, int column) {
        double u = uniform(row, column, 3);
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
