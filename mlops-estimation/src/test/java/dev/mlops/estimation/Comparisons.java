package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.data.Offset;

/** The comparisons the dataset tests share: against the no-change baseline and against NannyML's documented results. */
final class Comparisons {
    private Comparisons() {
    }

    /**
     * Without an estimator, the best guess is that a chunk performs as the reference chunks did:
     * for every metric, CBPE's absolute error summed over the chunks must be smaller than that guess's
     * (the metrics in {@code notAsserted} are printed only).
     *
     * @param withTargets estimates of data that carries targets, so each chunk has its realized value
     */
    static void assertBetterThanAssumingNoChange(FittedCbpe cbpe, EstimationResult withTargets,
                                                 java.util.Set<String> notAsserted) {
        assertBetterThanAssumingNoChange(cbpe.reference(), withTargets, notAsserted);
    }

    /** The same for any estimator, given its results on its own reference chunks. */
    static void assertBetterThanAssumingNoChange(EstimationResult reference, EstimationResult withTargets,
                                                 java.util.Set<String> notAsserted) {
        StringBuilder out = new StringBuilder("metric | MAE of the estimate | MAE of the reference mean | mean sampling error\n");
        for (String name : withTargets.metricNames()) {
            double referenceMean = reference.metric(name).stream()
                    .mapToDouble(e -> e.realized().orElseThrow()).average().orElseThrow();
            double absSum = 0;
            double baselineSum = 0;
            double seSum = 0;
            for (ChunkEstimate e : withTargets.metric(name)) {
                double realized = e.realized().orElseThrow();
                absSum += Math.abs(e.value() - realized);
                baselineSum += Math.abs(referenceMean - realized);
                seSum += e.samplingError();
            }
            int n = withTargets.metric(name).size();
            out.append(String.format("%s | %.6g | %.6g | %.6g%n", name, absSum / n, baselineSum / n, seSum / n));
            if (!(absSum < baselineSum)) {
                out.append("  ^ not better\n");
                assertThat(notAsserted).as(name + " is worse than assuming no change").contains(name);
            }
        }
        System.out.print(out);
    }

    /**
     * In the chunks where the estimator raised no ROC AUC alert (CBPE saw no change, so its
     * assumptions are not in question), an unbiased estimate misses each chunk's realized value by
     * that chunk's sampling noise alone, about 0.8 of a standard error on average: for every metric,
     * the mean absolute error over those chunks must stay below the mean sampling error (the metrics in
     * {@code notAsserted} are printed only).
     */
    static void assertUnbiasedWhereNothingChanged(EstimationResult withTargets, java.util.Set<String> notAsserted) {
        StringBuilder out = new StringBuilder("chunks without a roc_auc alert: metric | MAE | mean sampling error\n");
        List<ChunkEstimate> auc = withTargets.metric("roc_auc");
        List<String> failed = new java.util.ArrayList<>();
        for (String name : withTargets.metricNames()) {
            double absSum = 0;
            double seSum = 0;
            int quiet = 0;
            List<ChunkEstimate> list = withTargets.metric(name);
            for (int i = 0; i < list.size(); i++) {
                if (!auc.get(i).alert()) {
                    absSum += Math.abs(list.get(i).value() - list.get(i).realized().orElseThrow());
                    seSum += list.get(i).samplingError();
                    quiet++;
                }
            }
            out.append(String.format("%s | %.6g | %.6g%n", name, absSum / quiet, seSum / quiet));
            assertThat(quiet).isPositive();
            if (!(absSum / quiet < seSum / quiet) && !notAsserted.contains(name)) {
                failed.add(name);
            }
        }
        System.out.print(out);
        assertThat(failed).isEmpty();
    }

    /**
     * Compares with a table NannyML printed in its documentation (6 significant digits): the
     * thresholds and alerts must agree to the printed precision; the largest difference of the
     * estimates is returned (and each printed).
     */
    static double compareWithNannyMl(String resource, EstimationResult estimated, List<String> metrics) {
        TestCsv doc = new TestCsv(resource);
        StringBuilder out = new StringBuilder("metric | chunk | NannyML | ours | difference | sampling error NannyML vs ours\n");
        double worst = 0;
        for (String metric : metrics) {
            double[] theirs = doc.doubles(metric);
            double[] theirSe = doc.doubles(metric + "_sampling_error");
            double[] lower = doc.doubles(metric + "_lower_threshold");
            double[] upper = doc.doubles(metric + "_upper_threshold");
            List<String> alerts = doc.strings(metric + "_alert");
            List<ChunkEstimate> ours = estimated.metric(metric);
            assertThat(ours).hasSize(theirs.length);
            for (int i = 0; i < theirs.length; i++) {
                ChunkEstimate e = ours.get(i);
                assertThat(e.chunk().key()).isEqualTo(doc.strings("key").get(i));
                double diff = e.value() - theirs[i];
                worst = Math.max(worst, Math.abs(diff));
                out.append(String.format("%s | %s | %s | %.6f | %+.2e | %s vs %.6g%n", metric, e.chunk().key(), theirs[i],
                        e.value(), diff, theirSe[i], e.samplingError()));
                assertThat(e.lowerThreshold().orElseThrow()).as("lower threshold " + metric)
                        .isCloseTo(lower[i], Offset.offset(5e-6));
                assertThat(e.upperThreshold().orElseThrow()).as("upper threshold " + metric)
                        .isCloseTo(upper[i], Offset.offset(5e-6));
                assertThat(e.alert()).as("alert " + metric + " " + e.chunk().key())
                        .isEqualTo(Boolean.parseBoolean(alerts.get(i).toLowerCase()));
            }
        }
        out.append("largest difference ").append(worst).append('\n');
        System.out.print(out);
        return worst;
    }
}
