package dev.mlops.drift.online;

import static dev.mlops.drift.online.OnlineDriftDetector.State.DRIFT;
import static dev.mlops.drift.online.OnlineDriftDetector.State.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * ADWIN on streams with known change points. Every number pinned here was measured once with seeds
 * 1..20 (java.util.Random) and then written down; docs/drift-online.md repeats them. With the
 * default clock of 32 a drift can only be signalled on values 32, 64, ... (indices 31, 63, ...), so
 * the delays are of the form 32k - 1 - (change mod 32).
 */
class AdwinTest {

    private static final int SEEDS = 20;

    @Test
    @DisplayName("river's docstring example (CPython random, seed 12345) drifts at index 1023, as river prints")
    void riverExample() {
        double[] stream = Streams.resource("river-ph-adwin-example.txt");
        assertThat(Streams.indicesOf(Adwin.withDefaults(), stream, DRIFT)).containsExactly(1023);
    }

    @Test
    @DisplayName("error rate 0.1 -> 0.4 at t=1000: 20/20 detected, delay 55..119 (mean 80.60), no false alarm")
    void bernoulliIncrease() {
        Streams.Summary s = Streams.summary(Adwin::withDefaults,
                seed -> Streams.bernoulli(seed, 3000, 1000, 0.1, 0.4), 1000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.minDelay()).isEqualTo(55);
        assertThat(s.maxDelay()).isEqualTo(119);
        assertThat(s.meanDelay()).isCloseTo(80.60, within(1e-9));
        assertThat(IntStream.of(s.delays()).boxed()).allMatch(d -> (1000 + d + 1) % 32 == 0);
        assertThat(s.falseAlarms()).isZero();
        // the window sheds the old data over a few checks: 67 drifts after the change in 20 runs
        assertThat(s.detectionsAfterChange()).isEqualTo(67);
    }

    @Test
    @DisplayName("seed 1 of the 0.1 -> 0.4 stream: drifts at 1087, 1119, 1151 and 1183")
    void bernoulliSeedOne() {
        double[] stream = Streams.bernoulli(1, 3000, 1000, 0.1, 0.4);
        assertThat(Streams.indicesOf(Adwin.withDefaults(), stream, DRIFT)).containsExactly(1087, 1119, 1151, 1183);
    }

    @Test
    @DisplayName("error rate 0.4 -> 0.1 at t=1000 (ADWIN is two-sided): 20/20, delay 87..151 (mean 107.80)")
    void bernoulliDecrease() {
        Streams.Summary s = Streams.summary(Adwin::withDefaults,
                seed -> Streams.bernoulli(seed, 3000, 1000, 0.4, 0.1), 1000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.minDelay()).isEqualTo(87);
        assertThat(s.maxDelay()).isEqualTo(151);
        assertThat(s.meanDelay()).isCloseTo(107.80, within(1e-9));
        assertThat(s.falseAlarms()).isZero();
    }

    @Test
    @DisplayName("N(0,1) -> N(1,1) at t=2000: every run detects at the second check after the change, delay 47")
    void gaussianShift() {
        Streams.Summary s = Streams.summary(Adwin::withDefaults,
                seed -> Streams.gaussian(seed, 4000, 2000, 0, 1, 1), 2000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.delays()).containsOnly(47);
        assertThat(s.falseAlarms()).isZero();
        assertThat(s.detectionsAfterChange()).isEqualTo(55);
    }

    @Test
    @DisplayName("N(0,1) -> N(1,1) with clock 1: delay 20..45 (mean 32.45), no false alarm")
    void gaussianShiftClockOne() {
        Streams.Summary s = Streams.summary(() -> Adwin.builder().clock(1).build(),
                seed -> Streams.gaussian(seed, 4000, 2000, 0, 1, 1), 2000, SEEDS);
        assertThat(s.detected()).isEqualTo(20);
        assertThat(s.minDelay()).isEqualTo(20);
        assertThat(s.maxDelay()).isEqualTo(45);
        assertThat(s.meanDelay()).isCloseTo(32.45, within(1e-9));
        assertThat(s.falseAlarms()).isZero();
        assertThat(s.detectionsAfterChange()).isEqualTo(163);
    }

    @Test
    @DisplayName("after the drifts the window holds the new data: width and mean of seed 1's N(0,1) -> N(1,1)")
    void windowAfterDrift() {
        Adwin adwin = Adwin.withDefaults();
        double[] stream = Streams.gaussian(1, 4000, 2000, 0, 1, 1);
        for (int i = 0; i < 2048; i++) {
            adwin.update(stream[i]);
        }
        assertThat(adwin.state()).isEqualTo(DRIFT);
        // first cut: 2,048 values shrink to 448, of which 48 are new
        assertThat(adwin.width()).isEqualTo(448);
        for (int i = 2048; i < stream.length; i++) {
            adwin.update(stream[i]);
        }
        assertThat(adwin.detections()).isEqualTo(3);
        assertThat(adwin.width()).isEqualTo(2048);
        assertThat(adwin.mean()).isCloseTo(1, within(0.05));
    }

    @Test
    @DisplayName("10,000 values without change (errors at rate 0.1; N(0,1)): no drift in 20 runs each")
    void noChange() {
        Streams.Summary bernoulli = Streams.summary(Adwin::withDefaults,
                seed -> Streams.bernoulli(seed, 10_000, 10_000, 0.1, 0.1), 10_000, SEEDS);
        assertThat(bernoulli.falseAlarms()).isZero();
        Streams.Summary gaussian = Streams.summary(Adwin::withDefaults,
                seed -> Streams.gaussian(seed, 10_000, 10_000, 0, 0, 1), 10_000, SEEDS);
        assertThat(gaussian.falseAlarms()).isZero();
    }

    @Test
    @DisplayName("memory is O(M log W): a million values use at most log2(W/M) + 2 rows of at most M buckets")
    void memory() {
        Adwin adwin = Adwin.withDefaults();
        Random random = new Random(5);
        for (int i = 1; i <= 1_000_000; i++) {
            adwin.update(random.nextGaussian());
            if (i % 99_991 == 0) {
                assertThat(adwin.bucketedWidth()).isEqualTo(adwin.width());
            }
        }
        assertThat(adwin.detections()).isZero();
        assertThat(adwin.width()).isEqualTo(1_000_000);
        assertThat(adwin.bucketedWidth()).isEqualTo(1_000_000);
        double bound = Math.log(1_000_000.0 / 5) / Math.log(2) + 2;
        assertThat(adwin.bucketRows()).isLessThanOrEqualTo((int) bound).isEqualTo(18);
        assertThat(adwin.buckets()).isLessThanOrEqualTo(5 * adwin.bucketRows());
        assertThat(adwin.mean()).isCloseTo(0, within(0.01));
    }

    @Test
    @DisplayName("no test while the window holds gracePeriod values or fewer, then only every clock-th value")
    void clockAndGracePeriod() {
        // zeros, then tens from index 20
        double[] stream = new double[200];
        for (int i = 20; i < stream.length; i++) {
            stream[i] = 10;
        }
        int[] everyValue = Streams.indicesOf(Adwin.builder().clock(1).build(), stream, DRIFT);
        assertThat(everyValue[0]).isEqualTo(30);
        int[] every16 = Streams.indicesOf(Adwin.builder().clock(16).build(), stream, DRIFT);
        assertThat(IntStream.of(every16).boxed()).isNotEmpty().allMatch(i -> (i + 1) % 16 == 0);
        assertThat(every16[0]).isEqualTo(31);
        // the window exceeds 40 values first at index 40: the change is obvious by then
        int[] patient = Streams.indicesOf(Adwin.builder().clock(1).gracePeriod(40).build(), stream, DRIFT);
        assertThat(patient[0]).isEqualTo(40);
    }

    @Test
    @DisplayName("a constant stream of any magnitude never drifts: rounding of the sums is not evidence")
    void constantOfAnyMagnitude() {
        double[] constants = {0.1, 1e15, -3.3e12, 12345.678, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.MIN_VALUE};
        for (double c : constants) {
            Adwin[] detectors = {Adwin.withDefaults(), Adwin.builder().clock(1).build(),
                Adwin.builder().clock(1).maxBuckets(2).minSubWindowLength(1).gracePeriod(0).build()};
            for (Adwin adwin : detectors) {
                for (int i = 0; i < 3000; i++) {
                    assertThat(adwin.update(c)).as("%s, constant %s, value %d", adwin, c, i).isEqualTo(NONE);
                }
            }
        }
    }

    @Test
    @DisplayName("counters survive a drift and reset() clears the window and them")
    void countersAndReset() {
        Adwin adwin = Adwin.builder().clock(1).build();
        for (int i = 0; i < 200; i++) {
            adwin.update(i < 100 ? 0 : 1);
        }
        assertThat(adwin.detections()).isPositive();
        assertThat(adwin.observations()).isEqualTo(200);
        assertThat(adwin.width()).isLessThan(200);
        adwin.reset();
        assertThat(adwin.observations()).isZero();
        assertThat(adwin.detections()).isZero();
        assertThat(adwin.width()).isZero();
        assertThat(adwin.mean()).isZero();
        assertThat(adwin.state()).isEqualTo(NONE);
        assertThat(adwin.bucketRows()).isEqualTo(1);
    }

    @Test
    @DisplayName("NaN and infinities are rejected, naming the value, and leave the window unchanged")
    void rejectsNonFinite() {
        Adwin adwin = Adwin.withDefaults();
        adwin.update(2);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> adwin.update(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("value must be finite, got " + bad);
        }
        assertThat(adwin.observations()).isEqualTo(1);
        assertThat(adwin.width()).isEqualTo(1);
        assertThat(adwin.mean()).isEqualTo(2);
    }

    @Test
    @DisplayName("the builder rejects impossible parameters at once, naming them")
    void builderValidation() {
        assertThatThrownBy(() -> Adwin.builder().delta(0)).hasMessage("delta must be in (0, 1), got 0.0");
        assertThatThrownBy(() -> Adwin.builder().delta(1)).hasMessage("delta must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> Adwin.builder().delta(Double.NaN)).hasMessage("delta must be in (0, 1), got NaN");
        assertThatThrownBy(() -> Adwin.builder().maxBuckets(0)).hasMessage("maxBuckets must be >= 1, got 0");
        assertThatThrownBy(() -> Adwin.builder().clock(0)).hasMessage("clock must be >= 1, got 0");
        assertThatThrownBy(() -> Adwin.builder().minSubWindowLength(0))
                .hasMessage("minSubWindowLength must be >= 1, got 0");
        assertThatThrownBy(() -> Adwin.builder().gracePeriod(-1)).hasMessage("gracePeriod must be >= 0, got -1");
        assertThat(Adwin.withDefaults()).hasToString(
                "Adwin[delta=0.002, maxBuckets=5, clock=32, minSubWindowLength=5, gracePeriod=10]");
    }
}
