package dev.mlops.drift;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reference and current shares over one set of bins: the input of the binned distances.
 *
 * <p>Built from samples by {@link BinnedDistances#shares(double[], double[])} or
 * {@link BinnedDistances#shares(String[], String[])}; a reference profile can build it from
 * stored reference-fixed bins with {@link #of}. The arrays are copied in and out, so an
 * instance is immutable.
 *
 * @param labels    one label per bin: "[a, b)" for a numerical interval, the value for a
 *                  one-bin-per-value numerical column, the category for a categorical one
 * @param edges     the bin edges (length = bins + 1) for interval bins, empty otherwise
 * @param reference share of the reference sample in each bin (each in [0, 1])
 * @param current   share of the current sample in each bin (each in [0, 1])
 */
public record BinnedShares(List<String> labels, double[] edges, double[] reference, double[] current) {

    /**
     * Checks and copies the components.
     *
     * @param labels    one label per bin
     * @param edges     interval edges, or empty
     * @param reference reference shares
     * @param current   current shares
     * @throws IllegalArgumentException if the lengths disagree, there is no bin, or a share is
     *                                  not in [0, 1]
     */
    public BinnedShares {
        labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
        edges = Objects.requireNonNull(edges, "edges").clone();
        reference = Objects.requireNonNull(reference, "reference").clone();
        current = Objects.requireNonNull(current, "current").clone();
        int bins = labels.size();
        if (bins == 0) {
            throw new IllegalArgumentException("there must be at least one bin");
        }
        if (reference.length != bins || current.length != bins) {
            throw new IllegalArgumentException("shares must have one value per bin: " + bins + " labels, "
                    + reference.length + " reference shares, " + current.length + " current shares");
        }
        if (edges.length != 0 && edges.length != bins + 1) {
            throw new IllegalArgumentException("edges must be empty or have bins + 1 = " + (bins + 1)
                    + " values, got " + edges.length);
        }
        for (int i = 0; i < bins; i++) {
            if (!(reference[i] >= 0 && reference[i] <= 1) || !(current[i] >= 0 && current[i] <= 1)) {
                throw new IllegalArgumentException("share of bin " + i + " is outside [0, 1]: reference "
                        + reference[i] + ", current " + current[i]);
            }
        }
    }

    /**
     * Creates shares for the given bins.
     *
     * @param labels    bin labels
     * @param edges     interval edges or an empty array
     * @param reference reference shares
     * @param current   current shares
     * @return the shares
     */
    public static BinnedShares of(List<String> labels, double[] edges, double[] reference, double[] current) {
        return new BinnedShares(labels, edges, reference, current);
    }

    /** @return a copy of the bin edges (empty when bins are values or categories) */
    @Override
    public double[] edges() {
        return edges.clone();
    }

    /** @return a copy of the reference shares */
    @Override
    public double[] reference() {
        return reference.clone();
    }

    /** @return a copy of the current shares */
    @Override
    public double[] current() {
        return current.clone();
    }

    /** Same bins and shares (arrays compared by content). */
    @Override
    public boolean equals(Object o) {
        return o instanceof BinnedShares s && labels.equals(s.labels) && Arrays.equals(edges, s.edges)
                && Arrays.equals(reference, s.reference) && Arrays.equals(current, s.current);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labels, Arrays.hashCode(edges), Arrays.hashCode(reference), Arrays.hashCode(current));
    }

    @Override
    public String toString() {
        return "BinnedShares[labels=" + labels + ", edges=" + Arrays.toString(edges) + ", reference="
                + Arrays.toString(reference) + ", current=" + Arrays.toString(current) + "]";
    }

    /** Internal access without copying. */
    double[] referenceShares() {
        return reference;
    }

    double[] currentShares() {
        return current;
    }
}
