package dev.mlops.quality;

import static dev.mlops.json.testing.FormatProperties.anyDouble;
import static dev.mlops.json.testing.FormatProperties.assertUserRoundTrip;
import static dev.mlops.json.testing.FormatProperties.finite;
import static dev.mlops.json.testing.FormatProperties.text;

import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.SliceMetrics;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every quality document, over random values (non-finite numbers included): written, then read,
 * is equal to what was written, and with any one key repeated is refused naming that key's path.
 * Bounded by try counts.
 */
class QualityFormatsPropertiesTest {
    private static final int TRIES = 60;

    @Provide
    Arbitrary<FairnessReport> fairnessReports() {
        Arbitrary<SliceMetrics> slice = Combinators.combine(text(), Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000), anyDouble(), anyDouble(),
                        anyDouble(), anyDouble()).as(SliceMetrics::new);
        return Combinators.combine(text(), text(), slice.list().ofMaxSize(3), anyDouble(), anyDouble(), anyDouble(), anyDouble())
                .as(FairnessReport::new);
    }

    @Provide
    Arbitrary<ImportanceReport> importanceReports() {
        Arbitrary<FeatureImportance> feature = Combinators.combine(text(), anyDouble(), anyDouble(), anyDouble().list().ofMaxSize(3))
                .as(FeatureImportance::new);
        return Combinators.combine(text(), Arbitraries.of(true, false), anyDouble(), Arbitraries.integers().between(1, 1000),
                Arbitraries.integers().between(1, 50), Arbitraries.longs(), feature.list().ofMaxSize(3).uniqueElements(FeatureImportance::feature))
                .as(ImportanceReport::new);
    }

    @Provide
    Arbitrary<List<MetricEstimate>> estimates() {
        return Combinators.combine(text(), anyDouble(), anyDouble(), anyDouble(), Arbitraries.doubles().between(0.5, 0.999).ofScale(3),
                        Arbitraries.integers().between(1, 10_000), Arbitraries.integers().between(0, 100), Arbitraries.longs())
                .as(MetricEstimate::new).list().ofMaxSize(3);
    }

    @Property(tries = TRIES)
    void fairnessReports(@ForAll("fairnessReports") FairnessReport r, @ForAll int choice) {
        assertUserRoundTrip(Fairness.toJson(r), Fairness::fromJson, r, "fairness report", choice);
    }

    @Property(tries = TRIES)
    void importanceReports(@ForAll("importanceReports") ImportanceReport r, @ForAll int choice) {
        assertUserRoundTrip(PermutationImportance.toJson(r), PermutationImportance::fromJson, r, "permutation importance", choice);
    }

    @Property(tries = TRIES)
    void metricEstimates(@ForAll("estimates") List<MetricEstimate> e, @ForAll int choice) {
        assertUserRoundTrip(Bootstrap.toJson(e), Bootstrap::estimatesFromJson, e, "metric estimates", choice);
    }
}
