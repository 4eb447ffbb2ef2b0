package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.api.serving.OutputObserver;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArmRecorderTest {

    @Test
    void bucketsAreContiguousAndTheUpperEdgeBoundsTheirValues() {
        int last = -1;
        for (long v = 0; v < 1 << 20; v++) {
            int b = ArmRecorder.bucket(v);
            // plain checks: a million AssertJ calls would take seconds
            if (b != last && b != last + 1 || ArmRecorder.upperEdge(b) < v) {
                throw new AssertionError("value " + v + " in bucket " + b + " after bucket " + last
                        + ", upper edge " + ArmRecorder.upperEdge(b));
            }
            last = b;
        }
        assertThat(ArmRecorder.upperEdge(ArmRecorder.bucket(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        // about 3% resolution
        assertThat(ArmRecorder.upperEdge(ArmRecorder.bucket(20_000_000))).isBetween(20_000_000L, 20_700_000L);
    }

    @Test
    void latencyThresholdsComeOnlyFromEarlierControlLatencies() {
        ArmRecorder r = new ArmRecorder();
        for (int i = 1; i < ArmRecorder.LATENCY_BURN_IN; i++) {
            r.record(Arm.CONTROL, false, i * 1000L);
        }
        assertThat(r.p50ThresholdNanos()).isEqualTo(-1);
        r.record(Arm.CANDIDATE, false, 1_000_000);
        assertThat(r.snapshot(Arm.CANDIDATE).latencies()).isZero();
        r.record(Arm.CONTROL, false, 100_000L);
        // control latencies 1..100 us: median about 50 us, p99 about 99 us
        assertThat(r.p50ThresholdNanos()).isBetween(50_000L, 52_000L);
        assertThat(r.p99ThresholdNanos()).isBetween(99_000L, 102_000L);
        r.record(Arm.CANDIDATE, true, 1_000_000);
        r.record(Arm.CANDIDATE, false, 60_000);
        r.record(Arm.CANDIDATE, false, 10_000);
        ArmStats c = r.snapshot(Arm.CANDIDATE);
        assertThat(c).isEqualTo(new ArmStats(4, 1, 0, 0, 0, 3, 2, 1));
    }

    @Test
    void theListenerRecordsTheTwoVersionsAndIgnoresOthers() {
        ArmRecorder r = new ArmRecorder();
        LatencyListener l = r.latencyListener(new ModelRef.Version("rain", 3), new ModelRef.Version("rain", 4));
        l.timed(new ModelRef.Version("rain", 3), false, 1, 10);
        l.timed(new ModelRef.Version("rain", 4), true, 1, 10);
        l.timed(new ModelRef.Version("rain", 4), false, 1, 10);
        l.timed(new ModelRef.Version("rain", 2), true, 1, 10);
        r.recordLoss(Arm.CANDIDATE, 2);
        r.recordLoss(Arm.CANDIDATE, 4);
        assertThat(r.snapshot(Arm.CONTROL).requests()).isEqualTo(1);
        assertThat(r.snapshot(Arm.CANDIDATE)).isEqualTo(new ArmStats(2, 1, 2, 6, 20, 0, 0, 0));
    }

    @Test
    void twoRequestThreadsCountEverythingAndTheThresholdsSumEveryStripe() throws Exception {
        ArmRecorder r = new ArmRecorder();
        // a quarter fast, three quarters slow: both thresholds fall among the slow ones only when
        // the recomputation sums the stripes of both threads
        Thread fast = new Thread(() -> {
            for (int i = 0; i < 2_500; i++) {
                r.record(Arm.CONTROL, i % 10 == 0, 1_000);
            }
        });
        Thread slow = new Thread(() -> {
            for (int i = 0; i < 7_500; i++) {
                r.record(Arm.CONTROL, false, 100_000);
            }
        });
        fast.start();
        slow.start();
        fast.join();
        slow.join();
        ArmStats control = r.snapshot(Arm.CONTROL);
        assertThat(control.requests()).isEqualTo(10_000);
        assertThat(control.errors()).isEqualTo(250);
        assertThat(r.p50ThresholdNanos()).isEqualTo(ArmRecorder.upperEdge(ArmRecorder.bucket(100_000)));
        assertThat(r.p99ThresholdNanos()).isEqualTo(ArmRecorder.upperEdge(ArmRecorder.bucket(100_000)));
    }

    @Test
    void predictionQuartilesComeOnlyFromEarlierControlPredictionsAndEachArmCountsItsExceedances() {
        ArmRecorder r = new ArmRecorder(0, 100);
        for (int i = 1; i < ArmRecorder.PREDICTION_BURN_IN; i++) {
            r.recordPrediction(Arm.CONTROL, i);
        }
        assertThat(r.predictionQuartiles()).isEmpty();
        r.recordPrediction(Arm.CANDIDATE, 90);
        assertThat(r.snapshot(Arm.CANDIDATE).predictions()).as("during the burn-in").isZero();
        r.recordPrediction(Arm.CONTROL, 100);
        // control predictions 1..100 in bins of 100/1024: quartiles at the upper edges of 25, 50, 75's bins
        double[] q = r.predictionQuartiles().orElseThrow();
        assertThat(q[0]).isCloseTo(25, within(0.1));
        assertThat(q[1]).isCloseTo(50, within(0.1));
        assertThat(q[2]).isCloseTo(75, within(0.1));
        r.recordPrediction(Arm.CANDIDATE, 10);   // above none
        r.recordPrediction(Arm.CANDIDATE, 30);   // above q25
        r.recordPrediction(Arm.CANDIDATE, 60);   // above q25, q50
        r.recordPrediction(Arm.CANDIDATE, 1e9);  // outside the range: above all three
        r.recordPrediction(Arm.CANDIDATE, -5);   // outside the range: above none
        ArmStats c = r.snapshot(Arm.CANDIDATE);
        assertThat(List.of(c.predictions(), c.overQ25(), c.overQ50(), c.overQ75())).containsExactly(5L, 3L, 2L, 1L);
        assertThat(r.snapshot(Arm.CONTROL).predictions()).as("the 100th control prediction itself came before").isZero();
    }

    @Test
    void predictionsOutsideTheRangeCountInTheEdgeBins() {
        ArmRecorder r = new ArmRecorder(-1, 1);
        assertThat(r.predictionBin(-1)).isZero();
        assertThat(r.predictionBin(-7)).isZero();
        assertThat(r.predictionBin(0)).isEqualTo(ArmRecorder.PREDICTION_BINS / 2);
        assertThat(r.predictionBin(1)).isEqualTo(ArmRecorder.PREDICTION_BINS - 1);
        assertThat(r.predictionBin(Double.MAX_VALUE)).isEqualTo(ArmRecorder.PREDICTION_BINS - 1);
        assertThat(r.predictionUpperEdge(ArmRecorder.PREDICTION_BINS - 1)).isEqualTo(1.0);
        assertThatThrownBy(() -> new ArmRecorder(1, 1)).hasMessageContaining("[1.0, 1.0]");
        assertThatThrownBy(() -> new ArmRecorder(0, Double.NaN)).hasMessageContaining("low < high");
    }

    @Test
    void nonFinitePredictionsAreSkippedAndCountedPerArm() {
        ArmRecorder r = new ArmRecorder();
        for (int i = 0; i < 200; i++) {
            r.recordPrediction(Arm.CONTROL, i / 200.0);
        }
        r.recordPrediction(Arm.CANDIDATE, Double.NaN);
        r.recordPrediction(Arm.CANDIDATE, Double.POSITIVE_INFINITY);
        r.recordPrediction(Arm.CONTROL, Double.NEGATIVE_INFINITY);
        r.recordPrediction(Arm.CANDIDATE, 0.9);
        assertThat(r.snapshot(Arm.CANDIDATE).invalidPredictions()).isEqualTo(2);
        assertThat(r.snapshot(Arm.CANDIDATE).predictions()).isEqualTo(1);
        assertThat(r.snapshot(Arm.CONTROL).invalidPredictions()).isEqualTo(1);
    }

    @Test
    void estimatedLossesAreSummedPerArmAndANonFiniteOneIsRefused() {
        ArmRecorder r = new ArmRecorder();
        r.recordEstimatedLoss(Arm.CANDIDATE, 0.1);
        r.recordEstimatedLoss(Arm.CANDIDATE, 0.3);
        ArmStats c = r.snapshot(Arm.CANDIDATE);
        assertThat(c.estimates()).isEqualTo(2);
        assertThat(c.estimateSum()).isCloseTo(0.4, within(1e-12));
        assertThat(c.estimateSumSquares()).isCloseTo(0.1, within(1e-12));
        assertThat(r.snapshot(Arm.CONTROL).estimates()).isZero();
        assertThatThrownBy(() -> r.recordEstimatedLoss(Arm.CONTROL, Double.NaN))
                .hasMessageContaining("estimated loss must be finite, was NaN");
    }

    @Test
    void theOutputObserverRecordsEachOutputForTheArmWhoseCallTheSameThreadTimedLast() throws Exception {
        ModelRef.Version control = new ModelRef.Version("rain", 3);
        ModelRef.Version candidate = new ModelRef.Version("rain", 4);
        ArmRecorder r = new ArmRecorder();
        LatencyListener listener = r.latencyListener(control, candidate);
        OutputObserver<String, Double> observer = r.outputObserver(out -> out, out -> 0.1, out -> {
            if (out < 0) {
                throw new IllegalStateException("unreadable");
            }
            return 0.4;
        });
        listener.timed(candidate, false, 2, 10);      // a batch of two answered by the candidate
        observer.observe("a", 0.5);
        observer.observe("b", 0.6);
        observer.observe("c", 0.7);                   // no call left for it
        listener.timed(candidate, true, 1, 10);       // failed: no output follows
        observer.observe("d", 0.8);
        listener.timed(new ModelRef.Version("rain", 2), false, 1, 10); // a fallback version
        observer.observe("e", 0.9);
        listener.timed(control, false, 1, 10);
        observer.observe("f", 0.2);
        listener.timed(candidate, false, 1, 10);
        observer.observe("g", -1.0);                  // the candidate's estimator throws on it
        // another thread's call does not attribute this thread's outputs
        Thread other = new Thread(() -> listener.timed(control, false, 1, 10));
        other.start();
        other.join();
        observer.observe("h", 0.3);
        assertThat(r.snapshot(Arm.CANDIDATE).estimates()).isEqualTo(2);
        assertThat(r.snapshot(Arm.CANDIDATE).estimateSum()).isCloseTo(0.8, within(1e-12));
        assertThat(r.snapshot(Arm.CONTROL).estimates()).isEqualTo(1);
        assertThat(r.snapshot(Arm.CONTROL).estimateSum()).isCloseTo(0.1, within(1e-12));
        assertThat(r.unattributedOutputs()).isEqualTo(4); // c, d, e, h
        assertThat(r.observerFailures()).isEqualTo(1);    // g
    }
}
