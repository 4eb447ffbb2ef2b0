package dev.mlops.drift.online;

import static dev.mlops.drift.online.OnlineDriftDetector.State.DRIFT;
import static dev.mlops.drift.online.OnlineDriftDetector.State.NONE;
import static dev.mlops.drift.online.OnlineDriftDetector.State.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DDM on streams of 0/1 errors with known change points. Every number pinned here was measured
 * once with seeds 1..20 (java.util.Random) and then written down; docs/drift-online.md repeats them.
 */
class DdmTest {

    private static final int SEEDS = 20;

    @Test
    @DisplayName("river's docstring example (CPython random, seed 42): first warning 1084, drift 1334, next warning 1492")
    void riverExample() {
        double[] stream = Streams.resource("river-ddm-example.txt");
        Ddm ddm = Ddm.withDefaults();
        List<String> firstWarningsAndDrifts = new ArrayList<>();
        boolean reportWarning = true;
        for (int i = 0; i < stream.length; i++) {
            OnlineDriftDetector.State state = ddm.update(stream[i]);
            if (state == WARNING && reportWarning) {
                firstWarningsAndDrifts.add("warning@" + i);
                reportWarning = false;
            } else if (state == DRIFT) {
                firstWarningsAndDrifts.add("drift@" + i);
                reportWarning = true;
            }
        }
        // river prints exactly these three lines for this stream
        assertThat(firstWarningsAndDrifts).containsExactly("warning@1084", "drift@1334", "warning@1492");
    }

    @Test
    @DisplayName("error rate 0.1 -> 0.4 at t=1000: 20/20 detected, delay 13..417 (mean 81.95), 7 false alarms in 4 runs")
    void bernoulliIncrease() {
        Streams.Summary s = Streams.summary(Ddm::withDefaults,
                seed -> Streams.bernoulli(seed, 3000, 1000, 0.1, 0.4), 1000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.minDelay()).isEqualTo(13);
        assertThat(s.maxDelay()).isEqualTo(417);
        assertThat(s.meanDelay()).isCloseTo(81.95, within(1e-9));
        assertThat(s.falseAlarms()).isEqualTo(7);
        assertThat(s.runsWithFalseAlarms()).isEqualTo(4);
        assertThat(s.detectionsAfterChange()).isEqualTo(23);
    }

    @Test
    @DisplayName("seed 1 of the 0.1 -> 0.4 stream: drifts at 122 and 251 (false), 1103 and 1178")
    void bernoulliSeedOne() {
        double[] stream = Streams.bernoulli(1, 3000, 1000, 0.1, 0.4);
        assertThat(Streams.indicesOf(Ddm.withDefaults(), stream, DRIFT)).containsExactly(122, 251, 1103, 1178);
    }

    @Test
    @DisplayName("10,000 errors at rate 0.1, no change: 14 false alarms in 6 of 20 runs")
    void bernoulliNoChange() {
        Streams.Summary s = Streams.summary(Ddm::withDefaults,
                seed -> Streams.bernoulli(seed, 10_000, 10_000, 0.1, 0.1), 10_000, SEEDS);
        assertThat(s.falseAlarms()).isEqualTo(14);
        assertThat(s.runsWithFalseAlarms()).isEqualTo(6);
    }

    @Test
    @DisplayName("the boolean overload and 0/1 doubles give the same states")
    void booleanOverload() {
        double[] stream = Streams.bernoulli(3, 3000, 1000, 0.1, 0.4);
        Ddm numbers = Ddm.withDefaults();
        Ddm booleans = Ddm.withDefaults();
        for (double v : stream) {
            assertThat(booleans.update(v == 1)).isEqualTo(numbers.update(v));
        }
        assertThat(booleans.detections()).isEqualTo(numbers.detections()).isPositive();
        assertThat(booleans.errorRate()).isEqualTo(numbers.errorRate());
    }

    @Test
    @DisplayName("warm-up: no comparison during the first 30 values, the first on value 31")
    void warmUp() {
        Ddm ddm = Ddm.withDefaults();
        // 30 values with error rate 0.5, then a run of errors
        for (int i = 0; i < 30; i++) {
            assertThat(ddm.update(i % 2)).isEqualTo(NONE);
        }
        List<OnlineDriftDetector.State> states = new ArrayList<>();
        while (ddm.detections() == 0) {
            states.add(ddm.update(1));
        }
        // value 31 sets p_min + s_min; errors then raise p_i + s_i to the warning, then the drift level
        assertThat(states.get(0)).isEqualTo(NONE);
        assertThat(states).contains(WARNING).endsWith(DRIFT);
        assertThat(ddm.errorRate()).isZero();
    }

    @Test
    @DisplayName("as published: with no error during the warm-up, the first error is a drift (p_min = s_min = 0)")
    void zeroErrorWarmUp() {
        Ddm ddm = Ddm.withDefaults();
        for (int i = 0; i < 100; i++) {
            assertThat(ddm.update(false)).isEqualTo(NONE);
        }
        assertThat(ddm.update(true)).isEqualTo(DRIFT);
    }

    @Test
    @DisplayName("only 0 and 1 are accepted; the message names the value and the detector is unchanged")
    void rejectsOtherValues() {
        Ddm ddm = Ddm.withDefaults();
        ddm.update(1);
        for (double bad : new double[] {0.5, -1, 2, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> ddm.update(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("DDM takes 0 (correct) or 1 (error), got " + bad);
        }
        assertThat(ddm.observations()).isEqualTo(1);
        assertThat(ddm.errorRate()).isEqualTo(1);
        assertThat(ddm.update(-0.0)).isEqualTo(NONE);
        assertThat(ddm.errorRate()).isEqualTo(0.5);
    }

    @Test
    @DisplayName("counters survive a drift and reset() clears them")
    void countersAndReset() {
        Ddm ddm = Ddm.builder().minInstances(0).build();
        for (int i = 0; i < 50; i++) {
            ddm.update(i % 10 == 0);
        }
        while (ddm.detections() == 0) {
            ddm.update(true);
        }
        assertThat(ddm.state()).isEqualTo(DRIFT);
        assertThat(ddm.errorRate()).isZero();
        assertThat(ddm.observations()).isGreaterThan(50);
        ddm.reset();
        assertThat(ddm.observations()).isZero();
        assertThat(ddm.detections()).isZero();
        assertThat(ddm.state()).isEqualTo(NONE);
    }

    @Test
    @DisplayName("the builder rejects impossible parameters, naming them")
    void builderValidation() {
        assertThatThrownBy(() -> Ddm.builder().minInstances(-1)).hasMessage("minInstances must be >= 0, got -1");
        assertThatThrownBy(() -> Ddm.builder().warningLevel(0)).hasMessage("warningLevel must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> Ddm.builder().driftLevel(Double.NaN)).hasMessage("driftLevel must be finite and > 0, got NaN");
        assertThatThrownBy(() -> Ddm.builder().warningLevel(3.5).build())
                .hasMessage("warningLevel must be <= driftLevel, got warningLevel 3.5 and driftLevel 3.0");
        assertThat(Ddm.withDefaults()).hasToString("Ddm[minInstances=30, warningLevel=2.0, driftLevel=3.0]");
    }
}
