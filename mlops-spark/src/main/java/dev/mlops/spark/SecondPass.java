package dev.mlops.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * The second pass of a profile, once the first has fixed each numerical column's interval bin
 * edges, grid cut points and scale: exact counts per bin and per grid cell, and the mean and
 * the sum of squared deviations of the finite values (scaled down by the largest magnitude
 * beyond 1e150, as the in-process profile does), merged with Chan's formula. The scan itself is
 * {@link DistinctCounting#run}, which sorts each column's chunk anyway and so counts bins and
 * cells by one walk. Package-private.
 */
final class SecondPass {
    private SecondPass() {
    }

    /**
     * What the second pass needs from the first, per numerical column: interval bin edges (empty
     * for value bins), the grid's cut points and the scale of the moments.
     */
    record Spec(double[][] edges, double[][] cuts, double[] scale) implements Serializable {
    }

    /** The mergeable second-pass summary of some rows. */
    static final class Bins implements Serializable {
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

        /** Welford's update of column i's moments with a finite, scaled value. */
        void addMoment(int i, double x) {
            long n = ++finite[i];
            double d = x - mean[i];
            mean[i] += d / n;
            m2[i] += d * (x - mean[i]);
        }

        private Bins(long[][] binCounts, long[][] cells, long[] finite, double[] mean, double[] m2) {
            this.binCounts = binCounts;
            this.cells = cells;
            this.finite = finite;
            this.mean = mean;
            this.m2 = m2;
        }

        /** Its bytes for the shuffle: plain numbers, so reading them back instantiates nothing. */
        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(finite.length);
                for (int i = 0; i < finite.length; i++) {
                    writeLongs(out, binCounts[i]);
                    writeLongs(out, cells[i]);
                    out.writeLong(finite[i]);
                    out.writeDouble(mean[i]);
                    out.writeDouble(m2[i]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** Reads what {@link #encode} wrote. */
        static Bins decode(byte[] b) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
                int n = in.readInt();
                long[][] binCounts = new long[n][];
                long[][] cells = new long[n][];
                long[] finite = new long[n];
                double[] mean = new double[n];
                double[] m2 = new double[n];
                for (int i = 0; i < n; i++) {
                    binCounts[i] = readLongs(in);
                    cells[i] = readLongs(in);
                    finite[i] = in.readLong();
                    mean[i] = in.readDouble();
                    m2[i] = in.readDouble();
                }
                if (in.read() != -1) {
                    throw new IllegalStateException("second-pass summary: bytes after its last column");
                }
                return new Bins(binCounts, cells, finite, mean, m2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
            out.writeInt(values.length);
            for (long v : values) {
                out.writeLong(v);
            }
        }

        private static long[] readLongs(DataInputStream in) throws IOException {
            long[] values = new long[in.readInt()];
            for (int j = 0; j < values.length; j++) {
                values[j] = in.readLong();
            }
            return values;
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
}
