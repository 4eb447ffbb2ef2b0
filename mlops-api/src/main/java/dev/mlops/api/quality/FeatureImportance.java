package dev.mlops.api.quality;

import java.util.List;
import java.util.Objects;

/**
 * Permutation importance of one feature: the drop in the metric (oriented so that positive
 * means the feature helps) when the feature's column is shuffled.
 *
 * @param feature column name
 * @param mean mean importance over the repeats ({@code importances_mean})
 * @param std population standard deviation over the repeats ({@code importances_std}, numpy's ddof=0)
 * @param importances the importance of every repeat, in order
 */
public record FeatureImportance(String feature, double mean, double std, List<Double> importances) {
    /** Copies lists and checks arguments. */
    public FeatureImportance {
        Objects.requireNonNull(feature, "feature");
        importances = List.copyOf(importances);
    }
}
