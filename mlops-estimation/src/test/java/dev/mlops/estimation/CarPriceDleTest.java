package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.quality.RegressionData;
import dev.mlops.quality.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DLE on NannyML's synthetic car price data (regression), chunks of 6,000 rows as in NannyML's
 * regression tutorial: estimated MAE, RMSE (and the other four metrics) per chunk against the
 * realized values from the analysis targets (which the estimator never sees), and against NannyML's
 * own documented estimates.
 */
class CarPriceDleTest {
    private static final int CHUNK = 6000;
    static FittedDle dle;
    static EstimationResult withTargets;

    static RegressionOutputs outputs(TestCsv csv) {
        RegressionOutputs out = RegressionOutputs.of(csv.doubles("y_pred"));
        for (String n : List.of("car_age", "km_driven", "price_new", "accident_count", "door_count")) {
            out = out.withNumericFeature(n, csv.doubles(n));
        }
        return out.withCategoricalFeature("fuel", csv.strings("fuel"))
                .withCategoricalFeature("transmission", csv.strings("transmission"))
                .withTimestamps(csv.times("timestamp"));
    }

    @BeforeAll
    static void fit() {
        TestCsv ref = new TestCsv("/nannyml/regression_synthetic_reference.csv");
        TestCsv ana = new TestCsv("/nannyml/regression_synthetic_analysis.csv");
        TestCsv gt = new TestCsv("/nannyml/regression_synthetic_analysis_targets.csv");
        assertThat(gt.strings("id")).isEqualTo(ana.strings("id"));
        dle = Dle.builder().chunking(Chunking.bySize(CHUNK))
                .fit(outputs(ref).withTargets(ref.doubles("y_true")));
        List<Instant> times = ana.times("timestamp");
        for (int i = 1; i < times.size(); i++) {
            // the rows are already in time order, so chunk positions are file positions
            assertThat(times.get(i)).isAfterOrEqualTo(times.get(i - 1));
        }
        // the targets only add each chunk's realized value (DleBehaviourTest shows they change no estimate)
        withTargets = dle.estimate(outputs(ana).withTargets(gt.doubles("y_true")));
    }

    @Test
    void realizedValuesAreTheQualityModulesMetrics() {
        TestCsv ana = new TestCsv("/nannyml/regression_synthetic_analysis.csv");
        TestCsv gt = new TestCsv("/nannyml/regression_synthetic_analysis_targets.csv");
        double[] y = gt.doubles("y_true");
        double[] p = ana.doubles("y_pred");
        for (Chunk c : withTargets.chunks()) {
            RegressionData d = RegressionData.of(Arrays.copyOfRange(y, c.startIndex(), c.endIndex() + 1),
                    Arrays.copyOfRange(p, c.startIndex(), c.endIndex() + 1));
            assertThat(withTargets.metric("mae").get(c.index()).realized().orElseThrow())
                    .isCloseTo(Metrics.MAE.compute(d), within(1e-9));
            assertThat(withTargets.metric("rmse").get(c.index()).realized().orElseThrow())
                    .isCloseTo(Metrics.RMSE.compute(d), within(1e-9));
            assertThat(withTargets.metric("mape").get(c.index()).realized().orElseThrow())
                    .isCloseTo(Metrics.MAPE.compute(d), within(1e-12));
        }
    }

    /**
     * The estimate per chunk against the realized value: printed for every metric; for MAE and RMSE
     * the mean absolute error of the estimate must stay below the mean distance of the realized values
     * from what the reference chunks did (the no-change guess), and below 1.5 mean sampling errors.
     */
    @Test
    void estimatesFollowTheRealizedValues() {
        StringBuilder table = new StringBuilder();
        for (String name : withTargets.metricNames()) {
            table.append(name).append(": chunk | estimated | realized | error | sampling error | lower | upper threshold | alert\n");
            double absSum = 0;
            double seSum = 0;
            for (ChunkEstimate e : withTargets.metric(name)) {
                double realized = e.realized().orElseThrow();
                absSum += Math.abs(e.value() - realized);
                seSum += e.samplingError();
                table.append(String.format("%s | %.6g | %.6g | %+.4g | %.4g | %.6g | %.6g | %s%n", e.chunk().key(),
                        e.value(), realized, e.value() - realized, e.samplingError(), e.lowerThreshold().orElse(Double.NaN),
                        e.upperThreshold().orElse(Double.NaN), e.alert() ? "alert" : ""));
            }
            int n = withTargets.metric(name).size();
            table.append(String.format("%s: MAE of the estimate %.6g, mean sampling error %.6g%n%n", name, absSum / n,
                    seSum / n));
            if (name.equals("mae") || name.equals("rmse")) {
                assertThat(absSum / n).as(name + ": mean absolute error of the estimate").isLessThan(1.5 * seSum / n);
            }
        }
        System.out.print(table);
        assertThat(withTargets.chunks()).hasSize(10);
        assertThat(withTargets.metricNames()).containsExactly("mae", "mape", "mse", "rmse", "msle", "rmsle");
        Comparisons.assertBetterThanAssumingNoChange(dle.reference(), withTargets, java.util.Set.of());
    }

    /**
     * Alerts against the realized values: for MAE and RMSE the chunks that alert are exactly the chunks
     * whose realized value crossed a threshold (here: fell below the lower one, the model's errors
     * shrank). For every metric no chunk alerts without its realized value beyond the same threshold,
     * and every chunk whose realized value lies beyond a threshold by more than one sampling error
     * alerts (a smaller crossing is within the noise of the realized value itself).
     */
    @Test
    void alertsMarkTheChunksWhoseRealizedPerformanceMoved() {
        StringBuilder out = new StringBuilder("metric | alerted chunks | chunks whose realized value crossed a threshold\n");
        for (String name : withTargets.metricNames()) {
            List<String> alerted = new ArrayList<>();
            List<String> moved = new ArrayList<>();
            for (ChunkEstimate e : withTargets.metric(name)) {
                double r = e.realized().orElseThrow();
                double lower = e.lowerThreshold().orElse(Double.NEGATIVE_INFINITY);
                double upper = e.upperThreshold().orElse(Double.POSITIVE_INFINITY);
                if (e.alert()) {
                    alerted.add(e.chunk().key());
                    boolean sameSide = (e.value() < lower && r < lower) || (e.value() > upper && r > upper);
                    assertThat(sameSide).as(name + " alert in " + e.chunk().key() + " without the realized value beyond"
                            + " the same threshold (realized " + r + ")").isTrue();
                }
                if (r < lower || r > upper) {
                    moved.add(e.chunk().key());
                }
                if (r < lower - e.samplingError() || r > upper + e.samplingError()) {
                    assertThat(e.alert()).as(name + " in " + e.chunk().key() + ": realized " + r
                            + " is more than a sampling error beyond a threshold, but no alert").isTrue();
                }
            }
            out.append(name).append(" | ").append(alerted).append(" | ").append(moved).append('\n');
            if (name.equals("mae") || name.equals("rmse")) {
                assertThat(alerted).as(name + " alerts").isEqualTo(moved).isNotEmpty();
            }
        }
        System.out.print(out);
        for (String name : List.of("mae", "rmse")) {
            for (ChunkEstimate e : withTargets.metric(name)) {
                if (e.alert()) {
                    assertThat(e.realized().orElseThrow()).as(name + " of an alerted chunk fell below the lower threshold")
                            .isLessThan(e.lowerThreshold().orElseThrow());
                }
            }
        }
        // no chunk of the reference alerts
        for (String name : dle.reference().metricNames()) {
            assertThat(dle.reference().alerts(name)).as("reference alerts of " + name).isEmpty();
        }
    }

    /**
     * NannyML's regression tutorial prints its RMSE and RMSLE estimates on these chunks. Sampling
     * errors and thresholds come from the reference alone and must equal NannyML's to the printed
     * precision, and the alerts must be the same; the estimates come from another learner
     * (XGBoost here, LightGBM there): NannyML's estimate must lie inside our band (3 sampling errors)
     * in every chunk, and ours must be at least as close to the realized values as NannyML's, give or
     * take one sampling error.
     */
    @Test
    void agreesWithNannyMlsDocumentedResults() {
        TestCsv doc = new TestCsv("/nannyml/nannyml_car_price_dle_chunk6000.csv");
        StringBuilder out = new StringBuilder("metric | chunk | NannyML | ours | difference | realized\n");
        for (String metric : List.of("rmse", "rmsle")) {
            double[] theirs = doc.doubles(metric);
            double[] se = doc.doubles(metric + "_sampling_error");
            double[] upper = doc.doubles(metric + "_upper_threshold");
            double[] lower = doc.doubles(metric + "_lower_threshold");
            List<String> alerts = doc.strings(metric + "_alert");
            List<ChunkEstimate> ours = withTargets.metric(metric);
            double worst = 0;
            double theirsAbs = 0;
            double oursAbs = 0;
            for (int i = 0; i < theirs.length; i++) {
                ChunkEstimate e = ours.get(i);
                double realized = e.realized().orElseThrow();
                assertThat(e.chunk().key()).isEqualTo(doc.strings("key").get(i));
                assertThat(e.samplingError()).as("sampling error " + metric).isCloseTo(se[i], within(halfUlpOfPrint(se[i])));
                assertThat(e.lowerThreshold().orElseThrow()).as("lower threshold " + metric)
                        .isCloseTo(lower[i], within(halfUlpOfPrint(lower[i])));
                assertThat(e.upperThreshold().orElseThrow()).as("upper threshold " + metric)
                        .isCloseTo(upper[i], within(halfUlpOfPrint(upper[i])));
                assertThat(e.alert()).as("alert " + metric + " " + e.chunk().key())
                        .isEqualTo(Boolean.parseBoolean(alerts.get(i).toLowerCase()));
                double diff = e.value() - theirs[i];
                worst = Math.max(worst, Math.abs(diff));
                theirsAbs += Math.abs(theirs[i] - realized);
                oursAbs += Math.abs(e.value() - realized);
                out.append(String.format("%s | %s | %s | %.6f | %+.4g | %.6f%n", metric, e.chunk().key(), theirs[i],
                        e.value(), diff, realized));
                assertThat(theirs[i]).as(metric + " " + e.chunk().key() + ": NannyML's estimate inside our band")
                        .isBetween(e.lowerConfidenceBoundary(), e.upperConfidenceBoundary());
            }
            assertThat(oursAbs / theirs.length).as(metric + ": MAE against the realized values, ours vs NannyML's")
                    .isLessThan(theirsAbs / theirs.length + se[0]);
            out.append(String.format("%s: largest difference %.4g; MAE against the realized values: NannyML %.4g, ours %.4g%n",
                    metric, worst, theirsAbs / theirs.length, oursAbs / theirs.length));
        }
        System.out.print(out);
    }

    /** Half a unit in the last printed digit: the print has 6 decimals, or 6 significant digits. */
    private static double halfUlpOfPrint(double printed) {
        String s = Double.toString(printed);
        int dot = s.indexOf('.');
        int decimals = dot < 0 ? 0 : s.length() - dot - 1;
        return 0.5 * Math.pow(10, -decimals) + 1e-12;
    }
}
