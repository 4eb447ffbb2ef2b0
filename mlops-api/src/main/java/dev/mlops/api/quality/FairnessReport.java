package dev.mlops.api.quality;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-slice metrics of a sensitive column and the gaps between slices, as fairlearn defines them
 * with {@code method="between_groups"}.
 *
 * @param sensitive name of the sensitive column or grouping
 * @param positiveClass the class counted as a positive outcome
 * @param slices one entry per slice value, sorted by value
 * @param demographicParityDifference largest minus smallest selection rate
 * @param demographicParityRatio smallest over largest selection rate (1 when every selection
 *     rate is 0: all slices are treated alike)
 * @param equalizedOddsDifference the larger of the true-positive-rate difference and the
 *     false-positive-rate difference ({@code agg="worst_case"})
 * @param equalOpportunityDifference largest minus smallest true positive rate
 */
public record FairnessReport(String sensitive, String positiveClass, List<SliceMetrics> slices,
                             double demographicParityDifference, double demographicParityRatio,
                             double equalizedOddsDifference, double equalOpportunityDifference) {
    /** Copies lists and checks arguments. */
    public FairnessReport {
        Objects.requireNonNull(sensitive, "sensitive");
        Objects.requireNonNull(positiveClass, "positiveClass");
        slices = List.copyOf(slices);
    }

    /**
     * @return the gaps by name: {@code demographic_parity_difference},
     *     {@code demographic_parity_ratio}, {@code equalized_odds_difference},
     *     {@code equal_opportunity_difference}
     */
    public List<MetricValue> metrics() {
        return List.of(new MetricValue("demographic_parity_difference", demographicParityDifference),
                new MetricValue("demographic_parity_ratio", demographicParityRatio),
                new MetricValue("equalized_odds_difference", equalizedOddsDifference),
                new MetricValue("equal_opportunity_difference", equalOpportunityDifference));
    }

    /**
     * @param value a slice value
     * @return that slice's metrics, if present
     */
    public Optional<SliceMetrics> slice(String value) {
        Objects.requireNonNull(value, "value");
        return slices.stream().filter(s -> s.slice().equals(value)).findFirst();
    }
}
