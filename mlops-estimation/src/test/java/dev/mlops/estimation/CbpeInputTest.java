package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bad input is refused naming the value and what was expected; the public API's behaviour on small data. */
class CbpeInputTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @Test
    void probabilitiesMustBeNumbersInTheUnitInterval() {
        assertThatThrownBy(() -> ModelOutputs.binary(new double[] {0.2, Double.NaN}, new int[] {0, 1}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("positiveProbability[1] is NaN, expected a probability in [0, 1]");
        assertThatThrownBy(() -> ModelOutputs.binary(new double[] {1.5}, new int[] {1}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("positiveProbability[0] is 1.5, expected a probability in [0, 1]");
        assertThatThrownBy(() -> ModelOutputs.binary(new double[] {-0.1}, new int[] {0}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("is -0.1");
        assertThatThrownBy(() -> ModelOutputs.multiclass(CLASSES, new double[][] {{0.2, 0.3, Double.NaN}},
                List.of("a"))).isInstanceOf(ValidationException.class)
                .hasMessage("probabilities[0][2] (class c) is NaN, expected a probability in [0, 1]");
    }

    @Test
    void predictionsAndTargetsMustBeKnownClasses() {
        assertThatThrownBy(() -> ModelOutputs.binary(new double[] {0.2}, new int[] {2}))
                .isInstanceOf(ValidationException.class).hasMessage("predicted[0] is 2, expected 0 or 1");
        assertThatThrownBy(() -> ModelOutputs.binary(new double[] {0.2}, new int[] {0}).withTargets(new int[] {-1}))
                .isInstanceOf(ValidationException.class).hasMessage("targets[0] is -1, expected 0 or 1");
        assertThatThrownBy(() -> ModelOutputs.multiclass(CLASSES, new double[][] {{0.2, 0.3, 0.5}, {1, 0, 0}},
                List.of("a", "gold"))).isInstanceOf(ValidationException.class)
                .hasMessage("predicted[1] is 'gold', expected one of the classes [a, b, c]");
        assertThatThrownBy(() -> ModelOutputs.multiclass(List.of("a", "b"), new double[][] {{0.5, 0.5}}, List.of("a")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("expected at least 3");
    }

    @Test
    void everyColumnHasOneValuePerRow() {
        assertThatThrownBy(() -> ModelOutputs.binary(new double[] {0.2, 0.4, 0.6}, new int[] {0, 1}))
                .isInstanceOf(ValidationException.class)
                .hasMessage("predicted has 2 rows, expected 3 (one per row of probabilities)");
        ModelOutputs three = ModelOutputs.binary(new double[] {0.2, 0.4, 0.6}, new int[] {0, 0, 1});
        assertThatThrownBy(() -> three.withTargets(new int[] {0, 1}))
                .isInstanceOf(ValidationException.class).hasMessageContaining("targets has 2 rows, expected 3");
        assertThatThrownBy(() -> three.withTimestamps(List.of(Instant.EPOCH)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("timestamps has 1 rows, expected 3");
        assertThatThrownBy(() -> ModelOutputs.multiclass(CLASSES, new double[][] {{0.2, 0.8}}, List.of("a")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("probabilities[0] has 2 values, expected one per class (3)");
    }

    @Test
    void theReferenceNeedsRowsTargetsAndEveryClass() {
        Cbpe.Builder builder = Cbpe.builder().metrics(CbpeMetric.ROC_AUC);
        assertThatThrownBy(() -> builder.fit(ModelOutputs.binary(new double[0], new int[0]).withTargets(new int[0])))
                .isInstanceOf(ValidationException.class).hasMessageContaining("the reference data has no rows");
        assertThatThrownBy(() -> builder.fit(ModelOutputs.binary(new double[] {0.1, 0.9}, new int[] {0, 1})))
                .isInstanceOf(ValidationException.class).hasMessageContaining("the reference data has no targets");
        assertThatThrownBy(() -> builder.fit(ModelOutputs.binary(new double[] {0.7, 0.9}, new int[] {1, 1})
                .withTargets(new int[] {1, 1}))).isInstanceOf(ValidationException.class)
                .hasMessage("the reference targets have no row of class '0' (2 rows); expected every class [0, 1] in"
                        + " the reference");
        assertThatThrownBy(() -> Cbpe.builder().metrics(CbpeMetric.F1).fit(ModelOutputs.multiclass(CLASSES,
                new double[][] {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}}, List.of("a", "b")).withTargets(List.of("a", "b"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no row of class 'c'");
    }

    @Test
    void builderSettingsFailAtTheCall() {
        assertThatThrownBy(() -> Cbpe.builder().metrics()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no metric given");
        assertThatThrownBy(() -> Cbpe.builder().businessValue(new double[][] {{1, 2, 3}, {4, 5, 6}}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a square matrix");
        assertThatThrownBy(() -> Cbpe.builder().businessValue(new double[][] {{1, Double.NaN}, {4, 5}}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds NaN");
        assertThatThrownBy(() -> Cbpe.builder().thresholdMultipliers(-1, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected finite numbers >= 0");
        ModelOutputs ref = binaryReference(200, 1);
        assertThatThrownBy(() -> Cbpe.builder().fit(ref)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no metric set");
        assertThatThrownBy(() -> Cbpe.builder().metrics(CbpeMetric.BUSINESS_VALUE).fit(ref))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a value matrix");
    }

    @Test
    void analysisMustBeNonEmptyAndOfTheReferencesClasses() {
        FittedCbpe cbpe = Cbpe.builder().metrics(CbpeMetric.ACCURACY).chunking(Chunking.bySize(50))
                .fit(binaryReference(200, 1));
        assertThatThrownBy(() -> cbpe.estimate(ModelOutputs.binary(new double[0], new int[0])))
                .isInstanceOf(ValidationException.class).hasMessageContaining("the analysis data has no rows");
        assertThatThrownBy(() -> cbpe.estimate(ModelOutputs.multiclass(CLASSES, new double[][] {{1, 0, 0}},
                List.of("a")))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("expected the reference's classes [0, 1]");
        assertThatThrownBy(() -> Cbpe.builder().metrics(CbpeMetric.ACCURACY)
                .chunking(Chunking.byPeriod(Chunking.PeriodUnit.DAY)).fit(binaryReference(200, 1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("needs timestamps");
    }

    @Test
    void businessValueMatrixMustFitTheClasses() {
        assertThatThrownBy(() -> Cbpe.builder().metrics(CbpeMetric.BUSINESS_VALUE)
                .businessValue(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, false).fit(binaryReference(200, 1)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("the business value matrix is 3x3, expected 2x2 for a binary classifier");
        assertThatThrownBy(() -> Cbpe.builder().metrics(CbpeMetric.BUSINESS_VALUE)
                .businessValue(new double[][] {{1, 0}, {0, 1}}, false).fit(multiclassReference(300, 1)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("the business value matrix is 2x2, expected 3x3");
    }

    /** Calibrated three-class data: a random distribution per row, the target drawn from it, the prediction its argmax. */
    static ModelOutputs multiclassReference(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] p = new double[n][3];
        List<String> predicted = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = random.nextDouble();
            double b = random.nextDouble() * (1 - a);
            p[i] = new double[] {a, b, 1 - a - b};
            int best = a >= b && a >= 1 - a - b ? 0 : b >= 1 - a - b ? 1 : 2;
            predicted.add(CLASSES.get(best));
            double u = random.nextDouble();
            actual.add(CLASSES.get(u < a ? 0 : u < a + b ? 1 : 2));
        }
        return ModelOutputs.multiclass(CLASSES, p, predicted).withTargets(actual);
    }

    @Test
    void multiclassConfusionCellsAndBusinessValue() {
        FittedCbpe cbpe = Cbpe.builder().metrics(CbpeMetric.CONFUSION_MATRIX, CbpeMetric.BUSINESS_VALUE)
                .businessValue(new double[][] {{5, -1, -1}, {-1, 5, -1}, {-1, -1, 5}}, false)
                .chunking(Chunking.bySize(200)).fit(multiclassReference(2000, 2));
        EstimationResult r = cbpe.estimate(multiclassReference(600, 3));
        assertThat(r.metricNames()).containsExactly("true_a_pred_a", "true_a_pred_b", "true_a_pred_c", "true_b_pred_a",
                "true_b_pred_b", "true_b_pred_c", "true_c_pred_a", "true_c_pred_b", "true_c_pred_c", "business_value");
        for (int c = 0; c < r.chunks().size(); c++) {
            double sum = 0;
            double value = 0;
            for (String name : r.metricNames().subList(0, 9)) {
                ChunkEstimate e = r.metric(name).get(c);
                sum += e.value();
                value += (name.substring(5, 6).equals(name.substring(12)) ? 5 : -1) * e.value();
                assertThat(e.realized()).isPresent();
                assertThat(e.lowerConfidenceBoundary()).isGreaterThanOrEqualTo(0);
            }
            assertThat(sum).isCloseTo(r.chunks().get(c).size(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.metric("business_value").get(c).value()).isCloseTo(value, org.assertj.core.data.Offset.offset(1e-9));
        }
        // shares of the true class: each true class's row of cells adds up to one
        FittedCbpe shares = Cbpe.builder().metrics(CbpeMetric.CONFUSION_MATRIX)
                .confusionNormalization(ConfusionNormalization.TRUE).chunking(Chunking.bySize(200))
                .fit(multiclassReference(2000, 2));
        EstimationResult s = shares.estimate(multiclassReference(600, 3));
        for (int c = 0; c < s.chunks().size(); c++) {
            double row = s.metric("true_b_pred_a").get(c).value() + s.metric("true_b_pred_b").get(c).value()
                    + s.metric("true_b_pred_c").get(c).value();
            assertThat(row).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(s.metric("true_b_pred_b").get(c).upperThreshold().orElseThrow()).isLessThanOrEqualTo(1.0);
        }
    }

    /** Calibrated synthetic data: p uniform, y ~ Bernoulli(p), predicted p > 0.5. */
    static ModelOutputs binaryReference(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] p = new double[n];
        int[] pred = new int[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.rint(random.nextDouble() * 100) / 100;
            pred[i] = p[i] > 0.5 ? 1 : 0;
            y[i] = random.nextDouble() < p[i] ? 1 : 0;
        }
        return ModelOutputs.binary(p, pred).withTargets(y);
    }

    @Test
    void rowsArePutInTimeOrderBeforeChunking() {
        int n = 400;
        ModelOutputs ref = binaryReference(n, 3);
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(Instant.ofEpochSecond(1_000_000L + i * 60L));
        }
        FittedCbpe cbpe = Cbpe.builder().metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1, CbpeMetric.CONFUSION_MATRIX)
                .chunking(Chunking.bySize(100)).fit(ref.withTimestamps(times));
        ModelOutputs labelled = binaryReference(n, 4);
        ModelOutputs analysis = ModelOutputs.binary(labelled.probabilityColumns()[0], labelled.predictedIndices());
        EstimationResult inOrder = cbpe.estimate(analysis.withTimestamps(times));
        // the same rows given in reverse order with their timestamps: the same chunks and estimates
        List<Instant> reversedTimes = new ArrayList<>(times);
        Collections.reverse(reversedTimes);
        double[] p = new double[n];
        int[] pred = new int[n];
        double[][] cols = analysis.probabilityColumns();
        for (int i = 0; i < n; i++) {
            p[i] = cols[0][n - 1 - i];
            pred[i] = analysis.predictedIndices()[n - 1 - i];
        }
        EstimationResult reversed = cbpe.estimate(ModelOutputs.binary(p, pred).withTimestamps(reversedTimes));
        assertThat(reversed).isEqualTo(inOrder);
        assertThat(inOrder.chunks()).hasSize(4);
        assertThat(inOrder.metricNames()).containsExactly("roc_auc", "f1", "true_positive", "true_negative",
                "false_positive", "false_negative");
        // the reference result carries realized values, the analysis (without targets) none
        assertThat(cbpe.reference().metric("f1").get(0).realized()).isPresent();
        assertThat(inOrder.metric("f1").get(0).realized()).isEmpty();
        assertThatThrownBy(() -> inOrder.metric("recall")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no estimates named 'recall'");
    }

    @Test
    void confusionCellsAddUpToTheChunkAndBandsStayInRange() {
        FittedCbpe cbpe = Cbpe.builder().metrics(CbpeMetric.CONFUSION_MATRIX, CbpeMetric.ACCURACY,
                        CbpeMetric.BUSINESS_VALUE)
                .businessValue(new double[][] {{1, -1}, {-2, 3}}, true)
                .chunking(Chunking.bySize(100)).fit(binaryReference(1000, 5));
        EstimationResult r = cbpe.estimate(binaryReference(500, 6));
        for (int i = 0; i < r.chunks().size(); i++) {
            double sum = r.metric("true_positive").get(i).value() + r.metric("true_negative").get(i).value()
                    + r.metric("false_positive").get(i).value() + r.metric("false_negative").get(i).value();
            assertThat(sum).isCloseTo(r.chunks().get(i).size(), org.assertj.core.data.Offset.offset(1e-9));
            ChunkEstimate acc = r.metric("accuracy").get(i);
            assertThat(acc.lowerConfidenceBoundary()).isBetween(0.0, acc.value());
            assertThat(acc.upperConfidenceBoundary()).isBetween(acc.value(), 1.0);
            ChunkEstimate tp = r.metric("true_positive").get(i);
            assertThat(tp.lowerConfidenceBoundary()).isGreaterThanOrEqualTo(0);
            // per prediction, business value lies between the matrix's smallest and largest sums of a column pair
            assertThat(r.metric("business_value").get(i).value()).isBetween(-3.0, 4.0);
        }
        // normalized by the true class, a cell is a share
        FittedCbpe shares = Cbpe.builder().metrics(CbpeMetric.CONFUSION_MATRIX)
                .confusionNormalization(ConfusionNormalization.TRUE).chunking(Chunking.bySize(100))
                .fit(binaryReference(1000, 5));
        EstimationResult s = shares.estimate(binaryReference(500, 6));
        for (int i = 0; i < s.chunks().size(); i++) {
            double positives = s.metric("true_positive").get(i).value() + s.metric("false_negative").get(i).value();
            assertThat(positives).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(s.metric("true_positive").get(i).upperThreshold()).isPresent();
            assertThat(s.metric("true_positive").get(i).upperThreshold().getAsDouble()).isLessThanOrEqualTo(1.0);
        }
    }
}
