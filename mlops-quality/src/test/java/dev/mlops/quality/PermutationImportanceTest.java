package dev.mlops.quality;

import dev.mlops.quality.testing.QualityReference;
import dev.mlops.quality.testing.TestFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.Frame;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.serving.Model;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Permutation importance")
class PermutationImportanceTest {
    static final JsonNode REF = QualityReference.ROOT.get("permutationImportance");
    static final Frame WEATHER = TestFrames.seattleWeather();

    /** The linear model scikit-learn fitted, as a plain Java model. */
    static FrameEvaluator<RegressionData> linear() {
        List<String> features = QualityReference.strings(REF.get("features"));
        double intercept = REF.get("intercept").doubleValue();
        double[] coef = QualityReference.doubles(REF.get("coefficients"));
        Model<double[], Double> model = Model.of(x -> {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += x[j] * coef[j];
            }
            return s + intercept;
        });
        return Evaluation.regressor(model, REF.get("target").asText(), row -> {
            double[] x = new double[features.size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = row.number(features.get(j));
            }
            return x;
        }, Double::doubleValue);
    }

    @Test
    @DisplayName("with scikit-learn's own shuffles, importances, means and standard deviations match permutation_importance to 1e-12")
    void matchesSklearn() {
        List<String> features = QualityReference.strings(REF.get("features"));
        int repeats = REF.get("repeats").intValue();
        JsonNode perms = REF.get("permutations");
        ImportanceReport r = PermutationImportance.compute(linear(), WEATHER, features, Metrics.R2, repeats, 7L,
                (f, rep, n) -> QualityReference.ints(perms.get(f).get(rep)));
        double max = Math.abs(r.baseline() - REF.get("baseline").doubleValue());
        assertThat(r.baseline()).isCloseTo(REF.get("baseline").doubleValue(), offset(1e-12));
        for (int j = 0; j < features.size(); j++) {
            FeatureImportance fi = r.features().get(j);
            assertThat(fi.feature()).isEqualTo(features.get(j));
            for (int k = 0; k < repeats; k++) {
                double want = REF.get("importances").get(j).get(k).doubleValue();
                assertThat(fi.importances().get(k)).isCloseTo(want, offset(1e-12));
                max = Math.max(max, Math.abs(fi.importances().get(k) - want));
            }
            assertThat(fi.mean()).isCloseTo(REF.get("importancesMean").get(j).doubleValue(), offset(1e-12));
            assertThat(fi.std()).isCloseTo(REF.get("importancesStd").get(j).doubleValue(), offset(1e-12));
            max = Math.max(max, Math.abs(fi.mean() - REF.get("importancesMean").get(j).doubleValue()));
            max = Math.max(max, Math.abs(fi.std() - REF.get("importancesStd").get(j).doubleValue()));
        }
        System.out.println("permutation importance max error vs scikit-learn: " + max);
        assertThat(r.ranked().get(0).feature()).isEqualTo("temp_min");
    }

    @Test
    @DisplayName("seeded shuffles are reproducible; a feature the model ignores has importance exactly 0")
    void seeded() {
        List<String> features = List.of("precipitation", "temp_min", "wind", "weather");
        ImportanceReport a = PermutationImportance.compute(linear(), WEATHER, features, Metrics.MAE, 3, 5L);
        ImportanceReport b = PermutationImportance.compute(linear(), WEATHER, features, Metrics.MAE, 3, 5L);
        assertThat(a).isEqualTo(b);
        assertThat(a.greaterIsBetter()).isFalse();
        FeatureImportance weather = a.feature("weather").orElseThrow();
        assertThat(weather.mean()).isZero();
        assertThat(weather.std()).isZero();
        // MAE is smaller-is-better: shuffling temp_min raises MAE, which counts as positive importance
        assertThat(a.feature("temp_min").orElseThrow().mean()).isGreaterThan(1.0);
        assertThat(a.feature("temp_min").orElseThrow().importances()).hasSize(3);
        ImportanceReport c = PermutationImportance.compute(linear(), WEATHER, features, Metrics.MAE, 3, 6L);
        assertThat(c.feature("temp_min").orElseThrow().importances())
                .isNotEqualTo(a.feature("temp_min").orElseThrow().importances());
    }

    @Test
    @DisplayName("the report round-trips through JSON for storage with a model version")
    void json() {
        ImportanceReport r = PermutationImportance.compute(linear(), WEATHER.slice(0, 200),
                List.of("precipitation", "temp_min"), Metrics.R2, 2, 9L);
        String json = PermutationImportance.toJson(r);
        assertThat(json).contains("\"kind\" : \"permutation-importance\"").contains("\"schema_version\" : 2")
                .contains("\"greater_is_better\"");
        assertThat(PermutationImportance.fromJson(json)).isEqualTo(r);
        assertThatThrownBy(() -> PermutationImportance.fromJson("{\"schema_version\":2,\"kind\":\"validation-suite\"}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("expected a permutation-importance");
    }

    @Test
    @DisplayName("unknown or repeated features and too few rows are refused")
    void refused() {
        assertThatThrownBy(() -> PermutationImportance.compute(linear(), WEATHER, List.of("humidity"), Metrics.R2))
                .isInstanceOf(ValidationException.class).hasMessageContaining("feature 'humidity' is not a column");
        assertThatThrownBy(() -> PermutationImportance.compute(linear(), WEATHER, List.of("wind", "wind"), Metrics.R2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeat");
        assertThatThrownBy(() -> PermutationImportance.compute(linear(), WEATHER.slice(0, 1), List.of("wind"), Metrics.R2))
                .isInstanceOf(ValidationException.class).hasMessageContaining("1 rows");
        assertThatThrownBy(() -> PermutationImportance.compute(linear(), WEATHER, List.of("wind"), Metrics.R2, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats is 0");
    }
}
