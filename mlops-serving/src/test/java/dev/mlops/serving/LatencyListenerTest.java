package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelRef;
import dev.mlops.api.Subscription;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.PredictionException;
import dev.mlops.api.serving.VersionMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A model service's latency listeners")
class LatencyListenerTest {
    private static final ModelRef.Version V1 = ModelRef.version("rain", 1);
    private static final ModelRef.Version V2 = ModelRef.version("rain", 2);

    /** One call a listener was told about. */
    record Timed(ModelRef.Version version, boolean failed, int inputs, long nanos) {
    }

    /** Keeps what it is told. */
    static final class Recorder implements LatencyListener {
        final List<Timed> calls = new CopyOnWriteArrayList<>();

        @Override
        public void timed(ModelRef.Version version, boolean failed, int inputs, long nanos) {
            calls.add(new Timed(version, failed, inputs, nanos));
        }
    }

    @Test
    @DisplayName("are told every model call with the reading the service's own histogram records")
    void sameReadingAsTheHistogram() {
        try (ServingFixture f = new ServingFixture(1);
             ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                     .pollInterval(Duration.ofDays(1)).build()) {
            Recorder r = new Recorder();
            svc.onLatency(r);
            for (int i = 0; i < 50; i++) {
                svc.predict(i);
            }
            VersionMetrics m = svc.metrics().version(V1).orElseThrow();
            assertThat(r.calls).hasSize(50).allSatisfy(t -> {
                assertThat(t.version()).isEqualTo(V1);
                assertThat(t.failed()).isFalse();
                assertThat(t.inputs()).isOne();
                assertThat(t.nanos()).isNotNegative();
            });
            assertThat(m.latency().count()).isEqualTo(50);
            // the histogram keeps its maximum exactly: the largest reading told is the one it kept
            assertThat(r.calls.stream().mapToLong(Timed::nanos).max().orElseThrow()).isEqualTo(m.latency().maxNanos());

            svc.predictAll(List.of(1, 2, 3));
            assertThat(r.calls).hasSize(51);
            assertThat(r.calls.get(50).inputs()).as("a batch is one call of its size").isEqualTo(3);
            assertThat(svc.metrics().version(V1).orElseThrow().latency().count()).isEqualTo(53);
        }
    }

    @Test
    @DisplayName("hear failed calls as failed, and a fallback version's call as that version's")
    void failuresAndFallbackVersions() {
        try (ServingFixture f = new ServingFixture(2)) {
            f.failPredict.add(1);
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).fallback(V2).build()) {
                Recorder r = new Recorder();
                svc.onLatency(r);
                assertThat(svc.predict(7)).isEqualTo(2);
                assertThat(r.calls).extracting(Timed::version, Timed::failed).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(V1, true), org.assertj.core.groups.Tuple.tuple(V2, false));
            }
            f.failPredict.add(2);
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).fallback(V2).build()) {
                Recorder r = new Recorder();
                svc.onLatency(r);
                assertThatThrownBy(() -> svc.predict(7)).isInstanceOf(PredictionException.class);
                assertThat(r.calls).extracting(Timed::version, Timed::failed).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(V1, true), org.assertj.core.groups.Tuple.tuple(V2, true));
            }
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).fallback(x -> 0).build()) {
                Recorder r = new Recorder();
                svc.onLatency(r);
                assertThat(svc.predict(7)).isZero();
                assertThat(r.calls).as("a fallback function is no model call: only the failed call is timed")
                        .extracting(Timed::version, Timed::failed)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(V1, true));
            }
        }
    }

    @Test
    @DisplayName("that throw never fail a request nor keep the others from hearing it; a closed subscription hears nothing")
    void throwingListenerAndUnsubscribe() {
        try (ServingFixture f = new ServingFixture(1);
             ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                     .pollInterval(Duration.ofDays(1)).build()) {
            Recorder before = new Recorder();
            Recorder after = new Recorder();
            svc.onLatency(before);
            Subscription bad = svc.onLatency((v, failed, n, nanos) -> {
                throw new IllegalStateException("listener bug");
            });
            Subscription s = svc.onLatency(after);
            assertThat(svc.predict(1)).isEqualTo(1);
            assertThat(before.calls).hasSize(1);
            assertThat(after.calls).hasSize(1);
            s.close();
            s.close(); // idempotent
            bad.close();
            svc.predict(2);
            assertThat(before.calls).hasSize(2);
            assertThat(after.calls).hasSize(1);
        }
    }
}
