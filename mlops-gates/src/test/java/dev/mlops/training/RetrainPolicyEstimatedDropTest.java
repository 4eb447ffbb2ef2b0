package dev.mlops.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.estimation.EstimatedMetric;
import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.gate.RetrainTrigger;
import dev.mlops.api.testing.ManualTestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** {@link RetrainPolicy} on performance windows: an estimated drop below the reference's threshold is a signal. */
class RetrainPolicyEstimatedDropTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static PerformanceWindow window(long seq, double auc, double f1) {
        return new PerformanceWindow(seq, T0.plusSeconds(60 * (seq - 1)), T0.plusSeconds(60 * seq), 5000, 0, List.of(
                metric("roc_auc", auc, 0.9633), metric("f1", f1, 0.92)));
    }

    static EstimatedMetric metric(String name, double estimate, double lower) {
        return new EstimatedMetric(name, estimate, 0.0018, 0, OptionalDouble.of(lower), OptionalDouble.of(0.98),
                estimate < lower || estimate > 0.98, OptionalDouble.empty(), 0);
    }

    @Test
    void aDropBelowTheThresholdTriggersAfterTheStreakWithTheEvidence() {
        ManualTestClock clock = new ManualTestClock(T0);
        RetrainPolicy policy = RetrainPolicy.builder().onEstimatedDrop("roc_auc").consecutiveSignals(2)
                .cooldown(Duration.ofDays(1)).clock(clock).build();
        RetrainDecision d1 = policy.decide(window(1, 0.9707, 0.95));
        assertThat(d1.verdict()).isEqualTo(RetrainDecision.Verdict.NO_SIGNAL);
        assertThat(d1.source()).isEqualTo(RetrainPolicy.ESTIMATED_DROP);
        assertThat(d1.reason()).isEqualTo("no estimated drop in window 1: roc_auc 0.9707 >= 0.9633; no signal,"
                + " the estimate streak starts over");
        // f1 is below its threshold, but the policy watches roc_auc only
        assertThat(policy.decide(window(2, 0.9700, 0.80)).verdict()).isEqualTo(RetrainDecision.Verdict.NO_SIGNAL);
        RetrainDecision d3 = policy.decide(window(3, 0.9611, 0.95));
        assertThat(d3.verdict()).isEqualTo(RetrainDecision.Verdict.HYSTERESIS);
        assertThat(d3.streak()).isEqualTo(1);
        RetrainDecision d4 = policy.decide(window(4, 0.9618, 0.95));
        assertThat(d4.verdict()).isEqualTo(RetrainDecision.Verdict.TRIGGERED);
        RetrainTrigger t = d4.trigger().orElseThrow();
        assertThat(t.kind()).isEqualTo("estimated-drop");
        assertThat(t.detail()).isEqualTo("estimated drop in window 4: roc_auc estimated 0.9618 < threshold 0.9633"
                + " (sampling error 0.0018); 2 consecutive window(s)");
        assertThat(t.facts()).containsEntry("window", "4").containsEntry("roc_auc.estimate", "0.9618")
                .containsEntry("roc_auc.lower_threshold", "0.9633").containsEntry("roc_auc.sampling_error", "0.0018")
                .containsEntry("dropped_metrics", "roc_auc").containsEntry("rows", "5000")
                .containsEntry("consecutive", "2").containsEntry("window_end", "2026-01-01T00:04:00Z");
        // within the cooldown the signals count but do not fire
        policy.decide(window(5, 0.9610, 0.95));
        RetrainDecision d6 = policy.decide(window(6, 0.9610, 0.95));
        assertThat(d6.verdict()).isEqualTo(RetrainDecision.Verdict.COOLDOWN);
        clock.advance(Duration.ofDays(1));
        assertThat(policy.onPerformanceWindow(window(7, 0.9610, 0.95))).isPresent();
    }

    @Test
    void anyWatchedMetricMayDrop() {
        RetrainPolicy policy = RetrainPolicy.builder().onEstimatedDrop("roc_auc", "f1").build();
        RetrainDecision d = policy.decide(window(1, 0.97, 0.80));
        assertThat(d.triggered()).isTrue();
        assertThat(d.trigger().orElseThrow().facts()).containsEntry("dropped_metrics", "f1")
                .doesNotContainKey("roc_auc.estimate");
        // above the upper threshold is an alert, but not a drop
        assertThat(policy.decide(window(2, 0.99, 0.95)).verdict()).isEqualTo(RetrainDecision.Verdict.NO_SIGNAL);
    }

    @Test
    void refusesWhatItCannotJudge() {
        assertThatThrownBy(() -> RetrainPolicy.builder().onDatasetDrift().build().decide(window(1, 0.9, 0.9)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no estimated-drop trigger: build it with onEstimatedDrop(...)");
        RetrainPolicy policy = RetrainPolicy.builder().onEstimatedDrop("accuracy").build();
        assertThatThrownBy(() -> policy.decide(window(3, 0.9, 0.9))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window 3 has no metric 'accuracy'; it estimates [roc_auc, f1]");
        assertThatThrownBy(() -> RetrainPolicy.builder().onEstimatedDrop()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrainPolicy.builder().onEstimatedDrop(" ")).hasMessage("metric name must not be blank");
        assertThat(RetrainPolicy.builder().onEstimatedDrop("roc_auc").build().toString())
                .contains("estimated-drop[roc_auc]");
    }
}
