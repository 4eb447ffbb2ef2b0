package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.quality.ClassificationData;
import dev.mlops.quality.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CBPE on NannyML's synthetic multiclass data (three credit-card products), chunks of 6,000 rows
 * as in NannyML's tutorial: estimated macro F1 and one-vs-rest ROC AUC per chunk against the
 * realized values from {@code mc_analysis_gt.csv}, and against NannyML's documented estimates.
 */
class CreditCardCbpeTest {
    static final List<String> CLASSES = List.of("prepaid_card", "highstreet_card", "upmarket_card");
    /**
     * NannyML's multiclass business value tutorial's matrix, [[1, 0, -1], [0, 1, 0], [-1, 0, 1]] over its
     * sorted classes (highstreet, prepaid, upmarket), here in the order of {@link #CLASSES}.
     */
    static final double[][] NANNYML_VALUE_MATRIX = {{1, 0, 0}, {0, 1, -1}, {0, -1, 1}};
    static FittedCbpe cbpe;
    static EstimationResult estimated;
    static double[][] proba;
    static int[] predicted;
    static int[] actual;

    static double[][] rows(TestCsv csv) {
        double[][] cols = new double[CLASSES.size()][];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = csv.doubles("y_pred_proba_" + CLASSES.get(c));
        }
        double[][] out = new double[csv.size()][CLASSES.size()];
        for (int i = 0; i < out.length; i++) {
            for (int c = 0; c < cols.length; c++) {
                out[i][c] = cols[c][i];
            }
        }
        return out;
    }

    static int[] indices(List<String> labels) {
        return labels.stream().mapToInt(CLASSES::indexOf).toArray();
    }

    @BeforeAll
    static void fit() {
        TestCsv ref = new TestCsv("/nannyml/mc_reference.csv");
        TestCsv ana = new TestCsv("/nannyml/mc_analysis.csv");
        TestCsv gt = new TestCsv("/nannyml/mc_analysis_gt.csv");
        assertThat(gt.strings("id")).isEqualTo(ana.strings("id"));
        cbpe = Cbpe.builder()
                .metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1, CbpeMetric.PRECISION, CbpeMetric.RECALL,
                        CbpeMetric.SPECIFICITY, CbpeMetric.ACCURACY, CbpeMetric.CONFUSION_MATRIX, CbpeMetric.BUSINESS_VALUE)
                .businessValue(NANNYML_VALUE_MATRIX, false)
                .chunking(Chunking.bySize(6000))
                .fit(ModelOutputs.multiclass(CLASSES, rows(ref), ref.strings("y_pred"))
                        .withTargets(ref.strings("y_true")).withTimestamps(ref.times("timestamp")));
        proba = rows(ana);
        predicted = indices(ana.strings("y_pred"));
        actual = indices(gt.strings("y_true"));
        // the file is in time order (ties kept in order by the stable sort), so positions are file rows
        estimated = cbpe.estimate(ModelOutputs.multiclass(CLASSES, proba, ana.strings("y_pred"))
                .withTimestamps(ana.times("timestamp")));
    }

    static double realized(String metric, Chunk c) {
        int from = c.startIndex();
        int to = c.endIndex() + 1;
        int[] a = Arrays.copyOfRange(actual, from, to);
        if (metric.equals("roc_auc")) {
            return Metrics.ROC_AUC.compute(ClassificationData.withProbabilities(CLASSES, a,
                    Arrays.copyOfRange(proba, from, to)));
        }
        return Metrics.F1_MACRO.compute(ClassificationData.of(CLASSES, a, Arrays.copyOfRange(predicted, from, to)));
    }

    @Test
    void estimatedMacroF1AndRocAucFollowTheRealizedOnes() {
        StringBuilder out = new StringBuilder();
        for (String metric : List.of("roc_auc", "f1")) {
            out.append(metric).append(": chunk | estimated | realized | error | sampling error | lower threshold | alert\n");
            double absSum = 0;
            double seSum = 0;
            double baselineSum = 0;
            double quietAbsSum = 0;
            double quietSeSum = 0;
            int quiet = 0;
            double referenceMean = cbpe.reference().metric(metric).stream()
                    .mapToDouble(e -> e.realized().orElseThrow()).average().orElseThrow();
            List<String> alerted = new ArrayList<>();
            List<String> fell = new ArrayList<>();
            for (ChunkEstimate e : estimated.metric(metric)) {
                double r = realized(metric, e.chunk());
                absSum += Math.abs(e.value() - r);
                baselineSum += Math.abs(referenceMean - r);
                seSum += e.samplingError();
                if (e.alert()) {
                    alerted.add(e.chunk().key());
                } else {
                    quietAbsSum += Math.abs(e.value() - r);
                    quietSeSum += e.samplingError();
                    quiet++;
                }
                if (r < e.lowerThreshold().orElseThrow() || r > e.upperThreshold().orElseThrow()) {
                    fell.add(e.chunk().key());
                }
                out.append(String.format("%s | %.6f | %.6f | %+.6f | %.6f | %.6f | %s%n", e.chunk().key(), e.value(), r,
                        e.value() - r, e.samplingError(), e.lowerThreshold().orElseThrow(), e.alert()));
            }
            int n = estimated.metric(metric).size();
            out.append(String.format("MAE %.6f, mean sampling error %.6f, MAE of the reference mean %.6f%n", absSum / n,
                    seSum / n, baselineSum / n));
            out.append(String.format("chunks without alert: MAE %.6f, mean sampling error %.6f%n", quietAbsSum / quiet,
                    quietSeSum / quiet));
            out.append("alerted " + alerted + "\nrealized outside the thresholds " + fell + "\n");
            System.out.print(out);
            out.setLength(0);
            // Where CBPE sees no change, an unbiased estimate misses a chunk's realized value by its
            // sampling noise alone, about 0.8 of a standard error on average. In the alerted chunks the
            // realized values fall further than estimated: there the relation between scores and outcomes
            // changed, which CBPE assumes does not happen (docs/estimation.md); the alerts still fire,
            // and the estimate is still far closer than assuming no change.
            assertThat(quiet).as(metric).isPositive();
            assertThat(quietAbsSum / quiet).as(metric).isLessThan(quietSeSum / quiet);
            assertThat(absSum).as(metric).isLessThan(baselineSum);
            assertThat(alerted).as(metric).isEqualTo(fell).isNotEmpty();
        }
    }

    @Test
    void everyMetricEstimateTracksItsRealizedValueBetterThanAssumingNoChange() {
        EstimationResult withTargets = cbpe.estimate(ModelOutputs.multiclass(CLASSES, proba,
                Arrays.stream(predicted).mapToObj(CLASSES::get).toList())
                .withTargets(Arrays.stream(actual).mapToObj(CLASSES::get).toList()));
        // The confusion cells are printed, not asserted: CBPE calibrates each class's probability over all
        // rows, while a cell (true i, predicted j) needs it calibrated within the rows predicted j, which
        // nothing ensures. On this data (our cells equal NannyML's documented ones) true prepaid / predicted
        // upmarket misses by 1.65 sampling errors on average before the shift, and true highstreet /
        // predicted highstreet does worse than assuming no change after it (docs/estimation.md).
        java.util.Set<String> cells = new java.util.HashSet<>();
        for (String t : CLASSES) {
            for (String p : CLASSES) {
                cells.add("true_" + t + "_pred_" + p);
            }
        }
        Comparisons.assertUnbiasedWhereNothingChanged(withTargets, cells);
        Comparisons.assertBetterThanAssumingNoChange(cbpe, withTargets, cells);
        for (ChunkEstimate e : withTargets.metric("f1")) {
            assertThat(e.realized().orElseThrow()).isCloseTo(realized("f1", e.chunk()), Offset.offset(1e-12));
        }
        for (ChunkEstimate e : withTargets.metric("roc_auc")) {
            assertThat(e.realized().orElseThrow()).isCloseTo(realized("roc_auc", e.chunk()), Offset.offset(1e-12));
        }
    }

    @Test
    void estimatesMatchNannyMlsDocumentedResults() {
        double worst = Comparisons.compareWithNannyMl("/nannyml/nannyml_mc_cbpe_chunk6000.csv", estimated,
                List.of("roc_auc", "f1"));
        System.out.println("calibrated classes " + cbpe.calibratedClasses());
        // NannyML prints 6 significant digits; ties between equal scores may sit in another order (see docs)
        assertThat(worst).isLessThan(5e-6);
    }

    @Test
    void confusionMatrixAndBusinessValueMatchNannyMlsDocumentedResults() {
        TestCsv ref = new TestCsv("/nannyml/mc_reference.csv");
        TestCsv ana = new TestCsv("/nannyml/mc_analysis.csv");
        ModelOutputs reference = ModelOutputs.multiclass(CLASSES, rows(ref), ref.strings("y_pred"))
                .withTargets(ref.strings("y_true")).withTimestamps(ref.times("timestamp"));
        ModelOutputs analysis = ModelOutputs.multiclass(CLASSES, proba, ana.strings("y_pred"))
                .withTimestamps(ana.times("timestamp"));
        // the settings of NannyML's two tutorials: shares of all rows; value per prediction
        EstimationResult cells = Cbpe.builder().metrics(CbpeMetric.CONFUSION_MATRIX)
                .confusionNormalization(ConfusionNormalization.ALL).chunking(Chunking.bySize(6000))
                .fit(reference).estimate(analysis);
        List<String> names = new ArrayList<>();
        for (String t : List.of("highstreet_card", "prepaid_card", "upmarket_card")) {
            for (String p : List.of("highstreet_card", "prepaid_card", "upmarket_card")) {
                names.add("true_" + t + "_pred_" + p);
            }
        }
        double worstCell = Comparisons.compareWithNannyMl("/nannyml/nannyml_mc_confusion_matrix_chunk6000.csv", cells,
                names);
        EstimationResult value = Cbpe.builder().metrics(CbpeMetric.BUSINESS_VALUE)
                .businessValue(NANNYML_VALUE_MATRIX, true).chunking(Chunking.bySize(6000))
                .fit(reference).estimate(analysis);
        double worstValue = Comparisons.compareWithNannyMl("/nannyml/nannyml_mc_business_value_chunk6000.csv", value,
                List.of("business_value"));
        assertThat(worstCell).isLessThan(5e-6);
        assertThat(worstValue).isLessThan(5e-6);
    }
}
