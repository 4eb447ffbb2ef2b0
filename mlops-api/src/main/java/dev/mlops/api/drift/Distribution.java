package dev.mlops.api.drift;

import java.util.List;

/**
 * Reference and current shares over common bins, as a report shows them.
 *
 * @param labels one label per bin: a category, or a numeric range such as {@code [1.5, 2.0)}
 * @param edges for numeric bins the bin edges ({@code labels.size() + 1} values), else empty
 * @param referenceShares share of reference values per bin (sums to 1 unless the column is empty)
 * @param currentShares share of current values per bin
 */
public record Distribution(List<String> labels, List<Double> edges, List<Double> referenceShares,
                           List<Double> currentShares) {
    /** Copies and checks sizes. */
    public Distribution {
        labels = List.copyOf(labels);
        edges = List.copyOf(edges);
        referenceShares = List.copyOf(referenceShares);
        currentShares = List.copyOf(currentShares);
        if (referenceShares.size() != labels.size() || currentShares.size() != labels.size()) {
            throw new IllegalArgumentException("every bin needs a label, a reference share and a current share");
        }
        if (!edges.isEmpty() && edges.size() != labels.size() + 1) {
            throw new IllegalArgumentException("numeric bins need labels.size() + 1 edges");
        }
    }
}
