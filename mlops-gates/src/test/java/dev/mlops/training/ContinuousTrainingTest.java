package dev.mlops.training;

import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContinuousTrainingTest {
    static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    @TempDir
    Path dir;
    ManualTestClock clock;
    Mlops mlops;
    QueueExecutor executor;
    List<TrainingEvent> events;
    AtomicReference<String> decision; // "pass", "fail" or "throw"
    ModelVersion v1;

    /** Runs submitted tasks only when told to, on the test thread: runs are deterministic. */
    static final class QueueExecutor implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        boolean refuse;

        @Override
        public void execute(Runnable r) {
            if (refuse) {
                throw new RejectedExecutionException("queue closed");
            }
            tasks.add(r);
        }

        int runAll() {
            int n = 0;
            while (!tasks.isEmpty() && n < 100) {
                tasks.poll().run();
                n++;
            }
            return n;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        clock = new ManualTestClock(T0);
        mlops = Mlops.builder().store(new InMemoryStore()).clock(clock).actor("tester").build();
        Path csv = dir.resolve("weather.csv");
        Files.writeString(csv, "x,y\n1,2\n3,4\n");
        mlops.datasets().register("weather", DatasetSource.csv(csv));
        v1 = mlops.models().register("rain", NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {1}))
                .trainedOn(new DatasetRef("weather", 1)).build());
        mlops.models().setAlias("rain", "production", 1);
        Files.writeString(csv, "x,y\n1,2\n3,4\n5,6\n");
        mlops.datasets().register("weather", DatasetSource.csv(csv));
        executor = new QueueExecutor();
        events = Collections.synchronizedList(new ArrayList<>());
        decision = new AtomicReference<>("pass");
    }

    @AfterEach
    void tearDown() {
        mlops.close();
    }

    static NewModelVersion candidate(byte b) {
        return NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {b})).metric("error_rate", 0.2).build();
    }

    PromotionGate gate() {
        return PromotionGate.of(mlops, PromotionPolicy.builder("test-policy").maximum("error_rate", 0.3).build());
    }

    /** Inputs for the real gate: the candidate's error rate is 0.2 ("pass") or 0.6 ("fail"). */
    PromotionGate.Inputs inputs(ModelVersion c, TrainingRequest r) {
        if (decision.get().equals("throw")) {
            throw new IllegalStateException("evaluation data is empty");
        }
        return PromotionGate.inputs().candidateMetrics(Map.of("error_rate", decision.get().equals("pass") ? 0.2 : 0.6))
                .build();
    }

    ContinuousTraining.Builder loop(Trainer trainer) {
        return ContinuousTraining.builder(mlops, "rain", "production").datasets("weather").trainer(trainer)
                .gate(gate(), this::inputs).executor(executor).clock(clock).listener(events::add);
    }

    List<String> actions(long from) {
        return mlops.audit().entries(from, 1000).stream().map(a -> a.action() + " " + a.target()).toList();
    }

    @Test
    void aPassingCandidateIsRegisteredWithLineageAndPromoted() {
        AtomicReference<TrainingRequest> seen = new AtomicReference<>();
        long before = mlops.audit().size();
        try (ContinuousTraining ct = loop(r -> {
            seen.set(r);
            return candidate((byte) 2);
        }).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("new data arrived");
            // the caller only enqueued: nothing trained, nothing written
            assertThat(f).isNotDone();
            assertThat(seen.get()).isNull();
            assertThat(mlops.audit().size()).isEqualTo(before);
            assertThat(ct.busy()).isTrue();
            assertThat(executor.runAll()).isEqualTo(1);
            assertThat(ct.busy()).isFalse();

            TrainingEvent.Promoted p = (TrainingEvent.Promoted) f.join();
            assertThat(p.candidate().ref()).isEqualTo(new ModelRef.Version("rain", 2));
            assertThat(p.candidate().aliases()).contains("production");
            ModelVersion v2 = mlops.models().version("rain", 2);
            assertThat(v2.lineage().retrainedFrom()).contains(v1.ref());
            assertThat(v2.lineage().trainedOn()).containsExactly(new DatasetRef("weather", 2));
            assertThat(v2.tags()).containsEntry("retrain.trigger", "manual");
            assertThat(mlops.models().resolve(ModelRef.parse("rain@production")).number()).isEqualTo(2);

            TrainingRequest r = seen.get();
            assertThat(r.run()).isEqualTo(1);
            assertThat(r.trigger().kind()).isEqualTo("manual");
            assertThat(r.trigger().detail()).isEqualTo("new data arrived");
            assertThat(r.champion().map(ModelVersion::ref)).contains(v1.ref());
            assertThat(r.dataset("weather").version()).isEqualTo(2);
            assertThatThrownBy(() -> r.dataset("other")).hasMessageContaining("'other'");

            assertThat(events).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("Triggered", "Registered", "Promoted");
            assertThat(((TrainingEvent.Triggered) events.get(0)).champion()).contains(v1.ref());
            assertThat(actions(before + 1)).containsExactly("training.triggered rain@production",
                    "version.register rain/2", "version.attach rain/2", "alias.promote rain@production");
            assertThat(p.decision().champion()).contains(v1.ref());
            assertThat(p.decision().checks()).extracting(CheckResult::name).containsExactly("max:error_rate");
            assertThat(PromotionGate.recordedDecisions(mlops.models(), p.candidate().ref()).values())
                    .containsExactly(p.decision());
            AuditEntry move = mlops.audit().entries(before + 4, 1).get(0);
            assertThat(move.before()).containsEntry("version", "1");
            assertThat(move.after()).containsEntry("version", "2").containsEntry("decision", "promotion-decision-1");
            AuditEntry t = mlops.audit().entries(before + 1, 1).get(0);
            assertThat(t.actor()).isEqualTo("tester");
            assertThat(t.after()).containsEntry("run", "1").containsEntry("kind", "manual").containsEntry("champion", "rain/1")
                    .containsEntry("datasets", "weather");
            assertThat(mlops.audit().verify().ok()).isTrue();
        }
    }

    /** A trainer that logs a tracked run and names it keeps that link: the loop adds lineage, it does not drop any. */
    @Test
    void aCandidateFromATrackedRunKeepsItsRun() {
        String runId;
        try (dev.mlops.api.tracking.ActiveRun run = mlops.tracking().startRun("rain",
                dev.mlops.api.tracking.NewRun.builder().name("retrain").build())) {
            runId = run.id();
        }
        try (ContinuousTraining ct = loop(r -> NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {2}))
                .metric("error_rate", 0.2).fromRun(runId).build()).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("tracked");
            executor.runAll();
            f.join();
            ModelVersion v2 = mlops.models().version("rain", 2);
            assertThat(v2.lineage().run()).contains(runId);
            assertThat(v2.lineage().retrainedFrom()).contains(v1.ref());
            assertThat(mlops.tracking().run(runId).models()).containsExactly(v2.ref());
        }
    }

    @Test
    void aFailingDecisionRefusesWithReasonsAndLeavesTheAlias() {
        decision.set("fail");
        long before = mlops.audit().size();
        try (ContinuousTraining ct = loop(r -> candidate((byte) 2)).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("try");
            executor.runAll();
            TrainingEvent.Refused r = (TrainingEvent.Refused) f.join();
            assertThat(r.decision().failures()).extracting(CheckResult::name).containsExactly("max:error_rate");
            assertThat(mlops.models().resolve(ModelRef.parse("rain@production")).number()).isEqualTo(1);
            assertThat(mlops.models().version("rain", 2).lineage().retrainedFrom()).contains(v1.ref());
            assertThat(r.decision().failures().get(0).observed()).hasValue(0.6);
            assertThat(actions(before + 1)).containsExactly("training.triggered rain@production",
                    "version.register rain/2", "version.attach rain/2", "promotion.refused rain/2");
            assertThat(mlops.audit().entries(before + 4, 1).get(0).after()).containsEntry("failed", "max:error_rate");
        }
    }

    @Test
    void aThrowingTrainerIsAnAuditedFailureAndTheLoopGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        long before = mlops.audit().size();
        try (ContinuousTraining ct = loop(r -> {
            if (calls.incrementAndGet() == 1) {
                throw new java.io.IOException("disk full while writing weights");
            }
            return candidate((byte) 3);
        }).build()) {
            CompletableFuture<TrainingEvent.Outcome> first = ct.trigger("one");
            executor.runAll();
            TrainingEvent.TrainingFailed failed = (TrainingEvent.TrainingFailed) first.join();
            assertThat(failed.stage()).isEqualTo("train");
            assertThat(failed.message()).isEqualTo("IOException: disk full while writing weights");
            assertThat(failed.candidate()).isEmpty();
            assertThat(actions(before + 1)).containsExactly("training.triggered rain@production", "training.failed rain@production");
            assertThat(mlops.audit().entries(before + 2, 1).get(0).after()).containsEntry("stage", "train")
                    .containsEntry("error", "IOException: disk full while writing weights").containsEntry("run", "1");

            CompletableFuture<TrainingEvent.Outcome> second = ct.trigger("two");
            executor.runAll();
            assertThat(second.join()).isInstanceOf(TrainingEvent.Promoted.class);
            assertThat(second.join().run()).isEqualTo(2);
        }
    }

    @Test
    void aCandidateWithoutARequiredAttachmentIsNotRegistered() {
        try (ContinuousTraining ct = loop(r -> candidate((byte) 2)).requireAttachments("drift-profile").build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("no profile");
            executor.runAll();
            TrainingEvent.TrainingFailed failed = (TrainingEvent.TrainingFailed) f.join();
            assertThat(failed.stage()).isEqualTo("train");
            assertThat(failed.message()).contains("no attachment [drift-profile]", "requireAttachments");
            assertThat(mlops.models().listVersions("rain", dev.mlops.api.VersionQuery.all()).items()).hasSize(1);
        }
        try (ContinuousTraining ct = loop(r -> NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {3}))
                .metric("error_rate", 0.2).attachment("drift-profile", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build()).requireAttachments("drift-profile").build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("with profile");
            executor.runAll();
            TrainingEvent.Promoted p = (TrainingEvent.Promoted) f.join();
            assertThat(p.candidate().attachments()).containsKey("drift-profile");
        }
        assertThatThrownBy(() -> ContinuousTraining.builder(mlops, "rain", "production").requireAttachments("bad name"))
                .isInstanceOf(dev.mlops.api.InvalidNameException.class).hasMessageContaining("'bad name'");
    }

    @Test
    void decideReturnsThePolicysReasonAndTheRunItStarted() {
        RetrainPolicy policy = RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(2).clock(clock).build();
        ContinuousTraining ct = loop(r -> candidate((byte) 2)).policy(policy).build();
        try {
            ContinuousTraining.Signal first = ct.decide(RetrainPolicyTest.drifted(T0));
            assertThat(first.decision().verdict()).isEqualTo(RetrainDecision.Verdict.HYSTERESIS);
            assertThat(first.run()).isEmpty();
            ContinuousTraining.Signal second = ct.decide(RetrainPolicyTest.drifted(T0));
            assertThat(second.decision().triggered()).isTrue();
            executor.runAll();
            assertThat(second.run().orElseThrow().join()).isInstanceOf(TrainingEvent.Promoted.class);
            ct.close();
            ContinuousTraining.Signal closed = ct.decide(RetrainPolicyTest.drifted(T0));
            assertThat(closed.decision().verdict()).isEqualTo(RetrainDecision.Verdict.IGNORED);
            assertThat(closed.decision().reason()).contains("closed");
        } finally {
            ct.close();
        }
    }

    @Test
    void trainerErrorsAndNullAreFailuresToo() {
        AtomicInteger calls = new AtomicInteger();
        try (ContinuousTraining ct = loop(r -> {
            if (calls.incrementAndGet() == 1) {
                throw new AssertionError("bug in training code");
            }
            return null;
        }).build()) {
            CompletableFuture<TrainingEvent.Outcome> a = ct.trigger("a");
            executor.runAll();
            CompletableFuture<TrainingEvent.Outcome> b = ct.trigger("b");
            executor.runAll();
            assertThat(((TrainingEvent.TrainingFailed) a.join()).message()).contains("AssertionError: bug in training code");
            assertThat(((TrainingEvent.TrainingFailed) b.join()).message()).contains("returned null");
        }
    }

    @Test
    void aThrowingGateNeverPromotes() {
        decision.set("throw");
        try (ContinuousTraining ct = loop(r -> candidate((byte) 2)).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            executor.runAll();
            TrainingEvent.TrainingFailed failed = (TrainingEvent.TrainingFailed) f.join();
            assertThat(failed.stage()).isEqualTo("gate");
            assertThat(failed.candidate()).contains(new ModelRef.Version("rain", 2));
            assertThat(mlops.models().resolve(ModelRef.parse("rain@production")).number()).isEqualTo(1);
            assertThat(events).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("Triggered", "Registered", "TrainingFailed");
        }
    }

    @Test
    void aDecisionAboutAnotherVersionIsRefusedAsAGateFailure() {
        try (ContinuousTraining ct = ContinuousTraining.builder(mlops, "rain", "production").trainer(r -> candidate((byte) 2))
                .gate((c, r) -> new PromotionGate.Promotion(new PromotionDecision(v1.ref(), "production", Optional.empty(),
                        List.of(new CheckResult("ok", OptionalDouble.empty(), "-", Verdict.PASS, "")), T0, "p"), true,
                        Optional.empty()))
                .executor(executor).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            executor.runAll();
            assertThat(((TrainingEvent.TrainingFailed) f.join()).message()).contains("rain/1").contains("expected rain/2");
            assertThat(mlops.models().resolve(ModelRef.parse("rain@production")).number()).isEqualTo(1);
        }
    }

    @Test
    void anAliasMovedDuringTrainingIsTheChampionTheGateJudgesAgainst() {
        try (ContinuousTraining ct = loop(r -> {
            mlops.models().register("rain", candidate((byte) 9));
            mlops.models().setAlias("rain", "production", 2); // an operator's move while training
            return candidate((byte) 3);
        }).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            executor.runAll();
            TrainingEvent.Promoted p = (TrainingEvent.Promoted) f.join();
            assertThat(p.candidate().lineage().retrainedFrom()).contains(v1.ref()); // what it was trained from
            assertThat(p.decision().champion()).contains(new ModelRef.Version("rain", 2)); // what it was judged against
        }
    }

    @Test
    void aConflictingMoveIsAPromoteFailure() {
        try (ContinuousTraining ct = loop(r -> candidate((byte) 3)).gate((c, r) -> {
            throw new dev.mlops.api.ConflictException("alias rain@production moved since the promotion decision");
        }).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            executor.runAll();
            TrainingEvent.TrainingFailed failed = (TrainingEvent.TrainingFailed) f.join();
            assertThat(failed.stage()).isEqualTo("promote");
            assertThat(failed.message()).contains("moved since");
        }
    }

    @Test
    void aGateThatClaimsAPromotionItDidNotMakeIsCaught() {
        try (ContinuousTraining ct = loop(r -> candidate((byte) 3)).gate((c, r) -> new PromotionGate.Promotion(
                new PromotionDecision(c.ref(), "production", Optional.of(v1.ref()),
                        List.of(new CheckResult("ok", OptionalDouble.of(1), ">= 0", Verdict.PASS, "")), T0, "p"), true,
                Optional.empty())).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            executor.runAll();
            TrainingEvent.TrainingFailed failed = (TrainingEvent.TrainingFailed) f.join();
            assertThat(failed.stage()).isEqualTo("promote");
            assertThat(failed.message()).contains("points at rain/1");
        }
    }

    @Test
    void aMissingDatasetFailsTheRunBeforeTraining() {
        AtomicInteger trained = new AtomicInteger();
        try (ContinuousTraining ct = ContinuousTraining.builder(mlops, "rain", "production").datasets("weather", "sensors")
                .trainer(r -> {
                    trained.incrementAndGet();
                    return candidate((byte) 2);
                }).gate(gate(), this::inputs).executor(executor).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            executor.runAll();
            TrainingEvent.TrainingFailed failed = (TrainingEvent.TrainingFailed) f.join();
            assertThat(failed.stage()).isEqualTo("datasets");
            assertThat(failed.message()).contains("'sensors'");
            assertThat(trained).hasValue(0);
        }
    }

    @Test
    void aFirstVersionHasNoChampionAndNoParent() {
        try (ContinuousTraining ct = ContinuousTraining.builder(mlops, "snow", "production").trainer(r -> candidate((byte) 5))
                .gate(gate(), this::inputs).executor(executor).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("bootstrap");
            executor.runAll();
            TrainingEvent.Promoted p = (TrainingEvent.Promoted) f.join();
            assertThat(p.candidate().lineage().retrainedFrom()).isEmpty();
            assertThat(p.candidate().lineage().trainedOn()).isEmpty();
            assertThat(p.decision().champion()).isEmpty();
        }
    }

    @Test
    void triggersDuringARunAreCoalescedIntoOnePendingRun() {
        List<String> reasons = Collections.synchronizedList(new ArrayList<>());
        try (ContinuousTraining ct = loop(r -> {
            reasons.add(r.trigger().detail());
            return candidate((byte) (10 + r.run()));
        }).build()) {
            CompletableFuture<TrainingEvent.Outcome> a = ct.trigger("a");
            // "a" is in progress (submitted to the executor); these arrive meanwhile
            CompletableFuture<TrainingEvent.Outcome> b = ct.trigger("b");
            CompletableFuture<TrainingEvent.Outcome> c = ct.trigger("c");
            CompletableFuture<TrainingEvent.Outcome> d = ct.trigger("d");
            assertThat(executor.tasks).hasSize(1);
            assertThat(executor.runAll()).isEqualTo(2);  // a, then the pending run
            assertThat(reasons).containsExactly("a", "b");
            assertThat(a.join().run()).isEqualTo(1);
            assertThat(b.join().run()).isEqualTo(2);
            assertThat(c.join().run()).isEqualTo(2);
            assertThat(d.join().run()).isEqualTo(2);
            assertThat(events.stream().filter(e -> e instanceof TrainingEvent.Triggered).map(e -> ((TrainingEvent.Triggered) e).coalesced()))
                    .containsExactly(0, 2);
            assertThat(mlops.audit().entriesFor("rain@production").stream().filter(e -> e.action().equals("training.triggered"))
                    .map(e -> e.after().get("coalesced"))).containsExactly("0", "2");
        }
    }

    @Test
    void runsNeverOverlapAndAlwaysRunOnTheExecutor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger trained = new AtomicInteger();
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (ContinuousTraining ct = ContinuousTraining.builder(mlops, "rain", "production").trainer(r -> {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    threads.add(Thread.currentThread().getName());
                    for (int i = 0; i < 1000; i++) {
                        Thread.onSpinWait();
                    }
                    inside.decrementAndGet();
                    return candidate((byte) trained.incrementAndGet());
                }).gate(gate(), this::inputs).executor(pool).build()) {
            int callers = 4;
            int perCaller = 50;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            List<CompletableFuture<TrainingEvent.Outcome>> futures = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < callers; t++) {
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int i = 0; i < perCaller; i++) {
                        futures.add(ct.trigger("burst"));
                    }
                }, "request-" + t);
                ts.add(th);
                th.start();
            }
            go.countDown();
            for (Thread th : ts) {
                th.join();
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            assertThat(maxInside).hasValue(1);
            assertThat(trained.get()).isBetween(1, callers * perCaller);
            assertThat(threads).noneMatch(n -> n.startsWith("request-"));
            // every future completed with a run that really ran, and runs are numbered without gaps
            assertThat(futures).allMatch(f -> f.join().run() <= trained.get());
            assertThat(ct.busy()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheRun() {
        try (ContinuousTraining ct = loop(r -> candidate((byte) 2)).listener(e -> {
            throw new IllegalStateException("listener bug");
        }).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            executor.runAll();
            assertThat(f.join()).isInstanceOf(TrainingEvent.Promoted.class);
            assertThat(events).hasSize(3);
        }
    }

    @Test
    void aRefusingExecutorFailsTheFutureAndLeavesTheLoopIdle() {
        executor.refuse = true;
        try (ContinuousTraining ct = loop(r -> candidate((byte) 2)).build()) {
            CompletableFuture<TrainingEvent.Outcome> f = ct.trigger("x");
            assertThat(f).isCompletedExceptionally();
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(RejectedExecutionException.class);
            assertThat(ct.busy()).isFalse();
            executor.refuse = false;
            CompletableFuture<TrainingEvent.Outcome> g = ct.trigger("y");
            executor.runAll();
            assertThat(g.join()).isInstanceOf(TrainingEvent.Promoted.class);
        }
    }

    @Test
    void closeCancelsThePendingRunAndRefusesTriggers() {
        ContinuousTraining ct = loop(r -> candidate((byte) 2)).build();
        CompletableFuture<TrainingEvent.Outcome> a = ct.trigger("a");
        CompletableFuture<TrainingEvent.Outcome> b = ct.trigger("b");
        ct.close();
        ct.close();
        assertThatThrownBy(b::join).hasCauseInstanceOf(CancellationException.class);
        executor.runAll();
        assertThat(a.join()).isInstanceOf(TrainingEvent.Promoted.class);
        assertThat(executor.tasks).isEmpty();
        assertThatThrownBy(() -> ct.trigger("c")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void oneOpenInstancePerModelAndStore() {
        ContinuousTraining first = loop(r -> candidate((byte) 2)).build();
        assertThatThrownBy(() -> loop(r -> candidate((byte) 2)).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'rain'").hasMessageContaining("already open");
        first.close();
        loop(r -> candidate((byte) 2)).build().close();
    }

    @Test
    void builderFailsFast() {
        assertThatThrownBy(() -> ContinuousTraining.builder(mlops, "Rain!", "production"))
                .isInstanceOf(dev.mlops.api.InvalidNameException.class);
        assertThatThrownBy(() -> ContinuousTraining.builder(mlops, "rain", "production").datasets("a", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ContinuousTraining.builder(mlops, "rain", "production").gate(gate(), this::inputs).executor(executor).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trainer");
        assertThatThrownBy(() -> ContinuousTraining.builder(mlops, "rain", "production").trainer(r -> null).executor(executor).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gate");
        assertThatThrownBy(() -> ContinuousTraining.builder(mlops, "rain", "production").trainer(r -> null).gate(gate(), this::inputs).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("executor");
    }

    @Test
    void signalsGoThroughThePolicy() {
        RetrainPolicy policy = RetrainPolicy.builder().onDatasetDrift().onLiveError().consecutiveSignals(2)
                .every(Duration.ofDays(30)).cooldown(Duration.ofDays(1)).clock(clock).build();
        try (ContinuousTraining ct = loop(r -> candidate((byte) (20 + r.run()))).policy(policy).build()) {
            assertThat(ct.onDriftReport(RetrainPolicyTest.drifted(T0))).isEmpty();
            Optional<CompletableFuture<TrainingEvent.Outcome>> f = ct.onDriftReport(RetrainPolicyTest.drifted(T0));
            assertThat(f).isPresent();
            executor.runAll();
            assertThat(f.get().join().trigger().kind()).isEqualTo("drift");
            // cooldown
            assertThat(ct.liveErrorState("adwin", RetrainPolicyTest.DetectorState.DRIFT)).isEmpty();
            assertThat(ct.liveErrorDrift("adwin again")).isEmpty();
            clock.advance(Duration.ofDays(1));
            assertThat(ct.liveErrorDrift("adwin third")).isPresent();
            executor.runAll();
            clock.advance(Duration.ofDays(30));
            Optional<CompletableFuture<TrainingEvent.Outcome>> s = ct.poll();
            executor.runAll();
            assertThat(s.orElseThrow().join().trigger().kind()).isEqualTo("schedule");
            assertThat(ct.trigger("by hand").getNow(null)).isNull();
            executor.runAll();
            assertThat(mlops.audit().entriesFor("rain@production").stream().filter(e -> e.action().equals("training.triggered"))
                    .map(e -> e.after().get("kind"))).containsExactly("drift", "live-error", "schedule", "manual");
        }
    }

    @Test
    void signalsWithoutAPolicyAreRefused() {
        try (ContinuousTraining ct = loop(r -> candidate((byte) 2)).build()) {
            assertThatThrownBy(() -> ct.onDriftReport(RetrainPolicyTest.drifted(T0))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("policy");
        }
    }

    @Test
    void triggerAuditKeepsTheTriggerFacts() throws Exception {
        try (ContinuousTraining ct = loop(r -> candidate((byte) 2)).build()) {
            ct.trigger(new dev.mlops.api.gate.RetrainTrigger("drift", "window 7", T0, Map.of("drifted_columns", "temp_max")));
            executor.runAll();
            AuditEntry e = mlops.audit().entriesFor("rain@production").stream()
                    .filter(a -> a.action().equals("training.triggered")).findFirst().orElseThrow();
            assertThat(e.after()).containsEntry("fact.drifted_columns", "temp_max").containsEntry("detail", "window 7");
        }
        assertThat(new String(mlops.models().openArtifact(new ModelRef.Version("rain", 2), "m.bin").readAllBytes(),
                StandardCharsets.ISO_8859_1)).hasSize(1);
    }
}
