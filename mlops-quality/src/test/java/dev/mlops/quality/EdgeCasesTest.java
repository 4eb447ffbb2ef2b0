package dev.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.ClassificationReport;
import dev.mlops.api.quality.RegressionData;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Edge cases fail clearly, naming the value")
class EdgeCasesTest {
    static final List<String> AB = List.of("a", "b");

    @Test
    @DisplayName("empty data")
    void empty() {
        assertThatThrownBy(() -> ClassificationData.of(AB, new int[0], new int[0])).isInstanceOf(ValidationException.class)
                .hasMessage("no rows: evaluation data needs at least one row");
        assertThatThrownBy(() -> RegressionData.of(new double[0], new double[0])).isInstanceOf(ValidationException.class)
                .hasMessage("no rows: evaluation data needs at least one row");
        assertThatThrownBy(() -> ClassificationData.ofLabels(new String[0], new String[0]))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at least two classes, got []");
    }

    @Test
    @DisplayName("a single class")
    void singleClass() {
        assertThatThrownBy(() -> ClassificationData.of(List.of("a"), new int[] {0}, new int[] {0}))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("at least two classes, got [a] (a single class");
        assertThatThrownBy(() -> ClassificationData.ofLabels(new String[] {"x", "x"}, new String[] {"x", "x"}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("got [x]");
        ClassificationData onlyB = ClassificationData.binary(AB, new int[] {1, 1, 1}, new double[] {0.2, 0.9, 0.6});
        assertThatThrownBy(() -> Metrics.ROC_AUC.compute(onlyB)).isInstanceOf(ValidationException.class)
                .hasMessage("roc_auc is undefined: only one class present in actual (every row is 'b')");
        ClassificationData onlyA = ClassificationData.binary(AB, new int[] {0, 0}, new double[] {0.2, 0.9});
        assertThatThrownBy(() -> Metrics.AVERAGE_PRECISION.compute(onlyA)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no row of actual is 'b'");
        ClassificationReport report = Metrics.report(onlyB);
        assertThat(report.rocAuc()).isEmpty();
        assertThat(report.logLoss()).isPresent();
        assertThat(report.notes()).anyMatch(n -> n.startsWith("roc_auc is undefined"));
        assertThatThrownBy(() -> Metrics.R2.compute(RegressionData.of(new double[] {1}, new double[] {1})))
                .isInstanceOf(ValidationException.class).hasMessageContaining("r2 is undefined for 1 row");
        ClassificationData three = ClassificationData.withProbabilities(List.of("a", "b", "c"), new int[] {0, 1, 0},
                new double[][] {{0.5, 0.3, 0.2}, {0.2, 0.7, 0.1}, {0.1, 0.1, 0.8}});
        assertThatThrownBy(() -> Metrics.ROC_AUC.compute(three)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no row is 'c'");
    }

    @Test
    @DisplayName("NaN predictions")
    void nan() {
        assertThatThrownBy(() -> RegressionData.of(new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3}))
                .isInstanceOf(ValidationException.class).hasMessage("predicted[1] is NaN, expected a finite number");
        assertThatThrownBy(() -> RegressionData.of(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}))
                .isInstanceOf(ValidationException.class).hasMessage("actual[1] is Infinity, expected a finite number");
        assertThatThrownBy(() -> ClassificationData.binary(AB, new int[] {0, 1}, new double[] {0.3, Double.NaN}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("positiveProbability[1] is NaN, expected a probability in [0, 1]");
        assertThatThrownBy(() -> ClassificationData.withProbabilities(AB, new int[] {0}, new double[][] {{Double.NaN, 1}}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("probabilities[0][0] is NaN");
        assertThatThrownBy(() -> ClassificationData.withProbabilities(AB, new int[] {0}, new double[][] {{1.2, 0}}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("probabilities[0][0] is 1.2");
    }

    @Test
    @DisplayName("mismatched lengths and unknown classes")
    void mismatched() {
        assertThatThrownBy(() -> ClassificationData.of(AB, new int[] {0, 1, 0}, new int[] {0, 1}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("actual has 3 rows but predicted has 2; they must pair row for row");
        assertThatThrownBy(() -> RegressionData.of(new double[] {1}, new double[] {1, 2}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("actual has 1 rows but predicted has 2; they must pair row for row");
        assertThatThrownBy(() -> ClassificationData.withProbabilities(AB, new int[] {0, 1}, new double[][] {{1, 0}, {1}}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("probabilities[1] has 1 values, expected one per class (2)");
        assertThatThrownBy(() -> ClassificationData.of(AB, new int[] {0, 2}, new int[] {0, 1}))
                .isInstanceOf(ValidationException.class).hasMessage("actual[1] is 2, expected a class index in [0, 2)");
        assertThatThrownBy(() -> ClassificationData.ofLabels(AB, new String[] {"a", "c"}, new String[] {"a", "b"}))
                .isInstanceOf(ValidationException.class).hasMessage("actual[1] is 'c', not one of the classes [a, b]");
        assertThatThrownBy(() -> ClassificationData.ofLabels(new String[] {"a", null}, new String[] {"a", "b"}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("actual[1] is missing");
        assertThatThrownBy(() -> ClassificationData.of(List.of("a", "a"), new int[] {0}, new int[] {0}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unique");
        assertThatThrownBy(() -> ClassificationData.of(AB, new int[] {0}, new int[] {0}).withPositive("z"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("positive class 'z'");
        assertThatThrownBy(() -> Metrics.LOG_LOSS.compute(ClassificationData.of(AB, new int[] {0}, new int[] {0})))
                .isInstanceOf(ValidationException.class).hasMessageContaining("log_loss needs predicted probabilities");
    }

    @Test
    @DisplayName("metric names resolve to the same metrics as the report")
    void names() {
        assertThat(Metrics.classification("recall[x]").orElseThrow().name()).isEqualTo("recall[x]");
        assertThat(Metrics.classification("nope")).isEmpty();
        assertThat(Metrics.regression("mape").orElseThrow()).isSameAs(Metrics.MAPE);
        assertThatThrownBy(() -> Metrics.precision("z").compute(ClassificationData.of(AB, new int[] {0}, new int[] {0})))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no class 'z'");
    }
}
