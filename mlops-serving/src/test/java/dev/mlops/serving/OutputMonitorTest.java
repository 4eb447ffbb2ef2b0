package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.serving.ModelService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code monitorOutputs}: the model's answers, with their inputs, handed to an output observer. */
@DisplayName("The output monitor of a model service")
class OutputMonitorTest {

    record Seen(int input, int output) {
    }

    @Test
    @DisplayName("sees every answer of the model, once per input of a batch, with its input")
    void seesTheModelsAnswers() {
        try (ServingFixture f = new ServingFixture(1)) {
            List<Seen> seen = new CopyOnWriteArrayList<>();
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).monitorOutputs((in, out) -> seen.add(new Seen(in, out)), 1.0)
                    .build()) {
                svc.predict(1);
                svc.predict("key", 2);
                svc.predictDetailed(3);
                svc.predictAll(List.of(4, 5));
                assertThat(seen).containsExactly(new Seen(1, 1), new Seen(2, 1), new Seen(3, 1), new Seen(4, 1),
                        new Seen(5, 1));
            }
        }
    }

    @Test
    @DisplayName("does not see a fallback's answers, and counts a throwing observer without failing a request")
    void notTheFallbackAndNotFailing() {
        try (ServingFixture f = new ServingFixture(1)) {
            f.failPredict.add(1);
            List<Seen> seen = new CopyOnWriteArrayList<>();
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).fallback(x -> -x)
                    .monitorOutputs((in, out) -> seen.add(new Seen(in, out)), 1.0).build()) {
                assertThat(svc.predict(5)).isEqualTo(-5);
                assertThat(seen).isEmpty();
            }
        }
        try (ServingFixture f = new ServingFixture(1)) {
            try (ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).monitorOutputs((in, out) -> {
                        throw new IllegalStateException("monitor down");
                    }, 1.0).build()) {
                for (int i = 0; i < 10; i++) {
                    assertThat(svc.predict(i)).isEqualTo(1);
                }
                assertThat(svc.metrics().observerErrors()).isEqualTo(10);
            }
        }
    }

    @Test
    @DisplayName("samples by its rate, and is set once")
    void sampledAndSetOnce() {
        try (ServingFixture f = new ServingFixture(1)) {
            List<Seen> seen = new CopyOnWriteArrayList<>();
            try (ModelService<Integer, Integer> never = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).monitorOutputs((in, out) -> seen.add(new Seen(in, out)), 0.0)
                    .build()) {
                never.predict(99);
                assertThat(seen).isEmpty();
            }
            assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader())
                    .monitorOutputs((in, out) -> { }, 1.0).monitorOutputs((in, out) -> { }, 1.0))
                    .isInstanceOf(IllegalStateException.class).hasMessage("monitorOutputs was already set");
            assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader())
                    .monitorOutputs((in, out) -> { }, 1.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("monitorOutputs sampleRate");
        }
    }
}
