package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ValidationException;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.api.serving.Model;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.PredictionException;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.api.serving.VersionMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code predict}, {@code predictDetailed} and {@code predictAll} share one request path: with
 * every optional feature on at once (input monitor, inference log, feedback window, shadow and a
 * fallback), the three calls must leave the same log records, feedback entries, metrics and
 * events for the same input. The shadow runs on the calling thread here, so what it did (or did
 * not do) is known when the call returns.
 */
@DisplayName("The request path of a model service")
class ModelServiceRequestPathTest {
    private static final ModelRef.Version V1 = ModelRef.version("rain", 1);
    private static final ModelRef.Version V2 = ModelRef.version("rain", 2);
    private static final ModelRef.Version V3 = ModelRef.version("rain", 3);

    /** A service on rain/1 with every feature on; the shadow is rain/3 and runs synchronously. */
    private static ModelServiceBuilder<Integer, Integer> everything(ServingFixture f, ModelRef.Version version,
                                                                    ModelServiceBehaviourTest.CapturingLog log,
                                                                    List<Integer> monitored) {
        return f.serve(version, f.loader()).pollInterval(Duration.ofDays(1))
                .monitor(monitored::add, 1.0)
                .inferenceLog(log, 1.0).logInput(x -> "in" + x)
                .feedbackWindow(100)
                .shadow(V3, 1.0).shadowExecutor(Runnable::run);
    }

    /** The three calls for input 5, in order: predict, predictDetailed, predictAll of one. */
    private static List<Object> callAll(ModelService<Integer, Integer> svc) {
        List<Object> answers = new ArrayList<>();
        answers.add(svc.predict(5));
        answers.add(svc.predictDetailed(5));
        answers.add(svc.predictAll(List.of(5)));
        return answers;
    }

    private static void assertSameRecords(List<InferenceRecord> records, Prediction.Route route,
                                          ModelRef.Version version, Integer output) {
        assertThat(records).hasSize(3).allSatisfy(r -> {
            assertThat(r.route()).isEqualTo(route);
            assertThat(r.version()).isEqualTo(version);
            assertThat(r.input()).isEqualTo("in5");
            assertThat(r.output()).isEqualTo(output);
            assertThat(r.latencyNanos()).isNotNegative();
        });
        assertThat(records.stream().map(InferenceRecord::predictionId).distinct()).hasSize(3);
    }

    @Test
    @DisplayName("a successful request: the same records from all three calls, one shadow offer each, every"
            + " logged id takes feedback")
    void success() {
        try (ServingFixture f = new ServingFixture(3)) {
            ModelServiceBehaviourTest.CapturingLog log = new ModelServiceBehaviourTest.CapturingLog(true);
            List<Integer> monitored = new CopyOnWriteArrayList<>();
            ModelService<Integer, Integer> svc = everything(f, V1, log, monitored).build();
            List<Object> answers = callAll(svc);
            assertThat(answers.get(0)).isEqualTo(1);
            Prediction<?> detailed = (Prediction<?>) answers.get(1);
            assertThat(detailed.output()).isEqualTo(1);
            assertThat(detailed.servedBy()).isEqualTo(V1);
            assertThat(detailed.route()).isEqualTo(Prediction.Route.PRIMARY);
            assertThat(answers.get(2)).isEqualTo(List.of(1));
            assertSameRecords(log.records, Prediction.Route.PRIMARY, V1, 1);
            assertThat(log.records.get(1).predictionId()).isEqualTo(detailed.predictionId());
            for (InferenceRecord r : log.records) {
                assertThat(svc.feedback(r.predictionId(), 3)).as("feedback for " + r.predictionId()).isTrue();
            }
            VersionMetrics v1 = svc.metrics().version(V1).orElseThrow();
            assertThat(v1.calls()).isEqualTo(3);
            assertThat(v1.latency().count()).isEqualTo(3);
            assertThat(v1.feedbackCount()).isEqualTo(3);
            assertThat(v1.meanLiveError()).hasValue(2.0);
            assertThat(svc.metrics().version(V3).orElseThrow().shadowCalls()).as("one mirror per call").isEqualTo(3);
            assertThat(monitored).containsExactly(5, 5, 5);
            svc.close();
        }
    }

    @Test
    @DisplayName("a request answered by a fallback function: the same FALLBACK records, counters and events from all"
            + " three calls, no shadow offer, and every logged id, batch ones too, takes feedback")
    void fallbackFunction() throws Exception {
        try (ServingFixture f = new ServingFixture(3)) {
            f.failPredict.add(1);
            ModelServiceBehaviourTest.CapturingLog log = new ModelServiceBehaviourTest.CapturingLog(true);
            List<Integer> monitored = new CopyOnWriteArrayList<>();
            ModelService<Integer, Integer> svc = everything(f, V1, log, monitored).fallback(x -> -x).build();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            List<Object> answers = callAll(svc);
            assertThat(answers.get(0)).isEqualTo(-5);
            Prediction<?> detailed = (Prediction<?>) answers.get(1);
            assertThat(detailed.output()).isEqualTo(-5);
            assertThat(detailed.servedBy()).isEqualTo(V1);
            assertThat(detailed.route()).isEqualTo(Prediction.Route.FALLBACK);
            assertThat(answers.get(2)).isEqualTo(List.of(-5));
            assertSameRecords(log.records, Prediction.Route.FALLBACK, V1, -5);
            assertThat(log.records.get(1).predictionId()).isEqualTo(detailed.predictionId());
            for (InferenceRecord r : log.records) {
                assertThat(svc.feedback(r.predictionId(), 0)).as("feedback for the " + r.predictionId()).isTrue();
            }
            VersionMetrics v1 = svc.metrics().version(V1).orElseThrow();
            assertThat(v1.errors()).isEqualTo(3);
            assertThat(v1.fallbacks()).isEqualTo(3);
            assertThat(v1.feedbackCount()).as("a function's answers count on no version").isZero();
            assertThat(svc.metrics().version(V3).orElseThrow().shadowCalls()).as("fallback answers are not mirrored")
                    .isZero();
            assertThat(svc.metrics().shadowDropped()).isZero();
            assertThat(events.await(e -> e instanceof ServiceEvent.PredictionFailed, 3)).hasSize(3)
                    .allSatisfy(e -> assertThat(((ServiceEvent.PredictionFailed) e).fellBack()).isTrue());
            assertThat(monitored).containsExactly(5, 5, 5);
            svc.close();
        }
    }

    @Test
    @DisplayName("a request answered by a fallback version: the same records from all three calls, the fallback"
            + " version counts the calls and takes the feedback")
    void fallbackVersion() {
        try (ServingFixture f = new ServingFixture(3)) {
            f.failPredict.add(1);
            ModelServiceBehaviourTest.CapturingLog log = new ModelServiceBehaviourTest.CapturingLog(true);
            List<Integer> monitored = new CopyOnWriteArrayList<>();
            ModelService<Integer, Integer> svc = everything(f, V1, log, monitored).fallback(V2).build();
            List<Object> answers = callAll(svc);
            assertThat(answers.get(0)).isEqualTo(2);
            Prediction<?> detailed = (Prediction<?>) answers.get(1);
            assertThat(detailed.servedBy()).isEqualTo(V2);
            assertThat(detailed.route()).isEqualTo(Prediction.Route.FALLBACK);
            assertThat(answers.get(2)).isEqualTo(List.of(2));
            assertSameRecords(log.records, Prediction.Route.FALLBACK, V2, 2);
            for (InferenceRecord r : log.records) {
                assertThat(svc.feedback(r.predictionId(), 4)).as("feedback for " + r.predictionId()).isTrue();
            }
            VersionMetrics v2 = svc.metrics().version(V2).orElseThrow();
            assertThat(v2.calls()).isEqualTo(3);
            assertThat(v2.latency().count()).isEqualTo(3);
            assertThat(v2.feedbackCount()).isEqualTo(3);
            assertThat(v2.meanLiveError()).hasValue(2.0);
            assertThat(svc.metrics().version(V1).orElseThrow().fallbacks()).isEqualTo(3);
            assertThat(svc.metrics().version(V3).orElseThrow().shadowCalls()).isZero();
            svc.close();
        }
    }

    @Test
    @DisplayName("a batch answered by a fallback logs one record per input, in order, each taking feedback")
    void fallbackBatch() {
        try (ServingFixture f = new ServingFixture(3)) {
            f.failPredict.add(1);
            ModelServiceBehaviourTest.CapturingLog log = new ModelServiceBehaviourTest.CapturingLog(true);
            ModelService<Integer, Integer> svc = everything(f, V1, log, new ArrayList<>()).fallback(V2).build();
            assertThat(svc.predictAll(List.of(7, 8, 9))).containsExactly(2, 2, 2);
            assertThat(log.records).extracting(InferenceRecord::input).containsExactly("in7", "in8", "in9");
            assertThat(log.records).allSatisfy(r -> {
                assertThat(r.route()).isEqualTo(Prediction.Route.FALLBACK);
                assertThat(r.version()).isEqualTo(V2);
            });
            for (InferenceRecord r : log.records) {
                assertThat(svc.feedback(r.predictionId(), 2)).isTrue();
            }
            assertThat(svc.metrics().version(V2).orElseThrow().feedbackCount()).isEqualTo(3);
            assertThat(svc.metrics().version(V1).orElseThrow().errors()).isEqualTo(3);
            svc.close();
        }
    }

    @Test
    @DisplayName("a request nothing answers: each call throws PredictionException and logs the same record without"
            + " an output; nothing is mirrored or kept for feedback")
    void noFallback() throws Exception {
        try (ServingFixture f = new ServingFixture(3)) {
            f.failPredict.add(1);
            ModelServiceBehaviourTest.CapturingLog log = new ModelServiceBehaviourTest.CapturingLog(true);
            List<Integer> monitored = new CopyOnWriteArrayList<>();
            ModelService<Integer, Integer> svc = everything(f, V1, log, monitored).build();
            ServingFixture.Events events = new ServingFixture.Events();
            svc.onEvent(events::add);
            List<Runnable> calls = List.of(() -> svc.predict(5), () -> svc.predictDetailed(5),
                    () -> svc.predictAll(List.of(5)));
            for (Runnable call : calls) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(PredictionException.class, e -> {
                    assertThat(e.version()).isEqualTo(V1);
                    assertThat(e.getCause()).hasMessage("version 1 cannot predict 5");
                    assertThat(e.getSuppressed()).isEmpty();
                });
            }
            assertSameRecords(log.records, Prediction.Route.PRIMARY, V1, null);
            for (InferenceRecord r : log.records) {
                assertThat(svc.feedback(r.predictionId(), 1)).as("nothing was answered").isFalse();
            }
            VersionMetrics v1 = svc.metrics().version(V1).orElseThrow();
            assertThat(v1.errors()).isEqualTo(3);
            assertThat(v1.fallbacks()).isZero();
            assertThat(svc.metrics().version(V3).orElseThrow().shadowCalls()).isZero();
            assertThat(events.await(e -> e instanceof ServiceEvent.PredictionFailed, 3)).hasSize(3)
                    .allSatisfy(e -> assertThat(((ServiceEvent.PredictionFailed) e).fellBack()).isFalse());
            svc.close();
        }
    }

    @Test
    @DisplayName("a challenger's answers carry route CHALLENGER in the prediction and in the log, from every call")
    void challengerRoute() {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelServiceBehaviourTest.CapturingLog log = new ModelServiceBehaviourTest.CapturingLog(true);
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).challenger(V2, 1.0).inferenceLog(log, 1.0).build();
            assertThat(svc.predict(1)).isEqualTo(2);
            assertThat(svc.predict("key", 1)).isEqualTo(2);
            Prediction<Integer> p = svc.predictDetailed("key", 1);
            assertThat(p.route()).isEqualTo(Prediction.Route.CHALLENGER);
            assertThat(p.servedBy()).isEqualTo(V2);
            assertThat(svc.predictAll(List.of(1, 1))).containsExactly(2, 2);
            assertThat(log.records).hasSize(5).allSatisfy(r -> {
                assertThat(r.route()).isEqualTo(Prediction.Route.CHALLENGER);
                assertThat(r.version()).isEqualTo(V2);
            });
            svc.close();
        }
    }

    @Test
    @DisplayName("checks a whole batch before the monitor or the model sees any of it")
    void batchCheckedFirst() {
        try (ServingFixture f = new ServingFixture(0)) {
            f.register("credit", new dev.mlops.api.Signature(dev.mlops.api.Schema.of(
                    new dev.mlops.api.Field("age", dev.mlops.api.FieldType.INTEGER)), dev.mlops.api.Schema.EMPTY));
            AtomicInteger calls = new AtomicInteger();
            List<Map<String, Object>> monitored = new CopyOnWriteArrayList<>();
            ModelService<Map<String, Object>, Integer> svc = f.<Map<String, Object>, Integer>serve(
                            ModelRef.version("credit", 1), ctx -> Model.of(in -> calls.incrementAndGet()))
                    .inputCheck(r -> r).monitor(monitored::add, 1.0).build();
            assertThatThrownBy(() -> svc.predictAll(List.of(Map.of("age", 1), Map.of("age", "old"))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("'age' is a String");
            assertThat(monitored).as("the monitor saw nothing of a refused batch").isEmpty();
            assertThat(calls.get()).isZero();
            assertThat(svc.predictAll(List.of(Map.of("age", 1), Map.of("age", 2)))).containsExactly(1, 2);
            assertThat(monitored).hasSize(2);
            svc.close();
        }
    }

    @Test
    @DisplayName("a batch answered with the wrong number of outputs is a model failure, which a fallback answers")
    void wrongBatchSize() {
        try (ServingFixture f = new ServingFixture(1)) {
            Model<Integer, Integer> shortOfOne = new Model<>() {
                @Override
                public Integer predict(Integer input) {
                    return 1;
                }

                @Override
                public List<Integer> predictAll(List<Integer> inputs) {
                    return inputs.subList(1, inputs.size());
                }
            };
            ModelService<Integer, Integer> plain = f.<Integer, Integer>serve(V1, ctx -> shortOfOne).build();
            assertThatThrownBy(() -> plain.predictAll(List.of(1, 2, 3)))
                    .isInstanceOfSatisfying(PredictionException.class, e -> assertThat(e.getCause())
                            .hasMessage("predictAll returned 2 outputs for 3 inputs"));
            assertThat(plain.metrics().version(V1).orElseThrow().errors()).isEqualTo(3);
            plain.close();
            ModelService<Integer, Integer> withFallback = f.<Integer, Integer>serve(V1, ctx -> shortOfOne)
                    .fallback(x -> 0).build();
            assertThat(withFallback.predictAll(List.of(1, 2, 3))).containsExactly(0, 0, 0);
            assertThat(withFallback.metrics().version(V1).orElseThrow().fallbacks()).isEqualTo(3);
            withFallback.close();
        }
    }

    @Test
    @DisplayName("refuses every call once closed, an empty batch too")
    void closed() {
        try (ServingFixture f = new ServingFixture(1)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader()).name("closing").build();
            svc.close();
            List<Runnable> calls = List.of(() -> svc.predict(1), () -> svc.predict("k", 1),
                    () -> svc.predictDetailed(1), () -> svc.predictDetailed("k", 1), () -> svc.predictAll(List.of(1)),
                    () -> svc.predictAll(List.of()));
            for (Runnable call : calls) {
                assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class)
                        .hasMessage("model service 'closing' is closed");
            }
        }
    }
}
