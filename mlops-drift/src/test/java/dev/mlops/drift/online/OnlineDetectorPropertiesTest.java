package dev.mlops.drift.online;

import static dev.mlops.drift.online.OnlineDriftDetector.State.DRIFT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of every detector: any finite input is accepted and counted, and a constant stream
 * never drifts. Bounded by try count, never by time.
 */
class OnlineDetectorPropertiesTest {

    private static final int TRIES = 300;

    private static final List<Supplier<OnlineDriftDetector>> NUMERIC = List.of(
            PageHinkley::withDefaults,
            () -> PageHinkley.builder().direction(PageHinkley.Direction.BOTH).alpha(1).minObservations(1).build(),
            () -> PageHinkley.builder().direction(PageHinkley.Direction.DECREASE).lambda(1e-3).delta(0).build(),
            Adwin::withDefaults,
            () -> Adwin.builder().clock(1).maxBuckets(2).minSubWindowLength(1).gracePeriod(0).build(),
            () -> Adwin.builder().clock(3).maxBuckets(1).minSubWindowLength(2).delta(0.5).build());

    private static final List<Supplier<OnlineDriftDetector>> BINARY = List.of(
            Ddm::withDefaults,
            () -> Ddm.builder().minInstances(0).warningLevel(0.5).driftLevel(0.5).build());

    /** Finite doubles of every scale: errors, losses, huge and tiny magnitudes, runs of repeats. */
    @Provide
    Arbitrary<List<Double>> finiteStream() {
        Arbitrary<Double> any = Arbitraries.doubles().filter(Double::isFinite);
        Arbitrary<Double> losses = Arbitraries.doubles().between(-10, 10);
        Arbitrary<Double> errors = Arbitraries.of(0.0, 1.0);
        return Arbitraries.oneOf(any, losses, errors).list().ofMaxSize(3000);
    }

    @Provide
    Arbitrary<List<Double>> binaryStream() {
        return Arbitraries.oneOf(
                Arbitraries.of(0.0, 1.0).list().ofMaxSize(3000),
                Arbitraries.doubles().between(0, 1).list().ofMaxSize(3000)
                        .map(ps -> ps.stream().map(p -> p < 0.3 ? 1.0 : 0.0).toList()));
    }

    @Property(tries = TRIES)
    void neverThrowsOnFiniteInputAndCountsIt(@ForAll("finiteStream") List<Double> values) {
        for (Supplier<OnlineDriftDetector> factory : NUMERIC) {
            assertCountsEveryUpdate(factory.get(), values);
        }
    }

    @Property(tries = TRIES)
    void ddmNeverThrowsOnZerosAndOnes(@ForAll("binaryStream") List<Double> values) {
        for (Supplier<OnlineDriftDetector> factory : BINARY) {
            assertCountsEveryUpdate(factory.get(), values);
        }
    }

    @Property(tries = TRIES)
    void constantStreamNeverDrifts(@ForAll double constant, @ForAll @IntRange(min = 1, max = 3000) int length) {
        for (Supplier<OnlineDriftDetector> factory : NUMERIC) {
            OnlineDriftDetector detector = factory.get();
            for (int i = 0; i < length; i++) {
                assertThat(detector.update(constant)).as("%s, value %d", detector, i).isNotEqualTo(DRIFT);
            }
        }
    }

    @Property(tries = 20)
    void constantErrorStreamNeverDrifts(@ForAll boolean error, @ForAll @IntRange(min = 1, max = 3000) int length) {
        for (Supplier<OnlineDriftDetector> factory : BINARY) {
            OnlineDriftDetector detector = factory.get();
            for (int i = 0; i < length; i++) {
                assertThat(detector.update(error ? 1 : 0)).as("%s, value %d", detector, i).isNotEqualTo(DRIFT);
            }
        }
    }

    private static void assertCountsEveryUpdate(OnlineDriftDetector detector, List<Double> values) {
        int drifts = 0;
        for (double v : values) {
            OnlineDriftDetector.State state = detector.update(v);
            assertThat(detector.state()).isEqualTo(state);
            if (state == DRIFT) {
                drifts++;
            }
        }
        assertThat(detector.observations()).isEqualTo(values.size());
        assertThat(detector.detections()).isEqualTo(drifts);
    }
}
