package dev.mlops.spark;

import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import java.io.Serial;
import java.io.Serializable;
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
 * as likely). Each task keeps its own lowest {@code size} in a bounded heap; Spark merges the
 * tasks' lists in a tree on the executors, so the driver receives a few lists of at most
 * {@code size} rows and the row count, nothing else. The
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
        Lowest lowest = data.javaRDD().mapPartitionsWithIndex((partition, rows) -> {
            Lowest l = new Lowest(size);
            long position = 0;
            while (rows.hasNext()) {
                Row row = rows.next();
                l.offer(new Sampled(priority(seed, partition, position), partition, position, row.copy()));
                position++;
            }
            l.rows = position;
            return List.of(l).iterator();
        }, true).treeAggregate(new Lowest(size), Lowest::merge, Lowest::merge); // a dataset without partitions: no rows
        List<Sampled> kept = new ArrayList<>(lowest.heap);
        kept.sort(Comparator.comparingInt(Sampled::partition).thenComparingLong(Sampled::position));
        return new Sample(frame(schema, kept), lowest.rows);
    }

    /** The rows as a frame holds them (numbers as doubles, NaN for null; the rest as text). */
    private static Frame frame(Schema schema, List<Sampled> rows) {
        List<Object> columns = new ArrayList<>();
        int n = rows.size();
        for (int c = 0; c < schema.fields().size(); c++) {
            Field f = schema.fields().get(c);
            if (f.type().isNumeric()) {
                double[] values = new double[n];
                for (int r = 0; r < n; r++) {
                    values[r] = SparkColumns.number(rows.get(r).row(), c);
                }
                columns.add(values);
            } else {
                String[] values = new String[n];
                for (int r = 0; r < n; r++) {
                    values[r] = SparkColumns.text(rows.get(r).row(), c);
                }
                columns.add(values);
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

    /** A sampled row and where it came from; the order of priorities, then places, is total. */
    record Sampled(long priority, int partition, long position, Row row) implements Serializable {
        int compareTo(Sampled o) {
            int c = Long.compare(priority, o.priority);
            if (c == 0) {
                c = Integer.compare(partition, o.partition);
            }
            return c != 0 ? c : Long.compare(position, o.position);
        }
    }

    /** Highest priority first; a class, because the heap travels with its comparator. */
    private static final class Highest implements Comparator<Sampled>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Sampled a, Sampled b) {
            return b.compareTo(a);
        }
    }

    /** The lowest-priority rows seen so far (a max-heap of at most {@code size}) and the rows counted. */
    static final class Lowest implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final int size;
        private final PriorityQueue<Sampled> heap;
        long rows;

        Lowest(int size) {
            this.size = size;
            this.heap = new PriorityQueue<>(Math.min(size, 1 << 16) + 1, new Highest());
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
            Iterator<Sampled> it = other.heap.iterator();
            while (it.hasNext()) {
                offer(it.next());
            }
            rows += other.rows;
            return this;
        }
    }
}
