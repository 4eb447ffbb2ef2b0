package dev.mlops.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.FieldType;
import dev.mlops.api.ValidationException;
import dev.mlops.json.StrictJson;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ValidationSuite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every kind of rule survives its JSON form, alone and inside a policy; the registry knows every kind. */
class PromotionRuleJsonPropertiesTest {

    @Property(tries = 1000)
    @Label("every rule reads back equal from its own JSON object, and writes the same object again")
    void ruleRoundTrip(@ForAll("rules") PromotionRule rule) {
        Statistics.collect(rule.type());
        var node = RuleJson.write(rule);
        assertThat(node.get("type").textValue()).isEqualTo(rule.type());
        PromotionRule back = RuleJson.read(StrictJson.fields(node.deepCopy(), "promotion policy"));
        assertThat(back).isEqualTo(rule);
        assertThat(RuleJson.write(back)).isEqualTo(node);
    }

    @Property(tries = 300)
    @Label("a policy of any rules reads back equal from its document, with the same id")
    void policyRoundTrip(@ForAll("ruleLists") List<PromotionRule> rules,
                         @ForAll boolean requireChampion) {
        PromotionPolicy.Builder b = PromotionPolicy.builder("generated").requireChampion(requireChampion);
        Map<String, PromotionRule> accepted = new LinkedHashMap<>();
        for (PromotionRule r : rules) {
            try {
                b.rule(r);
                accepted.put(r.key(), r);
            } catch (IllegalStateException repeatedOrOtherDirection) {
                // a second rule with the same check, or a metric compared in both directions: refused, not stored
            }
        }
        PromotionPolicy p = b.build();
        assertThat(p.rules()).containsExactlyElementsOf(accepted.values());
        PromotionPolicy back = PromotionPolicy.fromJson(p.toJson());
        assertThat(back.rules()).isEqualTo(p.rules());
        assertThat(back.requireChampion()).isEqualTo(requireChampion);
        assertThat(back).isEqualTo(p);
        assertThat(back.id()).isEqualTo(p.id());
    }

    @Test
    @DisplayName("the type registry reads every kind of rule, and the generator makes every kind")
    void registryIsComplete() {
        Set<String> recordTypes = new TreeSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(PromotionRule.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isRecord()) {
                recordTypes.add(c.getSimpleName());
            } else {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            }
        }
        Set<String> generated = rules().sampleStream().limit(5_000).map(r -> r.getClass().getSimpleName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(generated).isEqualTo(recordTypes);
        Set<String> typeNames = rules().sampleStream().limit(5_000).map(PromotionRule::type)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(typeNames).hasSameSizeAs(recordTypes).isEqualTo(RuleJson.types());
    }

    @Test
    @DisplayName("an unknown rule type is refused, naming it")
    void unknownType() {
        var node = StrictJson.objectNode().put("type", "minimal").put("metric", "auc").put("bound", 0.7);
        assertThatThrownBy(() -> RuleJson.read(StrictJson.fields(node, "promotion policy"))).isInstanceOf(ValidationException.class)
                .hasMessage("promotion policy: type: unknown rule type 'minimal'; expected one of " + RuleJson.types());
    }

    // ---- generators -----------------------------------------------------------------------------

    /** Standard metrics with their direction, and custom names of either direction. */
    private static final List<Tuple.Tuple2<String, Boolean>> STANDARD = List.of(Tuple.of("roc_auc", true),
            Tuple.of("accuracy", true), Tuple.of("f1[good]", true), Tuple.of("log_loss", false), Tuple.of("mae", false),
            Tuple.of("rmse", false), Tuple.of("r2", true));

    private static Arbitrary<String> customMetric() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_', 'é', ' ').ofMinLength(1).ofMaxLength(10)
                .filter(s -> !s.isBlank()).map(s -> "custom_" + s);
    }

    private static Arbitrary<Tuple.Tuple2<String, Boolean>> directedMetric() {
        return Arbitraries.oneOf(Arbitraries.of(STANDARD),
                Combinators.combine(customMetric(), Arbitraries.of(true, false)).as(Tuple::of));
    }

    private static Arbitrary<String> anyMetric() {
        return Arbitraries.oneOf(Arbitraries.of(STANDARD).map(Tuple.Tuple2::get1), customMetric());
    }

    private static Arbitrary<Double> finite() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.doubles().between(-1e300, 1e300),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1, 1.0 / 3));
    }

    private static Arbitrary<Double> nonNegative() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1e300), Arbitraries.of(0.0, Double.MIN_VALUE,
                Double.MAX_VALUE, 0.1));
    }

    private static Arbitrary<Double> fraction() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 1.0, 0.05, 1e-12));
    }

    private static Arbitrary<Double> openUnit() {
        return Arbitraries.doubles().between(0, false, 1, false);
    }

    private static Arbitrary<ValidationSuite> suite() {
        Arbitrary<String> column = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        return Combinators.combine(column, Arbitraries.of(FieldType.values()), Arbitraries.longs().between(0, 1_000),
                Arbitraries.longs().between(0, 1_000_000), Arbitraries.strings().alpha().ofMinLength(1).list()
                        .ofMinSize(1).ofMaxSize(4).uniqueElements(), Arbitraries.integers().between(1, 15))
                .as((col, type, min, extra, allowed, mask) -> {
                    ValidationSuite.Builder b = ValidationSuite.builder("suite_" + col);
                    if ((mask & 1) != 0) {
                        b.hasType(col, type);
                    }
                    if ((mask & 2) != 0) {
                        b.isComplete(col);
                    }
                    if ((mask & 4) != 0) {
                        b.containedIn(col + "_set", allowed);
                    }
                    if ((mask & 8) != 0) {
                        b.rowCount(min, min + extra);
                    }
                    return b.build();
                });
    }

    @Provide
    Arbitrary<List<PromotionRule>> ruleLists() {
        return rules().list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<PromotionRule> rules() {
        List<Arbitrary<? extends PromotionRule>> kinds = new ArrayList<>();
        kinds.add(Combinators.combine(anyMetric(), finite()).as(PromotionRule.Minimum::new));
        kinds.add(Combinators.combine(anyMetric(), finite()).as(PromotionRule.Maximum::new));
        kinds.add(Combinators.combine(directedMetric(), nonNegative())
                .as((m, v) -> new PromotionRule.Improvement(m.get1(), m.get2(), v)));
        kinds.add(Combinators.combine(directedMetric(), fraction())
                .as((m, v) -> new PromotionRule.RelativeImprovement(m.get1(), m.get2(), v)));
        kinds.add(Combinators.combine(directedMetric(), nonNegative())
                .as((m, v) -> new PromotionRule.NonInferiority(m.get1(), m.get2(), v)));
        kinds.add(Combinators.combine(directedMetric(), fraction())
                .as((m, v) -> new PromotionRule.RelativeNonInferiority(m.get1(), m.get2(), v)));
        kinds.add(Combinators.combine(Arbitraries.of(STANDARD).map(Tuple.Tuple2::get1), openUnit(),
                Arbitraries.integers().between(1, 1_000_000), openUnit(), Arbitraries.longs())
                .as((m, alpha, resamples, confidence, seed) -> new PromotionRule.Significance(m, alpha,
                        new BootstrapOptions(resamples, confidence, seed))));
        kinds.add(openUnit().map(PromotionRule.McNemarTest::new));
        kinds.add(Arbitraries.oneOf(Arbitraries.doubles().between(0, false, 1e12, true), Arbitraries.of(Double.MIN_VALUE,
                Double.MAX_VALUE, 20.0)).map(PromotionRule.LatencyP99::new));
        kinds.add(suite().map(PromotionRule.DataValidationRule::new));
        Arbitrary<String> column = Arbitraries.strings().ofMinLength(1).ofMaxLength(12).filter(s -> !s.isBlank());
        Arbitrary<String> fairness = Arbitraries.of(PromotionRule.FAIRNESS_METRICS);
        kinds.add(Combinators.combine(column, fairness, nonNegative()).as(PromotionRule.FairnessMax::new));
        kinds.add(Combinators.combine(column, fairness, nonNegative()).as(PromotionRule.FairnessMin::new));
        return Arbitraries.oneOf(kinds);
    }
}
