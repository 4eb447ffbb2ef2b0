package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Traffic split and shadow")
class ModelServiceTrafficTest {
    private static final ModelRef.Version V1 = ModelRef.version("rain", 1);
    private static final ModelRef.Version V2 = ModelRef.version("rain", 2);

    @Test
    @DisplayName("a 10% challenger gets 10% ± 0.5% of 100,000 keyed requests, and each key always the same version")
    void stickySplit() {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).challenger(V2, 0.10).build();
            int keys = 50_000;
            Map<String, Integer> first = new HashMap<>();
            int challenger = 0;
            for (int round = 0; round < 2; round++) {
                for (int k = 0; k < keys; k++) {
                    String key = "user-" + k;
                    Prediction<Integer> p = svc.predictDetailed(key, k);
                    int v = p.servedBy().number();
                    assertThat(p.output()).isEqualTo(v);
                    assertThat(p.route()).isEqualTo(v == 2 ? Prediction.Route.CHALLENGER : Prediction.Route.PRIMARY);
                    Integer before = first.putIfAbsent(key, v);
                    if (before != null) {
                        assertThat(v).as("version for key %s", key).isEqualTo(before);
                    }
                    // the plain keyed call takes the same side
                    assertThat(svc.predict(key, k)).isEqualTo(v);
                    if (v == 2) {
                        challenger++;
                    }
                }
            }
            double share = challenger / (2.0 * keys);
            assertThat(share).isBetween(0.095, 0.105);
            ServiceMetrics m = svc.metrics();
            assertThat(m.version(V2).orElseThrow().calls()).isEqualTo(2L * challenger);
            assertThat(m.version(V1).orElseThrow().calls()).isEqualTo(4L * keys - 2L * challenger);
            svc.close();
        }
    }

    @Test
    @DisplayName("the challenger's share moves at run time, as a rollout's steps move it: monotone, sticky, checked")
    void shareMovesAtRunTime() {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).challenger(V2, 0.0).build();
            int keys = 20_000;
            java.util.Set<String> before = new java.util.HashSet<>();
            for (double share : new double[] {0.0, 0.05, 0.25, 0.5, 1.0, 0.0}) {
                svc.setChallengerShare(share);
                assertThat(svc.challengerShare()).isEqualTo(share);
                java.util.Set<String> onChallenger = new java.util.HashSet<>();
                for (int k = 0; k < keys; k++) {
                    if (svc.predict("user-" + k, k) == 2) {
                        onChallenger.add("user-" + k);
                    }
                }
                assertThat((double) onChallenger.size() / keys).as("share %s", share).isCloseTo(share,
                        org.assertj.core.data.Offset.offset(0.01));
                if (share > 0) {
                    // a key the challenger answered at a smaller share it still answers
                    assertThat(onChallenger).containsAll(before);
                }
                before = onChallenger;
            }
            assertThat(f.loaded.get()).as("no model was loaded for a share change").isEqualTo(2);
            for (double bad : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThatThrownBy(() -> svc.setChallengerShare(bad)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(String.valueOf(bad));
            }
            assertThat(svc.challengerShare()).isZero();
            svc.close();
        }
        try (ServingFixture f = new ServingFixture(1);
             ModelService<Integer, Integer> alone = f.serve(ServingFixture.production(), f.loader())
                     .pollInterval(Duration.ofDays(1)).build()) {
            assertThat(alone.challengerShare()).isZero();
            assertThatThrownBy(() -> alone.setChallengerShare(0.1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no challenger");
        }
    }

    @Test
    @DisplayName("a challenger given by alias follows its alias; keys keep their side across the swap")
    void challengerFollowsAlias() {
        try (ServingFixture f = new ServingFixture(3)) {
            f.mlops.models().setAlias("rain", "candidate", 2);
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).challenger(ModelRef.parse("rain@candidate"), 0.5).build();
            Map<String, Boolean> onChallenger = new HashMap<>();
            for (int k = 0; k < 1_000; k++) {
                onChallenger.put("k" + k, svc.predict("k" + k, k) == 2);
            }
            f.mlops.models().setAlias("rain", "candidate", 3);
            svc.refresh();
            for (int k = 0; k < 1_000; k++) {
                assertThat(svc.predict("k" + k, k)).isEqualTo(onChallenger.get("k" + k) ? 3 : 1);
            }
            assertThat(onChallenger).containsValue(true).containsValue(false);
            assertThat(svc.currentVersion()).as("the primary did not move").isEqualTo(V1);
            svc.close();
            f.assertNoMisuse();
            assertThat(f.closed.get()).isEqualTo(f.loaded.get());
        }
    }

    @Test
    @DisplayName("requests without a key split at random in the same proportion")
    void randomSplit() {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).challenger(V2, 0.25).build();
            int challenger = 0;
            for (int i = 0; i < 40_000; i++) {
                challenger += svc.predict(i) == 2 ? 1 : 0;
            }
            // sd of the share is 0.22%; 2% is 9 sd
            assertThat(challenger / 40_000.0).isBetween(0.23, 0.27);
            svc.close();
        }
    }

    @Test
    @DisplayName("the split bucket of a key is a stable 64-bit mix of its hash")
    void splitBucket() {
        assertThat(ServingService.splitBucket("user-1")).isEqualTo(ServingService.splitBucket("user-1"))
                .isBetween(0, ServingService.SPLIT_BUCKETS - 1);
        int[] counts = new int[10];
        for (int k = 0; k < 100_000; k++) {
            counts[ServingService.splitBucket("k" + k) / 1000]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
    }

    @Test
    @DisplayName("a shadow blocked on a latch never holds up 1,000 live calls; its overflow is counted as dropped")
    void blockedShadowNeverDelaysLive() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            CountDownLatch gate = new CountDownLatch(1);
            f.gates.put(2, gate);
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).shadow(V2, 1.0).shadowQueue(10).build();
            AtomicInteger answered = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread live = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000; i++) {
                        if (svc.predict(i) == 1) {
                            answered.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            live.start();
            // liveness guard only: had the live path waited for the shadow, it would never finish
            live.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(live.isAlive()).as("live calls finished while the shadow is blocked").isFalse();
            assertThat(failure.get()).isNull();
            assertThat(answered.get()).isEqualTo(1_000);
            assertThat(gate.getCount()).as("the shadow is still blocked").isEqualTo(1);
            ServiceMetrics blocked = svc.metrics();
            // at most one call inside the shadow and 10 queued
            assertThat(blocked.shadowDropped()).isBetween(989L, 990L);

            gate.countDown();
            VersionMetrics shadow = awaitShadow(svc, m -> m.shadowCalls() + blocked.shadowDropped() == 1_000);
            assertThat(shadow.shadowAgreements()).as("2 never agrees with 1").isZero();
            assertThat(shadow.shadowErrors()).isZero();
            assertThat(shadow.calls()).as("shadow calls are not live calls").isZero();
            assertThat(svc.metrics().version(V1).orElseThrow().calls()).isEqualTo(1_000);
            assertThat(svc.metrics().shadowDropped()).isEqualTo(blocked.shadowDropped());
            svc.close();
            f.assertNoMisuse();
        }
    }

    @Test
    @DisplayName("a throwing shadow never changes the live answer; its errors are counted on the shadow version")
    void throwingShadow() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            f.failPredict.add(2);
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).shadow(V2, 1.0).shadowQueue(2_000).build();
            for (int i = 0; i < 1_000; i++) {
                assertThat(svc.predict(i)).isEqualTo(1);
                assertThat(svc.predictDetailed(i).output()).isEqualTo(1);
            }
            VersionMetrics shadow = awaitShadow(svc, m -> m.shadowCalls() == 2_000);
            assertThat(shadow.shadowErrors()).isEqualTo(2_000);
            assertThat(shadow.shadowAgreementRate()).isEmpty();
            VersionMetrics live = svc.metrics().version(V1).orElseThrow();
            assertThat(live.calls()).isEqualTo(2_000);
            assertThat(live.errors()).isZero();
            svc.close();
        }
    }

    @Test
    @DisplayName("agreement uses the given comparison, mirrors the sampled fraction, and runs on a given executor")
    void agreementAndSampling() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            AtomicInteger executions = new AtomicInteger();
            Executor direct = r -> {
                executions.incrementAndGet();
                new Thread(r).start();
            };
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).shadow(V2, 0.5, (live, shadow) -> shadow == live + 1)
                    .shadowQueue(20_000).shadowExecutor(direct).build();
            for (int i = 0; i < 10_000; i++) {
                svc.predict(i);
            }
            awaitShadow(svc, m -> m.shadowCalls() > 0);
            // closing waits for shadow calls in flight and drops what is still queued: the counts are final
            svc.close();
            ServiceMetrics m = svc.metrics();
            VersionMetrics shadow = m.version(V2).orElseThrow();
            // sd of a 50% sample of 10,000 is 0.5%; 5% is 10 sd
            assertThat(shadow.shadowCalls() + m.shadowDropped()).isBetween(4_500L, 5_500L);
            assertThat(shadow.shadowCalls()).isPositive();
            assertThat(shadow.shadowAgreements()).isEqualTo(shadow.shadowCalls());
            assertThat(shadow.shadowAgreementRate()).hasValue(1.0);
            assertThat(executions.get()).isPositive();
        }
    }

    @Test
    @DisplayName("a batch is mirrored whole and compared element by element")
    void batchShadow() throws Exception {
        try (ServingFixture f = new ServingFixture(2)) {
            ModelService<Integer, Integer> svc = f.serve(ServingFixture.production(), f.loader())
                    .pollInterval(Duration.ofDays(1)).shadow(V2, 1.0, (a, b) -> true).build();
            assertThat(svc.predictAll(List.of(1, 2, 3))).containsExactly(1, 1, 1);
            VersionMetrics shadow = awaitShadow(svc, m -> m.shadowCalls() == 3);
            assertThat(shadow.shadowAgreements()).isEqualTo(3);
            svc.close();
        }
    }

    /** Waits (bounded by 30 s, a liveness guard) for the shadow version's metrics to satisfy {@code done}. */
    private static VersionMetrics awaitShadow(ModelService<Integer, Integer> svc, Predicate<VersionMetrics> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            VersionMetrics m = svc.metrics().version(V2).orElseThrow();
            if (done.test(m)) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("shadow metrics never got there: " + m + " dropped " + svc.metrics().shadowDropped());
            }
            Thread.sleep(2);
        }
    }
}
