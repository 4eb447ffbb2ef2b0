package dev.mlops.spark;

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
     * for value bins), the grid's cut points and the scale of the moments. It stays on the driver:
     * the scan's function carries its arrays of numbers.
     */
    record Spec(double[][] edges, double[][] cuts, double[] scale) {
    }

    /** The mergeable second-pass summary of some rows; it crosses the shuffle as {@link #encode}. */
    static final class Bins {
        /** The first byte of {@link #encode}: the version of the format. */
        static final byte FORMAT = 1;

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

        /**
         * Its bytes for the shuffle: format byte ({@value #FORMAT}), the column count, then per
         * column its bin counts and cell counts (a length, then each count) and its finite count
         * (varints), mean and sum of squared deviations (raw doubles). Reading them back
         * instantiates nothing.
         */
        byte[] encode() {
            int longs = 0;
            for (int i = 0; i < finite.length; i++) {
                longs += binCounts[i].length + cells[i].length;
            }
            SummaryBytes.Writer out = new SummaryBytes.Writer(8 + 30 * finite.length + 3 * longs).writeByte(FORMAT);
            out.count(finite.length);
            for (int i = 0; i < finite.length; i++) {
                writeCounts(out, binCounts[i]);
                writeCounts(out, cells[i]);
                out.count(finite[i]).number(mean[i]).number(m2[i]);
            }
            return out.toByteArray();
        }

        /**
         * Reads what {@link #encode} wrote.
         *
         * @throws IllegalArgumentException naming what is wrong if the bytes are truncated, of
         *     another format, hold a negative count or a length the bytes cannot back, or go on after
         *     the last column
         */
        static Bins decode(byte[] b) {
            SummaryBytes.Reader in = new SummaryBytes.Reader(b, "second-pass summary", FORMAT);
            // a column takes at least 2 lengths, a count and 2 doubles
            int n = in.length("column count", 19);
            long[][] binCounts = new long[n][];
            long[][] cells = new long[n][];
            long[] finite = new long[n];
            double[] mean = new double[n];
            double[] m2 = new double[n];
            for (int i = 0; i < n; i++) {
                binCounts[i] = readCounts(in, "bin counts of column " + i);
                cells[i] = readCounts(in, "cell counts of column " + i);
                finite[i] = in.count("finite count of column " + i);
                mean[i] = in.number("mean of column " + i);
                m2[i] = in.number("squared deviations of column " + i);
            }
            in.end("column");
            return new Bins(binCounts, cells, finite, mean, m2);
        }

        private static void writeCounts(SummaryBytes.Writer out, long[] values) {
            out.count(values.length);
            for (long v : values) {
                out.count(v);
            }
        }

        private static long[] readCounts(SummaryBytes.Reader in, String field) {
            long[] values = new long[in.length(field, 1)];
            for (int j = 0; j < values.length; j++) {
                values[j] = in.count(field);
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
