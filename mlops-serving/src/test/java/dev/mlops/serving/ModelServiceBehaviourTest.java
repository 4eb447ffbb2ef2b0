package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.ModelRef;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.ValidationException;
import dev.mlops.api.serving.InferenceLog;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.PredictionException;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.api.serving.VersionMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A model service")
class ModelServiceBehaviourTest {
    private static final ModelRef.Version V1 = ModelRef.version("rain", 1);
    private static final ModelRef.Version V2 = ModelRef.version("rain", 2);

    @Nested
    @DisplayName("when the model throws")
    class Failures {
        @Test
        @DisplayName("answers with a fallback function, route FALLBACK, counting errors and fallbacks on the version")
        void fallbackFunction() throws Exception {
            try (ServingFixture f = new ServingFixture(1)) {
                f.failPredict.add(1);
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).fallback(x -> -x).build();
                ServingFixture.Events events = new ServingFixture.Events();
                svc.onEvent(events::add);
                assertThat(svc.predict(5)).isEqualTo(-5);
                Prediction<Integer> p = svc.predictDetailed(6);
                assertThat(p.output()).isEqualTo(-6);
                assertThat(p.route()).isEqualTo(Prediction.Route.FALLBACK);
                assertThat(p.servedBy()).as("for a function: the version that failed").isEqualTo(V1);
                assertThat(svc.predictAll(List.of(1, 2, 3))).containsExactly(-1, -2, -3);
                VersionMetrics m = svc.metrics().version(V1).orElseThrow();
                assertThat(m.calls()).isEqualTo(5);
                assertThat(m.errors()).isEqualTo(5);
                assertThat(m.fallbacks()).isEqualTo(5);
                assertThat(m.latency().count()).as("latency counts successful calls only").isZero();
                List<ServiceEvent> failed = events.await(e -> e instanceof ServiceEvent.PredictionFailed, 3);
                assertThat(failed).allSatisfy(e -> {
                    ServiceEvent.PredictionFailed pf = (ServiceEvent.PredictionFailed) e;
                    assertThat(pf.fellBack()).isTrue();
                    assertThat(pf.version()).isEqualTo(V1);
                    assertThat(pf.message()).contains("cannot predict");
                });
                svc.close();
            }
        }

        @Test
        @DisplayName("answers with a fallback version, which then shows as servedBy and counts the call")
        void fallbackVersion() {
            try (ServingFixture f = new ServingFixture(2)) {
                f.failPredict.add(1);
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).fallback(V2).build();
                Prediction<Integer> p = svc.predictDetailed(1);
                assertThat(p.output()).isEqualTo(2);
                assertThat(p.servedBy()).isEqualTo(V2);
                assertThat(p.route()).isEqualTo(Prediction.Route.FALLBACK);
                assertThat(svc.predictAll(List.of(1, 2))).containsExactly(2, 2);
                assertThat(svc.metrics().version(V1).orElseThrow().fallbacks()).isEqualTo(3);
                assertThat(svc.metrics().version(V2).orElseThrow().calls()).isEqualTo(3);
                svc.close();
                assertThat(f.closed.get()).isEqualTo(2);
            }
        }

        @Test
        @DisplayName("without a fallback throws PredictionException naming the model and version, cause attached")
        void noFallback() throws Exception {
            try (ServingFixture f = new ServingFixture(1)) {
                f.failPredict.add(1);
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).build();
                ServingFixture.Events events = new ServingFixture.Events();
                svc.onEvent(events::add);
                assertThatThrownBy(() -> svc.predict(7)).isInstanceOfSatisfying(PredictionException.class, e -> {
                    assertThat(e.version()).isEqualTo(V1);
                    assertThat(e.getMessage()).contains("rain/1").contains("cannot predict 7");
                    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
                });
                assertThatThrownBy(() -> svc.predictAll(List.of(1))).isInstanceOf(PredictionException.class);
                assertThat(svc.metrics().version(V1).orElseThrow().errors()).isEqualTo(2);
                assertThat(svc.metrics().version(V1).orElseThrow().fallbacks()).isZero();
                ServiceEvent e = events.await(x -> x instanceof ServiceEvent.PredictionFailed, 1).get(0);
                assertThat(((ServiceEvent.PredictionFailed) e).fellBack()).isFalse();
                svc.close();
            }
        }

        @Test
        @DisplayName("whose fallback also throws reports the model's failure with the fallback's attached")
        void fallbackThrows() {
            try (ServingFixture f = new ServingFixture(2)) {
                f.failPredict.add(1);
                f.failPredict.add(2);
                ModelService<Integer, Integer> byVersion = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).fallback(V2).build();
                assertThatThrownBy(() -> byVersion.predict(1)).isInstanceOfSatisfying(PredictionException.class, e -> {
                    assertThat(e.version()).isEqualTo(V1);
                    assertThat(e.getSuppressed()).hasSize(1);
                    assertThat(e.getSuppressed()[0]).hasMessageContaining("version 2 cannot predict");
                });
                assertThat(byVersion.metrics().version(V2).orElseThrow().errors()).isEqualTo(1);
                assertThat(byVersion.metrics().version(V1).orElseThrow().fallbacks()).isZero();
                byVersion.close();
                ModelService<Integer, Integer> byFunction = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).fallback(x -> {
                            throw new IllegalStateException("no fallback today");
                        }).build();
                assertThatThrownBy(() -> byFunction.predict(1)).isInstanceOf(PredictionException.class)
                        .satisfies(e -> assertThat(e.getSuppressed()[0]).hasMessage("no fallback today"));
                byFunction.close();
            }
        }

        @Test
        @DisplayName("a batch is answered by one version in order and counted per input")
        void batch() {
            try (ServingFixture f = new ServingFixture(1)) {
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).build();
                assertThat(svc.predictAll(List.of(4, 5, 6))).containsExactly(1, 1, 1);
                assertThat(svc.predictAll(List.of())).isEmpty();
                VersionMetrics m = svc.metrics().version(V1).orElseThrow();
                assertThat(m.calls()).isEqualTo(3);
                assertThat(m.latency().count()).isEqualTo(3);
                svc.close();
            }
        }
    }

    @Nested
    @DisplayName("with input checks")
    class InputChecks {
        private final Signature signature = new Signature(Schema.of(new Field("age", FieldType.INTEGER),
                new Field("income", FieldType.DOUBLE), new Field("member", FieldType.BOOLEAN),
                new Field("city", FieldType.STRING), new Field("day", FieldType.DATE), new Field("blob", FieldType.OTHER)),
                Schema.EMPTY);

        private Map<String, Object> row() {
            Map<String, Object> r = new HashMap<>();
            r.put("age", 42);
            r.put("income", 1234.5);
            r.put("member", true);
            r.put("city", "Oslo");
            r.put("day", LocalDate.of(2024, 1, 31));
            r.put("blob", new byte[] {1});
            r.put("extra", "ignored");
            return r;
        }

        private ModelService<Map<String, Object>, Integer> service(ServingFixture f, AtomicInteger calls, boolean check) {
            f.register("credit", signature);
            ModelLoader<Map<String, Object>, Integer> loader = ModelLoader.ofFunction(ctx -> in -> {
                calls.incrementAndGet();
                return 1;
            });
            ModelServiceBuilder<Map<String, Object>, Integer> b = f.serve(ModelRef.version("credit", 1), loader);
            return check ? b.inputCheck(r -> r).build() : b.build();
        }

        @Test
        @DisplayName("accept a row with every declared column of its type, ignoring extra columns")
        void valid() {
            try (ServingFixture f = new ServingFixture(0)) {
                AtomicInteger calls = new AtomicInteger();
                ModelService<Map<String, Object>, Integer> svc = service(f, calls, true);
                assertThat(svc.predict(row())).isEqualTo(1);
                Map<String, Object> r = row();
                r.put("age", 42L);
                r.put("income", 7);
                r.put("day", "2024-02-29");
                assertThat(svc.predict(r)).isEqualTo(1);
                assertThat(calls.get()).isEqualTo(2);
                svc.close();
            }
        }

        @Test
        @DisplayName("refuse a missing column, a wrong type, NaN in a numeric column and a null row, before the model")
        void failures() {
            try (ServingFixture f = new ServingFixture(0)) {
                AtomicInteger calls = new AtomicInteger();
                ModelService<Map<String, Object>, Integer> svc = service(f, calls, true);
                Map<String, Object> missing = row();
                missing.remove("city");
                assertThatThrownBy(() -> svc.predict(missing)).isInstanceOf(ValidationException.class)
                        .hasMessageContaining("'city'").hasMessageContaining("missing").hasMessageContaining("credit/1");
                Map<String, Object> nullValue = row();
                nullValue.put("member", null);
                assertThatThrownBy(() -> svc.predict(nullValue)).hasMessageContaining("'member' is missing");
                Map<String, Object> wrongType = row();
                wrongType.put("age", "42");
                assertThatThrownBy(() -> svc.predict(wrongType)).isInstanceOf(ValidationException.class)
                        .hasMessageContaining("'age' is a String").hasMessageContaining("expects INTEGER");
                Map<String, Object> fractional = row();
                fractional.put("age", 4.2);
                assertThatThrownBy(() -> svc.predict(fractional)).hasMessageContaining("'age' is a Double");
                Map<String, Object> nan = row();
                nan.put("income", Double.NaN);
                assertThatThrownBy(() -> svc.predict(nan)).isInstanceOf(ValidationException.class)
                        .hasMessageContaining("'income' is NaN");
                Map<String, Object> badDate = row();
                badDate.put("day", "31/01/2024");
                assertThatThrownBy(() -> svc.predict(badDate)).hasMessageContaining("'day'").hasMessageContaining("DATE");
                Map<String, Object> notBoolean = row();
                notBoolean.put("member", "yes");
                assertThatThrownBy(() -> svc.predict(notBoolean)).hasMessageContaining("BOOLEAN");
                Map<String, Object> notText = row();
                notText.put("city", 3);
                assertThatThrownBy(() -> svc.predict(notText)).hasMessageContaining("STRING");
                assertThatThrownBy(() -> svc.predict(null)).isInstanceOf(ValidationException.class)
                        .hasMessageContaining("returned null");
                assertThatThrownBy(() -> svc.predictAll(List.of(row(), nan))).hasMessageContaining("NaN");
                assertThat(calls.get()).as("the model never saw a refused input").isZero();
                assertThat(svc.metrics().version(ModelRef.version("credit", 1)).orElseThrow().errors())
                        .as("a refused input is not a model error").isZero();
                svc.close();
            }
        }

        @Test
        @DisplayName("are off unless configured: the model gets whatever it is given")
        void off() {
            try (ServingFixture f = new ServingFixture(0)) {
                AtomicInteger calls = new AtomicInteger();
                ModelService<Map<String, Object>, Integer> svc = service(f, calls, false);
                assertThat(svc.predict(Map.of("income", Double.NaN))).isEqualTo(1);
                assertThat(calls.get()).isEqualTo(1);
                svc.close();
            }
        }
    }

    @Nested
    @DisplayName("with feedback, an inference log and a monitor")
    class Observability {
        private final Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

        @Test
        @DisplayName("joins ground truth to recent predictions once, computing mean live error per version")
        void feedback() {
            try (ServingFixture f = new ServingFixture(2)) {
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).feedbackWindow(3).build();
                String first = svc.predictDetailed(0).predictionId();
                String second = svc.predictDetailed(0).predictionId();
                String third = svc.predictDetailed(0).predictionId();
                String fourth = svc.predictDetailed(0).predictionId();
                assertThat(svc.feedback(first, 9)).as("evicted from a window of 3").isFalse();
                assertThat(svc.feedback(second, 4)).isTrue();
                assertThat(svc.feedback(second, 4)).as("joined once").isFalse();
                assertThat(svc.feedback(third, 0)).isTrue();
                assertThat(svc.feedback("nonsense", 1)).isFalse();
                VersionMetrics m = svc.metrics().version(V1).orElseThrow();
                assertThat(m.feedbackCount()).isEqualTo(2);
                assertThat(m.meanLiveError()).hasValue((3.0 + 1.0) / 2);
                f.mlops.models().setAlias("rain", "production", 2);
                svc.refresh();
                String onTwo = svc.predictDetailed(0).predictionId();
                assertThat(svc.feedback(onTwo, 2)).isTrue();
                assertThat(svc.feedback(fourth, 1)).isTrue();
                assertThat(svc.metrics().version(V2).orElseThrow().meanLiveError()).hasValue(0.0);
                assertThat(svc.metrics().version(V1).orElseThrow().meanLiveError()).hasValue(4.0 / 3);
                svc.close();
            }
        }

        @Test
        @DisplayName("uses a given error function; refuses feedback without a window")
        void errorFunction() {
            try (ServingFixture f = new ServingFixture(1)) {
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).feedbackWindow(10)
                        .errorFunction((p, a) -> p.equals(a) ? 0 : 1).build();
                svc.feedback(svc.predictDetailed(0).predictionId(), 5);
                svc.feedback(svc.predictDetailed(0).predictionId(), 1);
                assertThat(svc.metrics().version(V1).orElseThrow().meanLiveError()).hasValue(0.5);
                svc.close();
                ModelService<Integer, Integer> none = f.serve(ServingFixture.production(), f.loader()).build();
                assertThatThrownBy(() -> none.feedback("x", 1)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("feedbackWindow");
                none.close();
            }
        }

        @Test
        @DisplayName("logs sampled predictions with id, time, version, route, mapped input and output;"
                + " ids from the log take feedback")
        void inferenceLog() {
            try (ServingFixture f = new ServingFixture(1)) {
                f.failPredict.add(1);
                CapturingLog log = new CapturingLog(true);
                AtomicInteger fallbackOn = new AtomicInteger(3);
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).clock(clock).inferenceLog(log, 1.0).logInput(x -> "in" + x)
                        .feedbackWindow(10).fallback(x -> fallbackOn.get()).build();
                assertThat(svc.predict(8)).isEqualTo(3);
                f.failPredict.clear();
                assertThat(svc.predict(9)).isEqualTo(1);
                Prediction<Integer> p = svc.predictDetailed(10);
                assertThat(log.records).hasSize(3);
                InferenceRecord fb = log.records.get(0);
                assertThat(fb.route()).isEqualTo(Prediction.Route.FALLBACK);
                assertThat(fb.output()).isEqualTo(3);
                InferenceRecord ok = log.records.get(1);
                assertThat(ok.version()).isEqualTo(V1);
                assertThat(ok.route()).isEqualTo(Prediction.Route.PRIMARY);
                assertThat(ok.input()).isEqualTo("in9");
                assertThat(ok.output()).isEqualTo(1);
                assertThat(ok.time()).isEqualTo(clock.instant());
                assertThat(ok.latencyNanos()).isNotNegative();
                assertThat(log.records.get(2).predictionId()).isEqualTo(p.predictionId());
                Set<String> ids = new HashSet<>();
                log.records.forEach(r -> ids.add(r.predictionId()));
                assertThat(ids).hasSize(3);
                assertThat(svc.feedback(ok.predictionId(), 1)).isTrue();
                assertThat(svc.metrics().version(V1).orElseThrow().meanLiveError()).hasValue(0.0);
                svc.close();
                assertThat(log.closed).as("the service does not close a log it does not own").isFalse();
            }
        }

        @Test
        @DisplayName("writes to the built-in JSON Lines log: one line per prediction, joined by prediction id")
        void jsonLinesLog(@TempDir Path dir) throws Exception {
            try (ServingFixture f = new ServingFixture(1)) {
                Set<String> ids = new HashSet<>();
                try (JsonLinesInferenceLog log = JsonLinesInferenceLog.builder(dir).build()) {
                    ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                            .pollInterval(Duration.ofDays(1)).inferenceLog(log, 1.0)
                            .logInput(x -> Map.of("x", x)).build();
                    for (int i = 0; i < 100; i++) {
                        ids.add(svc.predictDetailed(i).predictionId());
                    }
                    svc.close();
                }
                List<String> lines;
                try (Stream<Path> files = Files.list(dir)) {
                    lines = files.flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
                }
                assertThat(lines).hasSize(100).allMatch(l -> l.contains("\"model\":\"rain\"")
                        && l.contains("\"version\":1") && l.contains("\"route\":\"primary\""));
                assertThat(ids).allMatch(id -> lines.stream().anyMatch(l -> l.contains("\"" + id + "\"")));
            }
        }

        @Test
        @DisplayName("keeps serving when the log refuses or throws, and counts what was lost")
        void brokenLog() {
            try (ServingFixture f = new ServingFixture(1)) {
                CapturingLog refusing = new CapturingLog(false);
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).inferenceLog(refusing, 1.0).build();
                for (int i = 0; i < 100; i++) {
                    assertThat(svc.predict(i)).isEqualTo(1);
                }
                assertThat(svc.metrics().logDropped()).isEqualTo(100);
                svc.close();
                InferenceLog throwing = new CapturingLog(true) {
                    @Override
                    public boolean offer(InferenceRecord record) {
                        throw new IllegalStateException("disk full");
                    }
                };
                ModelService<Integer, Integer> svc2 = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).inferenceLog(throwing, 1.0).build();
                for (int i = 0; i < 50; i++) {
                    assertThat(svc2.predict(i)).isEqualTo(1);
                }
                assertThat(svc2.metrics().logDropped()).isEqualTo(50);
                svc2.close();
            }
        }

        @Test
        @DisplayName("samples the log: rate 0 logs nothing and creates no id")
        void logSampling() {
            try (ServingFixture f = new ServingFixture(1)) {
                CapturingLog log = new CapturingLog(true);
                ServingService<Integer, Integer> svc = (ServingService<Integer, Integer>) f
                        .serve(ServingFixture.production(), f.loader()).inferenceLog(log, 0.0).build();
                for (int i = 0; i < 1000; i++) {
                    svc.predict(i);
                }
                assertThat(log.records).isEmpty();
                assertThat(svc.nextId()).as("first id handed out").endsWith("-1");
                svc.close();
            }
        }

        @Test
        @DisplayName("hands sampled inputs to the monitor and counts a throwing monitor without failing requests")
        void monitor() {
            try (ServingFixture f = new ServingFixture(1)) {
                List<Integer> seen = new CopyOnWriteArrayList<>();
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).monitor(seen::add, 1.0).build();
                svc.predict(1);
                svc.predict("key", 2);
                svc.predictDetailed(3);
                svc.predictAll(List.of(4, 5));
                assertThat(seen).containsExactly(1, 2, 3, 4, 5);
                svc.close();
                ModelService<Integer, Integer> throwing = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).monitor(x -> {
                            throw new IllegalStateException("monitor down");
                        }, 1.0).build();
                for (int i = 0; i < 10; i++) {
                    assertThat(throwing.predict(i)).isEqualTo(1);
                }
                assertThat(throwing.metrics().observerErrors()).isEqualTo(10);
                throwing.close();
                ModelService<Integer, Integer> never = f.serve(ServingFixture.production(), f.loader())
                        .monitor(seen::add, 0.0).build();
                never.predict(99);
                assertThat(seen).doesNotContain(99);
                never.close();
            }
        }
    }

    @Nested
    @DisplayName("on close")
    class Closing {
        @Test
        @DisplayName("waits for a call in flight, then closes every model and refuses new calls")
        void waitsForInFlight() throws Exception {
            try (ServingFixture f = new ServingFixture(2)) {
                CountDownLatch gate = new CountDownLatch(1);
                f.gates.put(1, gate);
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).fallback(V2).closeTimeout(Duration.ofDays(1)).build();
                AtomicReference<Object> answer = new AtomicReference<>();
                Thread request = new Thread(() -> answer.set(svc.predict(1)));
                request.start();
                ServingFixture.awaitTrue(() -> f.servedBy(1) > 0, "the request is inside the model");
                Thread closer = new Thread(svc::close);
                closer.start();
                ServingFixture.awaitTrue(() -> closer.getState() == Thread.State.TIMED_WAITING || !closer.isAlive(),
                        "close() waits");
                assertThat(closer.isAlive()).as("close returned while a call was in flight").isTrue();
                ServingFixture.TrackingModel one = f.models.stream().filter(m -> m.version == 1).findFirst().orElseThrow();
                assertThat(one.isClosed()).isFalse();
                assertThatThrownBy(() -> svc.predict(2)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed");
                gate.countDown();
                request.join();
                closer.join();
                assertThat(answer.get()).isEqualTo(1);
                assertThat(one.isClosed()).isTrue();
                assertThat(f.closed.get()).isEqualTo(f.loaded.get()).isEqualTo(2);
                f.assertNoMisuse();
            }
        }

        @Test
        @DisplayName("returns after closeTimeout while a call is still inside; that call closes the model, once,"
                + " when it returns")
        void closeTimeout() throws Exception {
            try (ServingFixture f = new ServingFixture(1)) {
                CountDownLatch gate = new CountDownLatch(1);
                f.gates.put(1, gate);
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).closeTimeout(Duration.ofMillis(100)).build();
                AtomicReference<Object> answer = new AtomicReference<>();
                Thread request = new Thread(() -> answer.set(svc.predict(1)), "slow-request");
                request.start();
                ServingFixture.awaitTrue(() -> f.servedBy(1) > 0, "the request is inside the model");
                Thread closing = new Thread(svc::close);
                closing.start();
                closing.join(30_000);
                assertThat(closing.isAlive()).as("close() returned while a call is inside").isFalse();
                ServingFixture.TrackingModel one = f.modelsOf(1).get(0);
                assertThat(one.isClosed()).isFalse();
                assertThatThrownBy(() -> svc.predict(2)).isInstanceOf(IllegalStateException.class);
                gate.countDown();
                request.join(30_000);
                assertThat(answer.get()).isEqualTo(1);
                assertThat(one.isClosed()).isTrue();
                assertThat(one.closedOn).as("after the close timeout the last call out closes the model").isSameAs(request);
                assertThat(f.closed.get()).isEqualTo(f.loaded.get()).isEqualTo(1);
                f.assertNoMisuse();
            }
        }

        @Test
        @DisplayName("is idempotent, refuses refresh, keeps metrics readable, removes only what it created")
        void semantics(@TempDir Path mine) throws Exception {
            try (ServingFixture f = new ServingFixture(1)) {
                ServingService<Integer, Integer> temp = (ServingService<Integer, Integer>) f
                        .serve(ServingFixture.production(), f.loader()).build();
                Path tempRoot = temp.artifactCacheRoot();
                assertThat(tempRoot).isDirectory();
                temp.predict(1);
                temp.close();
                temp.close();
                assertThat(tempRoot).doesNotExist();
                assertThatThrownBy(temp::refresh).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> temp.predictDetailed(1)).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> temp.predictAll(List.of(1))).isInstanceOf(IllegalStateException.class);
                assertThat(temp.metrics().version(V1).orElseThrow().calls()).isEqualTo(1);
                assertThat(temp.currentVersion()).isEqualTo(V1);

                Path given = mine.resolve("cache");
                Files.createDirectories(given);
                Files.writeString(given.resolve("keep.txt"), "mine");
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .artifactCache(given).build();
                try (Stream<Path> s = Files.list(given)) {
                    assertThat(s.count()).as("keep.txt and one exported version").isEqualTo(2);
                }
                svc.close();
                try (Stream<Path> s = Files.list(given)) {
                    assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep.txt");
                }
                assertThat(f.closed.get()).isEqualTo(f.loaded.get());
            }
        }
    }

    @Nested
    @DisplayName("builder")
    class Builder {
        @Test
        @DisplayName("refuses bad values with IllegalArgumentException")
        void badValues() {
            try (ServingFixture f = new ServingFixture(1)) {
                ModelServiceBuilder<Integer, Integer> b = f.serve(ServingFixture.production(), f.loader());
                assertThatThrownBy(() -> b.name(" ")).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.name("a\nb")).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.pollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.loadTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("loadTimeout must be positive");
                assertThatThrownBy(() -> b.closeTimeout(Duration.ofSeconds(-1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closeTimeout");
                assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least initial");
                assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.challenger(V1, 1.5)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("1.5");
                assertThatThrownBy(() -> b.challenger(V1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.shadow(V1, -0.1)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.shadowQueue(0)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.feedbackWindow(0)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.monitor(x -> { }, 2)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.inferenceLog(new CapturingLog(true), -1))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> b.warmUp(null)).isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> f.serve(null, f.loader())).isInstanceOf(NullPointerException.class);
            }
        }

        @Test
        @DisplayName("refuses a second or conflicting setting with IllegalStateException")
        void conflicts() {
            try (ServingFixture f = new ServingFixture(1)) {
                ModelServiceBuilder<Integer, Integer> b = f.serve(ServingFixture.production(), f.loader());
                b.name("x").fallback(x -> 0).loadTimeout(Duration.ofMinutes(1)).closeTimeout(Duration.ofSeconds(1));
                assertThatThrownBy(() -> b.loadTimeout(Duration.ofMinutes(2))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("loadTimeout was already set");
                assertThatThrownBy(() -> b.closeTimeout(Duration.ofSeconds(2))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closeTimeout was already set");
                assertThatThrownBy(() -> b.name("y")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("name was already set");
                assertThatThrownBy(() -> b.fallback(V1)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("one fallback");
                assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader()).shadowQueue(5).build())
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("need a shadow");
                assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader()).logInput(x -> x).build())
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("inference log");
                assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader())
                        .errorFunction((p, a) -> 0).build())
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("feedback window");
                assertThatThrownBy(() -> f.serve(ServingFixture.production(), f.loader())
                        .clock(Clock.systemUTC()).clock(Clock.systemUTC())).isInstanceOf(IllegalStateException.class);
            }
        }

        @Test
        @DisplayName("names the service after its reference by default, and unsubscribes event listeners")
        void defaultsAndListeners() {
            try (ServingFixture f = new ServingFixture(2)) {
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                        .pollInterval(Duration.ofDays(1)).build();
                assertThat(svc.metrics().service()).isEqualTo("rain@production");
                List<ServiceEvent> events = new CopyOnWriteArrayList<>();
                AutoCloseable handle = svc.onEvent(events::add);
                f.mlops.models().setAlias("rain", "production", 2);
                svc.refresh();
                try {
                    handle.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                int seen = events.size();
                assertThat(seen).isPositive();
                f.mlops.models().setAlias("rain", "production", 1);
                svc.refresh();
                assertThat(events).hasSize(seen);
                svc.close();
            }
        }

        @Test
        @DisplayName("hands out 10,000 distinct prediction ids with one service prefix")
        void ids() {
            try (ServingFixture f = new ServingFixture(1)) {
                ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader()).build();
                Set<String> ids = new HashSet<>();
                Set<String> prefixes = new HashSet<>();
                for (int i = 0; i < 10_000; i++) {
                    String id = svc.predictDetailed(i).predictionId();
                    ids.add(id);
                    prefixes.add(id.substring(0, id.indexOf('-')));
                }
                assertThat(ids).hasSize(10_000);
                assertThat(prefixes).hasSize(1).allMatch(p -> p.matches("[0-9a-f]{12}"));
                svc.close();
            }
        }
    }

    /** An in-memory log; {@code accept} false makes it refuse (and count) every record. */
    static class CapturingLog implements InferenceLog {
        final List<InferenceRecord> records = new CopyOnWriteArrayList<>();
        private final boolean accept;
        private final AtomicInteger dropped = new AtomicInteger();
        volatile boolean closed;

        CapturingLog(boolean accept) {
            this.accept = accept;
        }

        @Override
        public boolean offer(InferenceRecord record) {
            if (!accept) {
                dropped.incrementAndGet();
                return false;
            }
            records.add(record);
            return true;
        }

        @Override
        public long dropped() {
            return dropped.get();
        }

        @Override
        public long written() {
            return records.size();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
