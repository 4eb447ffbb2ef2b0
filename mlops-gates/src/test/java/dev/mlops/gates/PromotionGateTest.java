package dev.mlops.gates;

import dev.mlops.quality.DataValidation;
import dev.mlops.quality.Metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.AuditEntry;
import dev.mlops.api.ConflictException;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.LatencyMeasurement;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import dev.mlops.api.Digests;
import dev.mlops.core.VerifyOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
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

    static CheckResult check(PromotionDecision d, String name) {
        return d.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + d.checks()));
    }

    private PromotionDecision evaluate(PromotionPolicy policy, ModelRef.Version candidate, PromotionGate.Inputs in) {
        return PromotionGate.of(fx.mlops, policy).evaluate(candidate, "production", in);
    }

    private static PromotionGate.Inputs metrics(Map<String, Double> candidate, Map<String, Double> champion) {
        return PromotionGate.inputs().candidateMetrics(candidate).championMetrics(champion).build();
    }

    /** Registers v1 (the champion, holding production) and v2 (the candidate). */
    private ModelVersion championAndCandidate() {
        fx.register("credit", Map.of());
        fx.mlops.models().setAlias("credit", "production", 1);
        return fx.register("credit", Map.of());
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
                    .improvement("roc_auc", true, 0.01).build());

            PromotionGate.Promotion p = gate.promote(v2.ref(), "production", PromotionGate.inputs().registeredMetrics().build());

            assertThat(p.promoted()).isTrue();
            assertThat(p.decision().champion()).contains(v1.ref());
            assertThat(p.decision().decidedAt()).isEqualTo(GateFixture.NOW);
            assertThat(p.decision().policy()).startsWith("p@sha256:");
            assertThat(p.recordedAs()).contains("promotion-decision-1");
            assertThat(fx.alias("credit", "production")).contains(2);
            String stored = new String(fx.mlops.models().attachment(v2.ref(), "promotion-decision-1"), StandardCharsets.UTF_8);
            assertThat(PromotionGate.decisionFromJson(stored)).isEqualTo(p.decision());
            AuditEntry move = fx.mlops.audit().entriesFor("credit@production").get(1);
            assertThat(move.action()).isEqualTo("alias.promote");
            assertThat(move.actor()).isEqualTo("gatekeeper");
            assertThat(move.before()).containsEntry("version", "1");
            assertThat(move.after()).containsEntry("version", "2").containsEntry("candidate", "credit/2")
                    .containsEntry("decision", "promotion-decision-1")
                    .containsEntry("decision_sha256", Digests.sha256Hex(stored.getBytes(StandardCharsets.UTF_8)));
            assertThat(fx.mlops.models().aliasHistory("credit", "production")).hasSize(2);
            // rollback stays the registry's, audited
            assertThat(fx.mlops.models().rollback("credit", "production").number()).isEqualTo(1);
            assertThat(fx.actions()).endsWith("version.attach", "alias.promote", "alias.rollback");
            assertThat(fx.mlops.verify(VerifyOptions.check()).problems()).isEmpty();
        }

        @Test
        @DisplayName("refuses, leaves the alias alone, and records the refusal with its failed checks")
        void refuses() {
            fx.register("credit", Map.of("roc_auc", 0.75));
            fx.mlops.models().setAlias("credit", "production", 1);
            ModelVersion v2 = fx.register("credit", Map.of("roc_auc", 0.755));
            PromotionGate gate = PromotionGate.of(fx.mlops, PromotionPolicy.builder("p")
                    .improvement("roc_auc", true, 0.01).build());

            PromotionGate.Promotion p = gate.promote(v2.ref(), "production", PromotionGate.inputs().registeredMetrics().build());

            assertThat(p.promoted()).isFalse();
            assertThat(fx.alias("credit", "production")).contains(1);
            CheckResult c = check(p.decision(), "improvement:roc_auc");
            assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(c.observed().getAsDouble()).isCloseTo(0.005, within(1e-12));
            List<AuditEntry> forVersion = fx.mlops.audit().entriesFor("credit/2");
            AuditEntry refused = forVersion.get(forVersion.size() - 1);
            assertThat(refused.action()).isEqualTo("promotion.refused");
            assertThat(refused.before()).containsEntry("champion", "credit/1");
            assertThat(refused.after()).containsEntry("failed", "improvement:roc_auc")
                    .containsEntry("decision", "promotion-decision-1").containsEntry("alias", "production");
            // a second try is a second decision, numbered on
            assertThat(gate.promote(v2.ref(), "production", PromotionGate.inputs().registeredMetrics().build()).recordedAs())
                    .contains("promotion-decision-2");
            assertThat(PromotionGate.recordedDecisions(fx.mlops.models(), v2.ref()))
                    .containsOnlyKeys("promotion-decision-1", "promotion-decision-2");
            assertThat(fx.mlops.models().aliasHistory("credit", "production")).hasSize(1);
        }

        @Test
        @DisplayName("a first version is promoted when the relative checks are skipped for want of a champion")
        void firstVersion() {
            ModelVersion v1 = fx.register("credit", Map.of("roc_auc", 0.8));
            PromotionGate.Promotion p = PromotionGate.of(fx.mlops, PromotionPolicy.builder("p").minimum("roc_auc", 0.7)
                    .improvement("roc_auc", true, 0.01).relativeImprovement("roc_auc", true, 0.05).build())
                    .promote(v1.ref(), "production", PromotionGate.inputs().registeredMetrics().build());
            assertThat(p.promoted()).isTrue();
            assertThat(p.decision().champion()).isEmpty();
            AuditEntry move = fx.mlops.audit().entriesFor("credit@production").get(0);
            assertThat(move.before()).isEmpty();
            assertThat(move.after()).containsEntry("version", "1");
        }

        @Test
        @DisplayName("if the alias moves between the decision and the move, nothing moves: the decision stays recorded")
        void aliasMovedMeanwhile() {
            ModelVersion candidate = championAndCandidate();
            fx.register("credit", Map.of());
            // the candidate's evaluation runs while another deployer moves the alias to credit/3
            FrameEvaluator<ClassificationData> sneaky = f -> {
                fx.mlops.models().setAlias("credit", "production", 3);
                return ClassificationData.ofLabels(f.strings("label"), f.strings("label"));
            };
            PromotionGate gate = PromotionGate.of(fx.mlops, PromotionPolicy.builder("p").minimum("accuracy", 0.5).build());
            PromotionGate.Inputs in = PromotionGate.inputs().frame(labeled(List.of("a", "b", "a")))
                    .classifier(v -> v.number() == 2 ? sneaky : f -> ClassificationData.ofLabels(f.strings("label"),
                            f.strings("label")))
                    .build();
            assertThatThrownBy(() -> gate.promote(candidate.ref(), "production", in))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("moved since the promotion decision")
                    .hasMessageContaining("was 1 and is now 3");
            assertThat(fx.alias("credit", "production")).contains(3);
            assertThat(PromotionGate.recordedDecisions(fx.mlops.models(), candidate.ref()).values())
                    .singleElement().satisfies(d -> assertThat(d.passed()).isTrue());
            assertThat(fx.actions()).doesNotContain("alias.promote");
        }

        @Test
        @DisplayName("an unknown candidate is refused with a check naming it, audited, and nothing is attached")
        void unknownCandidate() {
            fx.register("credit", Map.of("roc_auc", 0.9));
            PromotionGate.Promotion p = PromotionGate.of(fx.mlops, PromotionPolicy.builder("p").minimum("roc_auc", 0.7)
                    .build()).promote(new ModelRef.Version("credit", 7), "production",
                    PromotionGate.inputs().registeredMetrics().build());
            assertThat(p.promoted()).isFalse();
            assertThat(p.recordedAs()).isEmpty();
            assertThat(check(p.decision(), "candidate").detail()).contains("credit/7");
            assertThat(check(p.decision(), "min:roc_auc").passed()).isFalse();
            assertThat(fx.mlops.audit().entriesFor("credit/7")).singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo("promotion.refused"));
        }

        @Test
        @DisplayName("a policy without rules never promotes")
        void emptyPolicy() {
            ModelVersion v = fx.register("credit", Map.of());
            PromotionGate.Promotion p = PromotionGate.of(fx.mlops, PromotionPolicy.builder("nothing").build())
                    .promote(v.ref(), "production", PromotionGate.inputs().build());
            assertThat(p.promoted()).isFalse();
            assertThat(p.decision().checks()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("policy");
                assertThat(c.detail()).contains("no rules");
            });
            assertThat(fx.alias("credit", "production")).isEmpty();
        }
    }

    @Nested
    @DisplayName("absolute thresholds")
    class Absolute {
        private final PromotionPolicy policy = PromotionPolicy.builder("p").minimum("roc_auc", 0.8)
                .maximum("log_loss", 0.5).build();

        @Test
        @DisplayName("min and max are inclusive, with the observed value and the bound in words")
        void bounds() {
            ModelVersion v = fx.register("credit", Map.of());
            PromotionDecision d = evaluate(policy, v.ref(), PromotionGate.inputs()
                    .candidateMetrics(Map.of("roc_auc", 0.8, "log_loss", 0.5)).build());
            assertThat(d.passed()).isTrue();
            assertThat(check(d, "min:roc_auc").required()).isEqualTo(">= 0.8");
            assertThat(check(d, "max:log_loss").observed()).hasValue(0.5);
            d = evaluate(policy, v.ref(), PromotionGate.inputs().candidateMetrics(Map.of("roc_auc", 0.79, "log_loss", 0.51))
                    .build());
            assertThat(d.failures()).extracting(CheckResult::name).containsExactly("min:roc_auc", "max:log_loss");
        }

        @Test
        @DisplayName("a missing or NaN metric fails, naming what there is")
        void missing() {
            ModelVersion v = fx.register("credit", Map.of());
            PromotionDecision d = evaluate(policy, v.ref(), PromotionGate.inputs()
                    .candidateMetrics(Map.of("accuracy", 0.9, "log_loss", Double.NaN)).build());
            assertThat(check(d, "min:roc_auc").detail()).isEqualTo("candidate has no metric 'roc_auc'; it has [accuracy, log_loss]");
            assertThat(check(d, "max:log_loss").detail()).contains("is NaN, not a finite number");
            assertThat(d.passed()).isFalse();
            d = evaluate(policy, v.ref(), PromotionGate.inputs().build());
            assertThat(check(d, "min:roc_auc").detail()).startsWith("no metric values for the candidate");
        }

        @Test
        @DisplayName("metrics come from evaluation data when given, computed as Metrics.report")
        void fromData() {
            ModelVersion v = fx.register("credit", Map.of());
            ClassificationData lr = CreditModels.logistic().evaluate(CreditModels.frame());
            PromotionDecision d = evaluate(PromotionPolicy.builder("p").minimum("accuracy", 0.7).maximum("log_loss", 0.6)
                    .build(), v.ref(), PromotionGate.inputs().classification(lr).build());
            assertThat(check(d, "min:accuracy").observed()).hasValue(Metrics.ACCURACY.compute(lr));
            assertThat(check(d, "max:log_loss").observed()).hasValue(Metrics.LOG_LOSS.compute(lr));
            assertThat(d.passed()).isTrue();
        }
    }

    @Nested
    @DisplayName("thresholds relative to the champion (MLflow's MetricThreshold)")
    class Relative {
        @Test
        @DisplayName("greater is better: candidate >= champion + min_absolute_change and relative change >= min_relative_change")
        void greaterIsBetter() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").improvement("roc_auc", true, 0.02).relativeImprovement("roc_auc", true, 0.05).build();
            PromotionDecision d = evaluate(p, v.ref(), metrics(Map.of("roc_auc", 0.84), Map.of("roc_auc", 0.80)));
            assertThat(check(d, "improvement:roc_auc").passed()).isTrue();
            assertThat(check(d, "improvement:roc_auc").observed().getAsDouble()).isCloseTo(0.04, within(1e-12));
            assertThat(check(d, "improvement:roc_auc").required()).isEqualTo("improvement >= 0.02");
            assertThat(check(d, "relative_improvement:roc_auc").observed().getAsDouble()).isCloseTo(0.05, within(1e-12));
            assertThat(d.champion()).contains(new ModelRef.Version("credit", 1));

            d = evaluate(p, v.ref(), metrics(Map.of("roc_auc", 0.83), Map.of("roc_auc", 0.80)));
            assertThat(check(d, "improvement:roc_auc").passed()).isTrue();
            assertThat(check(d, "relative_improvement:roc_auc").passed()).isFalse(); // 0.0375 < 0.05
            assertThat(check(d, "relative_improvement:roc_auc").detail())
                    .isEqualTo("roc_auc: candidate 0.83, champion 0.8 (greater is better); relative improvement 0.0375");
        }

        @Test
        @DisplayName("smaller is better: candidate <= champion - min_absolute_change; relative change (champion - candidate) / champion")
        void smallerIsBetter() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").improvement("log_loss", false, 0.05).relativeImprovement("log_loss", false, 0.25).build();
            PromotionDecision d = evaluate(p, v.ref(), metrics(Map.of("log_loss", 0.40), Map.of("log_loss", 0.50)));
            assertThat(check(d, "improvement:log_loss").passed()).isTrue();
            assertThat(check(d, "improvement:log_loss").required()).isEqualTo("improvement >= 0.05");
            assertThat(check(d, "relative_improvement:log_loss").observed().getAsDouble()).isCloseTo(0.2, within(1e-12));
            assertThat(check(d, "relative_improvement:log_loss").passed()).isFalse();
            d = evaluate(p, v.ref(), metrics(Map.of("log_loss", 0.46), Map.of("log_loss", 0.50)));
            assertThat(check(d, "improvement:log_loss").passed()).isFalse();
        }

        @Test
        @DisplayName("the absolute bound is computed first and compared, as MLflow: 0.80 + 0.05 exceeds 0.85 in binary floating point")
        void floatingPointAsMlflow() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").improvement("roc_auc", true, 0.05).build();
            CheckResult refused = check(evaluate(p, v.ref(), metrics(Map.of("roc_auc", 0.85), Map.of("roc_auc", 0.80))),
                    "improvement:roc_auc");
            assertThat(refused.passed()).isFalse();
            // four significant digits would print the change as 0.05 beside "improvement >= 0.05":
            // the detail prints as many digits as it takes to tell the two apart
            assertThat(refused.required()).isEqualTo("improvement >= 0.05");
            assertThat(refused.detail()).endsWith("improvement 0.0499999999999999");
            // otherwise four significant digits
            assertThat(check(evaluate(p, v.ref(), metrics(Map.of("roc_auc", 0.9), Map.of("roc_auc", 0.80))),
                    "improvement:roc_auc").detail()).isEqualTo("roc_auc: candidate 0.9, champion 0.8 (greater is better); improvement 0.1");
            assertThat(check(evaluate(p, v.ref(), metrics(Map.of("roc_auc", 0.8500001), Map.of("roc_auc", 0.80))),
                    "improvement:roc_auc").passed()).isTrue();
        }

        @Test
        @DisplayName("a champion value of 0 makes the relative check 'better by 1e-10', as MLflow's fallback")
        void zeroChampion() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").relativeImprovement("r2", true, 0.1).build();
            CheckResult c = check(evaluate(p, v.ref(), metrics(Map.of("r2", 1e-9), Map.of("r2", 0.0))),
                    "relative_improvement:r2");
            assertThat(c.passed()).isTrue();
            assertThat(c.observed()).isEmpty();
            assertThat(c.detail()).contains("the champion's value is 0");
            assertThat(check(evaluate(p, v.ref(), metrics(Map.of("r2", 0.0), Map.of("r2", 0.0))), "relative_improvement:r2")
                    .passed()).isFalse();
        }

        @Test
        @DisplayName("a negative champion value divides by its magnitude, so improving still counts as improving")
        void negativeChampion() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").relativeImprovement("r2", true, 0.1).build();
            CheckResult c = check(evaluate(p, v.ref(), metrics(Map.of("r2", -0.4), Map.of("r2", -0.5))),
                    "relative_improvement:r2");
            assertThat(c.observed().getAsDouble()).isCloseTo(0.2, within(1e-12));
            assertThat(c.passed()).isTrue();
        }

        @Test
        @DisplayName("without a champion the comparisons are skipped and pass, saying so; requireChampion refuses instead")
        void noChampion() {
            ModelVersion v = fx.register("credit", Map.of());
            PromotionPolicy.Builder b = PromotionPolicy.builder("p").improvement("roc_auc", true, 0.01).relativeImprovement("roc_auc", true, 0.01).mcnemar(0.05);
            PromotionGate.Inputs in = PromotionGate.inputs().candidateMetrics(Map.of("roc_auc", 0.9)).build();
            PromotionDecision d = evaluate(b.build(), v.ref(), in);
            assertThat(d.passed()).isTrue();
            assertThat(d.champion()).isEmpty();
            assertThat(d.checks()).extracting(CheckResult::name)
                    .containsExactly("improvement:roc_auc", "relative_improvement:roc_auc", "mcnemar:accuracy");
            assertThat(d.checks()).allSatisfy(c -> {
                assertThat(c.verdict()).isEqualTo(Verdict.PASS);
                assertThat(c.observed()).isEmpty();
                assertThat(c.detail()).isEqualTo("no version holds alias credit@production: comparison skipped"
                        + " (no baseline, as MLflow skips it); set requireChampion to refuse instead");
            });
            d = evaluate(b.requireChampion(true).build(), v.ref(), in);
            assertThat(d.passed()).isFalse();
            assertThat(d.failures()).hasSize(3).allSatisfy(c -> assertThat(c.detail())
                    .contains("the policy requires a champion to compare with"));
        }

        @Test
        @DisplayName("a champion without the metric fails the comparison")
        void championLacksMetric() {
            ModelVersion v = championAndCandidate();
            CheckResult c = check(evaluate(PromotionPolicy.builder("p").improvement("roc_auc", true, 0.01)
                    .build(), v.ref(), metrics(Map.of("roc_auc", 0.9), Map.of("accuracy", 0.7))), "improvement:roc_auc");
            assertThat(c.passed()).isFalse();
            assertThat(c.detail()).isEqualTo("champion credit/1 has no metric 'roc_auc'; it has [accuracy]");
        }
    }

    @Nested
    @DisplayName("non-inferiority margins")
    class NonInferiority {
        @Test
        @DisplayName("smaller is better: candidate <= champion + margin passes exactly at the margin and fails just beyond")
        void smallerIsBetter() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").nonInferiority("mae", false, 0.25)
                    .improvement("mae", false, 0.0).build();
            PromotionDecision d = evaluate(p, v.ref(), metrics(Map.of("mae", 2.25), Map.of("mae", 2.0)));
            CheckResult c = check(d, "non_inferiority:mae");
            assertThat(c.passed()).isTrue();
            assertThat(c.observed()).hasValue(-0.25);
            assertThat(c.required()).isEqualTo("change >= -0.25");
            assertThat(c.detail()).isEqualTo("mae: candidate 2.25, champion 2 (smaller is better); change -0.25;"
                    + " a loss of up to 0.25 is tolerated");
            // the same candidate is refused by "not worse" (an improvement of at least 0)
            assertThat(check(d, "improvement:mae").passed()).isFalse();

            c = check(evaluate(p, v.ref(), metrics(Map.of("mae", Math.nextUp(2.25)), Map.of("mae", 2.0))),
                    "non_inferiority:mae");
            assertThat(c.passed()).isFalse();
            assertThat(c.observed().getAsDouble()).isLessThan(-0.25);
            // a better candidate passes with a positive change
            assertThat(check(evaluate(p, v.ref(), metrics(Map.of("mae", 1.5), Map.of("mae", 2.0))), "non_inferiority:mae")
                    .observed()).hasValue(0.5);
        }

        @Test
        @DisplayName("greater is better: candidate >= champion - margin, the bound computed first as for improvement")
        void greaterIsBetter() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").nonInferiority("accuracy", true, 0.125).build();
            CheckResult c = check(evaluate(p, v.ref(), metrics(Map.of("accuracy", 0.625), Map.of("accuracy", 0.75))),
                    "non_inferiority:accuracy");
            assertThat(c.passed()).isTrue();
            assertThat(c.observed()).hasValue(-0.125);
            assertThat(c.required()).isEqualTo("change >= -0.125");
            assertThat(check(evaluate(p, v.ref(), metrics(Map.of("accuracy", Math.nextDown(0.625)),
                    Map.of("accuracy", 0.75))), "non_inferiority:accuracy").passed()).isFalse();
            // decimal margins: 0.80 - 0.05 is 0.75 in binary, so 0.75 is at the margin
            PromotionPolicy decimal = PromotionPolicy.builder("p").nonInferiority("accuracy", true, 0.05).build();
            assertThat(check(evaluate(decimal, v.ref(), metrics(Map.of("accuracy", 0.75), Map.of("accuracy", 0.80))),
                    "non_inferiority:accuracy").passed()).isTrue();
            assertThat(check(evaluate(decimal, v.ref(), metrics(Map.of("accuracy", 0.7499999), Map.of("accuracy", 0.80))),
                    "non_inferiority:accuracy").passed()).isFalse();
        }

        @Test
        @DisplayName("a margin of 0 means 'not worse': a tie passes")
        void zeroMargin() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").nonInferiority("mae", false, 0.0)
                    .relativeNonInferiority("accuracy", true, 0.0).build();
            PromotionDecision d = evaluate(p, v.ref(), metrics(Map.of("mae", 2.0, "accuracy", 0.7),
                    Map.of("mae", 2.0, "accuracy", 0.7)));
            assertThat(d.passed()).isTrue();
            assertThat(check(d, "non_inferiority:mae").required()).isEqualTo("change >= 0");
            assertThat(check(d, "relative_non_inferiority:accuracy").required())
                    .isEqualTo("relative change >= 0");
            d = evaluate(p, v.ref(), metrics(Map.of("mae", Math.nextUp(2.0), "accuracy", Math.nextDown(0.7)),
                    Map.of("mae", 2.0, "accuracy", 0.7)));
            assertThat(d.failures()).extracting(CheckResult::name)
                    .containsExactly("non_inferiority:mae", "relative_non_inferiority:accuracy");
        }

        @Test
        @DisplayName("relative: oriented change / |champion| >= -margin, in both directions")
        void relative() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").relativeNonInferiority("mae", false, 0.125)
                    .relativeNonInferiority("accuracy", true, 0.25).build();
            PromotionDecision d = evaluate(p, v.ref(), metrics(Map.of("mae", 2.25, "accuracy", 0.375),
                    Map.of("mae", 2.0, "accuracy", 0.5)));
            assertThat(d.passed()).isTrue();
            CheckResult mae = check(d, "relative_non_inferiority:mae");
            assertThat(mae.observed()).hasValue(-0.125);
            assertThat(mae.required()).isEqualTo("relative change >= -0.125");
            assertThat(mae.detail()).isEqualTo("mae: candidate 2.25, champion 2 (smaller is better); relative change"
                    + " -0.125; a loss of up to 0.125 of |champion| is tolerated");
            assertThat(check(d, "relative_non_inferiority:accuracy").observed()).hasValue(-0.25);
            d = evaluate(p, v.ref(), metrics(Map.of("mae", Math.nextUp(2.25), "accuracy", Math.nextDown(0.375)),
                    Map.of("mae", 2.0, "accuracy", 0.5)));
            assertThat(d.failures()).extracting(CheckResult::name)
                    .containsExactly("relative_non_inferiority:mae", "relative_non_inferiority:accuracy");
            // a negative champion divides by its magnitude: -0.5 to -0.55 is a loss of 10%, within 20%
            PromotionPolicy r2 = PromotionPolicy.builder("p").relativeNonInferiority("r2", true, 0.2).build();
            CheckResult c = check(evaluate(r2, v.ref(), metrics(Map.of("r2", -0.55), Map.of("r2", -0.5))),
                    "relative_non_inferiority:r2");
            assertThat(c.observed().getAsDouble()).isCloseTo(-0.1, within(1e-12));
            assertThat(c.passed()).isTrue();
        }

        @Test
        @DisplayName("a champion value of 0 leaves a relative margin no room: the candidate must not be worse")
        void zeroChampion() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").relativeNonInferiority("mae", false, 0.5).build();
            CheckResult c = check(evaluate(p, v.ref(), metrics(Map.of("mae", 0.0), Map.of("mae", 0.0))),
                    "relative_non_inferiority:mae");
            assertThat(c.passed()).isTrue();
            assertThat(c.observed()).isEmpty();
            assertThat(c.detail()).isEqualTo("mae: candidate 0, champion 0 (smaller is better); the champion's value"
                    + " is 0, so a relative margin tolerates no loss: the candidate must not be worse");
            assertThat(check(evaluate(p, v.ref(), metrics(Map.of("mae", 1e-12), Map.of("mae", 0.0))),
                    "relative_non_inferiority:mae").passed()).isFalse();
        }

        @Test
        @DisplayName("without a champion the margins are skipped and pass, as improvement:m; requireChampion refuses")
        void noChampion() {
            ModelVersion v = fx.register("credit", Map.of());
            PromotionPolicy.Builder b = PromotionPolicy.builder("p").nonInferiority("mae", false, 0.1)
                    .relativeNonInferiority("mae", false, 0.05);
            PromotionGate.Inputs in = PromotionGate.inputs().candidateMetrics(Map.of("mae", 2.0)).build();
            PromotionDecision d = evaluate(b.build(), v.ref(), in);
            assertThat(d.passed()).isTrue();
            assertThat(d.checks()).extracting(CheckResult::name)
                    .containsExactly("non_inferiority:mae", "relative_non_inferiority:mae");
            assertThat(d.checks()).allSatisfy(c -> {
                assertThat(c.observed()).isEmpty();
                assertThat(c.detail()).isEqualTo("no version holds alias credit@production: comparison skipped"
                        + " (no baseline, as MLflow skips it); set requireChampion to refuse instead");
            });
            d = evaluate(b.requireChampion(true).build(), v.ref(), in);
            assertThat(d.failures()).hasSize(2).allSatisfy(c -> assertThat(c.detail())
                    .contains("the policy requires a champion to compare with"));
        }

        @Test
        @DisplayName("a metric missing or not finite on either side fails the margin, naming what is there")
        void missingMetric() {
            ModelVersion v = championAndCandidate();
            PromotionPolicy p = PromotionPolicy.builder("p").nonInferiority("mae", false, 0.1).build();
            CheckResult c = check(evaluate(p, v.ref(), metrics(Map.of("mae", 2.0), Map.of("rmse", 2.5))),
                    "non_inferiority:mae");
            assertThat(c.passed()).isFalse();
            assertThat(c.detail()).isEqualTo("champion credit/1 has no metric 'mae'; it has [rmse]");
            c = check(evaluate(p, v.ref(), metrics(Map.of("rmse", 2.0), Map.of("mae", 2.0))), "non_inferiority:mae");
            assertThat(c.detail()).isEqualTo("candidate has no metric 'mae'; it has [rmse]");
            c = check(evaluate(p, v.ref(), metrics(Map.of("mae", Double.NaN), Map.of("mae", 2.0))), "non_inferiority:mae");
            assertThat(c.passed()).isFalse();
            assertThat(c.detail()).isEqualTo("candidate metric 'mae' is NaN, not a finite number");
        }
    }

    @Nested
    @DisplayName("significance on German credit")
    class Significance {
        private final PromotionPolicy policy = PromotionPolicy.builder("credit-production").requireChampion(true)
                .improvement("accuracy", true, 0.01).mcnemar(0.05).significance("accuracy", 0.05).build();

        /** v1 majority (production), v2 logistic regression, v3 naive Bayes. */
        private PromotionGate.Inputs registerCreditModels() {
            fx.register("credit", Map.of());
            fx.mlops.models().setAlias("credit", "production", 1);
            fx.register("credit", Map.of());
            fx.register("credit", Map.of());
            Map<Integer, FrameEvaluator<ClassificationData>> models = Map.of(1, CreditModels.majority(),
                    2, CreditModels.logistic(), 3, CreditModels.naiveBayes());
            return PromotionGate.inputs().frame(CreditModels.frame()).classifier(v -> models.get(v.number())).build();
        }

        @Test
        @DisplayName("a lucky candidate, 0.013 more accurate on these rows but not significantly, is refused")
        void luckyIsRefused() {
            PromotionGate.Inputs in = registerCreditModels();
            PromotionGate.Promotion p = PromotionGate.of(fx.mlops, policy)
                    .promote(new ModelRef.Version("credit", 2), "production", in);
            PromotionDecision d = p.decision();
            assertThat(p.promoted()).isFalse();
            assertThat(check(d, "improvement:accuracy").passed()).isTrue(); // the naive rule would promote
            assertThat(check(d, "improvement:accuracy").observed().getAsDouble()).isCloseTo(0.013, within(1e-12));
            assertThat(d.failures()).extracting(CheckResult::name)
                    .containsExactly("mcnemar:accuracy", "significance:accuracy");
            assertThat(check(d, "mcnemar:accuracy").observed().getAsDouble()).isGreaterThan(0.05);
            assertThat(check(d, "significance:accuracy").observed().getAsDouble()).isGreaterThan(0.05);
            assertThat(check(d, "significance:accuracy").detail()).contains("1000 resamples", "seed 42");
            assertThat(fx.alias("credit", "production")).contains(1);
        }

        @Test
        @DisplayName("a clearly better candidate, 0.046 more accurate and significant by both tests, is promoted")
        void clearlyBetterPasses() {
            PromotionGate.Inputs in = registerCreditModels();
            PromotionGate.Promotion p = PromotionGate.of(fx.mlops, policy)
                    .promote(new ModelRef.Version("credit", 3), "production", in);
            PromotionDecision d = p.decision();
            assertThat(d.failures()).isEmpty();
            assertThat(check(d, "improvement:accuracy").observed().getAsDouble()).isCloseTo(0.046, within(1e-12));
            assertThat(check(d, "mcnemar:accuracy").observed().getAsDouble()).isLessThan(0.01);
            assertThat(check(d, "mcnemar:accuracy").detail()).contains("only the candidate right on 150, only the champion on 104");
            assertThat(check(d, "significance:accuracy").observed().getAsDouble()).isLessThan(0.01);
            assertThat(check(d, "evaluation:candidate").observed()).hasValue(1000);
            assertThat(check(d, "evaluation:champion").observed()).hasValue(1000);
            assertThat(p.promoted()).isTrue();
            assertThat(fx.alias("credit", "production")).contains(3);

            // now the champion is naive Bayes: the logistic model is worse than it, and refused on every count
            PromotionDecision again = PromotionGate.of(fx.mlops, policy).evaluate(new ModelRef.Version("credit", 2),
                    "production", in);
            assertThat(again.champion()).contains(new ModelRef.Version("credit", 3));
            assertThat(again.failures()).extracting(CheckResult::name)
                    .containsExactly("improvement:accuracy", "mcnemar:accuracy", "significance:accuracy");
        }

        @Test
        @DisplayName("the paired bootstrap works for any standard metric: logistic regression vs a constant score on ROC AUC")
        void rocAuc() {
            PromotionGate.Inputs in = registerCreditModels();
            PromotionDecision d = PromotionGate.of(fx.mlops, PromotionPolicy.builder("auc").significance("roc_auc", 0.05)
                    .improvement("roc_auc", true, 0.1).build()).evaluate(new ModelRef.Version("credit", 2),
                    "production", in);
            assertThat(check(d, "significance:roc_auc").observed()).hasValue(1.0 / 1001);
            assertThat(check(d, "improvement:roc_auc").detail()).contains("champion 0.5");
            assertThat(d.passed()).isTrue();
        }

        @Test
        @DisplayName("significance without data of both models fails, saying what is missing")
        void needsData() {
            ModelVersion v = championAndCandidate();
            PromotionDecision d = evaluate(policy, v.ref(), metrics(Map.of("accuracy", 0.9), Map.of("accuracy", 0.7)));
            assertThat(check(d, "mcnemar:accuracy").detail()).startsWith("no evaluation data for the candidate credit/2");
            d = evaluate(policy, v.ref(), PromotionGate.inputs()
                    .classification(CreditModels.logistic().evaluate(CreditModels.frame())).build());
            assertThat(check(d, "significance:accuracy").detail())
                    .isEqualTo("no evaluation data for the champion credit/1 was given (Inputs.classification(candidate, champion))");
        }
    }

    @Nested
    @DisplayName("evaluation failures")
    class Failures {
        private final PromotionPolicy policy = PromotionPolicy.builder("p").minimum("accuracy", 0.5)
                .improvement("accuracy", true, 0.0).build();

        @Test
        @DisplayName("a candidate evaluation that throws fails every check that needs it, with the exception's message")
        void candidateThrows() {
            ModelVersion v = championAndCandidate();
            PromotionDecision d = evaluate(policy, v.ref(), PromotionGate.inputs().frame(labeled(List.of("a", "b")))
                    .classifier(version -> version.number() == 2 ? f -> {
                        throw new IllegalStateException("tensor shape [1, 3] does not match [1, 4]");
                    } : f -> ClassificationData.ofLabels(f.strings("label"), f.strings("label"))).build());
            String why = "the candidate credit/2 could not be evaluated: IllegalStateException: tensor shape [1, 3] does not match [1, 4]";
            assertThat(check(d, "evaluation:candidate").detail()).isEqualTo(why);
            assertThat(check(d, "min:accuracy").detail()).isEqualTo(why);
            assertThat(check(d, "improvement:accuracy").detail()).isEqualTo(why);
            assertThat(check(d, "evaluation:champion").passed()).isTrue();
            assertThat(d.passed()).isFalse();
        }

        @Test
        @DisplayName("a champion that cannot be loaded fails its evaluation and every comparison, so nothing is promoted")
        void championCannotBeLoaded() {
            ModelVersion v = championAndCandidate();
            PromotionDecision d = evaluate(policy, v.ref(), PromotionGate.inputs().frame(labeled(List.of("a", "b")))
                    .classifier(version -> {
                        if (version.number() == 1) {
                            throw new java.io.FileNotFoundException("model.onnx");
                        }
                        return f -> ClassificationData.ofLabels(f.strings("label"), f.strings("label"));
                    }).build());
            assertThat(d.failures()).extracting(CheckResult::name).containsExactly("evaluation:champion", "improvement:accuracy");
            assertThat(check(d, "evaluation:champion").detail())
                    .isEqualTo("the champion credit/1 could not be evaluated: FileNotFoundException: model.onnx");
        }

        @Test
        @DisplayName("an empty evaluation frame is always refused: data:rows fails, and so does evaluating on it")
        void emptyData() {
            ModelVersion v = championAndCandidate();
            PromotionDecision d = evaluate(policy, v.ref(), PromotionGate.inputs().frame(labeled(List.of()))
                    .classifier(version -> f -> ClassificationData.ofLabels(f.strings("label"), f.strings("label")))
                    .build());
            assertThat(check(d, "data:rows").detail()).isEqualTo("the evaluation frame has no rows; a gate never passes empty data");
            assertThat(check(d, "evaluation:candidate").detail())
                    .startsWith("the candidate credit/2 could not be evaluated: ValidationException");
            assertThat(d.passed()).isFalse();
        }
    }

    @Nested
    @DisplayName("latency, data validation and fairness")
    class OtherChecks {
        @Test
        @DisplayName("latency: p99 in milliseconds against the ceiling; no measurement fails")
        void latency() {
            ModelVersion v = fx.register("credit", Map.of());
            PromotionPolicy p = PromotionPolicy.builder("p").maxLatencyP99(java.time.Duration.ofMillis(20)).build();
            PromotionDecision d = evaluate(p, v.ref(), PromotionGate.inputs()
                    .latency(new LatencyMeasurement(200, 1000, 4_000_000, 20_000_000, 5e6, 31_000_000)).build());
            assertThat(check(d, "latency:p99").observed()).hasValue(20.0);
            assertThat(check(d, "latency:p99").required()).isEqualTo("<= 20 ms");
            assertThat(check(d, "latency:p99").detail()).isEqualTo("p99 20 ms, p50 4 ms over 1000 calls after 200 warm-up calls");
            assertThat(d.passed()).isTrue();
            d = evaluate(p, v.ref(), PromotionGate.inputs()
                    .latency(new LatencyMeasurement(200, 1000, 4_000_000, 20_000_001, 5e6, 31_000_000)).build());
            assertThat(d.passed()).isFalse();
            d = evaluate(p, v.ref(), PromotionGate.inputs().build());
            assertThat(check(d, "latency:p99").detail()).isEqualTo("no latency measurement was given (Inputs.latency)");
        }

        @Test
        @DisplayName("data validation: one check per constraint on German credit; a damaged copy fails exactly the damaged ones")
        void data() {
            ModelVersion v = fx.register("credit", Map.of());
            Frame credit = CreditModels.frame();
            ValidationSuite suite = DataValidation.suggest(credit, "credit").suite();
            PromotionPolicy p = PromotionPolicy.builder("p").dataValidation(suite).build();
            PromotionDecision d = evaluate(p, v.ref(), PromotionGate.inputs().frame(credit).build());
            assertThat(d.passed()).isTrue();
            assertThat(d.checks()).hasSize(suite.constraints().size()).allSatisfy(c -> assertThat(c.name()).startsWith("data:"));

            double[] age = credit.numeric("age");
            age[5] = 130;
            Frame damaged = replace(credit, "age", age);
            d = evaluate(p, v.ref(), PromotionGate.inputs().frame(damaged).build());
            assertThat(d.failures()).extracting(CheckResult::name).containsExactly("data:contained_in(age)", "data:max(age)");
            CheckResult max = check(d, "data:max(age)");
            assertThat(max.observed()).hasValue(130.0);
            assertThat(max.detail()).isEqualTo("largest value of 'age' is 130.0, expected <= 75.0");

            d = evaluate(p, v.ref(), PromotionGate.inputs().build());
            assertThat(d.checks()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("data");
                assertThat(c.detail()).isEqualTo("no evaluation frame was given (Inputs.frame)");
            });
        }

        @Test
        @DisplayName("fairness: demographic parity difference of the logistic model over personal_status (0.0749)")
        void fairness() {
            ModelVersion v = fx.register("credit", Map.of());
            ClassificationData lr = CreditModels.logistic().evaluate(CreditModels.frame());
            PromotionGate.Inputs in = PromotionGate.inputs().frame(CreditModels.frame()).classification(lr).build();
            PromotionDecision d = evaluate(PromotionPolicy.builder("p")
                    .fairnessMax("personal_status", "demographic_parity_difference", 0.08)
                    .fairnessMin("personal_status", "demographic_parity_ratio", 0.9).build(), v.ref(), in);
            CheckResult dp = check(d, "fairness:demographic_parity_difference(personal_status)");
            assertThat(dp.observed().getAsDouble()).isCloseTo(0.07489685814027291, within(1e-15));
            assertThat(dp.detail()).startsWith("demographic_parity_difference over slices of 'personal_status'"
                    + " (positive class 'good'): female div/dep/mar: selection rate 0.9548");
            assertThat(check(d, "fairness:demographic_parity_ratio(personal_status)").required()).isEqualTo(">= 0.9");
            assertThat(d.passed()).isTrue();
            d = evaluate(PromotionPolicy.builder("p").fairnessMax("personal_status", "demographic_parity_difference", 0.05)
                    .fairnessMax("no_such_column", "equalized_odds_difference", 0.1).build(), v.ref(), in);
            assertThat(d.failures()).hasSize(2);
            assertThat(check(d, "fairness:equalized_odds_difference(no_such_column)").detail())
                    .startsWith("fairness on 'no_such_column' could not be computed: NotFoundException");
        }
    }

    @Nested
    @DisplayName("predictions read from the frame (as the CLI does)")
    class PredictionColumns {
        @Test
        @DisplayName("label, candidate and champion prediction columns give metrics, McNemar and fairness without a model")
        void columns() {
            ModelVersion v = championAndCandidate();
            ClassificationData nb = CreditModels.naiveBayes().evaluate(CreditModels.frame());
            String[] predicted = new String[nb.size()];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = nb.classes().get(nb.predicted()[i]);
            }
            String[] good = new String[predicted.length];
            java.util.Arrays.fill(good, "good");
            Frame f = add(add(CreditModels.frame(), "predicted", predicted), "champion_predicted", good);
            PromotionPolicy p = PromotionPolicy.builder("p").minimum("accuracy", 0.7).mcnemar(0.05)
                    .fairnessMax("personal_status", "demographic_parity_difference", 0.5)
                    .predictions(new PromotionPolicy.PredictionColumns("class", "predicted",
                            Optional.of("champion_predicted"), Optional.of("good")))
                    .build();
            PromotionDecision d = evaluate(p, v.ref(), PromotionGate.inputs().frame(f).build());
            assertThat(d.failures()).isEmpty();
            assertThat(check(d, "min:accuracy").observed()).hasValue(0.746);
            assertThat(check(d, "mcnemar:accuracy").detail()).contains("only the candidate right on 150, only the champion on 104");
        }
    }

    @Nested
    @DisplayName("decision JSON")
    class DecisionJson {
        @Test
        @DisplayName("round-trips every field, an absent observed value and an absent champion")
        void roundTrip() {
            PromotionDecision d = new PromotionDecision(new ModelRef.Version("credit", 4), "production",
                    Optional.of(new ModelRef.Version("credit", 3)), List.of(
                    new CheckResult("min:roc_auc", OptionalDouble.of(0.8123456789012345), ">= 0.8", Verdict.PASS, "ok"),
                    new CheckResult("data", OptionalDouble.empty(), "suite 'x' passes", Verdict.FAIL, "no frame \"quoted\"")),
                    Instant.parse("2026-03-01T12:00:00.123Z"), "p@sha256:abc");
            String json = PromotionGate.toJson(d);
            assertThat(json).contains("\"schema_version\" : 2", "\"kind\" : \"promotion-decision\"", "\"passed\" : false",
                    "\"observed\" : null");
            assertThat(PromotionGate.decisionFromJson(json)).isEqualTo(d);
            PromotionDecision noChampion = new PromotionDecision(d.candidate(), "staging", Optional.empty(), List.of(),
                    d.decidedAt(), "q@unstored");
            assertThat(PromotionGate.decisionFromJson(PromotionGate.toJson(noChampion))).isEqualTo(noChampion);
        }

        @Test
        @DisplayName("refuses another kind, another schemaVersion and a mistyped field, naming it")
        void refuses() {
            assertThatThrownBy(() -> PromotionGate.decisionFromJson("{\"schemaVersion\":2,\"kind\":\"promotion-decision\"}"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("promotion decision: schemaVersion: version 2");
            assertThatThrownBy(() -> PromotionGate.decisionFromJson("{\"schema_version\":2,\"kind\":\"fairness\"}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("promotion decision: kind: the document is a 'fairness', expected a promotion-decision");
            assertThatThrownBy(() -> PromotionGate.decisionFromJson("{\"schema_version\":2,\"candidate\":\"credit@prod\"}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("promotion decision: candidate: 'credit@prod' is not a version; expected one such as credit/3");
            String bad = PromotionGate.toJson(new PromotionDecision(new ModelRef.Version("c", 1), "a", Optional.empty(),
                    List.of(new CheckResult("x", OptionalDouble.empty(), "r", Verdict.PASS, "d")), GateFixture.NOW, "p"))
                    .replace("\"PASS\"", "\"MAYBE\"");
            assertThatThrownBy(() -> PromotionGate.decisionFromJson(bad)).isInstanceOf(ValidationException.class)
                    .hasMessage("promotion decision: checks[0].verdict: unknown verdict 'MAYBE'; expected PASS or FAIL");
            String ok = bad.replace("\"MAYBE\"", "\"PASS\"");
            assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("\"passed\" : true", "\"passed\" : false")))
                    .isInstanceOf(ValidationException.class).hasMessage("promotion decision: passed: is false, but the checks say true");
            assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("\"alias\"", "\"alias\" : \"b\", \"alias\"")))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("promotion decision: alias: the field appears twice");
            assertThatThrownBy(() -> PromotionGate.decisionFromJson(ok.replace("\"alias\"", "\"aliases\" : [], \"alias\"")))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("promotion decision: aliases: unknown field");
        }
    }

    // ---- frames ---------------------------------------------------------------------------------

    static Frame labeled(List<String> labels) {
        return Frame.ofColumns(Schema.of(new Field("label", FieldType.STRING)), java.util.Collections.singletonList(labels.toArray(String[]::new)));
    }

    static Frame replace(Frame f, String column, Object values) {
        List<Object> cols = new java.util.ArrayList<>();
        for (Field field : f.schema().fields()) {
            cols.add(field.name().equals(column) ? values
                    : field.type().isNumeric() ? f.numeric(field.name()) : f.strings(field.name()));
        }
        return Frame.ofColumns(f.schema(), cols);
    }

    static Frame add(Frame f, String column, String[] values) {
        List<Field> fields = new java.util.ArrayList<>(f.schema().fields());
        List<Object> cols = new java.util.ArrayList<>();
        for (Field field : fields) {
            cols.add(field.type().isNumeric() ? f.numeric(field.name()) : f.strings(field.name()));
        }
        fields.add(new Field(column, FieldType.STRING));
        cols.add(values);
        return Frame.ofColumns(Schema.of(fields.toArray(Field[]::new)), cols);
    }
}
