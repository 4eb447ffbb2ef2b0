package dev.mlops.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.AuditEntry;
import dev.mlops.api.ConflictException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.store.Store;
import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import dev.mlops.gates.PromotionPolicy;
import dev.mlops.gates.PromotionRule;
import dev.mlops.registry.fs.FileSystemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rollout state machine on the in-memory store and on the filesystem store. */
class RolloutTest {

    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    static final ModelRef.Version V1 = new ModelRef.Version("rain", 1);
    static final ModelRef.Version V2 = new ModelRef.Version("rain", 2);
    static final RolloutPolicy POLICY = new RolloutPolicy(
            List.of(new RolloutPolicy.Step(0.10, 200, Duration.ofMinutes(5)),
                    new RolloutPolicy.Step(0.50, 400, Duration.ofMinutes(5))),
            List.of(new GuardrailSpec(Guardrail.ERROR_RATE, 0.02, 0.1, 100)), 0.05);

    @TempDir
    Path dir;
    final ManualTestClock clock = new ManualTestClock(START);
    final List<AutoCloseable> open = new ArrayList<>();

    /** One "process": a store handle (a second handle on the same directory for the filesystem). */
    Store store(String kind) {
        if (kind.equals("memory")) {
            if (memory == null) {
                memory = new InMemoryStore(clock);
            }
            return new ForwardingStore(memory) {
                @Override
                public void close() {
                    // shared by the test's "processes"
                }
            };
        }
        FileSystemStore s = FileSystemStore.open(dir.resolve("store"), clock);
        open.add(s);
        return s;
    }

    InMemoryStore memory;

    Mlops mlops(Store store) {
        return Mlops.builder().store(store).clock(clock).actor("rollout-test").build();
    }

    void registerTwoVersions(Mlops mlops) {
        for (int i = 1; i <= 2; i++) {
            mlops.models().register("rain", NewModelVersion.builder()
                    .artifact(Artifact.bytes("model.bin", ("v" + i).getBytes(StandardCharsets.UTF_8))).build());
        }
        mlops.models().setAlias("rain", "production", 1);
    }

    static PromotionGate gate(Mlops mlops) {
        return PromotionGate.of(mlops, PromotionPolicy.builder("rollout-gate")
                .rule(new PromotionRule.NonInferiority("rollout_error_rate", false, 0.02)).build());
    }

    Rollout rollout(Mlops mlops, Store store, String instance, List<Double> shares) {
        return Rollout.builder(mlops, store, "rain-v2").candidate(V2).alias("production").policy(POLICY)
                .gate(gate(mlops)).instanceId(instance).onShare(shares::add).build();
    }

    /** Requests at the current share, with the given error rates; a look every 50 requests, 1 s apart. */
    static RolloutState drive(Rollout r, SplittableRandom random, double controlErrors, double candidateErrors,
                              int requests) {
        RolloutState s = r.tick();
        for (int i = 1; i <= requests && !s.status().finished(); i++) {
            boolean cand = random.nextDouble() < s.candidateShare(POLICY);
            boolean failed = random.nextDouble() < (cand ? candidateErrors : controlErrors);
            r.recorder().record(cand ? Arm.CANDIDATE : Arm.CONTROL, failed, 1_000_000);
            if (i % 50 == 0) {
                s = r.tick();
            }
        }
        return s;
    }

    List<String> actions(Mlops mlops) {
        return mlops.audit().entries(1, 10_000).stream().map(AuditEntry::action).toList();
    }

    @org.junit.jupiter.api.AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void aRegressionRollsBackAtOnceAndLeavesTheAlias(String kind) {
        Store store = store(kind);
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        List<Double> shares = new ArrayList<>();
        Rollout r = rollout(mlops, store, "web-1", shares);
        RolloutState started = r.start();
        assertThat(started.control()).isEqualTo(V1);
        assertThat(shares).containsExactly(0.10);

        RolloutState s = drive(r, new SplittableRandom(7), 0.05, 0.30, 20_000);

        assertThat(s.status()).isEqualTo(RolloutState.Status.ROLLED_BACK);
        assertThat(s.reason()).contains("error_rate");
        assertThat(s.evidence()).singleElement().satisfies(g -> {
            assertThat(g.verdict()).isEqualTo(GuardrailResult.Verdict.WORSE);
            assertThat(g.logRatioWorse()).isGreaterThanOrEqualTo(g.logThreshold());
        });
        assertThat(shares).containsExactly(0.10, 0.0);
        assertThat(mlops.models().model("rain").alias("production")).contains(1);
        AuditEntry rollback = mlops.audit().entries(1, 1000).stream().filter(e -> e.action().equals("rollout.rollback"))
                .findFirst().orElseThrow();
        assertThat(rollback.target()).isEqualTo("rain/2");
        assertThat(rollback.after()).containsKey("error_rate").containsEntry("instance", "web-1");
        // the decision is stored: a later look changes nothing
        assertThat(r.tick()).isEqualTo(s);
        assertThat(actions(mlops)).filteredOn(a -> a.startsWith("rollout.")).containsExactly("rollout.start",
                "rollout.rollback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void passingEveryStepPromotesThroughTheGate(String kind) {
        Store store = store(kind);
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        List<Double> shares = new ArrayList<>();
        Rollout r = rollout(mlops, store, "web-1", shares);
        r.start();
        SplittableRandom random = new SplittableRandom(11);
        RolloutState s = r.state();
        for (int round = 0; round < 200 && !s.status().finished(); round++) {
            s = drive(r, random, 0.05, 0.03, 1_000);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(s.status()).isEqualTo(RolloutState.Status.PROMOTED);
        assertThat(s.aliasMoved()).isTrue();
        assertThat(s.step()).isEqualTo(1);
        assertThat(mlops.models().model("rain").alias("production")).contains(2);
        assertThat(shares).containsExactly(0.10, 0.50, 0.0);
        assertThat(actions(mlops)).filteredOn(a -> a.startsWith("rollout.") || a.equals("alias.promote"))
                .containsExactly("rollout.start", "rollout.step", "rollout.promote", "alias.promote");
        assertThat(PromotionGate.recordedDecisions(mlops.models(), V2)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void aRestartedProcessResumesTheSameStepWithTheStatisticsItPublished(String kind) {
        Store store = store(kind);
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        Rollout first = rollout(mlops, store, "web-1", new ArrayList<>());
        first.start();
        SplittableRandom random = new SplittableRandom(3);
        RolloutState s = first.state();
        for (int round = 0; round < 50 && s.step() == 0; round++) {
            s = drive(first, random, 0.05, 0.05, 1_000);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(s.step()).isEqualTo(1);
        List<ArmStats> before = first.fleetStatistics();

        // a new process: another store handle, a new Mlops, the same instance id
        Store again = store(kind);
        Mlops mlops2 = mlops(again);
        List<Double> shares = new ArrayList<>();
        Rollout second = rollout(mlops2, again, "web-1", shares);
        RolloutState resumed = second.start();
        assertThat(resumed.step()).isEqualTo(1);
        assertThat(shares).containsExactly(0.50);
        second.tick();
        assertThat(second.fleetStatistics()).isEqualTo(before);
        second.recorder().record(Arm.CANDIDATE, false, 1000);
        second.tick();
        assertThat(second.fleetStatistics().get(1).requests()).isEqualTo(before.get(1).requests() + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void ofTwoInstancesLookingAtOnceExactlyOneDecides(String kind) {
        Store storeA = store(kind);
        Mlops mlopsA = mlops(storeA);
        registerTwoVersions(mlopsA);
        Rollout a = rollout(mlopsA, storeA, "web-a", new ArrayList<>());
        a.start();
        // instance b's store lets a look (and decide) between b's read of the state and b's replace
        Store plainB = store(kind);
        AtomicBoolean raceArmed = new AtomicBoolean();
        Store storeB = new ForwardingStore(plainB) {
            @Override
            public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
                if (key.name().equals("state") && raceArmed.getAndSet(false)) {
                    a.tick();
                }
                return super.replace(key, expectedRevision, content);
            }
        };
        Mlops mlopsB = mlops(storeB);
        Rollout b = rollout(mlopsB, storeB, "web-b", new ArrayList<>());
        b.start();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 6_000; i++) {
            Rollout r = i % 2 == 0 ? a : b;
            boolean cand = random.nextDouble() < 0.10;
            r.recorder().record(cand ? Arm.CANDIDATE : Arm.CONTROL, random.nextDouble() < (cand ? 0.3 : 0.05), 1000);
        }
        // each instance's statistics alone show the regression; b looks first, a decides inside b's look
        raceArmed.set(true);
        RolloutState seenByB = b.tick();
        assertThat(raceArmed).isFalse();
        assertThat(seenByB.status()).isEqualTo(RolloutState.Status.ROLLED_BACK);
        assertThat(a.state()).isEqualTo(seenByB);
        assertThat(actions(mlopsA)).filteredOn(x -> x.equals("rollout.rollback")).hasSize(1);
        assertThat(mlopsA.audit().entries(1, 1000).stream().filter(e -> e.action().equals("rollout.rollback"))
                .map(e -> e.after().get("instance"))).containsExactly("web-a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void abortStopsTheCandidateAndIsAudited(String kind) {
        Store store = store(kind);
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        List<Double> shares = new ArrayList<>();
        Rollout r = rollout(mlops, store, "web-1", shares);
        r.start();
        RolloutState s = r.abort("paged at night");
        assertThat(s.status()).isEqualTo(RolloutState.Status.ABORTED);
        assertThat(shares).containsExactly(0.10, 0.0);
        assertThat(mlops.models().model("rain").alias("production")).contains(1);
        assertThat(actions(mlops)).contains("rollout.abort");
        assertThat(r.abort("again")).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void aRolloutOfAnotherCandidateOrWithoutAnAliasIsRefused(String kind) {
        Store store = store(kind);
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        rollout(mlops, store, "web-1", new ArrayList<>()).start();
        Function<ModelRef.Version, Rollout> other = v -> Rollout.builder(mlops, store, "rain-v2").candidate(v)
                .alias("production").build();
        assertThatThrownBy(() -> other.apply(V1).start()).isInstanceOf(ConflictException.class)
                .hasMessageContaining("exists for rain/2");
        assertThatThrownBy(() -> Rollout.builder(mlops, store, "rain-v1").candidate(V1).alias("production").build()
                .start()).isInstanceOf(ConflictException.class).hasMessageContaining("already holds");
        assertThatThrownBy(() -> Rollout.builder(mlops, store, "x").alias("production").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("candidate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void anInstanceJoiningWithAnotherPolicyAppliesTheOneTheRolloutStartedWith(String kind) {
        Store store = store(kind);
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        rollout(mlops, store, "web-1", new ArrayList<>()).start();
        List<Double> shares = new ArrayList<>();
        Rollout late = Rollout.builder(mlops, store, "rain-v2").candidate(V2).alias("production")
                .policy(RolloutPolicy.defaults()).instanceId("web-2").onShare(shares::add).build();
        late.start();
        assertThat(late.policy()).isEqualTo(POLICY);
        assertThat(shares).containsExactly(0.10);
        assertThat(RolloutReport.read(store, "rain-v2").orElseThrow().policy()).isEqualTo(POLICY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "filesystem"})
    void looksAreRecordedAtMostOncePerIntervalAndEveryDecisionIsKept(String kind) {
        Store store = store(kind);
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        Rollout r = Rollout.builder(mlops, store, "rain-v2").candidate(V2).alias("production").policy(POLICY)
                .gate(gate(mlops)).instanceId("web-1").lookEvery(Duration.ofSeconds(30)).build();
        r.start();
        SplittableRandom random = new SplittableRandom(11);
        RolloutState s = r.state();
        int rounds = 0;
        for (; rounds < 200 && !s.status().finished(); rounds++) {
            s = drive(r, random, 0.05, 0.03, 1_000); // 21 ticks at one instant: at most one look recorded
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(s.status()).isEqualTo(RolloutState.Status.PROMOTED);
        RolloutReport report = RolloutReport.read(store, "rain-v2").orElseThrow();
        List<RolloutLook> looks = report.looks();
        assertThat(looks).extracting(RolloutLook::action).filteredOn(a -> a != RolloutPolicy.Action.HOLD)
                .containsExactly(RolloutPolicy.Action.ADVANCE, RolloutPolicy.Action.PROMOTE);
        // one ordinary look per minute at most (plus the decisions), none twice at one instant
        assertThat(looks.size()).isLessThanOrEqualTo(rounds + 2);
        assertThat(looks.stream().filter(l -> l.action() == RolloutPolicy.Action.HOLD).map(RolloutLook::at).distinct()
                .count()).isEqualTo(looks.stream().filter(l -> l.action() == RolloutPolicy.Action.HOLD).count());
        assertThat(looks).isSortedAccordingTo(java.util.Comparator.comparing(RolloutLook::at));
        RolloutLook advance = looks.stream().filter(l -> l.action() == RolloutPolicy.Action.ADVANCE).findFirst()
                .orElseThrow();
        assertThat(advance.step()).isZero();
        assertThat(advance.share()).isEqualTo(0.10);
        assertThat(advance.results()).singleElement().satisfies(g -> assertThat(g.lower()).isLessThan(g.upper()));
        assertThat(report.control().requests() + report.candidate().requests())
                .isEqualTo(looks.get(looks.size() - 1).controlRequests() + looks.get(looks.size() - 1).candidateRequests());
        assertThat(report.instances()).isEqualTo(1);
        assertThat(r.decisionsMade()).containsEntry("step", 1L).containsEntry("promote", 1L);
    }

    @org.junit.jupiter.api.Test
    void thinningHalvesTheOrdinaryLooksAndKeepsEveryDecisionAndTheLast() {
        List<RolloutLook> looks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            looks.add(new RolloutLook(START.plusSeconds(i), 0, 0.1, i, i,
                    i == 3 ? RolloutPolicy.Action.ADVANCE : RolloutPolicy.Action.HOLD, List.of()));
        }
        assertThat(Rollout.thinned(looks)).extracting(l -> l.at().getEpochSecond() - START.getEpochSecond())
                .containsExactly(0L, 2L, 3L, 4L, 6L, 8L, 9L);
    }

    @org.junit.jupiter.api.Test
    void aReportOfAnUnknownRolloutIsEmptyAndABadPolicyDocumentIsRefused() {
        Store store = store("memory");
        assertThat(RolloutReport.read(store, "nothing")).isEmpty();
        Mlops mlops = mlops(store);
        registerTwoVersions(mlops);
        rollout(mlops, store, "web-1", new ArrayList<>()).start();
        Document p = store.read(Rollout.policyKey("rain-v2")).orElseThrow();
        store.replace(p.key(), p.revision(), new String(p.content(), StandardCharsets.UTF_8)
                .replace("\"alpha\"", "\"alpah\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RolloutReport.read(store, "rain-v2"))
                .isInstanceOf(dev.mlops.api.ValidationException.class).hasMessageContaining("alpha");
    }
}
