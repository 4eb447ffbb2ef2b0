package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.AuditEntry;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
    private final GateFixture fx = new GateFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static CheckResult check(PromotionDecision d, String name) {
        return d.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + d.checks()));
    }

    @Nested
    @DisplayName("promote")
    class Promote {
        @Test
        @DisplayName("moves the alias when every check passes, recording the decision and linking the move to it")
        void promotes() {
            ModelVersion v1 = fx.register("credit", Map.of("roc_auc", 0.75));
            fx.mlops.models().setAlias("credit", "production", 1);
            ModelVersion v2 = fx.register("credit", Map.of("roc_auc", 0.80));
            PromotionGate gate = PromotionGate.of(fx.mlops, PromotionPolicy.builder("p").minimum("roc_auc", 0.7)
                    .relative("roc_auc", true, 0.01, Double.NaN).build());

            PromotionGate.Promotion p = gate.promote(v2.ref(), "production", PromotionGate.inputs().registeredMetrics().build());

            assertThat(p.promoted()).isTrue();
            assertThat(p.decision().champion()).contains(v1.ref());
            assertThat(p.recordedAs()).contains("promotion-decision-1");
            assertThat(fx.alias("credit", "production")).contains(2);
            String stored = new String(fx.mlops.models().attachment(v2.ref(), "promotion-decision-1"), StandardCharsets.UTF_8);
            assertThat(PromotionGate.decisionFromJson(stored)).isEqualTo(p.decision());
            AuditEntry move = fx.mlops.audit().entriesFor("credit@production").get(1);
            assertThat(move.action()).isEqualTo("alias.promote");
            assertThat(move.before()).containsEntry("version", "1");
            assertThat(move.after()).containsEntry("version", "2").containsEntry("decision", "promotion-decision-1")
                    .containsEntry("decision_sha256", dev.mlops.api.store.Digests.sha256Hex(
                            stored.getBytes(StandardCharsets.UTF_8)));
            assertThat(fx.mlops.models().rollback("credit", "production").version()).isEqualTo(1);
            assertThat(fx.mlops.verify(false).problems()).isEmpty();
        }

        @Test
        @DisplayName("refuses, leaves the alias alone, and records the refusal with its failed checks")
        void refuses() {
            fx.register("credit", Map.of("roc_auc", 0.75));
            fx.mlops.models().setAlias("credit", "production", 1);
            ModelVersion v2 = fx.register("credit", Map.of("roc_auc", 0.755));
            PromotionGate gate = PromotionGate.of(fx.mlops, PromotionPolicy.builder("p")
                    .relative("roc_auc", true, 0.01, Double.NaN).build());

            PromotionGate.Promotion p = gate.promote(v2.ref(), "production", PromotionGate.inputs().registeredMetrics().build());

            assertThat(p.promoted()).isFalse();
            assertThat(fx.alias("credit", "production")).contains(1);
            CheckResult c = check(p.decision(), "improvement:roc_auc");
            assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(c.observed().getAsDouble()).isCloseTo(0.005, org.assertj.core.data.Offset.offset(1e-12));
            List<AuditEntry> forVersion = fx.mlops.audit().entriesFor("credit/2");
            AuditEntry refused = forVersion.get(forVersion.size() - 1);
            assertThat(refused.action()).isEqualTo("promotion.refused");
            assertThat(refused.after()).containsEntry("failed", "improvement:roc_auc")
                    .containsEntry("decision", "promotion-decision-1").containsEntry("alias", "production");
            assertThat(PromotionGate.recordedDecisions(fx.mlops.models(), v2.ref())).containsOnlyKeys("promotion-decision-1");
        }
    }
}
