package dev.mlops.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.FieldType;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ValidationSuite;
import java.time.Duration;
import java.util.Optional;
import dev.mlops.json.StrictJson;
import dev.mlops.json.testing.JsonEdits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {
    static PromotionPolicy full() {
        return PromotionPolicy.builder("credit-production").requireChampion(true)
                .minimum("roc_auc", 0.7).maximum("log_loss", 0.6)
                .improvement("roc_auc", true, 0.01).relativeImprovement("roc_auc", true, 0.02)
                .improvement("log_loss", false, 0.0)
                .nonInferiority("roc_auc", true, 0.005).relativeNonInferiority("log_loss", false, 0.05)
                .significance("roc_auc", 0.05, new BootstrapOptions(500, 0.9, 7)).mcnemar(0.01)
                .maxLatencyP99(Duration.ofMillis(25))
                .dataValidation(ValidationSuite.builder("eval").hasType("age", FieldType.INTEGER).isComplete("age")
                        .containedIn("housing", java.util.List.of("own", "rent", "for free")).rowCount(100, 100_000).build())
                .fairnessMax("personal_status", "demographic_parity_difference", 0.1)
                .fairnessMin("personal_status", "demographic_parity_ratio", 0.8)
                .predictions(new PromotionPolicy.PredictionColumns("class", "predicted", Optional.of("champion_predicted"),
                        Optional.of("good")))
                .build();
    }

    @Test
    @DisplayName("JSON round trip keeps every rule, and equal policies have equal ids")
    void roundTrip() {
        PromotionPolicy p = full();
        String json = p.toJson();
        assertThat(json).contains("\"schema_version\" : 2", "\"kind\" : \"promotion-policy\"");
        PromotionPolicy back = PromotionPolicy.fromJson(json);
        assertThat(back).isEqualTo(p);
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(back.id()).isEqualTo(p.id()).matches("credit-production@sha256:[0-9a-f]{64}");
        assertThat(back.rules()).isEqualTo(p.rules()).extracting(PromotionRule::key).containsExactly("min:roc_auc",
                "max:log_loss", "improvement:roc_auc", "relative_improvement:roc_auc", "improvement:log_loss",
                "non_inferiority:roc_auc", "relative_non_inferiority:log_loss", "significance:roc_auc",
                "mcnemar:accuracy", "latency:p99", "data", "fairness:demographic_parity_difference(personal_status)",
                "fairness:demographic_parity_ratio(personal_status)");
        assertThat(back.rules(PromotionRule.NonInferiority.class))
                .containsExactly(new PromotionRule.NonInferiority("roc_auc", true, 0.005));
        assertThat(back.rules(PromotionRule.RelativeNonInferiority.class))
                .containsExactly(new PromotionRule.RelativeNonInferiority("log_loss", false, 0.05));
        assertThat(back.rules(PromotionRule.Significance.class).get(0).bootstrap())
                .isEqualTo(new BootstrapOptions(500, 0.9, 7));
        assertThat(back.rules(PromotionRule.LatencyP99.class)).containsExactly(new PromotionRule.LatencyP99(25.0));
        assertThat(back.toBuilder().build()).isEqualTo(p);
        assertThat(PromotionPolicy.builder("credit-production").build().id()).isNotEqualTo(p.id());
    }

    /** A policy without margins as schema 1 wrote it, camelCase, before snake_case. */
    private static final String SCHEMA_1_NO_MARGINS = """
            {
              "schemaVersion" : 1,
              "kind" : "promotion-policy",
              "name" : "credit-production",
              "requireChampion" : false,
              "thresholds" : [ {
                "metric" : "roc_auc",
                "min" : 0.7
              } ],
              "relative" : [ {
                "metric" : "roc_auc",
                "greaterIsBetter" : true,
                "minAbsoluteChange" : 0.01
              } ],
              "significance" : [ ],
              "fairness" : [ ]
            }""";

    @Test
    @DisplayName("the document is one list of typed rules in snake_case, in the order given")
    void writesVersion2() {
        PromotionPolicy p = PromotionPolicy.builder("credit-production").minimum("roc_auc", 0.7)
                .improvement("roc_auc", true, 0.01).relativeNonInferiority("log_loss", false, 0.02)
                .predictions(new PromotionPolicy.PredictionColumns("class", "predicted", Optional.of("champion_predicted"),
                        Optional.empty()))
                .build();
        assertThat(p.toJson()).isEqualTo("""
                {
                  "schema_version" : 2,
                  "kind" : "promotion-policy",
                  "name" : "credit-production",
                  "require_champion" : false,
                  "rules" : [ {
                    "type" : "minimum",
                    "metric" : "roc_auc",
                    "bound" : 0.7
                  }, {
                    "type" : "improvement",
                    "metric" : "roc_auc",
                    "greater_is_better" : true,
                    "min_change" : 0.01
                  }, {
                    "type" : "relative_non_inferiority",
                    "metric" : "log_loss",
                    "greater_is_better" : false,
                    "max_loss_fraction" : 0.02
                  } ],
                  "predictions" : {
                    "label" : "class",
                    "prediction" : "predicted",
                    "champion_prediction" : "champion_predicted"
                  }
                }""");
        assertThat(PromotionPolicy.fromJson(p.toJson())).isEqualTo(p);
    }

    @Test
    @DisplayName("a schemaVersion 1 document, as earlier builds wrote it, reads as the same rules")
    void readsVersion1() throws Exception {
        String v1;
        try (var in = PromotionPolicyTest.class.getResourceAsStream("policy-v1-full.json")) {
            v1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(v1).contains("\"schemaVersion\" : 1", "\"minAbsoluteChange\"", "\"maxP99Millis\"");
        PromotionPolicy p = PromotionPolicy.fromJson(v1);
        assertThat(p).isEqualTo(full());
        assertThat(p.rules()).isEqualTo(full().rules());
        assertThat(p.requireChampion()).isTrue();
        assertThat(p.predictions()).isEqualTo(full().predictions());
        // the camelCase fields of version 1 are not accepted in version 2, nor the other way round
        assertRefused(v1.replace("\"schemaVersion\" : 1", "\"schema_version\" : 2"),
                "promotion policy: requireChampion: unknown field; expected only [schema_version, kind, name, require_champion, rules, predictions]");
        assertRefused(full().toJson().replace("\"schema_version\" : 2", "\"schemaVersion\" : 1"),
                "promotion policy: rules: unknown field; expected only [schemaVersion, kind, name, require_champion, thresholds,");
    }

    @Test
    @DisplayName("reading refuses an unknown rule type, naming it and the known ones")
    void unknownRuleType() {
        String doc = "{\"schema_version\":2,\"kind\":\"promotion-policy\",\"name\":\"p\",\"rules\":["
                + "{\"type\":\"minimum\",\"metric\":\"a\",\"bound\":1},{\"type\":\"maximun\",\"metric\":\"a\",\"bound\":1}]}";
        assertThatThrownBy(() -> PromotionPolicy.fromJson(doc)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("promotion policy: rules[1].type: unknown rule type 'maximun'; expected one of [")
                .hasMessageContaining("maximum").hasMessageContaining("relative_non_inferiority");
        assertRefused(doc.replace(",{\"type\":\"maximun\",", ",{\"kind\":\"maximum\","),
                "promotion policy: rules[1].type: missing; expected a string");
    }

    @Test
    @DisplayName("reading version 2 refuses unknown, missing and mistyped fields and bad values, naming the place")
    void strictReadingVersion2() {
        String head = "{\"schema_version\":2,\"kind\":\"promotion-policy\",\"name\":\"p\",\"rules\":[";
        assertRefused(head + "{\"type\":\"minimum\",\"metric\":\"a\",\"bound\":1,\"max\":2}]}",
                "promotion policy: rules[0].max: unknown field; expected only [type, metric, bound]");
        // a misspelt field is named before the value it leaves out looks wrong
        assertRefused(head + "{\"type\":\"improvement\",\"metric\":\"mae\",\"greater_is_better\":false,\"min_chnage\":-1,"
                + "\"min_change\":0.1}]}", "promotion policy: rules[0].min_chnage: unknown field");
        assertRefused(head + "{\"type\":\"non_inferiority\",\"metric\":\"mae\",\"greater_is_better\":false,\"max_loss\":-0.1}]}",
                "promotion policy: rules[0]: maxLoss of 'mae' is -0.1, expected a finite number >= 0 in the metric's units");
        assertRefused(head + "{\"type\":\"non_inferiority\",\"metric\":\"mae\",\"max_loss\":0.1}]}",
                "promotion policy: rules[0].greater_is_better: missing; expected true or false");
        assertRefused(head + "{\"type\":\"non_inferiority\",\"metric\":\"mae\",\"greater_is_better\":0,\"max_loss\":0.1}]}",
                "promotion policy: rules[0].greater_is_better: expected true or false, got the number 0");
        assertRefused(head + "{\"type\":\"latency_p99\",\"max_millis\":\"fast\"}]}",
                "promotion policy: rules[0].max_millis: expected a number, got the string 'fast'");
        assertRefused(head + "{\"type\":\"significance\",\"metric\":\"accuracy\",\"alpha\":0.05,\"resamples\":100.5}]}",
                "promotion policy: rules[0].resamples: expected an integer from -2147483648 to 2147483647, got the number 100.5");
        assertRefused(head + "{\"type\":\"mcnemar\",\"alpha\":0.05},{\"type\":\"mcnemar\",\"alpha\":0.01}]}",
                "promotion policy: rules[1]: the policy already has mcnemar:accuracy");
        assertRefused(head + "{\"type\":\"data_validation\",\"suite\":{\"schema_version\":2,"
                + "\"name\":\"s\",\"constraints\":[{\"type\":\"sorted\",\"column\":\"a\"}]}}]}",
                "promotion policy: rules[0].suite: validation suite: constraints[0].type: unknown type 'sorted'");
        assertRefused(head + "1]}", "promotion policy: rules[0]: expected an object, got the number 1");
        assertRefused("{\"schema_version\":3,\"name\":\"p\"}",
                "promotion policy: schema_version: version 3 is not one this library reads; expected 2");
        assertRefused("{\"schemaVersion\":2,\"name\":\"p\"}",
                "promotion policy: schemaVersion: version 2 is not one this library reads; expected 2 (with snake_case names");
        // a hand-written policy without a version is read as the current one
        assertThat(PromotionPolicy.fromJson("{\"name\":\"p\",\"rules\":[{\"type\":\"minimum\",\"metric\":\"auc\",\"bound\":0.7}]}"))
                .isEqualTo(PromotionPolicy.builder("p").minimum("auc", 0.7).build());
        assertRefused("{\"name\":\"p\",\"thresholds\":[]}", "promotion policy: thresholds: unknown field; expected only [schema_version,");
        assertRefused("{\"schema_version\":2,\"kind\":\"promotion-decision\",\"name\":\"p\"}",
                "promotion policy: kind: the document is a 'promotion-decision', expected a promotion-policy");
        assertRefused("{\"schema_version\":2,\"name\":\"p\",\"require_champion\":\"yes\"}",
                "promotion policy: require_champion: expected true or false, got the string 'yes'");
    }

    @Test
    @DisplayName("a hand-written policy reads with defaults: paired bootstrap, 1,000 resamples, seed 42, no champion required")
    void handWritten() {
        PromotionPolicy p = PromotionPolicy.fromJson("""
                { "schemaVersion": 1, "kind": "promotion-policy", "name": "minimal",
                  "thresholds": [ { "metric": "accuracy", "min": 0.75 } ],
                  "significance": [ { "metric": "accuracy", "alpha": 0.05 } ] }
                """);
        assertThat(p.requireChampion()).isFalse();
        assertThat(p.rules()).containsExactly(new PromotionRule.Minimum("accuracy", 0.75),
                new PromotionRule.Significance("accuracy", 0.05, BootstrapOptions.defaults()));
    }

    @Test
    @DisplayName("reading version 1 refuses unknown fields, missing and mistyped ones, and bad values, naming the place")
    void strictReadingVersion1() {
        String head = "{\"schemaVersion\":1,\"kind\":\"promotion-policy\",\"name\":\"p\",";
        assertRefused(head + "\"treshold\":[]}", "promotion policy: treshold: unknown field; expected only [schemaVersion, kind, name,");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"min\":1},{\"metric\":\"b\"}]}",
                "promotion policy: thresholds[1]: needs exactly one of 'min' and 'max'");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"mni\":1}]}",
                "promotion policy: thresholds[0].mni: unknown field; expected only [metric, min, max]");
        assertRefused(head + "\"relative\":[{\"metric\":\"roc_auc\",\"minAbsoluteChange\":0.1}]}",
                "promotion policy: relative[0].greaterIsBetter: missing; expected true or false");
        assertRefused(head + "\"relative\":[{\"metric\":\"auc\",\"greaterIsBetter\":true,\"minRelativeChange\":5}]}",
                "promotion policy: relative[0]: minFraction of 'auc' is 5.0, expected a fraction in [0, 1]");
        assertRefused(head + "\"relative\":[{\"metric\":\"auc\",\"greaterIsBetter\":true}]}",
                "promotion policy: relative[0]: needs 'minAbsoluteChange' or 'minRelativeChange' (or both)");
        assertRefused(head + "\"relative\":[{\"metric\":\"log_loss\",\"greaterIsBetter\":true,\"minAbsoluteChange\":0.1}]}",
                "promotion policy: relative[0]: metric 'log_loss' is smaller-is-better, but greaterIsBetter was given as true");
        String margin = "\"nonInferiority\":[{\"metric\":\"mae\",";
        assertRefused(head + margin + "\"greaterIsBetter\":false,\"maxAbsoluteLoss\":0.1,\"maxRelativeLoss\":0.02}]}",
                "promotion policy: nonInferiority[0]: needs exactly one of 'maxAbsoluteLoss' and 'maxRelativeLoss'");
        assertRefused(head + margin + "\"maxAbsoluteLoss\":0.1}]}",
                "promotion policy: nonInferiority[0].greaterIsBetter: missing; expected true or false");
        assertRefused(head + margin + "\"greaterIsBetter\":false,\"margin\":0.1}]}",
                "promotion policy: nonInferiority[0].margin: unknown field");
        assertRefused(head + margin + "\"greaterIsBetter\":false,\"maxAbsoluteLoss\":-0.1}]}",
                "promotion policy: nonInferiority[0]: maxLoss of 'mae' is -0.1, expected a finite number >= 0 in the metric's units");
        assertRefused(head + margin + "\"greaterIsBetter\":false,\"maxAbsoluteLoss\":\"0.1\"}]}",
                "promotion policy: nonInferiority[0].maxAbsoluteLoss: expected a number, got the string '0.1'");
        assertRefused(head + margin + "\"greaterIsBetter\":true,\"maxRelativeLoss\":0.1}]}",
                "promotion policy: nonInferiority[0]: metric 'mae' is smaller-is-better, but greaterIsBetter was given as true");
        assertRefused(head + margin + "\"greaterIsBetter\":false,\"maxAbsoluteLoss\":0.1},"
                + "{\"metric\":\"mae\",\"greaterIsBetter\":false,\"maxAbsoluteLoss\":0.2}]}",
                "promotion policy: nonInferiority[1]: the policy already has non_inferiority:mae");
        assertRefused(head + "\"significance\":[{\"metric\":\"accuracy\",\"test\":\"t\",\"alpha\":0.05}]}",
                "promotion policy: significance[0].test: unknown test 't'; expected 'paired_bootstrap' or 'mcnemar'");
        assertRefused(head + "\"latency\":{\"maxP99Millis\":\"fast\"}}",
                "promotion policy: latency.maxP99Millis: expected a number, got the string 'fast'");
        assertRefused(head + "\"latency\":{\"max_p99_millis\":20,\"maxP99Millis\":20}}",
                "promotion policy: latency.max_p99_millis: unknown field; expected only [maxP99Millis]");
        assertRefused(head + "\"fairness\":[{\"column\":\"sex\",\"metric\":\"parity\",\"max\":0.1}]}",
                "promotion policy: fairness[0]: fairness metric 'parity' is unknown");
        assertRefused(head + "\"dataValidation\":{\"schemaVersion\":1,\"name\":\"s\","
                + "\"constraints\":[{\"type\":\"sorted\",\"column\":\"a\"}]}}",
                "promotion policy: dataValidation: validation suite: constraints[0].type: unknown type 'sorted'");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"min\":1},{\"metric\":\"a\",\"min\":2}]}",
                "promotion policy: thresholds[1]: the policy already has min:a");
    }

    @Test
    @DisplayName("the builder fails fast at the wrong call")
    void failFast() {
        PromotionPolicy.Builder b = PromotionPolicy.builder("p");
        assertThatThrownBy(() -> PromotionPolicy.builder(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.minimum("auc", Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bound of auc is NaN, expected a finite number");
        assertThatThrownBy(() -> b.improvement("auc", true, -0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minChange of 'auc' is -0.1, expected a finite number >= 0 in the metric's units");
        assertThatThrownBy(() -> b.improvement("auc", true, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minChange of 'auc' is NaN, expected a finite number >= 0 in the metric's units");
        assertThatThrownBy(() -> b.relativeImprovement("auc", true, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("minFraction of 'auc' is NaN, expected a fraction in [0, 1]");
        assertThatThrownBy(() -> b.relativeImprovement("auc", true, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("minFraction of 'auc' is 1.5, expected a fraction in [0, 1]");
        assertThatThrownBy(() -> b.significance("my_metric", 0.05)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one (see Metrics.classification/regression)");
        assertThatThrownBy(() -> b.significance("accuracy", 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a level in (0, 1)");
        assertThatThrownBy(() -> b.maxLatencyP99Millis(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.dataValidation(ValidationSuite.builder("empty").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no constraints");
        assertThatThrownBy(() -> b.fairnessMax("sex", "demographic_parity_difference", -1))
                .isInstanceOf(IllegalArgumentException.class);
        b.minimum("auc", 0.8).maxLatencyP99Millis(10);
        assertThatThrownBy(() -> b.minimum("auc", 0.9)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the policy already has min:auc");
        assertThatThrownBy(() -> b.maxLatencyP99Millis(20)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.rule(null)).isInstanceOf(NullPointerException.class).hasMessage("rule");
        assertThat(b.build().rules()).containsExactly(new PromotionRule.Minimum("auc", 0.8), new PromotionRule.LatencyP99(10));
        assertThat(new PromotionRule.Improvement("x", true, 0).minChange()).isZero();
    }

    @Test
    @DisplayName("a non-inferiority margin is checked at the call: a NaN, negative or infinite margin, a relative one outside [0, 1]")
    void nonInferiorityFailsFast() {
        PromotionPolicy.Builder b = PromotionPolicy.builder("p");
        assertThatThrownBy(() -> b.nonInferiority("mae", false, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLoss of 'mae' is NaN, expected a finite number >= 0 in the metric's units");
        assertThatThrownBy(() -> b.nonInferiority("mae", false, -0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLoss of 'mae' is -0.1, expected a finite number >= 0 in the metric's units");
        assertThatThrownBy(() -> b.nonInferiority("mae", false, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is Infinity, expected a finite number");
        assertThatThrownBy(() -> b.relativeNonInferiority("mae", false, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLossFraction of 'mae' is NaN, expected a fraction of the champion's value in [0, 1] (0.02 = 2%)");
        assertThatThrownBy(() -> b.relativeNonInferiority("mae", false, 2.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLossFraction of 'mae' is 2.0, expected a fraction");
        assertThatThrownBy(() -> b.relativeNonInferiority("mae", false, -0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is -0.01, expected a fraction");
        assertThatThrownBy(() -> b.nonInferiority("log_loss", true, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'log_loss' is smaller-is-better, but greaterIsBetter was given as true");
        assertThatThrownBy(() -> b.nonInferiority(" ", true, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric name is blank");

        // the absolute and the relative margin are two rules, each at most once
        b.nonInferiority("mae", false, 0.1).relativeNonInferiority("mae", false, 0.05);
        assertThatThrownBy(() -> b.nonInferiority("mae", false, 0.2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the policy already has non_inferiority:mae");
        // a custom metric's direction must agree across every comparison with the champion
        b.improvement("profit", true, 0.0);
        assertThatThrownBy(() -> b.nonInferiority("profit", false, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the policy already compares 'profit' with the champion as greater-is-better, but"
                        + " greaterIsBetter was given as false");
        b.nonInferiority("churn", false, 0.01);
        assertThatThrownBy(() -> b.relativeImprovement("churn", true, 0.0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'churn' with the champion as smaller-is-better");
        PromotionPolicy p = b.build();
        assertThat(p.rules()).extracting(PromotionRule::key).containsExactly("non_inferiority:mae",
                "relative_non_inferiority:mae", "improvement:profit", "non_inferiority:churn");
        assertThat(PromotionPolicy.builder("only").nonInferiority("mae", false, 0.0).build().isEmpty()).isFalse();
        assertThat(p.toString()).isEqualTo("PromotionPolicy[p, 4 rules]");
    }

    @Test
    @DisplayName("a suite with a custom predicate works in code but cannot be stored; its id says so")
    void customPredicate() {
        PromotionPolicy p = PromotionPolicy.builder("p").dataValidation(ValidationSuite.builder("s")
                .customNumber("positive_age", "age", v -> v > 0).build()).build();
        assertThat(p.id()).isEqualTo("p@unstored");
        assertThatThrownBy(p::toJson).isInstanceOf(ValidationException.class);
        assertThat(p).isEqualTo(p).isNotEqualTo(PromotionPolicy.builder("p").dataValidation(ValidationSuite.builder("s")
                .customNumber("positive_age", "age", v -> v > 0).build()).build());
    }

    @Test
    @DisplayName("a repeated key, a too deep or too large document is refused, naming the field")
    void hostileInput() {
        String head = "{\"schema_version\":2,\"kind\":\"promotion-policy\",\"name\":\"p\",";
        String rule = "{\"type\":\"minimum\",\"metric\":\"a\",\"bound\":%s}";
        assertRefused(head + "\"rules\":[" + rule.formatted("0.9") + "],\"rules\":[" + rule.formatted("0.1") + "]}",
                "promotion policy: rules: the field appears twice; expected each field once in an object");
        assertRefused(head + "\"rules\":[" + rule.formatted("0.9,\"bound\":0.1") + "]}",
                "promotion policy: rules[0].bound: the field appears twice");
        assertRefused(head + "\"name\":\"q\"}", "promotion policy: name: the field appears twice");
        assertRefused(head + "\"rules\":[" + rule.formatted(JsonEdits.tooLongNumber()) + "]}",
                "promotion policy: rules[0].bound: a number too long");
        assertThatThrownBy(() -> PromotionPolicy.fromJson(head + "\"rules\":" + JsonEdits.nestedArrays(StrictJson.MAX_NESTING_DEPTH) + "}"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("promotion policy: rules[0]")
                .hasMessageEndingWith("nested too deeply; expected at most 64 levels of objects and arrays");
        assertRefused(head.replace("\"p\"", JsonEdits.tooLongString()) + "\"rules\":[]}",
                "promotion policy: name: a string too long");
    }

    private static void assertRefused(String json, String messageStart) {
        assertThatThrownBy(() -> PromotionPolicy.fromJson(json)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(messageStart);
    }
}
