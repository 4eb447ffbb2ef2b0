package dev.mlops.cards;

import dev.mlops.drift.ReferenceProfile;
import dev.mlops.api.Frame;
import dev.mlops.api.AttachmentNames;
import dev.mlops.gates.PromotionGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ValidationException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Documents a model card reads: attachment names, promotion decision JSON, drift profile summary")
class CardDocumentsTest {

    static final PromotionDecision DECISION = new PromotionDecision(ModelRef.version("rain", 3), "production",
            Optional.of(ModelRef.version("rain", 2)), List.of(
            new CheckResult("min:auc", OptionalDouble.of(0.91), ">= 0.85", Verdict.PASS, ""),
            new CheckResult("improvement:auc", OptionalDouble.empty(), "candidate - champion >= 0.01 (p < 0.05)",
                    Verdict.FAIL, "champion could not be loaded: rain/2 has no artifact\nsecond line")),
            Instant.parse("2026-01-02T03:04:05.123Z"), "sha256:abc");

    @Test
    @DisplayName("attachment names: decision numbers without leading zeros; kinds with optional suffix")
    void names() {
        assertThat(AttachmentNames.decision(1)).isEqualTo("promotion-decision-1");
        assertThat(AttachmentNames.decisionNumber("promotion-decision-12")).isEqualTo(OptionalInt.of(12));
        assertThat(AttachmentNames.decisionNumber("promotion-decision-0")).isEmpty();
        assertThat(AttachmentNames.decisionNumber("promotion-decision-01")).isEmpty();
        assertThat(AttachmentNames.decisionNumber("promotion-decision-")).isEmpty();
        assertThat(AttachmentNames.decisionNumber("promotion-decision-1x")).isEmpty();
        assertThat(AttachmentNames.decisionNumber("promotion-decision-9999999999")).isEmpty();
        assertThat(AttachmentNames.decisionNumber("fairness")).isEmpty();
        assertThatThrownBy(() -> AttachmentNames.decision(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decision number must be >= 1, was 0");
        assertThat(AttachmentNames.of(AttachmentNames.FAIRNESS, "personal_status")).isEqualTo("fairness-personal_status");
        assertThatThrownBy(() -> AttachmentNames.of(AttachmentNames.FAIRNESS, "Age")).isInstanceOf(InvalidNameException.class);
        assertThat(AttachmentNames.isKind(AttachmentNames.FAIRNESS, "fairness")).isTrue();
        assertThat(AttachmentNames.isKind(AttachmentNames.FAIRNESS, "fairness-age")).isTrue();
        assertThat(AttachmentNames.isKind(AttachmentNames.FAIRNESS, "fairness-")).isFalse();
        assertThat(AttachmentNames.isKind(AttachmentNames.FAIRNESS, "fairnessx")).isFalse();
        assertThat(AttachmentNames.isKind(AttachmentNames.IMPORTANCE, "permutation-importance-r2")).isTrue();
    }

    @Test
    @DisplayName("the promotion decision document the card reads (PromotionGate's): survives JSON, absent values as null")
    void decisionRoundTrip() throws Exception {
        String json = PromotionGate.toJson(DECISION);
        assertThat(PromotionGate.decisionFromJson(json)).isEqualTo(DECISION);
        JsonNode tree = dev.mlops.json.StrictJson.readTree(json, "decision");
        assertThat(tree.get("schema_version").intValue()).isEqualTo(2);
        assertThat(tree.has("decided_at")).isTrue();
        assertThat(tree.get("kind").textValue()).isEqualTo("promotion-decision");
        assertThat(tree.get("passed").booleanValue()).isFalse();
        assertThat(tree.get("champion").textValue()).isEqualTo("rain/2");
        assertThat(tree.get("checks").get(1).get("observed").isNull()).isTrue();
        PromotionDecision first = new PromotionDecision(ModelRef.version("rain", 1), "production", Optional.empty(),
                List.of(), Instant.parse("2026-01-02T03:04:05Z"), "p");
        assertThat(dev.mlops.json.StrictJson.readTree(PromotionGate.toJson(first), "decision").get("champion").isNull()).isTrue();
        assertThat(PromotionGate.decisionFromJson(PromotionGate.toJson(first))).isEqualTo(first);
    }

    @Test
    @DisplayName("a malformed decision is refused with what was wrong (the card then lists it under Notes)")
    void decisionErrors() {
        String ok = PromotionGate.toJson(DECISION);
        assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("\"PASS\"", "\"MAYBE\"")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("promotion decision: checks[0].verdict: unknown verdict 'MAYBE'; expected PASS or FAIL");
        assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("\"rain/3\"", "\"rain@production\"")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("promotion decision: candidate: 'rain@production' is not a version; expected one such as credit/3");
        assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("2026-01-02T03:04:05.123Z", "yesterday")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("promotion decision: decided_at: not an ISO-8601 instant: 'yesterday'");
        assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("0.91", "\"high\"")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("promotion decision: checks[0].observed: expected a number, got the string 'high'");
        assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("\"promotion-decision\"", "\"fairness\"")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("expected a promotion-decision");
        assertThatThrownBy(() -> PromotionGate.decisionFromJson("[]")).isInstanceOf(ValidationException.class)
                .hasMessage("promotion decision: expected a JSON object, got an array");
    }

    @Test
    @DisplayName("drift baseline: read with mlops-drift's profile reader; counts, finite statistics, top 5 categories")
    void profile() {
        double[] t = {-1.5, 0.5, 2.0, Double.NaN, 3.0, 3.0, Double.NaN, 1.0, 4.0, 0.0};
        String[] w = {"a", "a", "a", "a", "b", "c", "d", "e", "f", "g"};
        Frame frame = Frame.ofColumns(new dev.mlops.api.Schema(List.of(new dev.mlops.api.Field("t", dev.mlops.api.FieldType.DOUBLE),
                new dev.mlops.api.Field("w", dev.mlops.api.FieldType.STRING))), List.of(t, w));
        ModelCard.DriftBaseline b = ModelCard.baselineOf(ReferenceProfile.of(frame).toJson());
        assertThat(b.rows()).isEqualTo(10);
        ModelCard.BaselineColumn tc = b.columns().get(0);
        assertThat(tc.name()).isEqualTo("t");
        assertThat(tc.kind()).isEqualTo("numerical");
        assertThat(tc.count()).isEqualTo(8);
        assertThat(tc.missing()).isEqualTo(2);
        assertThat(tc.min()).hasValue(-1.5);
        assertThat(tc.max()).hasValue(4.0);
        assertThat(tc.mean().orElseThrow()).isCloseTo(12.0 / 8, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(tc.topCategories()).isEmpty();
        ModelCard.BaselineColumn wc = b.columns().get(1);
        assertThat(wc.kind()).isEqualTo("categorical");
        assertThat(wc.count()).isEqualTo(10);
        assertThat(wc.distinct()).hasValue(7);
        assertThat(wc.topCategories()).hasSize(5);
        assertThat(wc.topCategories().get(0)).isEqualTo(new ModelCard.CategoryCount("a", 4));
        assertThat(wc.min()).isEmpty();

        assertThatThrownBy(() -> ModelCard.baselineOf("{\"rows\":1}")).isInstanceOf(dev.mlops.api.MlopsException.class);
        assertThatThrownBy(() -> ModelCard.baselineOf("[]")).isInstanceOf(dev.mlops.api.MlopsException.class);
    }
}
