package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.FieldType;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ValidationSuite;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import dev.mlops.json.StrictJson;
import dev.mlops.json.testing.JsonEdits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {
    static PromotionPolicy full() {
        return PromotionPolicy.builder("credit-production").requireChampion(true)
                .minimum("roc_auc", 0.7).maximum("log_loss", 0.6)
                .relative("roc_auc", true, 0.01, 0.02).relative("log_loss", false, 0.0, Double.NaN)
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
        assertThat(back.relativeThresholds().get(1).minRelativeChange()).isEmpty();
        assertThat(back.nonInferiority()).containsExactly(new PromotionPolicy.NonInferiority("roc_auc", true, false, 0.005),
                new PromotionPolicy.NonInferiority("log_loss", false, true, 0.05));
        assertThat(json).contains("""
                  "non_inferiority" : [ {
                    "metric" : "roc_auc",
                    "greater_is_better" : true,
                    "max_absolute_loss" : 0.005
                  }, {
                    "metric" : "log_loss",
                    "greater_is_better" : false,
                    "max_relative_loss" : 0.05
                  } ],
                """);
        assertThat(back.significance().get(0).bootstrap()).isEqualTo(new BootstrapOptions(500, 0.9, 7));
        assertThat(back.maxLatencyP99Millis()).hasValue(25.0);
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
    @DisplayName("a policy without margins writes no non_inferiority field")
    void noMarginsNoField() {
        PromotionPolicy p = PromotionPolicy.builder("credit-production").minimum("roc_auc", 0.7)
                .relative("roc_auc", true, 0.01, Double.NaN).build();
        assertThat(p.toJson()).isEqualTo("""
                {
                  "schema_version" : 2,
                  "kind" : "promotion-policy",
                  "name" : "credit-production",
                  "require_champion" : false,
                  "thresholds" : [ {
                    "metric" : "roc_auc",
                    "min" : 0.7
                  } ],
                  "relative" : [ {
                    "metric" : "roc_auc",
                    "greater_is_better" : true,
                    "min_absolute_change" : 0.01
                  } ],
                  "significance" : [ ],
                  "fairness" : [ ]
                }""");
        PromotionPolicy withMargin = PromotionPolicy.fromJson(p.toJson().replace("\"significance\"",
                "\"non_inferiority\" : [ { \"metric\" : \"mae\", \"greater_is_better\" : false, \"max_absolute_loss\" : 0.1 } ],"
                        + " \"significance\""));
        assertThat(withMargin.nonInferiority()).containsExactly(new PromotionPolicy.NonInferiority("mae", false, false, 0.1));
        assertThat(withMargin.id()).isNotEqualTo(p.id());
        assertThat(PromotionPolicy.fromJson(p.toJson()).id()).isEqualTo(p.id());
    }

    @Test
    @DisplayName("a schema-1 policy (camelCase) still reads, equal to the policy it was written from, and is written back as schema 2")
    void schema1() {
        PromotionPolicy p = PromotionPolicy.builder("credit-production").minimum("roc_auc", 0.7)
                .relative("roc_auc", true, 0.01, Double.NaN).build();
        PromotionPolicy old = PromotionPolicy.fromJson(SCHEMA_1_NO_MARGINS);
        assertThat(old).isEqualTo(p);
        assertThat(old.toJson()).contains("\"schema_version\" : 2").doesNotContain("schemaVersion", "greaterIsBetter");
        PromotionPolicy full = full();
        String camel = full.toJson().replace("\"schema_version\" : 2", "\"schemaVersion\" : 1")
                .replace("\"require_champion\"", "\"requireChampion\"").replace("\"greater_is_better\"", "\"greaterIsBetter\"")
                .replace("\"min_absolute_change\"", "\"minAbsoluteChange\"").replace("\"min_relative_change\"", "\"minRelativeChange\"")
                .replace("\"non_inferiority\"", "\"nonInferiority\"").replace("\"max_absolute_loss\"", "\"maxAbsoluteLoss\"")
                .replace("\"max_relative_loss\"", "\"maxRelativeLoss\"").replace("\"max_p99_millis\"", "\"maxP99Millis\"")
                .replace("\"data_validation\"", "\"dataValidation\"").replace("\"field_type\"", "\"fieldType\"")
                .replace("\"max_outside_share\"", "\"maxOutsideShare\"").replace("\"champion_prediction\"", "\"championPrediction\"")
                .replace("\"positive_class\"", "\"positiveClass\"");
        assertThat(camel).doesNotContain("_version", "greater_is", "max_p99").contains("\"dataValidation\" : {\n    \"schemaVersion\" : 1");
        assertThat(PromotionPolicy.fromJson(camel)).isEqualTo(full);
        // the camelCase names are those of schema 1 only
        assertThatThrownBy(() -> PromotionPolicy.fromJson(camel.replace("\"schemaVersion\" : 1,\n  \"kind\"", "\"schema_version\" : 2,\n  \"kind\"")))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("promotion policy: relative[0].greater_is_better: missing; expected true or false");
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
        assertThat(p.thresholds()).containsExactly(new PromotionPolicy.Threshold("accuracy", true, 0.75));
        assertThat(p.significance().get(0).test()).isEqualTo(PromotionPolicy.Test.PAIRED_BOOTSTRAP);
        assertThat(p.significance().get(0).bootstrap()).isEqualTo(BootstrapOptions.defaults());
    }

    @Test
    @DisplayName("reading refuses unknown fields, missing and mistyped ones, and bad values, naming the place")
    void strictReading() {
        String head = "{\"schema_version\":2,\"kind\":\"promotion-policy\",\"name\":\"p\",";
        assertRefused(head + "\"treshold\":[]}", "promotion policy: treshold: unknown field; expected only [");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"min\":1},{\"metric\":\"b\"}]}",
                "promotion policy: thresholds[1]: needs exactly one of 'min' and 'max'");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"mni\":1}]}",
                "promotion policy: thresholds[0].mni: unknown field; expected only [metric, min, max]");
        assertRefused(head + "\"relative\":[{\"metric\":\"roc_auc\",\"min_absolute_change\":0.1}]}",
                "promotion policy: relative[0].greater_is_better: missing; expected true or false");
        assertRefused(head + "\"relative\":[{\"metric\":\"log_loss\",\"greater_is_better\":true,\"min_absolute_change\":0.1}]}",
                "promotion policy: relative[0]: metric 'log_loss' is smaller-is-better, but greaterIsBetter was given as true");
        assertRefused(head + "\"relative\":[{\"metric\":\"auc\",\"greater_is_better\":1,\"min_absolute_change\":0.1}]}",
                "promotion policy: relative[0].greater_is_better: expected true or false, got the number 1");
        assertThatThrownBy(() -> PromotionPolicy.fromJson(head
                + "\"relative\":[{\"metric\":\"auc\",\"greater_is_better\":true,\"min_relative_change\":5}]}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("expected a fraction in [0, 1]");
        String margin = "\"non_inferiority\":[{\"metric\":\"mae\",";
        assertRefused(head + margin + "\"greater_is_better\":false,\"max_absolute_loss\":0.1,\"max_relative_loss\":0.02}]}",
                "promotion policy: non_inferiority[0]: needs exactly one of 'max_absolute_loss' and 'max_relative_loss'");
        assertRefused(head + margin + "\"max_absolute_loss\":0.1}]}",
                "promotion policy: non_inferiority[0].greater_is_better: missing; expected true or false");
        assertRefused(head + margin + "\"greater_is_better\":false,\"margin\":0.1}]}",
                "promotion policy: non_inferiority[0].margin: unknown field; expected only [metric, greater_is_better, max_absolute_loss, max_relative_loss]");
        assertRefused(head + margin + "\"greater_is_better\":false,\"max_absolute_loss\":-0.1}]}",
                "promotion policy: non_inferiority[0]: maxAbsoluteLoss of 'mae' is -0.1, expected a finite number >= 0 in the metric's units");
        assertRefused(head + margin + "\"greater_is_better\":false,\"max_absolute_loss\":\"0.1\"}]}",
                "promotion policy: non_inferiority[0].max_absolute_loss: expected a number, got the string '0.1'");
        assertRefused(head + margin + "\"greater_is_better\":true,\"max_relative_loss\":0.1}]}",
                "promotion policy: non_inferiority[0]: metric 'mae' is smaller-is-better, but greaterIsBetter was given as true");
        assertRefused(head + margin + "\"greater_is_better\":false,\"max_absolute_loss\":0.1},"
                + "{\"metric\":\"mae\",\"greater_is_better\":false,\"max_absolute_loss\":0.2}]}",
                "promotion policy: non_inferiority[1]: the policy already has non_inferiority:mae");
        assertRefused(head + "\"significance\":[{\"metric\":\"accuracy\",\"test\":\"t\",\"alpha\":0.05}]}",
                "promotion policy: significance[0].test: unknown test 't'; expected 'paired_bootstrap' or 'mcnemar'");
        assertRefused(head + "\"significance\":[{\"metric\":\"accuracy\",\"alpha\":0.05,\"resamples\":100.5}]}",
                "promotion policy: significance[0].resamples: expected an integer from -2147483648 to 2147483647, got the number 100.5");
        assertRefused(head + "\"latency\":{\"max_p99_millis\":\"fast\"}}",
                "promotion policy: latency.max_p99_millis: expected a number, got the string 'fast'");
        assertRefused(head + "\"latency\":{\"max_p99_millis\":20,\"maxP99Millis\":20}}",
                "promotion policy: latency.maxP99Millis: unknown field; expected only [max_p99_millis]");
        assertThatThrownBy(() -> PromotionPolicy.fromJson(head + "\"fairness\":[{\"column\":\"sex\",\"metric\":\"parity\",\"max\":0.1}]}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("promotion policy: fairness[0]: fairness metric 'parity' is unknown");
        assertRefused(head + "\"data_validation\":{\"schema_version\":2,\"name\":\"s\","
                + "\"constraints\":[{\"type\":\"sorted\",\"column\":\"a\"}]}}",
                "promotion policy: data_validation.constraints[0].type: unknown type 'sorted'");
        assertRefused(head + "\"data_validation\":{\"schema_version\":2,\"name\":\"s\","
                + "\"constraints\":[{\"type\":\"completeness\",\"column\":\"a\",\"min\":1,\"mni\":1}]}}",
                "promotion policy: data_validation.constraints[0].mni: unknown field");
        assertRefused("{\"schemaVersion\":2,\"name\":\"p\"}",
                "promotion policy: schemaVersion: version 2 is not one this library reads; expected 2 (with snake_case names");
        assertRefused("{\"schema_version\":3,\"name\":\"p\"}", "promotion policy: schema_version: version 3 is not one");
        assertRefused("{\"name\":\"p\"}", "promotion policy: schema_version: missing; expected an integer");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"min\":1},{\"metric\":\"a\",\"min\":2}]}",
                "promotion policy: thresholds[1]: the policy already has min:a");
        assertRefused(head + "\"require_champion\":\"yes\"}",
                "promotion policy: require_champion: expected true or false, got the string 'yes'");
    }

    @Test
    @DisplayName("a repeated key, a too deep or too large document is refused, naming the field")
    void hostileInput() {
        String head = "{\"schema_version\":2,\"kind\":\"promotion-policy\",\"name\":\"p\",";
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"min\":0.9}],\"thresholds\":[{\"metric\":\"a\",\"min\":0.1}]}",
                "promotion policy: thresholds: the field appears twice; expected each field once in an object");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"min\":0.9,\"min\":0.1}]}",
                "promotion policy: thresholds[0].min: the field appears twice");
        assertRefused(head + "\"name\":\"q\"}", "promotion policy: name: the field appears twice");
        assertRefused(head + "\"thresholds\":[{\"metric\":\"a\",\"min\":" + JsonEdits.tooLongNumber() + "}]}",
                "promotion policy: thresholds[0].min: a number too long");
        assertThatThrownBy(() -> PromotionPolicy.fromJson(head + "\"fairness\":" + JsonEdits.nestedArrays(StrictJson.MAX_NESTING_DEPTH) + "}"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("promotion policy: fairness[0]")
                .hasMessageEndingWith("nested too deeply; expected at most 64 levels of objects and arrays");
        assertRefused(head.replace("\"p\"", JsonEdits.tooLongString()) + "\"thresholds\":[]}",
                "promotion policy: name: a string too long");
    }

    private static void assertRefused(String json, String messageStart) {
        assertThatThrownBy(() -> PromotionPolicy.fromJson(json)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    @DisplayName("the builder fails fast at the wrong call")
    void failFast() {
        PromotionPolicy.Builder b = PromotionPolicy.builder("p");
        assertThatThrownBy(() -> PromotionPolicy.builder(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.minimum("auc", Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bound of auc is NaN, expected a finite number");
        assertThatThrownBy(() -> b.relative("auc", true, -0.1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a finite number >= 0");
        assertThatThrownBy(() -> b.relative("auc", true, Double.NaN, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs minAbsoluteChange or minRelativeChange");
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
        assertThat(b.build().thresholds()).containsExactly(new PromotionPolicy.Threshold("auc", true, 0.8));
        assertThat(new PromotionPolicy.RelativeThreshold("x", true, OptionalDouble.of(0), OptionalDouble.empty())
                .minAbsoluteChange()).hasValue(0.0);
    }

    @Test
    @DisplayName("a non-inferiority margin is checked at the call: a NaN, negative or infinite margin, a relative one outside [0, 1]")
    void nonInferiorityFailsFast() {
        PromotionPolicy.Builder b = PromotionPolicy.builder("p");
        assertThatThrownBy(() -> b.nonInferiority("mae", false, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAbsoluteLoss of 'mae' is NaN, expected a finite number >= 0 in the metric's units");
        assertThatThrownBy(() -> b.nonInferiority("mae", false, -0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAbsoluteLoss of 'mae' is -0.1, expected a finite number >= 0 in the metric's units");
        assertThatThrownBy(() -> b.nonInferiority("mae", false, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is Infinity, expected a finite number");
        assertThatThrownBy(() -> b.relativeNonInferiority("mae", false, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRelativeLoss of 'mae' is NaN, expected a fraction of the champion's value in [0, 1] (0.02 = 2%)");
        assertThatThrownBy(() -> b.relativeNonInferiority("mae", false, 2.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRelativeLoss of 'mae' is 2.0, expected a fraction");
        assertThatThrownBy(() -> b.relativeNonInferiority("mae", false, -0.01)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is -0.01, expected a fraction");
        assertThatThrownBy(() -> b.nonInferiority("log_loss", true, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'log_loss' is smaller-is-better, but greaterIsBetter was given as true");
        assertThatThrownBy(() -> b.nonInferiority(" ", true, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric name is blank");
        assertThatThrownBy(() -> b.nonInferiority(null)).isInstanceOf(NullPointerException.class).hasMessage("margin");

        // the absolute and the relative margin are two rules, each at most once
        b.nonInferiority("mae", false, 0.1).relativeNonInferiority("mae", false, 0.05);
        assertThatThrownBy(() -> b.nonInferiority("mae", false, 0.2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the policy already has non_inferiority:mae");
        // a custom metric's direction must agree across every comparison with the champion
        b.relative("profit", true, 0.0, Double.NaN);
        assertThatThrownBy(() -> b.nonInferiority("profit", false, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the policy already compares 'profit' with the champion as greater-is-better, but"
                        + " greaterIsBetter was given as false");
        b.nonInferiority("churn", false, 0.01);
        assertThatThrownBy(() -> b.relative("churn", true, 0.0, Double.NaN)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'churn' with the champion as smaller-is-better");
        PromotionPolicy p = b.build();
        assertThat(p.nonInferiority()).extracting(PromotionPolicy.NonInferiority::checkName)
                .containsExactly("non_inferiority:mae", "relative_non_inferiority:mae", "non_inferiority:churn");
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
}
