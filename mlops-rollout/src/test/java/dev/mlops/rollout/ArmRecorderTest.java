package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencyListener;
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
}
