package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.estimation.EstimatedMetric;
import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.serving.OutputObserver;
import dev.mlops.api.testing.ManualTestClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The online monitor on data whose scores are continuous (so the ROC AUC bins hold rows of
 * different scores), on NannyML's multiclass credit-card data, and its refusals, allocation and
 * failure counting.
 */
class CbpeMonitorTest {

    /** A binary classifier's outputs: a latent score, the outcome drawn from it, the score shifted by {@code shift}. */
    record Generated(double[] proba, int[] predicted, int[] targets) {
        static Generated of(int n, double shift, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] p = new double[n];
            int[] pred = new int[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                double z = r.nextGaussian() * 1.5 + shift;
                double q = 1 / (1 + Math.exp(-z));
                y[i] = r.nextDouble() < q ? 1 : 0;
                // the model is a little overconfident, so CBPE calibrates it
                p[i] = 1 / (1 + Math.exp(-1.3 * z));
                pred[i] = p[i] >= 0.5 ? 1 : 0;
            }
            return new Generated(p, pred, y);
        }
    }

    static FittedCbpe fitGenerated(int chunk) {
        Generated ref = Generated.of(20_000, 0, 1);
        return Cbpe.builder()
                .metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1, CbpeMetric.PRECISION, CbpeMetric.RECALL,
                        CbpeMetric.SPECIFICITY, CbpeMetric.ACCURACY)
                .chunking(Chunking.bySize(chunk))
                .fit(ModelOutputs.binary(ref.proba, ref.predicted).withTargets(ref.targets));
    }

    @Test
    void continuousScoresStayWithinTheBinningBoundOfTheBatchEstimate() {
        int chunk = 4000;
        FittedCbpe cbpe = fitGenerated(chunk);
        assertThat(cbpe.calibratedClasses()).containsExactly("1");
        Generated ana = Generated.of(20_000, -0.8, 2);
        EstimationResult batch = cbpe.estimate(ModelOutputs.binary(ana.proba, ana.predicted).withTargets(ana.targets));
        StringBuilder table = new StringBuilder("bins | max |online - batch| est. | max bound | max |online - batch| realized"
                + " | max bound\n");
        double[] maxError = new double[3];
        int[] binCounts = {10, 100, 1000};
        for (int k = 0; k < binCounts.length; k++) {
            CbpeMonitor monitor = CbpeMonitor.builder(cbpe).countWindow(chunk).bins(binCounts[k])
                    .clock(new ManualTestClock(Instant.EPOCH)).build();
            for (int i = 0; i < ana.proba.length; i++) {
                long w = monitor.observe(ana.proba[i], ana.predicted[i]);
                assertThat(monitor.feedback(w, ana.proba[i], ana.predicted[i], ana.targets[i])).isTrue();
            }
            List<PerformanceWindow> windows = monitor.windows();
            assertThat(windows).hasSize(5);
            double estError = 0;
            double estBound = 0;
            double realError = 0;
            double realBound = 0;
            for (int w = 0; w < windows.size(); w++) {
                EstimatedMetric auc = windows.get(w).metric("roc_auc").orElseThrow();
                ChunkEstimate b = batch.metric("roc_auc").get(w);
                double e = Math.abs(auc.estimate() - b.value());
                double re = Math.abs(auc.realized().orElseThrow() - b.realized().orElseThrow());
                assertThat(e).as("bins %d window %d", binCounts[k], w + 1).isLessThanOrEqualTo(auc.estimateBound() + 1e-6);
                assertThat(re).as("bins %d window %d realized", binCounts[k], w + 1)
                        .isLessThanOrEqualTo(auc.realizedBound() + 1e-12);
                estError = Math.max(estError, e);
                estBound = Math.max(estBound, auc.estimateBound());
                realError = Math.max(realError, re);
                realBound = Math.max(realBound, auc.realizedBound());
                for (String m : List.of("f1", "precision", "recall", "specificity", "accuracy")) {
                    assertThat(windows.get(w).metric(m).orElseThrow().estimate()).as(m)
                            .isCloseTo(batch.metric(m).get(w).value(), within(1e-9));
                    assertThat(windows.get(w).metric(m).orElseThrow().realized().orElseThrow()).as(m)
                            .isCloseTo(batch.metric(m).get(w).realized().orElseThrow(), within(1e-12));
                }
            }
            maxError[k] = estError;
            table.append(String.format("%d | %.2e | %.2e | %.2e | %.2e%n", binCounts[k], estError, estBound, realError,
                    realBound));
        }
        System.out.println(table);
        // 1,000 bins: far inside the sampling error of a 4,000-row window's ROC AUC (about 0.005)
        assertThat(maxError[2]).isLessThan(1e-4);
        assertThat(maxError[2]).isLessThan(maxError[0]);
    }

    @Test
    void creditCardWindowsEqualTheBatchMulticlassEstimates() {
        CreditCardCbpeTest.fit();
        FittedCbpe cbpe = CreditCardCbpeTest.cbpe;
        double[][] proba = CreditCardCbpeTest.proba;
        int[] predicted = CreditCardCbpeTest.predicted;
        int[] actual = CreditCardCbpeTest.actual;
        CbpeMonitor monitor = CbpeMonitor.builder(cbpe).countWindow(6000).clock(new ManualTestClock(Instant.EPOCH))
                .build();
        assertThat(monitor.classes()).isEqualTo(CreditCardCbpeTest.CLASSES);
        for (int i = 0; i < predicted.length; i++) {
            long w = monitor.observe(proba[i], predicted[i]);
            monitor.feedback(w, proba[i], predicted[i], actual[i]);
        }
        List<PerformanceWindow> windows = monitor.windows();
        assertThat(windows).hasSize(10);
        for (int w = 0; w < 10; w++) {
            for (String m : monitor.metrics()) {
                ChunkEstimate b = CreditCardCbpeTest.estimated.metric(m).get(w);
                EstimatedMetric o = windows.get(w).metric(m).orElseThrow();
                assertThat(Math.abs(o.estimate() - b.value())).as("%s window %d", m, w + 1)
                        .isLessThanOrEqualTo(o.estimateBound() + 1e-6);
                assertThat(o.samplingError()).isCloseTo(b.samplingError(), within(1e-15));
                assertThat(o.alert()).as("alert %s window %d", m, w + 1).isEqualTo(b.alert());
            }
            Chunk chunk = CreditCardCbpeTest.estimated.chunks().get(w);
            EstimatedMetric auc = windows.get(w).metric("roc_auc").orElseThrow();
            assertThat(Math.abs(auc.realized().orElseThrow() - CreditCardCbpeTest.realized("roc_auc", chunk)))
                    .isLessThanOrEqualTo(auc.realizedBound() + 1e-12);
            assertThat(windows.get(w).metric("f1").orElseThrow().realized().orElseThrow())
                    .isCloseTo(CreditCardCbpeTest.realized("f1", chunk), within(1e-12));
        }
    }

    @Test
    void refusesBadRowsNamingTheValue() {
        CbpeMonitor monitor = CbpeMonitor.builder(fitGenerated(1000)).countWindow(10).build();
        assertThatThrownBy(() -> monitor.observe(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("positiveProbability is NaN, expected a probability in [0, 1]");
        assertThatThrownBy(() -> monitor.observe(1.5, 1)).hasMessageContaining("is 1.5, expected a probability");
        assertThatThrownBy(() -> monitor.observe(0.5, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("predicted is 2, expected a class index from 0 to 1 (classes [0, 1])");
        assertThatThrownBy(() -> monitor.observe(new double[] {0.5, 0.5}, 1))
                .hasMessageContaining("this monitor's classifier is binary");
        assertThatThrownBy(() -> monitor.feedback(1, 0.5, 1, 3)).hasMessage(
                "actual is 3, expected a class index from 0 to 1 (classes [0, 1])");
        assertThat(monitor.observed()).isZero();
        assertThatThrownBy(() -> CbpeMonitor.builder(fitGenerated(1000)).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("set countWindow(rows) or timeWindow(duration)");
        assertThatThrownBy(() -> CbpeMonitor.builder(fitGenerated(1000)).countWindow(0))
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> CbpeMonitor.builder(fitGenerated(1000)).countWindow(5).timeWindow(Duration.ofHours(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CbpeMonitor.builder(fitGenerated(1000)).bins(0)).hasMessage("bins must be 1 to 1000000, got 0");
        FittedCbpe confusionOnly = Cbpe.builder().metrics(CbpeMetric.CONFUSION_MATRIX).chunking(Chunking.bySize(1000))
                .fit(ModelOutputs.binary(Generated.of(5000, 0, 3).proba, Generated.of(5000, 0, 3).predicted)
                        .withTargets(Generated.of(5000, 0, 3).targets));
        assertThatThrownBy(() -> CbpeMonitor.builder(confusionOnly).countWindow(10).build())
                .hasMessageContaining("estimates none of the metrics a monitor estimates online");
    }

    @Test
    void observingAllocatesNothing() {
        FittedCbpe cbpe = fitGenerated(1000);
        CbpeMonitor monitor = CbpeMonitor.builder(cbpe).countWindow(1_000_000).build();
        Generated g = Generated.of(10_000, 0, 4);
        for (int i = 0; i < g.proba.length; i++) { // warm up
            monitor.observe(g.proba[i], g.predicted[i]);
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(id);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < g.proba.length; i++) {
                monitor.observe(g.proba[i], g.predicted[i]);
            }
        }
        long allocated = bean.getThreadAllocatedBytes(id) - before;
        // 200,000 rows: a few hundred bytes at most (the bean's own bookkeeping), not bytes per row
        assertThat(allocated).isLessThan(4096);
        assertThat(monitor.observed()).isEqualTo(210_000);
    }

    @Test
    void aWindowTooOldForGroundTruthSaysSoAndFailuresAreCounted() {
        ManualTestClock clock = new ManualTestClock(Instant.EPOCH);
        List<PerformanceWindow> seen = new ArrayList<>();
        CbpeMonitor monitor = CbpeMonitor.builder(fitGenerated(1000)).countWindow(2).keepWindows(2).clock(clock)
                .listener(seen::add).listener(w -> {
                    throw new IllegalStateException("a broken listener");
                }).build();
        for (int i = 0; i < 8; i++) {
            monitor.observe(0.7, 1);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(seen).extracting(PerformanceWindow::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(monitor.listenerFailures()).isEqualTo(4);
        assertThat(monitor.windows()).extracting(PerformanceWindow::sequence).containsExactly(3L, 4L);
        assertThat(monitor.feedback(1, 0.7, 1, 1)).isFalse();
        assertThat(monitor.feedback(Instant.EPOCH, 0.7, 1, 1)).isFalse();
        assertThat(monitor.feedback(4, 0.7, 1, 1)).isTrue();
        assertThat(monitor.feedback(Instant.ofEpochSecond(5), 0.7, 1, 0)).isTrue(); // window 3: seconds 4 and 5
        assertThat(monitor.window(3).orElseThrow().labelledRows()).isEqualTo(1);
        assertThat(monitor.feedback(9, 0.7, 1, 1)).isFalse();
        OutputObserver<String, Double> observer = monitor.binaryObserver(p -> p, p -> p >= 0.5 ? 1 : 0);
        observer.observe("in", Double.NaN);
        observer.observe("in", 0.9);
        assertThat(monitor.observerFailures()).isEqualTo(1);
        assertThat(monitor.snapshot().rows()).isEqualTo(1);
        assertThat(monitor.snapshot().sequence()).isEqualTo(5);
    }
}
