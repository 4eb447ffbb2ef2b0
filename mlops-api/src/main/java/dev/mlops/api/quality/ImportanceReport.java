package dev.mlops.api.quality;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Permutation feature importance of a model on a labeled frame.
 *
 * @param metric the metric the importance is measured with
 * @param greaterIsBetter the metric's direction (importance is {@code baseline - permuted} when
 *     greater is better, else {@code permuted - baseline})
 * @param baseline the metric on the unshuffled frame
 * @param rows rows evaluated
 * @param repeats shuffles per feature
 * @param seed seed of the shuffles
 * @param features one entry per feature, in the order they were given
 */
public record ImportanceReport(String metric, boolean greaterIsBetter, double baseline, int rows, int repeats,
                               long seed, List<FeatureImportance> features) {
    /** Copies lists and checks arguments. */
    public ImportanceReport {
        Objects.requireNonNull(metric, "metric");
        features = List.copyOf(features);
    }

    /** @return the features by decreasing mean importance */
    public List<FeatureImportance> ranked() {
        return features.stream().sorted(Comparator.comparingDouble(FeatureImportance::mean).reversed()).toList();
    }

    /**
     * @param feature a column name
     * @return its importance, if it was measured
     */
    public Optional<FeatureImportance> feature(String feature) {
        Objects.requireNonNull(feature, "feature");
        return features.stream().filter(f -> f.feature().equals(feature)).findFirst();
    }
}
