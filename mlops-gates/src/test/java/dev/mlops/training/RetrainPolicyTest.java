package dev.mlops.training;

import dev.mlops.api.testing.ManualTestClock;
import dev.mlops.quality.Metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelRef;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftInputs;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.drift.Interval;
import dev.mlops.api.drift.Verdict;
import dev.mlops.api.gate.RetrainTrigger;
import dev.mlops.api.serving.LatencySnapshot;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RetrainPolicyTest {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    enum DetectorState { NONE, WARNING, DRIFT }

    enum Other { MAYBE }

    /** A report in which exactly {@code drifted} of {@code columns} drifted. */
    static DriftReport report(List<String> columns, List<String> drifted, Instant at) {
        List<ColumnDrift> cols = new ArrayList<>();
        for (String c : columns) {
            cols.add(new ColumnDrift(c, ColumnKind.NUMERICAL, "ks", 0.3, OptionalDouble.of(drifted.contains(c) ? 0.001 : 0.5),
                    OptionalDouble.empty(), 0.05, drifted.contains(c), 0, 0, 100, 28, OptionalDouble.empty(), Optional.empty(),
                    new Distribution(List.of(), List.of(), List.of(), List.of())));
        }
        double share = (double) drifted.size() / columns.size();
        return new DriftReport(at, 100, 28, cols, share, 0.5, share >= 0.5, "none",
                Optional.of(new DriftReport.Window(at, at.plusSeconds(60), 1)));
    }

    static DriftReport drifted(Instant at) {
        return report(List.of("a", "b"), List.of("a", "b"), at);
    }

    static DriftReport calm(Instant at) {
        return report(List.of("a", "b"), List.of(), at);
    }

    static ServiceMetrics metrics(ModelRef.Version v, long feedback, double meanError) {
        VersionMetrics vm = new VersionMetrics(v, 1000, 0, 0, new LatencySnapshot(0, 0, 0, 0, 0), 0, 0, 0, feedback,
                feedback == 0 ? OptionalDouble.empty() : OptionalDouble.of(meanError));
        return new ServiceMetrics("svc", List.of(vm), 0, 0, 0);
    }

    @Nested
    class Builder {
        @Test
        void needsASource() {
            assertThatThrownBy(() -> RetrainPolicy.builder().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("at least one trigger");
        }

        @Test
        void refusesBadValuesAtTheCallThatIsWrong() {
            RetrainPolicy.Builder b = RetrainPolicy.builder();
            assertThatThrownBy(() -> b.consecutiveSignals(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
            assertThatThrownBy(() -> b.cooldown(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cooldown");
            assertThatThrownBy(() -> b.every(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive");
            assertThatThrownBy(() -> b.onColumnDrift()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.onColumnDrift(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
            assertThatThrownBy(() -> b.metricFloor("agree", RetrainPolicy.ServiceMetric.shadowAgreement(1), Double.NaN))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'agree'");
            b.metricFloor("agree", RetrainPolicy.ServiceMetric.shadowAgreement(1), 0.9);
            assertThatThrownBy(() -> b.metricCeiling("agree", RetrainPolicy.ServiceMetric.meanLiveError(1), 0.9))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
            assertThatThrownBy(() -> RetrainPolicy.ServiceMetric.meanLiveError(-1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesACooldownLongerThanTheSchedule() {
            assertThatThrownBy(() -> RetrainPolicy.builder().every(Duration.ofHours(1)).cooldown(Duration.ofHours(2)).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("PT2H").hasMessageContaining("PT1H");
        }

        @Test
        void refusesSignalsItHasNoTriggerFor() {
            RetrainPolicy p = RetrainPolicy.builder().every(Duration.ofDays(1)).build();
            assertThatThrownBy(() -> p.onDriftReport(drifted(T0))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("onDatasetDrift");
            assertThatThrownBy(() -> p.liveErrorDrift("adwin")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("onLiveError");
            assertThatThrownBy(() -> p.liveErrorState("adwin", DetectorState.NONE)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Drift {
        @Test
        void hysteresisNeedsConsecutiveDriftedReports() {
            ManualTestClock clock = new ManualTestClock(T0);
            RetrainPolicy p = RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(3).clock(clock).build();
            assertThat(p.onDriftReport(drifted(T0))).isEmpty();
            assertThat(p.onDriftReport(drifted(T0))).isEmpty();
            assertThat(p.onDriftReport(calm(T0))).isEmpty();           // streak broken
            assertThat(p.onDriftReport(drifted(T0))).isEmpty();
            assertThat(p.onDriftReport(drifted(T0))).isEmpty();
            RetrainTrigger t = p.onDriftReport(drifted(T0)).orElseThrow();
            assertThat(t.kind()).isEqualTo("drift");
            assertThat(t.at()).isEqualTo(T0);
            assertThat(t.facts()).containsEntry("consecutive", "3").containsEntry("drifted_columns", "a,b")
                    .containsEntry("window", "1").containsEntry("dataset_drift", "true");
            assertThat(t.detail()).contains("3 consecutive").contains("[a, b]");
            // the trigger restarts the streak
            assertThat(p.onDriftReport(drifted(T0))).isEmpty();
        }

        @Test
        void anUncertainDatasetVerdictIsNoSignalAndSaysSo() {
            RetrainPolicy p = RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(2).build();
            assertThat(p.decide(drifted(T0)).verdict()).isEqualTo(RetrainDecision.Verdict.HYSTERESIS);
            DriftReport c = calm(T0);
            // estimated statistics straddling their thresholds: the share lies between 0 and 1
            DriftReport uncertain = new DriftReport(c.createdAt(), c.referenceRows(), c.currentRows(), c.columns(), 0.0, 0.5,
                    false, "none", c.window(), DriftInputs.none(), Verdict.UNCERTAIN, new Interval(0.0, 1.0));
            RetrainDecision d = p.decide(uncertain);
            assertThat(d.verdict()).isEqualTo(RetrainDecision.Verdict.NO_SIGNAL);
            assertThat(d.reason()).isEqualTo("dataset drift uncertain (share between 0.0 and 1.0, threshold 0.5):"
                    + " no signal, the drift streak starts over");
            assertThat(p.decide(drifted(T0)).verdict()).as("the streak started over").isEqualTo(RetrainDecision.Verdict.HYSTERESIS);
        }

        @Test
        void everyDecisionSaysWhyNoSignalHysteresisCooldownOrTrigger() {
            ManualTestClock clock = new ManualTestClock(T0);
            RetrainPolicy p = RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(2)
                    .cooldown(Duration.ofDays(10)).clock(clock).build();
            RetrainDecision calm = p.decide(calm(T0));
            assertThat(calm.verdict()).isEqualTo(RetrainDecision.Verdict.NO_SIGNAL);
            assertThat(calm.streak()).isZero();
            assertThat(calm.reason()).contains("no dataset drift (share 0.0 < 0.5)", "starts over");
            RetrainDecision first = p.decide(drifted(T0));
            assertThat(first.verdict()).isEqualTo(RetrainDecision.Verdict.HYSTERESIS);
            assertThat(first.streak()).isEqualTo(1);
            assertThat(first.needed()).isEqualTo(2);
            assertThat(first.reason()).isEqualTo("drift signal 1 of 2 needed in a row (hysteresis)");
            assertThat(first.trigger()).isEmpty();
            RetrainDecision fired = p.decide(drifted(T0));
            assertThat(fired.triggered()).isTrue();
            assertThat(fired.trigger().orElseThrow().kind()).isEqualTo("drift");
            assertThat(fired.reason()).startsWith("retrain: dataset drift");
            clock.advance(Duration.ofDays(3));
            p.decide(drifted(clock.instant()));
            RetrainDecision held = p.decide(drifted(clock.instant()));
            assertThat(held.verdict()).isEqualTo(RetrainDecision.Verdict.COOLDOWN);
            assertThat(held.streak()).isEqualTo(2);
            assertThat(held.cooldownUntil()).contains(T0.plus(Duration.ofDays(10)));
            assertThat(held.reason()).contains("in the cooldown: 10 days after the trigger at 2024-01-01T00:00:00Z,"
                    + " until 2024-01-11T00:00:00Z");
            clock.set(T0.plus(Duration.ofDays(10)));
            RetrainDecision after = p.decide(drifted(clock.instant()));
            assertThat(after.triggered()).isTrue();
            assertThat(after.trigger().orElseThrow().facts()).containsEntry("consecutive", "3");
            assertThatThrownBy(() -> new RetrainDecision("drift", RetrainDecision.Verdict.TRIGGERED, 1, 1,
                    Optional.empty(), Optional.empty(), "x")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void cooldownSuppressesButSignalsKeepCounting() {
            ManualTestClock clock = new ManualTestClock(T0);
            RetrainPolicy p = RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(2)
                    .cooldown(Duration.ofDays(1)).clock(clock).build();
            p.onDriftReport(drifted(T0));
            assertThat(p.onDriftReport(drifted(T0))).isPresent();
            clock.advance(Duration.ofHours(1));
            for (int i = 0; i < 10; i++) {
                assertThat(p.onDriftReport(drifted(clock.instant()))).as("report %d in cooldown", i).isEmpty();
            }
            clock.set(T0.plus(Duration.ofDays(1)).minusMillis(1));
            assertThat(p.onDriftReport(drifted(clock.instant()))).isEmpty();
            clock.set(T0.plus(Duration.ofDays(1)));
            // the drift persisted through the cooldown: the first report after it triggers
            assertThat(p.onDriftReport(drifted(clock.instant()))).isPresent();
            assertThat(p.lastTrigger()).contains(T0.plus(Duration.ofDays(1)));
        }

        @Test
        void namedColumnsTriggerWithoutDatasetDrift() {
            RetrainPolicy p = RetrainPolicy.builder().onColumnDrift("b").build();
            List<String> cols = List.of("a", "b", "c");
            assertThat(p.onDriftReport(report(cols, List.of("a"), T0))).isEmpty();
            DriftReport onlyB = report(cols, List.of("b"), T0);
            assertThat(onlyB.datasetDrift()).isFalse();
            RetrainTrigger t = p.onDriftReport(onlyB).orElseThrow();
            assertThat(t.detail()).contains("watched column(s) [b]");
        }

        @Test
        void datasetDriftAloneIgnoresColumnsThatAreNotWatched() {
            RetrainPolicy p = RetrainPolicy.builder().onDatasetDrift().build();
            assertThat(p.onDriftReport(report(List.of("a", "b", "c"), List.of("a"), T0))).isEmpty();
            assertThat(p.onDriftReport(report(List.of("a", "b", "c"), List.of("a", "c"), T0))).isPresent();
        }
    }

    @Nested
    class LiveError {
        @Test
        void detectorStatesCountDetectionsAndNoneDoesNotReset() {
            RetrainPolicy p = RetrainPolicy.builder().onLiveError().consecutiveSignals(2).build();
            assertThat(p.liveErrorState("adwin", DetectorState.DRIFT)).isEmpty();
            for (int i = 0; i < 50; i++) {
                assertThat(p.liveErrorState("adwin", i % 2 == 0 ? DetectorState.NONE : DetectorState.WARNING)).isEmpty();
            }
            RetrainTrigger t = p.liveErrorState("adwin", DetectorState.DRIFT).orElseThrow();
            assertThat(t.kind()).isEqualTo("live-error");
            assertThat(t.detail()).contains("adwin");
            assertThat(t.facts()).containsEntry("consecutive", "2");
        }

        @Test
        void refusesAConstantThatIsNoDetectorState() {
            RetrainPolicy p = RetrainPolicy.builder().onLiveError().build();
            assertThatThrownBy(() -> p.liveErrorState("x", Other.MAYBE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'MAYBE'").hasMessageContaining("NONE, WARNING or DRIFT");
        }

        @Test
        void plainDetectionsTrigger() {
            RetrainPolicy p = RetrainPolicy.builder().onLiveError().build();
            assertThat(p.liveErrorDrift("page-hinkley: mean error 0.1 -> 0.3").orElseThrow().detail())
                    .contains("page-hinkley");
        }
    }

    @Nested
    class Metrics {
        final ModelRef.Version v1 = new ModelRef.Version("rain", 1);

        @Test
        void ceilingOnMeanLiveErrorWithMinimumFeedback() {
            RetrainPolicy p = RetrainPolicy.builder()
                    .metricCeiling("live_error", RetrainPolicy.ServiceMetric.meanLiveError(100), 0.3)
                    .consecutiveSignals(2).build();
            assertThat(p.checkMetrics(metrics(v1, 50, 0.9), v1)).isEmpty();     // too few: not counted
            assertThat(p.checkMetrics(metrics(v1, 50, 0.9), v1)).isEmpty();
            assertThat(p.checkMetrics(metrics(v1, 100, 0.5), v1)).isEmpty();    // 1
            assertThat(p.checkMetrics(metrics(v1, 110, 0.2), v1)).isEmpty();    // within: reset
            assertThat(p.checkMetrics(metrics(v1, 120, 0.5), v1)).isEmpty();    // 1
            RetrainTrigger t = p.checkMetrics(metrics(v1, 130, 0.5), v1).orElseThrow();
            assertThat(t.kind()).isEqualTo("metric-floor");
            assertThat(t.facts()).containsEntry("metric", "live_error").containsEntry("value", "0.5")
                    .containsEntry("ceiling", "0.3").containsEntry("version", "rain/1");
        }

        @Test
        void otherVersionsDoNotCount() {
            RetrainPolicy p = RetrainPolicy.builder()
                    .metricCeiling("live_error", RetrainPolicy.ServiceMetric.meanLiveError(1), 0.3).build();
            assertThat(p.checkMetrics(metrics(v1, 100, 0.9), new ModelRef.Version("rain", 2))).isEmpty();
        }

        @Test
        void floorOnShadowAgreement() {
            RetrainPolicy p = RetrainPolicy.builder()
                    .metricFloor("shadow_agreement", RetrainPolicy.ServiceMetric.shadowAgreement(10), 0.9).build();
            VersionMetrics live = new VersionMetrics(v1, 100, 0, 0, new LatencySnapshot(0, 0, 0, 0, 0), 0, 0, 0, 0,
                    OptionalDouble.empty());
            ModelRef.Version v2 = new ModelRef.Version("rain", 2);
            VersionMetrics agreeing = new VersionMetrics(v2, 0, 0, 0, new LatencySnapshot(0, 0, 0, 0, 0), 20, 19, 0, 0,
                    OptionalDouble.empty());
            VersionMetrics disagreeing = new VersionMetrics(v2, 0, 0, 0, new LatencySnapshot(0, 0, 0, 0, 0), 20, 10, 2, 0,
                    OptionalDouble.empty());
            assertThat(p.checkMetrics(new ServiceMetrics("s", List.of(live, agreeing), 0, 0, 0), v1)).isEmpty();
            RetrainTrigger t = p.checkMetrics(new ServiceMetrics("s", List.of(live, disagreeing), 0, 0, 0), v1).orElseThrow();
            assertThat(t.facts()).containsEntry("floor", "0.9").containsEntry("value", Double.toString(10.0 / 18));
        }
    }

    @Nested
    class Schedule {
        @Test
        void firesEveryIntervalSinceTheLastTrigger() {
            ManualTestClock clock = new ManualTestClock(T0);
            RetrainPolicy p = RetrainPolicy.builder().every(Duration.ofDays(7)).onDatasetDrift().clock(clock).build();
            clock.advance(Duration.ofDays(7).minusSeconds(1));
            assertThat(p.checkSchedule()).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            RetrainTrigger t = p.checkSchedule().orElseThrow();
            assertThat(t.kind()).isEqualTo("schedule");
            assertThat(t.facts()).containsEntry("since", T0.toString());
            assertThat(p.checkSchedule()).isEmpty();
            // a drift trigger restarts the schedule
            clock.advance(Duration.ofDays(3));
            assertThat(p.onDriftReport(drifted(clock.instant()))).isPresent();
            clock.advance(Duration.ofDays(6));
            assertThat(p.checkSchedule()).isEmpty();
            clock.advance(Duration.ofDays(1));
            assertThat(p.checkSchedule()).isPresent();
        }

        @Test
        void manualTriggersBypassHysteresisAndCooldownButRestartThem() {
            ManualTestClock clock = new ManualTestClock(T0);
            RetrainPolicy p = RetrainPolicy.builder().onDatasetDrift().consecutiveSignals(1)
                    .cooldown(Duration.ofDays(1)).clock(clock).build();
            assertThat(p.onDriftReport(drifted(T0))).isPresent();
            RetrainTrigger m = p.manual("operator asked");
            assertThat(m.kind()).isEqualTo("manual");
            clock.advance(Duration.ofHours(23));
            assertThat(p.onDriftReport(drifted(clock.instant()))).isEmpty();
            p.reset();
            assertThat(p.lastTrigger()).isEmpty();
            assertThat(p.onDriftReport(drifted(clock.instant()))).isPresent();
        }
    }
}
