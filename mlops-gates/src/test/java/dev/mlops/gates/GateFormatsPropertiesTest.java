package dev.mlops.gates;

import static dev.mlops.json.testing.FormatProperties.assertUserRoundTrip;
import static dev.mlops.json.testing.FormatProperties.finite;
import static dev.mlops.json.testing.FormatProperties.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.ModelRef;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Promotion policies and decisions, over random values: written, then read, is equal to what was
 * written (and a policy keeps its id), and with any one key repeated is refused naming that key's
 * path. Bounded by try counts.
 */
class GateFormatsPropertiesTest {
    private static final int TRIES = 60;

    @Provide
    Arbitrary<PromotionPolicy> policies() {
        Arbitrary<String> metric = Arbitraries.of("accuracy", "roc_auc", "f1_macro");
        Arbitrary<PromotionRule> bound = Combinators.combine(metric, Arbitraries.of(true, false), finite())
                .as((m, min, b) -> min ? new PromotionRule.Minimum(m, b) : new PromotionRule.Maximum(m, b));
        Arbitrary<PromotionRule> comparison = Combinators.combine(metric, Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 20).map(i -> i / 100.0))
                .as((m, kind, x) -> switch (kind) {
                    case 0 -> new PromotionRule.Improvement(m, true, x);
                    case 1 -> new PromotionRule.RelativeImprovement(m, true, x);
                    case 2 -> new PromotionRule.NonInferiority(m, true, x);
                    case 3 -> new PromotionRule.RelativeNonInferiority(m, true, x);
                    default -> new PromotionRule.Significance(m, 0.05, new BootstrapOptions(200, 0.9, (long) (x * 100)));
                });
        return Combinators.combine(Arbitraries.of("p", "credit-production"), Arbitraries.of(true, false),
                        Arbitraries.oneOf(bound, comparison).list().ofMaxSize(5).uniqueElements(PromotionRule::key),
                        Arbitraries.integers().between(1, 60).injectNull(0.5), Arbitraries.of(true, false))
                .as((name, champion, rules, latency, more) -> {
                    PromotionPolicy.Builder b = PromotionPolicy.builder(name).requireChampion(champion);
                    rules.forEach(b::rule);
                    if (latency != null) {
                        b.maxLatencyP99Millis(latency);
                    }
                    if (more) {
                        b.mcnemar(0.01).fairnessMax("sex", "demographic_parity_difference", 0.1)
                                .fairnessMin("sex", "demographic_parity_ratio", 0.8)
                                .dataValidation(ValidationSuite.builder("s").isComplete("age").rowCount(1, 10).build())
                                .predictions(new PromotionPolicy.PredictionColumns("y", "p", Optional.empty(), Optional.of("1")));
                    }
                    return b.build();
                });
    }

    @Provide
    Arbitrary<PromotionDecision> decisions() {
        Arbitrary<CheckResult> check = Combinators.combine(text(), finite().injectNull(0.3), text(), Arbitraries.of(Verdict.class),
                text()).as((n, o, r, v, d) -> new CheckResult(n, o == null ? OptionalDouble.empty() : OptionalDouble.of(o), r, v, d));
        return Combinators.combine(Arbitraries.integers().between(1, 99), Arbitraries.integers().between(1, 99).injectNull(0.3),
                        check.list().ofMaxSize(4), Arbitraries.longs().between(0, 4_000_000_000L), text())
                .as((candidate, champion, checks, at, policy) -> new PromotionDecision(ModelRef.version("credit", candidate),
                        "production", Optional.ofNullable(champion).map(c -> ModelRef.version("credit", c)), checks,
                        Instant.ofEpochSecond(at), policy));
    }

    @Property(tries = TRIES)
    void policies(@ForAll("policies") PromotionPolicy p, @ForAll int choice) {
        assertUserRoundTrip(p.toJson(), PromotionPolicy::fromJson, p, "promotion policy", choice);
        assertThat(PromotionPolicy.fromJson(p.toJson()).id()).isEqualTo(p.id());
    }

    @Property(tries = TRIES)
    void decisions(@ForAll("decisions") PromotionDecision d, @ForAll int choice) {
        assertUserRoundTrip(PromotionGate.toJson(d), PromotionGate::decisionFromJson, d, "promotion decision", choice);
    }
}
