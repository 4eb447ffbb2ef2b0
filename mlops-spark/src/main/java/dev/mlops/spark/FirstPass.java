package dev.mlops.spark;

import dev.mlops.drift.QuantileSketch;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
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
 * Package-private.
 */
final class FirstPass extends Aggregator<Row, FirstPass.Counts, FirstPass.Counts> {
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

    /** Public only because Spark's encoders require it. The mergeable first-pass summary of some rows. */
    public static final class Counts implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

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
        transient QuantileSketch[] sketches;
        /** The sketches as bytes while the summary travels (QuantileSketch is not Serializable). */
        private byte[][] sketchBytes;
        final HashMap<String, long[]>[] categories;
        final long[] categoryMissing;

        @SuppressWarnings({"unchecked", "rawtypes"}) // arrays of generic maps
        Counts(int numerical, int categorical, int sketchK) {
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
                values[i] = new TreeMap<>();
                sketches[i] = QuantileSketch.create(sketchK);
            }
            categories = new HashMap[categorical];
            for (int i = 0; i < categorical; i++) {
                categories[i] = new HashMap<>();
            }
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

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            sketchBytes = new byte[sketches.length][];
            for (int i = 0; i < sketches.length; i++) {
                sketchBytes[i] = sketches[i].toBytes();
            }
            out.defaultWriteObject();
            sketchBytes = null;
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            sketches = new QuantileSketch[sketchBytes.length];
            for (int i = 0; i < sketches.length; i++) {
                sketches[i] = QuantileSketch.fromBytes(sketchBytes[i]);
            }
            sketchBytes = null;
        }
    }

    @Override
    public Counts zero() {
        return new Counts(numeric.length, categorical.length, sketchK);
    }

    @Override
    public Counts reduce(Counts b, Row row) {
        b.rows++;
        for (int i = 0; i < numeric.length; i++) {
            b.addNumber(i, SparkColumns.number(row, numeric[i]));
        }
        for (int i = 0; i < categorical.length; i++) {
            b.addText(i, SparkColumns.text(row, categorical[i]));
        }
        return b;
    }

    @Override
    public Counts merge(Counts a, Counts b) {
        return a.mergeFrom(b);
    }

    @Override
    public Counts finish(Counts b) {
        return b;
    }

    @Override
    public Encoder<Counts> bufferEncoder() {
        return Encoders.javaSerialization(Counts.class);
    }

    @Override
    public Encoder<Counts> outputEncoder() {
        return Encoders.javaSerialization(Counts.class);
    }
}
