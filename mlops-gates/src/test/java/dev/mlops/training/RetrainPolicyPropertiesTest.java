package dev.mlops.training;

import dev.mlops.api.testing.ManualTestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.gate.RetrainTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hysteresis and cooldown over random signal sequences: a trigger fires exactly when its source
 * has had N consecutive signals since the last trigger and the cooldown has passed; never two
 * non-manual triggers within the cooldown.
 */
class RetrainPolicyPropertiesTest {

    enum Step { DRIFT, CALM, LIVE_DRIFT, LIVE_NONE, MANUAL, WAIT_SHORT, WAIT_LONG }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 300)
    void triggersExactlyWhenHysteresisAndCooldownAllow(@ForAll("steps") List<Step> steps,
                                                       @ForAll @IntRange(min = 1, max = 4) int n,
                                                       @ForAll @IntRange(min = 0, max = 5) int cooldownHours) {
        ManualTestClock clock = new ManualTestClock(Instant.parse("2024-01-01T00:00:00Z"));
        Duration cooldown = Duration.ofHours(cooldownHours);
        RetrainPolicy p = RetrainPolicy.builder().onDatasetDrift().onLiveError().consecutiveSignals(n)
                .cooldown(cooldown).clock(clock).build();
        int drift = 0;
        int live = 0;
        Instant last = null;
        for (Step s : steps) {
            Optional<RetrainTrigger> t = Optional.empty();
            boolean expected = false;
            boolean coolOk = last == null || !clock.instant().isBefore(last.plus(cooldown));
            switch (s) {
                case DRIFT -> {
                    drift++;
                    expected = drift >= n && coolOk;
                    t = p.onDriftReport(RetrainPolicyTest.drifted(clock.instant()));
                }
                case CALM -> {
                    drift = 0;
                    t = p.onDriftReport(RetrainPolicyTest.calm(clock.instant()));
                }
                case LIVE_DRIFT -> {
                    live++;
                    expected = live >= n && coolOk;
                    t = p.liveErrorState("d", RetrainPolicyTest.DetectorState.DRIFT);
                }
                case LIVE_NONE -> t = p.liveErrorState("d", RetrainPolicyTest.DetectorState.NONE);
                case MANUAL -> {
                    expected = true;
                    t = Optional.of(p.manual("m"));
                }
                case WAIT_SHORT -> clock.advance(Duration.ofMinutes(30));
                case WAIT_LONG -> clock.advance(Duration.ofHours(2));
                default -> throw new AssertionError(s);
            }
            assertThat(t.isPresent()).as("step %s, drift streak %d, live streak %d, last %s, now %s", s, drift, live, last,
                    clock.instant()).isEqualTo(expected);
            if (t.isPresent()) {
                if (!t.get().kind().equals("manual") && last != null) {
                    assertThat(Duration.between(last, t.get().at())).isGreaterThanOrEqualTo(cooldown);
                }
                last = t.get().at();
                drift = 0;
                live = 0;
            }
        }
    }
}
