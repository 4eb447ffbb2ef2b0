package dev.mlops.drift.online;

import static dev.mlops.drift.online.OnlineDriftDetector.State.DRIFT;
import static dev.mlops.drift.online.OnlineDriftDetector.State.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.drift.online.PageHinkley.Direction;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Page-Hinkley on streams with known change points. Every number pinned here was measured once
 * with seeds 1..20 (java.util.Random, so the streams are fixed by its specification) and then
 * written down; docs/drift-online.md repeats them.
 */
class PageHinkleyTest {

    private static final int SEEDS = 20;

    @Test
    @DisplayName("river's docstring example (CPython random, seed 12345) drifts at index 1006, as river prints")
    void riverExample() {
        double[] stream = Streams.resource("river-ph-adwin-example.txt");
        assertThat(Streams.indicesOf(PageHinkley.withDefaults(), stream, DRIFT)).containsExactly(1006);
        assertThat(Streams.indicesOf(PageHinkley.builder().direction(Direction.BOTH).build(), stream, DRIFT))
                .containsExactly(1006);
    }

    @Test
    @DisplayName("error rate 0.1 -> 0.4 at t=1000: 20/20 detected, delay 120..207 (mean 166.70), no false alarm")
    void bernoulliIncrease() {
        Streams.Summary s = Streams.summary(PageHinkley::withDefaults,
                seed -> Streams.bernoulli(seed, 3000, 1000, 0.1, 0.4), 1000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.minDelay()).isEqualTo(120);
        assertThat(s.maxDelay()).isEqualTo(207);
        assertThat(s.meanDelay()).isCloseTo(166.70, within(1e-9));
        assertThat(s.falseAlarms()).isZero();
        assertThat(s.detectionsAfterChange()).isEqualTo(20);
    }

    @Test
    @DisplayName("seed 1 of the 0.1 -> 0.4 stream: the only drift is at t=1158")
    void bernoulliSeedOne() {
        double[] stream = Streams.bernoulli(1, 3000, 1000, 0.1, 0.4);
        assertThat(Streams.indicesOf(PageHinkley.withDefaults(), stream, DRIFT)).containsExactly(1158);
    }

    @Test
    @DisplayName("error rate 0.4 -> 0.1: only DECREASE and BOTH detect it (delay 89..201, mean 150.05)")
    void bernoulliDecrease() {
        java.util.function.LongFunction<double[]> streams = seed -> Streams.bernoulli(seed, 3000, 1000, 0.4, 0.1);
        Streams.Summary up = Streams.summary(PageHinkley::withDefaults, streams, 1000, SEEDS);
        assertThat(up.detected()).isZero();
        assertThat(up.falseAlarms()).isZero();
        for (Direction direction : new Direction[] {Direction.DECREASE, Direction.BOTH}) {
            Streams.Summary s = Streams.summary(() -> PageHinkley.builder().direction(direction).build(),
                    streams, 1000, SEEDS);
            assertThat(s.detected()).as(direction.name()).isEqualTo(20);
            assertThat(s.minDelay()).isEqualTo(89);
            assertThat(s.maxDelay()).isEqualTo(201);
            assertThat(s.meanDelay()).isCloseTo(150.05, within(1e-9));
            assertThat(s.falseAlarms()).isZero();
        }
    }

    @Test
    @DisplayName("10,000 errors at rate 0.1, no change: no drift in 20 runs")
    void bernoulliNoChange() {
        Streams.Summary s = Streams.summary(PageHinkley::withDefaults,
                seed -> Streams.bernoulli(seed, 10_000, 10_000, 0.1, 0.1), 10_000, SEEDS);
        assertThat(s.falseAlarms()).isZero();
    }

    @Test
    @DisplayName("N(0,1) -> N(1,1) at t=2000 with the defaults: lambda=50 is small for unit variance")
    void gaussianDefaults() {
        Streams.Summary s = Streams.summary(PageHinkley::withDefaults,
                seed -> Streams.gaussian(seed, 4000, 2000, 0, 1, 1), 2000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.minDelay()).isEqualTo(5);
        assertThat(s.maxDelay()).isEqualTo(315);
        assertThat(s.meanDelay()).isCloseTo(45.10, within(1e-9));
        assertThat(s.falseAlarms()).isEqualTo(8);
        assertThat(s.runsWithFalseAlarms()).isEqualTo(7);
    }

    @Test
    @DisplayName("10,000 N(0,1) values, no change: 62 false alarms in 20 runs with lambda=50, none with lambda=200")
    void gaussianNoChange() {
        java.util.function.LongFunction<double[]> streams = seed -> Streams.gaussian(seed, 10_000, 10_000, 0, 0, 1);
        Streams.Summary defaults = Streams.summary(PageHinkley::withDefaults, streams, 10_000, SEEDS);
        assertThat(defaults.falseAlarms()).isEqualTo(62);
        assertThat(defaults.runsWithFalseAlarms()).isEqualTo(19);
        Streams.Summary l150 = Streams.summary(() -> PageHinkley.builder().lambda(150).build(), streams, 10_000, SEEDS);
        assertThat(l150.falseAlarms()).isEqualTo(2);
        Streams.Summary l200 = Streams.summary(() -> PageHinkley.builder().lambda(200).build(), streams, 10_000, SEEDS);
        assertThat(l200.falseAlarms()).isZero();
    }

    @Test
    @DisplayName("N(0,1) -> N(1,1) at t=2000 with lambda=200: 20/20, delay 131..229 (mean 175.65), no false alarm")
    void gaussianTuned() {
        Streams.Summary s = Streams.summary(() -> PageHinkley.builder().lambda(200).build(),
                seed -> Streams.gaussian(seed, 4000, 2000, 0, 1, 1), 2000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.minDelay()).isEqualTo(131);
        assertThat(s.maxDelay()).isEqualTo(229);
        assertThat(s.meanDelay()).isCloseTo(175.65, within(1e-9));
        assertThat(s.falseAlarms()).isZero();
    }

    @Test
    @DisplayName("with alpha = 1 the statistic is Page's m_T - min_t m_t, m_T = sum(x_t - mean_t - delta)")
    void pageOriginalStatistic() {
        PageHinkley ph = PageHinkley.builder().alpha(1).lambda(1e9).direction(Direction.BOTH).build();
        Random random = new Random(7);
        double[] x = new double[500];
        for (int t = 0; t < x.length; t++) {
            x[t] = random.nextDouble() * (t < 250 ? 1 : 3);
        }
        for (int big = 1; big <= x.length; big++) {
            ph.update(x[big - 1]);
            // direct recomputation from the definition, over the first `big` values
            double m = 0;
            double minM = 0;
            double u = 0;
            double maxU = 0;
            double sum = 0;
            for (int t = 1; t <= big; t++) {
                sum += x[t - 1];
                double meanT = sum / t;
                m += x[t - 1] - meanT - 0.005;
                u += x[t - 1] - meanT + 0.005;
                minM = Math.min(minM, m);
                maxU = Math.max(maxU, u);
            }
            assertThat(ph.statistic()).as("t=%d", big).isCloseTo(Math.max(m - minM, maxU - u), within(1e-9));
        }
    }

    @Test
    @DisplayName("no drift before minObservations values, even when the statistic is far above lambda")
    void minObservations() {
        PageHinkley ph = PageHinkley.withDefaults();
        ph.update(0);
        for (int i = 2; i < 30; i++) {
            assertThat(ph.update(1000)).as("value %d", i).isEqualTo(NONE);
        }
        assertThat(ph.statistic()).isGreaterThan(50);
        assertThat(ph.update(1000)).isEqualTo(DRIFT);
        assertThat(ph.statistic()).isZero();
        assertThat(ph.mean()).isZero();
        PageHinkley early = PageHinkley.builder().minObservations(2).build();
        early.update(0);
        assertThat(early.update(1000)).isEqualTo(DRIFT);
    }

    @Test
    @DisplayName("a drift restarts the statistics; counters survive it and reset() clears them")
    void countersAndReset() {
        PageHinkley ph = PageHinkley.builder().minObservations(2).build();
        ph.update(0);
        assertThat(ph.update(1000)).isEqualTo(DRIFT);
        assertThat(ph.state()).isEqualTo(DRIFT);
        assertThat(ph.update(3)).isEqualTo(NONE);
        assertThat(ph.mean()).isEqualTo(3);
        assertThat(ph.observations()).isEqualTo(3);
        assertThat(ph.detections()).isEqualTo(1);
        ph.reset();
        assertThat(ph.observations()).isZero();
        assertThat(ph.detections()).isZero();
        assertThat(ph.state()).isEqualTo(NONE);
        assertThat(ph.statistic()).isZero();
    }

    @Test
    @DisplayName("NaN and infinities are rejected, naming the value, and leave the detector unchanged")
    void rejectsNonFinite() {
        PageHinkley ph = PageHinkley.withDefaults();
        ph.update(0.5);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> ph.update(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("value must be finite, got " + bad);
        }
        assertThat(ph.observations()).isEqualTo(1);
        assertThat(ph.mean()).isEqualTo(0.5);
    }

    @Test
    @DisplayName("the builder rejects impossible parameters at once, naming them")
    void builderValidation() {
        assertThatThrownBy(() -> PageHinkley.builder().delta(-0.1)).hasMessage("delta must be finite and >= 0, got -0.1");
        assertThatThrownBy(() -> PageHinkley.builder().delta(Double.NaN)).hasMessageContaining("delta");
        assertThatThrownBy(() -> PageHinkley.builder().lambda(0)).hasMessage("lambda must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> PageHinkley.builder().lambda(Double.POSITIVE_INFINITY)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> PageHinkley.builder().alpha(0)).hasMessage("alpha must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> PageHinkley.builder().alpha(1.01)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> PageHinkley.builder().minObservations(0))
                .hasMessage("minObservations must be >= 1, got 0");
        assertThatThrownBy(() -> PageHinkley.builder().direction(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("direction");
        assertThat(PageHinkley.withDefaults()).hasToString(
                "PageHinkley[delta=0.005, lambda=50.0, alpha=0.9999, minObservations=30, direction=INCREASE]");
    }
}
