package dev.mlops.spark;

import java.io.Serial;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The profile's second scan over the numerical columns: the exact number of distinct values of
 * the wide columns (NaN left out, −0.0 and 0.0 one value, as the in-process profile counts them)
 * and, when asked, the second pass ({@link SecondPass.Bins}). Not Spark's
 * {@code count(distinct)}: that one expands every row once per column and hash-aggregates every
 * (column, value) pair as a group, which took 90 s for 1 M rows × 15 columns on local[2].
 *
 * <p>Instead each task reads its rows in chunks, sorts each column's chunk as order-preserving
 * long keys (which also lets it count bins and grid cells by one walk), drops repeats, and cuts
 * the sorted values into value ranges (buckets) at cut points fixed on the driver from the first
 * pass's sketch quantiles. Each (column, bucket) slice travels as one byte array (delta-coded
 * varints); a task's second-pass summary travels under a key of its own. After the shuffle the
 * slices of a key are merged as sorted sets; since a value always falls into the same bucket of
 * its column, a column's distinct count is the sum of its buckets' merged sizes. Only those sums
 * and the merged summary reach the driver. Package-private.
 */
final class DistinctCounting {
    /** Rows read before a task sorts and ships their values: bounds a task's memory. */
    static final int DEFAULT_CHUNK_VALUES = 1 << 22;

    private DistinctCounting() {
    }

    /** The key under which each task sends its second-pass summary; buckets have keys from 0. */
    private static final int BINS_KEY = -1;

    /** What the pass gives: the merged second-pass summary (when asked for) and the distinct counts. */
    record Result(SecondPass.Bins bins, long[] distinct) {
    }

    /**
     * A reduced key: a bucket's distinct size, or the merged second-pass summary. It reaches the
     * driver as {@link #encode}: format byte, then 0, the key and the size (varints), or 1 and the
     * summary's own bytes.
     */
    record Reduced(int key, long size, SecondPass.Bins bins) {
        static final byte FORMAT = 1;

        byte[] encode() {
            SummaryBytes.Writer out = new SummaryBytes.Writer(bins == null ? 24 : 64).writeByte(FORMAT);
            if (bins == null) {
                return out.writeByte(0).count(key).count(size).toByteArray();
            }
            return out.writeByte(1).bytes(bins.encode()).toByteArray();
        }

        /**
         * Reads what {@link #encode} wrote.
         *
         * @throws IllegalArgumentException naming what is wrong with truncated or corrupt bytes
         */
        static Reduced decode(byte[] b) {
            SummaryBytes.Reader in = new SummaryBytes.Reader(b, "reduced distinct count", FORMAT);
            int kind = in.readByte("kind");
            Reduced r;
            if (kind == 0) {
                long key = in.count("bucket");
                if (key > Integer.MAX_VALUE) {
                    throw in.bad("bucket is " + key + ", beyond " + Integer.MAX_VALUE);
                }
                r = new Reduced((int) key, in.count("distinct size"), null);
            } else if (kind == 1) {
                r = new Reduced(BINS_KEY, 0, SecondPass.Bins.decode(in.bytes("second-pass summary")));
            } else {
                throw in.bad("kind " + kind + ", expected 0 (a bucket's size) or 1 (the second-pass summary)");
            }
            in.end("field");
            return r;
        }
    }

    /**
     * The distinct counts alone.
     *
     * @param data        the rows
     * @param names       the columns to count
     * @param bucketCuts  per column, ascending cut points between its value ranges (any values,
     *                    including none: they only spread the work, the count does not depend on them)
     * @param buckets     the number of value ranges per column, and of reduce tasks; at least
     *                    one more than each column's cut points
     * @param chunkValues values (rows × columns) a task gathers before it sorts them
     * @return the distinct count of each column
     */
    static long[] count(Dataset<Row> data, List<String> names, double[][] bucketCuts, int buckets, int chunkValues) {
        boolean[] all = new boolean[names.size()];
        Arrays.fill(all, true);
        return run(data, names, all, bucketCuts, buckets, chunkValues, null).distinct();
    }

    /**
     * One scan of the numerical columns: the distinct counts of the columns that ask for them,
     * and, when {@code second} is given, the profile's second pass over every column (counts per
     * bin and grid cell, from each sorted chunk by one walk instead of a search per value; merged
     * moments, per row as before).
     *
     * @param data          the rows
     * @param names         the numerical columns
     * @param countDistinct which of them to count distinct values of
     * @param bucketCuts    per column, ascending cut points between its value ranges (ignored
     *                      where no count is asked)
     * @param buckets       value ranges per column, and reduce tasks
     * @param chunkValues   values (rows × columns) a task gathers before it sorts them
     * @param second        interval bin edges, grid cuts and scale per column, or null
     * @return the merged summary (null without {@code second}) and the distinct counts (0 where not asked)
     */
    static Result run(Dataset<Row> data, List<String> names, boolean[] countDistinct, double[][] bucketCuts, int buckets,
            int chunkValues, SecondPass.Spec second) {
        int columns = names.size();
        long[] out = new long[columns];
        if (columns == 0) {
            return new Result(second == null ? null : new SecondPass.Bins(new double[0][], new double[0][]), out);
        }
        long[][] cutKeys = new long[columns][];
        for (int c = 0; c < columns; c++) {
            if (bucketCuts[c].length >= buckets) {
                throw new IllegalArgumentException("column " + c + " has " + bucketCuts[c].length + " cuts for "
                        + buckets + " buckets");
            }
            cutKeys[c] = Arrays.stream(bucketCuts[c]).mapToLong(DistinctCounting::key).sorted().distinct().toArray();
        }
        int chunkRows = Math.max(1, chunkValues / columns);
        // only these columns become Row cells (decoding the others, strings above all, costs as much as counting)
        Dataset<Row> projected = data.select(names.stream().map(SparkColumns::column).toArray(Column[]::new));
        // no map-side combine: a task's slices of one key are merged with the others' after the shuffle, once
        // what reaches the driver is our bytes, read back by Reduced.decode
        List<byte[]> reduced = projected.javaRDD()
                .mapPartitionsToPair(new Slicing(countDistinct.clone(), cutKeys, buckets, chunkRows, second))
                .groupByKey(new HashPartitioner(buckets))
                .map(t -> (t._1() == BINS_KEY ? new Reduced(BINS_KEY, 0, mergeBins(t._2()))
                        : new Reduced(t._1(), unionSize(t._2()), null)).encode())
                .collect();
        SecondPass.Bins bins = null;
        for (byte[] bytes : reduced) {
            Reduced r = Reduced.decode(bytes);
            if (r.key() == BINS_KEY) {
                bins = r.bins();
            } else {
                out[r.key() / buckets] += r.size();
            }
        }
        if (second != null && bins == null) { // no partition at all
            bins = new SecondPass.Bins(second.edges(), second.cuts());
        }
        return new Result(bins, out);
    }

    private static SecondPass.Bins mergeBins(Iterable<byte[]> parts) {
        SecondPass.Bins merged = null;
        for (byte[] p : parts) {
            SecondPass.Bins b = SecondPass.Bins.decode(p);
            merged = merged == null ? b : merged.mergeFrom(b);
        }
        return merged;
    }

    /**
     * An order-preserving long for a non-NaN double, −0.0 taken as 0.0: signed comparison of
     * keys is numerical comparison of the values.
     */
    static long key(double v) {
        long bits = Double.doubleToRawLongBits(v == 0.0 ? 0.0 : v);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /** A task's rows → one slice per (column, bucket) and chunk. */
    private static final class Slicing implements PairFlatMapFunction<Iterator<Row>, Integer, byte[]> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final boolean[] countDistinct;
        private final long[][] cutKeys;
        private final int buckets;
        private final int chunkRows;
        /** The second pass's bin edges and grid cuts (keys and values) and scales, or null: numbers only. */
        private final double[][] edges;
        private final double[][] cuts;
        private final double[] scale;
        private final long[][] gridKeys;
        private final long[][] edgeKeys;

        Slicing(boolean[] countDistinct, long[][] cutKeys, int buckets, int chunkRows, SecondPass.Spec second) {
            this.countDistinct = countDistinct;
            this.cutKeys = cutKeys;
            this.buckets = buckets;
            this.chunkRows = chunkRows;
            this.edges = second == null ? null : second.edges();
            this.cuts = second == null ? null : second.cuts();
            this.scale = second == null ? null : second.scale();
            this.gridKeys = second == null ? null : keysOf(second.cuts());
            this.edgeKeys = second == null ? null : keysOf(second.edges());
        }

        private static long[][] keysOf(double[][] points) {
            long[][] out = new long[points.length][];
            for (int c = 0; c < points.length; c++) {
                out[c] = Arrays.stream(points[c]).mapToLong(DistinctCounting::key).toArray();
            }
            return out;
        }

        @Override
        public Iterator<Tuple2<Integer, byte[]>> call(Iterator<Row> rows) {
            return new SliceIterator(rows);
        }

        /** Reads a chunk of rows only when the slices of the last one have been taken. */
        private final class SliceIterator implements Iterator<Tuple2<Integer, byte[]>> {
            private final Iterator<Row> rows;
            private final ArrayDeque<Tuple2<Integer, byte[]>> pending = new ArrayDeque<>();
            private final long[][] keys = new long[countDistinct.length][];
            private final int[] filled = new int[countDistinct.length];
            private final SecondPass.Bins bins = edges == null ? null : new SecondPass.Bins(edges, cuts);
            private boolean binsSent = edges == null;

            SliceIterator(Iterator<Row> rows) {
                this.rows = rows;
            }

            @Override
            public boolean hasNext() {
                while (pending.isEmpty() && rows.hasNext()) {
                    readChunk();
                }
                if (pending.isEmpty() && !binsSent) {
                    pending.add(new Tuple2<>(BINS_KEY, bins.encode()));
                    binsSent = true;
                }
                return !pending.isEmpty();
            }

            @Override
            public Tuple2<Integer, byte[]> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.poll();
            }

            private void readChunk() {
                for (int c = 0; c < keys.length; c++) {
                    if (keys[c] == null) {
                        keys[c] = new long[chunkRows];
                    }
                    filled[c] = 0;
                }
                for (int r = 0; r < chunkRows && rows.hasNext(); r++) {
                    Row row = rows.next();
                    for (int c = 0; c < keys.length; c++) {
                        double v = SparkColumns.number(row, c);
                        if (!Double.isNaN(v)) {
                            keys[c][filled[c]++] = key(v);
                            if (bins != null && Double.isFinite(v)) {
                                bins.addMoment(c, v / scale[c]);
                            }
                        }
                    }
                }
                for (int c = 0; c < keys.length; c++) {
                    long[] k = keys[c];
                    int n = filled[c];
                    Arrays.sort(k, 0, n);
                    if (bins != null) {
                        countSorted(c, k, n);
                    }
                    if (!countDistinct[c]) {
                        continue;
                    }
                    n = unique(k, n);
                    long[] bucketCuts = cutKeys[c];
                    int from = 0;
                    for (int b = 0; b <= bucketCuts.length && from < n; b++) {
                        // bucket b: keys below bucketCuts[b] (the last bucket: all the rest)
                        int to = b < bucketCuts.length ? lowerBound(k, from, n, bucketCuts[b]) : n;
                        if (to > from) {
                            pending.add(new Tuple2<>(c * buckets + b, encode(k, from, to)));
                        }
                        from = to;
                    }
                }
            }

            /**
             * Counts sorted keys into grid cells (cell j: exactly j cuts at or below the value) and
             * interval bins as the in-process profile bins ([e_i, e_i+1), the last bin closed, below
             * the first edge the first bin, above the last the last), walking both point lists once.
             */
            private void countSorted(int c, long[] k, int n) {
                long[] grid = gridKeys[c];
                long[] edgeKey = edgeKeys[c];
                long[] cells = bins.cells[c];
                long[] binCounts = bins.binCounts[c];
                int lastBin = edgeKey.length - 2;
                int cell = 0;
                int edge = 0;
                for (int i = 0; i < n; i++) {
                    long v = k[i];
                    while (cell < grid.length && grid[cell] <= v) {
                        cell++;
                    }
                    cells[cell]++;
                    if (edgeKey.length > 0) {
                        while (edge < edgeKey.length && edgeKey[edge] <= v) {
                            edge++;
                        }
                        binCounts[Math.max(0, Math.min(lastBin, edge - 1))]++;
                    }
                }
            }
        }
    }

    /** Drops repeats from sorted keys[0, n), returning how many stay. */
    static int unique(long[] keys, int n) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w == 0 || keys[i] != keys[w - 1]) {
                keys[w++] = keys[i];
            }
        }
        return w;
    }

    /** The first index in sorted keys[from, to) whose key is at least {@code key}. */
    static int lowerBound(long[] keys, int from, int to, long key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first byte of a slice ({@link #encode}): the version of its format. */
    static final byte SLICE_FORMAT = 1;

    /**
     * Sorted distinct keys as bytes: format byte ({@value #SLICE_FORMAT}), the count (varint),
     * then the first key and each next key's distance from the one before as unsigned varints
     * (distances of distinct sorted keys are at least 1 and fit 64 unsigned bits).
     */
    static byte[] encode(long[] keys, int from, int to) {
        // the format byte, then at most 10 bytes a varint: the count's, then the keys'
        byte[] out = new byte[11 + (to - from) * 10];
        out[0] = SLICE_FORMAT;
        int at = writeVarint(out, 1, to - from);
        long previous = 0;
        for (int i = from; i < to; i++) {
            at = writeVarint(out, at, keys[i] - previous);
            previous = keys[i];
        }
        return Arrays.copyOf(out, at);
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException naming what is wrong if the bytes are truncated, of another
     *     format, hold more keys than bytes, keys out of order or repeated, or go on after the last key
     */
    static long[] decode(byte[] bytes) {
        SummaryBytes.Reader in = new SummaryBytes.Reader(bytes, "distinct-value slice", SLICE_FORMAT);
        long[] keys = new long[in.length("key count", 1)];
        long previous = 0;
        for (int i = 0; i < keys.length; i++) {
            long next = previous + in.varint("keys");
            if (i > 0 && next <= previous) {
                throw in.bad("key " + i + " is not above the one before");
            }
            keys[i] = next;
            previous = next;
        }
        in.end("key");
        return keys;
    }

    /** The size of the union of encoded sorted sets. */
    static long unionSize(Iterable<byte[]> slices) {
        ArrayDeque<long[]> sets = new ArrayDeque<>();
        for (byte[] s : slices) {
            sets.add(decode(s));
        }
        // pairwise, smallest first in effect: each round halves the number of sets
        while (sets.size() > 1) {
            sets.add(union(sets.poll(), sets.poll()));
        }
        return sets.isEmpty() ? 0 : sets.peek().length;
    }

    /** The union of two sorted sets. */
    static long[] union(long[] x, long[] y) {
        long[] merged = new long[x.length + y.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < x.length || j < y.length) {
            long next;
            if (j == y.length || (i < x.length && x[i] < y[j])) {
                next = x[i++];
            } else if (i == x.length || y[j] < x[i]) {
                next = y[j++];
            } else {
                next = x[i++];
                j++;
            }
            merged[n++] = next;
        }
        return Arrays.copyOf(merged, n);
    }

    private static int writeVarint(byte[] out, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            out[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }
}
