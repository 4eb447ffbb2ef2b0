package dev.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.SuggestionOptions;
import dev.mlops.api.quality.ValidationSuite;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties over generated data, bounded by try counts. */
class QualityPropertiesTest {

    @Property(tries = 200)
    void rocAucIsTheProbabilityThatAPositiveOutscoresANegative(@ForAll("binary") ClassificationData d) {
        int[] a = d.actual();
        double[][] p = d.probabilities().orElseThrow();
        long pos = 0;
        long neg = 0;
        double wins = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (a[i] == 1 && a[j] == 0) {
                    wins += p[i][1] > p[j][1] ? 1 : p[i][1] == p[j][1] ? 0.5 : 0;
                }
            }
            if (a[i] == 1) {
                pos++;
            } else {
                neg++;
            }
        }
        if (pos == 0 || neg == 0) {
            return;
        }
        assertThat(Metrics.ROC_AUC.compute(d)).isCloseTo(wins / (pos * neg), org.assertj.core.data.Offset.offset(1e-12));
        double ap = Metrics.AVERAGE_PRECISION.compute(d);
        assertThat(ap).isBetween(0.0, 1.0);
    }

    @Provide
    Arbitrary<ClassificationData> binary() {
        // scores on a coarse grid so that ties are frequent
        return Arbitraries.integers().between(2, 60).flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(0, 1).array(int[].class).ofSize(n),
                Arbitraries.integers().between(0, 10).array(int[].class).ofSize(n)).as((a, s) -> {
                    double[] score = new double[n];
                    for (int i = 0; i < n; i++) {
                        score[i] = s[i] / 10.0;
                    }
                    return ClassificationData.binary(List.of("n", "p"), a, score);
                }));
    }

    @Property(tries = 100)
    void everySuggestedConstraintHoldsOnItsReference(@ForAll("frames") Frame frame,
                                                     @ForAll @IntRange(min = 1, max = 30) int maxCategories) {
        ValidationSuite suite = DataValidation.suggest(frame, "p",
                SuggestionOptions.defaults().withStatistics(true, 0.0).withMaxCategories(maxCategories)).suite();
        assertThat(DataValidation.validate(suite, frame).violations()).isEmpty();
        assertThat(DataValidation.fromJson(DataValidation.toJson(suite))).isEqualTo(suite);
    }

    @Provide
    Arbitrary<Frame> frames() {
        return Arbitraries.integers().between(1, 80).flatMap(n -> Combinators.combine(
                Arbitraries.of("a", "b", "c", "d", "e", "f", "g").injectNull(0.1).array(String[].class).ofSize(n),
                Arbitraries.doubles().between(-5, 50).ofScale(1).injectDuplicates(0.3).array(double[].class).ofSize(n),
                Arbitraries.integers().between(0, 1000).array(int[].class).ofSize(n)).as((s, d, k) -> {
                    double[] ints = new double[n];
                    for (int i = 0; i < n; i++) {
                        ints[i] = k[i] % 7 == 0 ? Double.NaN : k[i];
                    }
                    return Frame.ofColumns(Schema.of(new Field("s", FieldType.STRING), new Field("d", FieldType.DOUBLE),
                            new Field("k", FieldType.INTEGER)), List.of(s, d, ints));
                }));
    }
}
