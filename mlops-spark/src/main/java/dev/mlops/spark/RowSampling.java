package dev.mlops.spark;

import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A uniform sample of exactly {@code min(size, rows)} rows of a dataset, the same for the same
 * seed and partitioning: every row gets a priority, a hash of the seed, its partition's index and
 * its position in the partition (splitmix64), and the sample is the {@code size} rows of lowest
 * priority (bottom-k: the priorities are independent uniforms, so every subset of that size is
 * as likely). Each task keeps its own lowest {@code size} in a bounded heap (reading a row's cells
 * only when it enters); Spark merges the tasks' lists in a tree on the executors, so the driver
 * receives a few lists of at most {@code size} rows and the row count, nothing else, each as
 * our bytes ({@link Lowest#encode}). The
 * sampled rows come back in the dataset's order (partition, then position), so a sample that
 * holds every row is the dataset as {@code collect} gives it. Package-private.
 */
final class RowSampling {
    private RowSampling() {
    }

    /** The sampled rows as a frame, and how many rows the dataset has. */
    record Sample(Frame frame, long totalRows) {
    }

    static Sample sample(Dataset<Row> data, int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("sample size must be at least 1, got " + size);
        }
        Schema schema = SparkColumns.schema(data.schema());
        boolean[] numeric = new boolean[schema.fields().size()];
        for (int c = 0; c < numeric.length; c++) {
            numeric[c] = schema.fields().get(c).type().isNumeric();
        }
        int numbers = countTrue(numeric);
        int texts = numeric.length - numbers;
        // each task's lowest rows, and each merge of them, travel as Lowest.encode
        byte[] merged = data.javaRDD().mapPartitionsWithIndex((partition, rows) -> {
            Lowest l = new Lowest(size, numbers, texts);
            long position = 0;
            while (rows.hasNext()) {
                Row row = rows.next();
                long p = priority(seed, partition, position);
                if (l.wouldKeep(p, partition, position)) {
                    l.offer(sampled(p, partition, position, row, numeric, numbers));
                }
                position++;
            }
            l.rows = position;
            return List.of(l.encode()).iterator();
        }, true).treeAggregate(new Lowest(size, numbers, texts).encode(), RowSampling::merge, RowSampling::merge);
        Lowest lowest = Lowest.decode(merged); // a dataset without partitions: no rows
        List<Sampled> kept = lowest.kept();
        kept.sort(Comparator.comparingInt(Sampled::partition).thenComparingLong(Sampled::position));
        return new Sample(frame(schema, numeric, kept), lowest.rows);
    }

    private static int countTrue(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** A row's cells as a frame holds them (numbers as doubles, NaN for null; the rest as text). */
    private static Sampled sampled(long priority, int partition, long position, Row row, boolean[] numeric, int numbers) {
        double[] n = new double[numbers];
        String[] t = new String[numeric.length - numbers];
        int ni = 0;
        int ti = 0;
        for (int c = 0; c < numeric.length; c++) {
            if (numeric[c]) {
                n[ni++] = SparkColumns.number(row, c);
            } else {
                t[ti++] = SparkColumns.text(row, c);
            }
        }
        return new Sampled(priority, partition, position, n, t);
    }

    /** Two tasks' (or merges') lowest rows, merged. */
    private static byte[] merge(byte[] a, byte[] b) {
        return Lowest.decode(a).merge(Lowest.decode(b)).encode();
    }

    /** The sampled rows as a frame. */
    private static Frame frame(Schema schema, boolean[] numeric, List<Sampled> rows) {
        List<Object> columns = new ArrayList<>();
        int n = rows.size();
        int ni = 0;
        int ti = 0;
        for (int c = 0; c < numeric.length; c++) {
            if (numeric[c]) {
                double[] values = new double[n];
                for (int r = 0; r < n; r++) {
                    values[r] = rows.get(r).numbers()[ni];
                }
                columns.add(values);
                ni++;
            } else {
                String[] values = new String[n];
                for (int r = 0; r < n; r++) {
                    values[r] = rows.get(r).texts()[ti];
                }
                columns.add(values);
                ti++;
            }
        }
        return Frame.ofColumns(schema, columns);
    }

    /** splitmix64 of the seed, the partition and the position: a row's uniform priority. */
    static long priority(long seed, int partition, long position) {
        long z = mix(mix(seed + 0x9E3779B97F4A7C15L * (partition + 1L)) + position * 0xBF58476D1CE4E5B9L);
        return z >>> 1; // non-negative, so that plain comparison orders them
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A sampled row, where it came from and its cells (the numerical columns' as doubles, the
     * others' as text, in column order); the order of priorities, then places, is total.
     */
    record Sampled(long priority, int partition, long position, double[] numbers, String[] texts) {
        int compareTo(Sampled o) {
            return compare(priority, partition, position, o);
        }

        static int compare(long priority, int partition, long position, Sampled o) {
            int c = Long.compare(priority, o.priority);
            if (c == 0) {
                c = Integer.compare(partition, o.partition);
            }
            return c != 0 ? c : Long.compare(position, o.position);
        }
    }

    /**
     * The lowest-priority rows seen so far (a max-heap of at most {@code size}) and the rows
     * counted. It travels as {@link #encode}.
     */
    static final class Lowest {
        /** The first byte of {@link #encode}: the version of the format. */
        static final byte FORMAT = 1;

        private final int size;
        private final int numbers;
        private final int texts;
        private final PriorityQueue<Sampled> heap;
        long rows;

        Lowest(int size, int numbers, int texts) {
            this.size = size;
            this.numbers = numbers;
            this.texts = texts;
            this.heap = new PriorityQueue<>(Math.min(size, 1 << 16) + 1, (a, b) -> b.compareTo(a));
        }

        /** @return the rows kept, in no order */
        List<Sampled> kept() {
            return new ArrayList<>(heap);
        }

        /** Whether a row of this priority and place would enter the heap (so that its cells are read only then). */
        boolean wouldKeep(long priority, int partition, long position) {
            return heap.size() < size || Sampled.compare(priority, partition, position, heap.peek()) < 0;
        }

        void offer(Sampled s) {
            if (heap.size() < size) {
                heap.add(s);
            } else if (s.compareTo(heap.peek()) < 0) {
                heap.poll();
                heap.add(s);
            }
        }

        Lowest merge(Lowest other) {
            if (other.size != size || other.numbers != numbers || other.texts != texts) {
                throw new IllegalArgumentException("row samples of " + size + " rows of " + numbers + " + " + texts
                        + " columns and of " + other.size + " rows of " + other.numbers + " + " + other.texts
                        + " columns do not merge");
            }
            Iterator<Sampled> it = other.heap.iterator();
            while (it.hasNext()) {
                offer(it.next());
            }
            rows += other.rows;
            return this;
        }

        /**
         * The sample as bytes: format byte ({@value #FORMAT}); the sample size, the rows counted,
         * the numbers of numerical and other columns and of rows kept (varints); per kept row its
         * priority (8 bytes), partition and position (varints), numerical cells (raw doubles) and
         * other cells (nullable text).
         */
        byte[] encode() {
            SummaryBytes.Writer out = new SummaryBytes.Writer(32 + heap.size() * (16 + 8 * numbers + 8 * texts));
            out.writeByte(FORMAT).count(size).count(rows).count(numbers).count(texts).count(heap.size());
            for (Sampled s : heap) {
                out.fixedLong(s.priority()).count(s.partition()).count(s.position());
                for (double v : s.numbers()) {
                    out.number(v);
                }
                for (String t : s.texts()) {
                    out.text(t);
                }
            }
            return out.toByteArray();
        }

        /**
         * Reads what {@link #encode} wrote.
         *
         * @throws IllegalArgumentException naming what is wrong if the bytes are truncated, of
         *     another format, hold a negative count, more rows than the sample size or than the
         *     bytes could, or go on after the last row
         */
        static Lowest decode(byte[] bytes) {
            SummaryBytes.Reader in = new SummaryBytes.Reader(bytes, "row sample", FORMAT);
            long size = in.count("sample size");
            if (size < 1 || size > Integer.MAX_VALUE) {
                throw in.bad("sample size is " + size + ", expected 1 to " + Integer.MAX_VALUE);
            }
            long rows = in.count("row count");
            long numbers = in.count("numerical column count");
            long texts = in.count("other column count");
            if (numbers + texts > Integer.MAX_VALUE / 16) { // no sum overflows; no Spark row is that wide
                throw in.bad(numbers + " + " + texts + " columns, expected at most " + Integer.MAX_VALUE / 16);
            }
            // a row takes at least its priority, partition, position, 8 bytes a number and 1 a text
            int kept = in.length("kept rows", (int) (10 + 8 * numbers + texts), (int) size);
            Lowest l = new Lowest((int) size, (int) numbers, (int) texts);
            l.rows = rows;
            for (int r = 0; r < kept; r++) {
                long priority = in.fixedLong("priority");
                if (priority < 0) {
                    throw in.bad("kept row " + r + " has priority " + priority + ", expected >= 0");
                }
                long partition = in.count("partition");
                if (partition > Integer.MAX_VALUE) {
                    throw in.bad("kept row " + r + " has partition " + partition + ", beyond " + Integer.MAX_VALUE);
                }
                long position = in.count("position");
                double[] n = new double[(int) numbers];
                for (int c = 0; c < numbers; c++) {
                    n[c] = in.number("numerical cells");
                }
                String[] t = new String[(int) texts];
                for (int c = 0; c < texts; c++) {
                    t[c] = in.text("other cells");
                }
                l.offer(new Sampled(priority, (int) partition, position, n, t));
            }
            in.end("row");
            return l;
        }
    }
}
