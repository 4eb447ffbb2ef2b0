package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.estimation.EstimatedMetric;
import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.testing.ManualTestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The online monitor on NannyML's car loan data: the 50,000 analysis rows served one by one into
 * windows of 5,000 rows, their targets joined later in a shuffled order. Each window's estimate
 * must equal the batch CBPE's on the same chunk (exactly for the confusion-matrix metrics, within
 * the window's stated bound for ROC AUC), and its realized values the batch's realized values.
 */
class CarLoanOnlineCbpeTest {
    private static final int CHUNK = 5000;
    private static final List<String> METRICS = List.of("roc_auc", "f1", "precision", "recall", "specificity", "accuracy");
    static FittedCbpe cbpe;
    static EstimationResult batch;
    static double[] proba;
    static int[] predicted;
    static int[] targets;

    @BeforeAll
    static void fit() {
        TestCsv ref = new TestCsv("/nannyml/synthetic_car_loan_reference.csv");
        TestCsv ana = new TestCsv("/nannyml/synthetic_car_loan_analysis.csv");
        TestCsv gt = new TestCsv("/nannyml/synthetic_car_loan_analysis_target.csv");
        cbpe = Cbpe.builder()
                .metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1, CbpeMetric.PRECISION, CbpeMetric.RECALL,
                        CbpeMetric.SPECIFICITY, CbpeMetric.ACCURACY, CbpeMetric.CONFUSION_MATRIX)
                .chunking(Chunking.bySize(CHUNK))
                .fit(ModelOutputs.binary(ref.doubles("y_pred_proba"), ref.ints("y_pred"))
                        .withTargets(ref.ints("repaid")).withTimestamps(ref.times("timestamp")));
        proba = ana.doubles("y_pred_proba");
        predicted = ana.ints("y_pred");
        targets = gt.ints("repaid");
        // the rows are in time order already (CarLoanCbpeTest checks it), so chunks are runs of file rows
        batch = cbpe.estimate(ModelOutputs.binary(proba, predicted).withTargets(targets)
                .withTimestamps(ana.times("timestamp")));
    }

    /** Serves every analysis row, one millisecond apart; then joins the targets, half by window number, half by time. */
    static CbpeMonitor serveAndJoin(List<PerformanceWindow> closedAtOnce) {
        ManualTestClock clock = new ManualTestClock(Instant.parse("2018-10-30T18:00:00Z"));
        CbpeMonitor monitor = CbpeMonitor.builder(cbpe).countWindow(CHUNK).clock(clock).listener(closedAtOnce::add)
                .build();
        long[] window = new long[proba.length];
        Instant[] at = new Instant[proba.length];
        for (int i = 0; i < proba.length; i++) {
            at[i] = clock.instant();
            window[i] = monitor.observe(proba[i], predicted[i]);
            clock.advance(Duration.ofMillis(1));
        }
        int[] order = shuffled(proba.length, 7);
        for (int j = 0; j < order.length; j++) {
            int i = order[j];
            boolean joined = j % 2 == 0 ? monitor.feedback(window[i], proba[i], predicted[i], targets[i])
                    : monitor.feedback(at[i], proba[i], predicted[i], targets[i]);
            assertThat(joined).as("feedback of row %d", i).isTrue();
        }
        return monitor;
    }

    static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    @Test
    void eachWindowEstimatesWhatTheBatchEstimatesOnTheSameChunk() {
        List<PerformanceWindow> atClose = new ArrayList<>();
        CbpeMonitor monitor = serveAndJoin(atClose);
        assertThat(monitor.metrics()).isEqualTo(METRICS);
        List<PerformanceWindow> windows = monitor.windows();
        assertThat(windows).hasSize(10);
        assertThat(atClose).hasSize(10);
        double maxAucError = 0;
        double maxAucBound = 0;
        StringBuilder table = new StringBuilder("window | online roc_auc | batch | difference | bound | online realized"
                + " | batch realized | realized bound\n");
        for (int w = 0; w < 10; w++) {
            PerformanceWindow win = windows.get(w);
            assertThat(win.sequence()).isEqualTo(w + 1);
            assertThat(win.rows()).isEqualTo(CHUNK);
            assertThat(win.labelledRows()).isEqualTo(CHUNK);
            // at close no target had arrived: estimates only
            assertThat(atClose.get(w).labelledRows()).isZero();
            assertThat(atClose.get(w).metrics()).allSatisfy(m -> assertThat(m.realized()).isEmpty());
            for (String name : METRICS) {
                ChunkEstimate b = batch.metric(name).get(w);
                EstimatedMetric m = win.metric(name).orElseThrow();
                assertThat(atClose.get(w).metric(name).orElseThrow().estimate()).isEqualTo(m.estimate());
                assertThat(m.samplingError()).as(name).isCloseTo(b.samplingError(), within(1e-15));
                assertThat(m.lowerThreshold()).isEqualTo(b.lowerThreshold());
                assertThat(m.upperThreshold()).isEqualTo(b.upperThreshold());
                assertThat(m.alert()).as("alert of %s in window %d", name, w + 1).isEqualTo(b.alert());
                double realized = b.realized().orElseThrow();
                if (name.equals("roc_auc")) {
                    double error = Math.abs(m.estimate() - b.value());
                    assertThat(error).as("roc_auc window %d: |online - batch| within the bound", w + 1)
                            .isLessThanOrEqualTo(m.estimateBound() + 1e-6);
                    assertThat(Math.abs(m.realized().orElseThrow() - realized))
                            .isLessThanOrEqualTo(m.realizedBound() + 1e-12);
                    maxAucError = Math.max(maxAucError, error);
                    maxAucBound = Math.max(maxAucBound, m.estimateBound());
                    table.append(String.format("%d | %.6f | %.6f | %+.2e | %.2e | %.6f | %.6f | %.2e%n", w + 1,
                            m.estimate(), b.value(), m.estimate() - b.value(), m.estimateBound(),
                            m.realized().orElseThrow(), realized, m.realizedBound()));
                } else {
                    assertThat(m.estimateBound()).isZero();
                    assertThat(m.estimate()).as("%s window %d", name, w + 1).isCloseTo(b.value(), within(1e-9));
                    assertThat(m.realized().orElseThrow()).as("realized %s window %d", name, w + 1)
                            .isCloseTo(realized, within(1e-12));
                }
            }
        }
        System.out.println(table);
        System.out.printf("max |online - batch| roc_auc %.3g, max bound %.3g%n", maxAucError, maxAucBound);
        // the scores are printed with two decimals, so a bin holds one score: its rows are ties, which the
        // batch puts in file order and the bins take as a diagonal; far below the sampling error 0.0018
        assertThat(maxAucError).isLessThan(2e-4);
    }

    @Test
    void theAlertsAreTheBatchAlertsTheChunksWhoseRealizedAucFell() {
        CbpeMonitor monitor = serveAndJoin(new ArrayList<>());
        List<Long> alerted = new ArrayList<>();
        List<Long> fell = new ArrayList<>();
        for (PerformanceWindow w : monitor.windows()) {
            EstimatedMetric auc = w.metric("roc_auc").orElseThrow();
            if (auc.estimatedDrop()) {
                alerted.add(w.sequence());
            }
            if (auc.realized().orElseThrow() < auc.lowerThreshold().orElseThrow()) {
                fell.add(w.sequence());
            }
        }
        assertThat(alerted).containsExactly(6L, 7L, 8L, 9L, 10L).isEqualTo(fell);
    }

    @Test
    void timeWindowsCloseOnTheClockAndJoinTargetsByTime() {
        ManualTestClock clock = new ManualTestClock(Instant.parse("2018-10-30T00:00:00Z"));
        CbpeMonitor monitor = CbpeMonitor.builder(cbpe).timeWindow(Duration.ofHours(1)).clock(clock).build();
        // 5,000 rows an hour: hour h holds chunk h
        Map<Integer, Instant> firstOfHour = new java.util.HashMap<>();
        for (int i = 0; i < 2 * CHUNK; i++) {
            clock.set(Instant.parse("2018-10-30T00:00:00Z").plusMillis(i / CHUNK * 3_600_000L + i % CHUNK * 700L));
            firstOfHour.putIfAbsent(i / CHUNK, clock.instant());
            monitor.observe(proba[i], predicted[i]);
        }
        assertThat(monitor.windows()).hasSize(1);
        clock.advance(Duration.ofHours(1));
        monitor.tick();
        List<PerformanceWindow> windows = monitor.windows();
        assertThat(windows).hasSize(2);
        assertThat(windows.get(1).start()).isEqualTo(Instant.parse("2018-10-30T01:00:00Z"));
        assertThat(windows.get(1).end()).isEqualTo(Instant.parse("2018-10-30T02:00:00Z"));
        for (int i = 0; i < 2 * CHUNK; i++) {
            Instant t = Instant.parse("2018-10-30T00:00:00Z").plusMillis(i / CHUNK * 3_600_000L + i % CHUNK * 700L);
            assertThat(monitor.feedback(t, proba[i], predicted[i], targets[i])).isTrue();
        }
        for (int w = 0; w < 2; w++) {
            assertThat(monitor.windows().get(w).metric("f1").orElseThrow().realized().orElseThrow())
                    .isCloseTo(batch.metric("f1").get(w).realized().orElseThrow(), within(1e-12));
            assertThat(monitor.windows().get(w).metric("f1").orElseThrow().estimate())
                    .isCloseTo(batch.metric("f1").get(w).value(), within(1e-9));
        }
        // a time before every kept window joins nothing
        assertThat(monitor.feedback(Instant.parse("2018-10-29T00:00:00Z"), 0.5, 1, 1)).isFalse();
    }
}
