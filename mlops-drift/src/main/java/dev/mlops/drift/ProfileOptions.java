package dev.mlops.drift;

import dev.mlops.api.Names;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ReferenceProfile#of(dev.mlops.api.Frame, ProfileOptions)} summarizes a reference.
 *
 * @param sketchK    k of each numerical column's {@link QuantileSketch} (default 200: ε = 0.0133)
 * @param topK       categories kept with their own count per categorical column; the rest are
 *                   counted together as "other" (default 100)
 * @param gridCells  cells of the exact reference CDF grid used by monitors (default 128): the
 *                   reference quantiles at i/gridCells are the cut points
 * @param binEdges   explicit interval bin edges per numerical column, instead of the default bins
 */
public record ProfileOptions(int sketchK, int topK, int gridCells, Map<String, double[]> binEdges) {

    /** Default k of the sketches. */
    public static final int DEFAULT_SKETCH_K = QuantileSketch.DEFAULT_K;
    /** Default number of categories kept per column. */
    public static final int DEFAULT_TOP_K = 100;
    /** Default number of grid cells. */
    public static final int DEFAULT_GRID_CELLS = 128;

    /**
     * Checks and copies.
     *
     * @param sketchK   sketch k
     * @param topK      categories kept
     * @param gridCells grid cells
     * @param binEdges  explicit edges
     */
    public ProfileOptions {
        if (sketchK < QuantileSketch.MIN_K || sketchK > QuantileSketch.MAX_K) {
            throw new IllegalArgumentException("sketchK must be in [" + QuantileSketch.MIN_K + ", " + QuantileSketch.MAX_K
                    + "], got " + sketchK);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (gridCells < 2 || gridCells > 4096) {
            throw new IllegalArgumentException("gridCells must be in [2, 4096], got " + gridCells);
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : Objects.requireNonNull(binEdges, "binEdges").entrySet()) {
            copy.put(e.getKey(), checkEdges(e.getKey(), e.getValue()).clone());
        }
        binEdges = java.util.Collections.unmodifiableMap(copy);
    }

    /** @return the defaults */
    public static ProfileOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param column a column name
     * @return a copy of its explicit edges, if set
     */
    public Optional<double[]> edgesFor(String column) {
        double[] e = binEdges.get(column);
        return e == null ? Optional.empty() : Optional.of(e.clone());
    }

    private static double[] checkEdges(String column, double[] edges) {
        Objects.requireNonNull(edges, "edges");
        if (edges.length < 2) {
            throw new IllegalArgumentException("bin edges of column " + Names.quote(column) + " need at least 2 values, got "
                    + edges.length);
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException("bin edges of column " + Names.quote(column)
                        + " must be finite and strictly increasing: " + Arrays.toString(edges));
            }
        }
        return edges;
    }

    /** Builds {@link ProfileOptions}; each setter checks its value at once. */
    public static final class Builder {
        private int sketchK = DEFAULT_SKETCH_K;
        private int topK = DEFAULT_TOP_K;
        private int gridCells = DEFAULT_GRID_CELLS;
        private final Map<String, double[]> binEdges = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param k sketch accuracy parameter
         * @return this
         */
        public Builder sketchK(int k) {
            if (k < QuantileSketch.MIN_K || k > QuantileSketch.MAX_K) {
                throw new IllegalArgumentException("sketchK must be in [" + QuantileSketch.MIN_K + ", " + QuantileSketch.MAX_K
                        + "], got " + k);
            }
            this.sketchK = k;
            return this;
        }

        /**
         * @param k categories kept per categorical column (the rest become "other")
         * @return this
         */
        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("topK must be at least 1, got " + k);
            }
            this.topK = k;
            return this;
        }

        /**
         * @param cells cells of the reference CDF grid, in [2, 4096]
         * @return this
         */
        public Builder gridCells(int cells) {
            if (cells < 2 || cells > 4096) {
                throw new IllegalArgumentException("gridCells must be in [2, 4096], got " + cells);
            }
            this.gridCells = cells;
            return this;
        }

        /**
         * Fixes the interval bins of a numerical column (values below the first edge count in the
         * first bin, values above the last in the last bin).
         *
         * @param column a numerical column
         * @param edges  finite, strictly increasing, at least 2
         * @return this
         */
        public Builder binEdges(String column, double[] edges) {
            Objects.requireNonNull(column, "column");
            binEdges.put(column, checkEdges(column, edges).clone());
            return this;
        }

        /** @return the options */
        public ProfileOptions build() {
            return new ProfileOptions(sketchK, topK, gridCells, binEdges);
        }
    }
}
