package dev.mlops.spark;

import java.io.Serial;
import java.io.Serializable;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * The second pass of a profile, once the first has fixed each numerical column's interval bin
 * edges, grid cut points and scale: exact counts per bin and per grid cell, and the mean and
 * the sum of squared deviations of the finite values (scaled down by the largest magnitude
 * beyond 1e150, as the in-process profile does), merged with Chan's formula. Package-private.
 */
final class SecondPass extends Aggregator<Row, SecondPass.Bins, SecondPass.Bins> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int[] numeric;
    /** Per column: interval edges, or empty when the bins are values (counted in the first pass). */
    private final double[][] edges;
    private final double[][] cuts;
    private final double[] scale;

    SecondPass(int[] numeric, double[][] edges, double[][] cuts, double[] scale) {
        this.numeric = numeric.clone();
        this.edges = edges.clone();
        this.cuts = cuts.clone();
        this.scale = scale.clone();
    }

    /** Public only because Spark's encoders require it. The mergeable second-pass summary of some rows. */
    public static final class Bins implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        final long[][] binCounts;
        /** cells[j]: values with exactly j cut points at or below them. */
        final long[][] cells;
        final long[] finite;
        final double[] mean;
        final double[] m2;

        Bins(double[][] edges, double[][] cuts) {
            int n = edges.length;
            binCounts = new long[n][];
            cells = new long[n][];
            finite = new long[n];
            mean = new double[n];
            m2 = new double[n];
            for (int i = 0; i < n; i++) {
                binCounts[i] = new long[Math.max(0, edges[i].length - 1)];
                cells[i] = new long[cuts[i].length + 1];
            }
        }

        Bins mergeFrom(Bins o) {
            for (int i = 0; i < finite.length; i++) {
                for (int j = 0; j < binCounts[i].length; j++) {
                    binCounts[i][j] += o.binCounts[i][j];
                }
                for (int j = 0; j < cells[i].length; j++) {
                    cells[i][j] += o.cells[i][j];
                }
                long na = finite[i];
                long nb = o.finite[i];
                if (nb == 0) {
                    continue;
                }
                if (na == 0) {
                    finite[i] = nb;
                    mean[i] = o.mean[i];
                    m2[i] = o.m2[i];
                    continue;
                }
                long n = na + nb;
                double delta = o.mean[i] - mean[i];
                mean[i] += delta * nb / n;
                m2[i] += o.m2[i] + delta * delta * ((double) na * nb / n);
                finite[i] = n;
            }
            return this;
        }
    }

    @Override
    public Bins zero() {
        return new Bins(edges, cuts);
    }

    @Override
    public Bins reduce(Bins b, Row row) {
        for (int i = 0; i < numeric.length; i++) {
            double v = SparkColumns.number(row, numeric[i]);
            if (Double.isNaN(v)) {
                continue;
            }
            if (edges[i].length > 0) {
                b.binCounts[i][intervalBin(edges[i], v)]++;
            }
            b.cells[i][cutsAtOrBelow(cuts[i], v)]++;
            if (Double.isFinite(v)) { // Welford
                double x = v / scale[i];
                long n = ++b.finite[i];
                double d = x - b.mean[i];
                b.mean[i] += d / n;
                b.m2[i] += d * (x - b.mean[i]);
            }
        }
        return b;
    }

    /**
     * The bin of a value as the in-process profile bins it: [e_i, e_i+1), the last bin closed,
     * below the first edge the first bin, above the last the last.
     */
    static int intervalBin(double[] edges, double v) {
        int bins = edges.length - 1;
        return Math.max(0, Math.min(bins - 1, cutsAtOrBelow(edges, v) - 1));
    }

    /** The number of sorted points at or below v. */
    static int cutsAtOrBelow(double[] points, double v) {
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (points[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public Bins merge(Bins a, Bins b) {
        return a.mergeFrom(b);
    }

    @Override
    public Bins finish(Bins b) {
        return b;
    }

    @Override
    public Encoder<Bins> bufferEncoder() {
        return Encoders.javaSerialization(Bins.class);
    }

    @Override
    public Encoder<Bins> outputEncoder() {
        return Encoders.javaSerialization(Bins.class);
    }
}
