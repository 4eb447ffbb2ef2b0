package dev.mlops.quality;

import dev.mlops.quality.testing.QualityReference;
import dev.mlops.quality.testing.TestFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.Frame;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.MetricValue;
import dev.mlops.api.quality.SliceMetrics;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Fairness agrees with fairlearn's definitions on German credit")
class FairnessTest {
    static final Frame CREDIT = TestFrames.germanCredit();
    static final JsonNode FAIRNESS = QualityReference.ROOT.get("fairness");

    static ClassificationData predictions() {
        return MetricsReferenceTest.data(QualityReference.classificationCase(FAIRNESS.get("case").asText()));
    }

    static double check(FairnessReport report, JsonNode expected) {
        double max = 0;
        JsonNode slices = expected.get("slices");
        assertThat(report.slices()).hasSize(slices.size());
        for (int i = 0; i < slices.size(); i++) {
            JsonNode want = slices.get(i);
            SliceMetrics got = report.slices().get(i);
            assertThat(got.slice()).isEqualTo(want.get("slice").asText());
            assertThat(got.count()).isEqualTo(want.get("count").intValue());
            assertThat(got.actualPositives()).isEqualTo(want.get("actualPositives").intValue());
            assertThat(got.predictedPositives()).isEqualTo(want.get("predictedPositives").intValue());
            max = Math.max(max, close(got.selectionRate(), want.get("selectionRate")));
            max = Math.max(max, close(got.truePositiveRate(), want.get("truePositiveRate")));
            max = Math.max(max, close(got.falsePositiveRate(), want.get("falsePositiveRate")));
            max = Math.max(max, close(got.accuracy(), want.get("accuracy")));
        }
        for (MetricValue m : report.metrics()) {
            max = Math.max(max, close(m.value(), expected.get(m.name())));
        }
        return max;
    }

    static double close(double got, JsonNode want) {
        assertThat(got).isCloseTo(want.doubleValue(), offset(1e-12));
        return Math.abs(got - want.doubleValue());
    }

    @Test
    @DisplayName("slices of personal_status and of age (< 25, [25, 40), >= 40), positive outcome 'good', match to 1e-12")
    void germanCredit() {
        ClassificationData d = predictions();
        FairnessReport byStatus = Fairness.assess(d, CREDIT, "personal_status");
        assertThat(byStatus.positiveClass()).isEqualTo("good");
        assertThat(byStatus.sensitive()).isEqualTo("personal_status");
        double e1 = check(byStatus, FAIRNESS.get("slicesBy").get("personal_status"));
        FairnessReport byAge = Fairness.assess(d, Fairness.bins(CREDIT.numeric("age"), 25, 40), "age");
        double e2 = check(byAge, FAIRNESS.get("slicesBy").get("age"));
        FairnessReport bad = Fairness.assess(d.withPositive("bad"), CREDIT, "personal_status");
        assertThat(bad.positiveClass()).isEqualTo("bad");
        double e3 = check(bad, FAIRNESS.get("personal_status_positive_bad"));
        System.out.println("fairness max error vs numpy/fairlearn definitions: " + Math.max(e1, Math.max(e2, e3)));
        assertThat(byStatus.slice("male single")).isPresent();
        assertThat(byStatus.metrics()).extracting(MetricValue::name).containsExactly("demographic_parity_difference",
                "demographic_parity_ratio", "equalized_odds_difference", "equal_opportunity_difference");
    }

    @Test
    @DisplayName("hand case: empty denominators give rate 0 (as fairlearn), all-zero selection gives ratio 1")
    void handCase() {
        // group x: rows 0-3, group y: rows 4-5 (no actual positive in y)
        ClassificationData d = ClassificationData.of(List.of("no", "yes"), new int[] {1, 1, 0, 0, 0, 0},
                new int[] {1, 0, 1, 0, 0, 1});
        FairnessReport r = Fairness.assess(d, new String[] {"x", "x", "x", "x", "y", "y"}, "g");
        SliceMetrics y = r.slice("y").orElseThrow();
        assertThat(y.truePositiveRate()).isZero();
        assertThat(y.falsePositiveRate()).isEqualTo(0.5);
        assertThat(y.selectionRate()).isEqualTo(0.5);
        SliceMetrics x = r.slice("x").orElseThrow();
        assertThat(x.selectionRate()).isEqualTo(0.5);
        assertThat(x.truePositiveRate()).isEqualTo(0.5);
        assertThat(x.accuracy()).isEqualTo(0.5);
        assertThat(r.demographicParityDifference()).isZero();
        assertThat(r.demographicParityRatio()).isEqualTo(1.0);
        assertThat(r.equalizedOddsDifference()).isEqualTo(0.5);
        assertThat(r.equalOpportunityDifference()).isEqualTo(0.5);
        ClassificationData none = ClassificationData.of(List.of("no", "yes"), new int[] {1, 0}, new int[] {0, 0});
        assertThat(Fairness.assess(none, new String[] {"a", "b"}, "g").demographicParityRatio()).isEqualTo(1.0);
    }

    @Test
    @DisplayName("bins label values by half-open intervals")
    void bins() {
        assertThat(Fairness.bins(new double[] {19, 24.9, 25, 39, 40, 75}, 25, 40))
                .containsExactly("< 25", "< 25", "[25, 40)", "[25, 40)", ">= 40", ">= 40");
        assertThat(Fairness.bins(new double[] {0.5}, 0.25, 0.75)).containsExactly("[0.25, 0.75)");
        assertThatThrownBy(() -> Fairness.bins(new double[] {Double.NaN}, 1)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("value 0 is NaN");
        assertThatThrownBy(() -> Fairness.bins(new double[] {1}, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a missing sensitive value, a length mismatch and multiclass data without a positive class are refused")
    void refused() {
        ClassificationData d = ClassificationData.of(List.of("no", "yes"), new int[] {1, 0}, new int[] {1, 1});
        assertThatThrownBy(() -> Fairness.assess(d, new String[] {"a", null}, "g")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("row 1 has no value of sensitive attribute 'g'");
        assertThatThrownBy(() -> Fairness.assess(d, new String[] {"a"}, "g")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("2 rows but 'g' has 1 values");
        ClassificationData three = ClassificationData.of(List.of("a", "b", "c"), new int[] {0, 1}, new int[] {2, 1});
        assertThatThrownBy(() -> Fairness.assess(three, new String[] {"x", "y"}, "g"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("name the positive class");
        assertThat(Fairness.assess(three.withPositive("b"), new String[] {"x", "y"}, "g").positiveClass()).isEqualTo("b");
    }

    @Test
    @DisplayName("a fairness report round-trips through JSON")
    void json() {
        FairnessReport r = Fairness.assess(predictions(), CREDIT, "personal_status");
        String json = Fairness.toJson(r);
        assertThat(json).contains("\"kind\" : \"fairness\"").contains("\"demographic_parity_ratio\"");
        assertThat(Fairness.fromJson(json)).isEqualTo(r);
    }
}
