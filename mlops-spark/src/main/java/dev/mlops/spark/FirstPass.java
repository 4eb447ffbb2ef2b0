package dev.mlops.spark;

import dev.mlops.drift.QuantileSketch;
import java.io.Serial;
import java.util.HashMap;
import java.util.TreeMap;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * The first pass of a profile: per numerical column the exact counts (non-missing, missing,
 * ±Infinity), the finite minimum, maximum and largest magnitude, a {@link QuantileSketch}, and the
 * exact count of each value while there are few distinct values; per categorical column the exact
 * count of every category. Everything merges: counts add, extremes combine, sketches merge.
 * Between tasks the summary travels as {@link Counts#encode} inside a {@link Buffer}, whose bean
 * encoder carries only those bytes. Package-private.
 */
final class FirstPass extends Aggregator<Row, FirstPass.Buffer, byte[]> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Distinct values counted exactly per numerical column; beyond, the map is dropped. */
    static final int VALUE_MAP_LIMIT = 64;

    private final int[] numeric;
    private final int[] categorical;
    private final int sketchK;

    FirstPass(int[] numeric, int[] categorical, int sketchK) {
        this.numeric = numeric.clone();
        this.categorical = categorical.clone();
        this.sketchK = sketchK;
    }

    /**
     * Public only because Spark's bean encoder requires it: the aggregation buffer, whose one
     * property is its summary's bytes ({@link Counts#encode}), so Spark ships those and nothing else.
     */
    public static final class Buffer {
        Counts counts;

        /** An empty buffer, for Spark's encoder, which then sets its bytes. */
        public Buffer() {
        }

        Buffer(Counts counts) {
            this.counts = counts;
        }

        /** @return the summary's bytes */
        public byte[] getBytes() {
            return counts.encode();
        }

        /** @param bytes a summary's bytes, as {@link #getBytes} gave them */
        public void setBytes(byte[] bytes) {
            counts = Counts.decode(bytes);
        }
    }

    /** The mergeable first-pass summary of some rows. */
    static final class Counts {
        /** The first byte of {@link #encode}: the version of the format. */
        static final byte FORMAT = 1;

        long rows;
        final long[] count;
        final long[] missing;
        final long[] negInf;
        final long[] posInf;
        final double[] finiteMin;
        final double[] finiteMax;
        final double[] largest;
        /** Value → count while a column has at most {@link FirstPass#VALUE_MAP_LIMIT} values, else null. */
        final TreeMap<Double, long[]>[] values;
        final QuantileSketch[] sketches;
        final HashMap<String, long[]>[] categories;
        final long[] categoryMissing;

        Counts(int numerical, int categorical, int sketchK) {
            this(numerical, categorical);
            for (int i = 0; i < numerical; i++) {
                values[i] = new TreeMap<>();
                sketches[i] = QuantileSketch.create(sketchK);
            }
            for (int i = 0; i < categorical; i++) {
                categories[i] = new HashMap<>();
            }
        }

        /** Empty extremes, no maps and no sketches yet: {@link #decode} fills them. */
        @SuppressWarnings({"unchecked", "rawtypes"}) // arrays of generic maps
        private Counts(int numerical, int categorical) {
            count = new long[numerical];
            missing = new long[numerical];
            negInf = new long[numerical];
            posInf = new long[numerical];
            finiteMin = new double[numerical];
            finiteMax = new double[numerical];
            largest = new double[numerical];
            values = new TreeMap[numerical];
            sketches = new QuantileSketch[numerical];
            for (int i = 0; i < numerical; i++) {
                finiteMin[i] = Double.POSITIVE_INFINITY;
                finiteMax[i] = Double.NEGATIVE_INFINITY;
            }
            categories = new HashMap[categorical];
            categoryMissing = new long[categorical];
        }

        void addNumber(int i, double v) {
            if (Double.isNaN(v)) {
                missing[i]++;
                return;
            }
            count[i]++;
            sketches[i].update(v);
            if (v == Double.NEGATIVE_INFINITY) {
                negInf[i]++;
            } else if (v == Double.POSITIVE_INFINITY) {
                posInf[i]++;
            } else {
                finiteMin[i] = Math.min(finiteMin[i], v);
                finiteMax[i] = Math.max(finiteMax[i], v);
                largest[i] = Math.max(largest[i], Math.abs(v));
            }
            TreeMap<Double, long[]> m = values[i];
            if (m != null) {
                m.computeIfAbsent(v, x -> new long[1])[0]++;
                if (m.size() > VALUE_MAP_LIMIT) {
                    values[i] = null;
                }
            }
        }

        void addText(int i, String v) {
            if (v == null) {
                categoryMissing[i]++;
            } else {
                categories[i].computeIfAbsent(v, x -> new long[1])[0]++;
            }
        }

        Counts mergeFrom(Counts o) {
            rows += o.rows;
            for (int i = 0; i < count.length; i++) {
                count[i] += o.count[i];
                missing[i] += o.missing[i];
                negInf[i] += o.negInf[i];
                posInf[i] += o.posInf[i];
                finiteMin[i] = Math.min(finiteMin[i], o.finiteMin[i]);
                finiteMax[i] = Math.max(finiteMax[i], o.finiteMax[i]);
                largest[i] = Math.max(largest[i], o.largest[i]);
                sketches[i].merge(o.sketches[i]);
                if (values[i] != null && o.values[i] != null) {
                    for (var e : o.values[i].entrySet()) {
                        values[i].computeIfAbsent(e.getKey(), x -> new long[1])[0] += e.getValue()[0];
                    }
                    if (values[i].size() > VALUE_MAP_LIMIT) {
                        values[i] = null;
                    }
                } else {
                    values[i] = null;
                }
            }
            for (int i = 0; i < categories.length; i++) {
                categoryMissing[i] += o.categoryMissing[i];
                for (var e : o.categories[i].entrySet()) {
                    categories[i].computeIfAbsent(e.getKey(), x -> new long[1])[0] += e.getValue()[0];
                }
            }
            return this;
        }

        /**
         * The summary as bytes: format byte ({@value #FORMAT}); the numbers of numerical and
         * categorical columns and the row count (varints); per numerical column its count, missing,
         * −Infinity and +Infinity counts (varints), finite min, max and largest magnitude (raw
         * doubles), its value counts (0 once dropped, else 1 + their number, then each value as a
         * raw double, ascending, and its count) and its sketch ({@link QuantileSketch#toBytes}, with
         * its length); per categorical column its missing count and its categories (their number,
         * then each as text and its count).
         */
        byte[] encode() {
            SummaryBytes.Writer out = new SummaryBytes.Writer(256 + 2048 * count.length + 64 * categories.length);
            out.writeByte(FORMAT).count(count.length).count(categories.length).count(rows);
            for (int i = 0; i < count.length; i++) {
                out.count(count[i]).count(missing[i]).count(negInf[i]).count(posInf[i]);
                out.number(finiteMin[i]).number(finiteMax[i]).number(largest[i]);
                TreeMap<Double, long[]> m = values[i];
                if (m == null) {
                    out.count(0);
                } else {
                    out.count(m.size() + 1L);
                    for (var e : m.entrySet()) {
                        out.number(e.getKey()).count(e.getValue()[0]);
                    }
                }
                out.bytes(sketches[i].toBytes());
            }
            for (int i = 0; i < categories.length; i++) {
                out.count(categoryMissing[i]).count(categories[i].size());
                for (var e : categories[i].entrySet()) {
                    out.text(e.getKey()).count(e.getValue()[0]);
                }
            }
            return out.toByteArray();
        }

        /**
         * Reads what {@link #encode} wrote.
         *
         * @throws IllegalArgumentException naming what is wrong if the bytes are truncated, of
         *     another format, hold a negative count, a length the bytes cannot back, values out of
         *     order or more than {@link #VALUE_MAP_LIMIT}, a repeated or missing category, a bad
         *     sketch, or go on after the last column
         */
        static Counts decode(byte[] bytes) {
            SummaryBytes.Reader in = new SummaryBytes.Reader(bytes, "first-pass summary", FORMAT);
            // a numerical column takes at least 4 counts, 3 doubles, a value-count header and a sketch length
            int numerical = in.length("numerical column count", 4 + 24 + 2);
            int categorical = in.length("categorical column count", 2);
            Counts c = new Counts(numerical, categorical);
            c.rows = in.count("row count");
            for (int i = 0; i < numerical; i++) {
                c.count[i] = in.count("count of numerical column " + i);
                c.missing[i] = in.count("missing count of numerical column " + i);
                c.negInf[i] = in.count("-Infinity count of numerical column " + i);
                c.posInf[i] = in.count("+Infinity count of numerical column " + i);
                c.finiteMin[i] = in.number("finite min of numerical column " + i);
                c.finiteMax[i] = in.number("finite max of numerical column " + i);
                c.largest[i] = in.number("largest magnitude of numerical column " + i);
                String field = "value counts of numerical column " + i;
                long header = in.count(field);
                if (header == 0) {
                    c.values[i] = null;
                } else if (header - 1 > VALUE_MAP_LIMIT) {
                    throw in.bad(field + ": " + (header - 1) + " values, expected at most " + VALUE_MAP_LIMIT);
                } else {
                    TreeMap<Double, long[]> m = new TreeMap<>();
                    double previous = Double.NaN;
                    for (long j = 0; j < header - 1; j++) {
                        double v = in.number(field);
                        if (j > 0 && Double.compare(v, previous) <= 0) {
                            throw in.bad(field + ": value " + v + " is not above the one before, " + previous);
                        }
                        m.put(v, new long[] {in.count(field)});
                        previous = v;
                    }
                    c.values[i] = m;
                }
                byte[] sketch = in.bytes("sketch of numerical column " + i);
                try {
                    c.sketches[i] = QuantileSketch.fromBytes(sketch);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("first-pass summary: sketch of numerical column " + i + ": "
                            + e.getMessage(), e);
                }
            }
            for (int i = 0; i < categorical; i++) {
                c.categoryMissing[i] = in.count("missing count of categorical column " + i);
                String field = "categories of categorical column " + i;
                int n = in.length(field, 2); // a category takes at least its text's header and a count
                HashMap<String, long[]> m = new HashMap<>(Math.max(16, n * 2));
                for (int j = 0; j < n; j++) {
                    String category = in.text(field);
                    if (category == null) {
                        throw in.bad(field + ": a category without text");
                    }
                    if (m.put(category, new long[] {in.count(field)}) != null) {
                        throw in.bad(field + ": category " + category + " twice");
                    }
                }
                c.categories[i] = m;
            }
            in.end("column");
            return c;
        }
    }

    @Override
    public Buffer zero() {
        return new Buffer(new Counts(numeric.length, categorical.length, sketchK));
    }

    @Override
    public Buffer reduce(Buffer buffer, Row row) {
        Counts b = buffer.counts;
        b.rows++;
        for (int i = 0; i < numeric.length; i++) {
            b.addNumber(i, SparkColumns.number(row, numeric[i]));
        }
        for (int i = 0; i < categorical.length; i++) {
            b.addText(i, SparkColumns.text(row, categorical[i]));
        }
        return buffer;
    }

    @Override
    public Buffer merge(Buffer a, Buffer b) {
        a.counts.mergeFrom(b.counts);
        return a;
    }

    /** The merged summary's bytes: the driver reads them with {@link Counts#decode}. */
    @Override
    public byte[] finish(Buffer b) {
        return b.counts.encode();
    }

    @Override
    public Encoder<Buffer> bufferEncoder() {
        return Encoders.bean(Buffer.class);
    }

    @Override
    public Encoder<byte[]> outputEncoder() {
        return Encoders.BINARY();
    }
}
