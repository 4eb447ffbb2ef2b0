package dev.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.mlops.json.testing.FormatProperties.DUPLICATE;

import dev.mlops.api.quality.Constraint;
import dev.mlops.api.ValidationException;
import dev.mlops.json.StrictJson;
import dev.mlops.json.testing.JsonEdits;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each quality document refuses a repeated key, an unknown field, a mistyped value, a too long
 * number and too deep nesting, naming the field's path; schema-1 documents (camelCase) still read.
 */
class QualityFormatsTest {
    @Test
    @DisplayName("each quality document refuses repeated keys, unknown and mistyped fields, naming the path")
    void quality() {
        String fairness = "{\"schema_version\":2,\"kind\":\"fairness\",\"sensitive\":\"sex\",\"positive_class\":\"good\","
                + "\"slices\":[{\"slice\":\"f\",\"count\":3,\"actual_positives\":1,\"predicted_positives\":1,\"selection_rate\":0.3,"
                + "\"true_positive_rate\":1,\"false_positive_rate\":0,\"accuracy\":1}],\"gaps\":{\"demographic_parity_difference\":0,"
                + "\"demographic_parity_ratio\":1,\"equalized_odds_difference\":0,\"equal_opportunity_difference\":0}}";
        assertThat(Fairness.fromJson(fairness).slices()).hasSize(1);
        assertRefused(Fairness::fromJson, fairness.replace("\"count\":3", "\"count\":3,\"count\":4"),
                "fairness report: slices[0].count" + DUPLICATE);
        assertRefused(Fairness::fromJson, fairness.replace("\"count\":3", "\"count\":3.5"),
                "fairness report: slices[0].count: expected an integer from -2147483648 to 2147483647, got the number 3.5");
        assertRefused(Fairness::fromJson, fairness.replace("\"count\":3", "\"count\":3,\"rows\":4"),
                "fairness report: slices[0].rows: unknown field");
        assertRefused(Fairness::fromJson, fairness.replace("\"demographic_parity_ratio\":1", "\"demographic_parity_ratio\":true"),
                "fairness report: gaps.demographic_parity_ratio: expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got true");
        // schema 1, camelCase (whose gaps were already snake_case), still reads
        String camel = fairness.replace("\"schema_version\":2", "\"schemaVersion\":1").replace("positive_class", "positiveClass")
                .replace("actual_positives", "actualPositives").replace("predicted_positives", "predictedPositives")
                .replace("selection_rate", "selectionRate").replace("true_positive_rate", "truePositiveRate")
                .replace("false_positive_rate", "falsePositiveRate");
        assertThat(Fairness.fromJson(camel)).isEqualTo(Fairness.fromJson(fairness));

        String suite = "{\"schema_version\":2,\"kind\":\"validation-suite\",\"name\":\"s\",\"constraints\":["
                + "{\"type\":\"contained_in\",\"column\":\"c\",\"allowed\":[\"a\"],\"max_outside_share\":0.1}]}";
        assertThat(DataValidation.fromJson(suite).constraints()).containsExactly(new Constraint.ContainedIn("c", List.of("a"), 0.1));
        assertRefused(DataValidation::fromJson, suite.replace("[\"a\"]", "[\"a\",1]"),
                "validation suite: constraints[0].allowed[1]: expected a string, got the number 1");
        assertRefused(DataValidation::fromJson, suite.replace("0.1}", "\"0.1\"}"),
                "validation suite: constraints[0].max_outside_share: expected a number, got the string '0.1'");
        assertRefused(DataValidation::fromJson, suite.replace("0.1}", JsonEdits.tooLongNumber() + "}"),
                "validation suite: constraints[0].max_outside_share: a number too long");
        assertRefused(DataValidation::fromJson, suite.replace("[\"a\"]", JsonEdits.nestedArrays(StrictJson.MAX_NESTING_DEPTH)),
                "validation suite: constraints[0].allowed[0]");

        String estimates = "{\"schema_version\":2,\"kind\":\"metric-estimates\",\"metrics\":[{\"metric\":\"auc\",\"value\":0.8,"
                + "\"lower\":0.7,\"upper\":0.9,\"confidence\":0.95,\"resamples\":100,\"skipped\":0,\"seed\":1}]}";
        assertThat(Bootstrap.estimatesFromJson(estimates)).hasSize(1);
        assertRefused(Bootstrap::estimatesFromJson, estimates.replace("\"seed\":1", "\"seed\":\"1\""),
                "metric estimates: metrics[0].seed: expected an integer, got the string '1'");
        assertRefused(Bootstrap::estimatesFromJson, estimates.replace("\"metrics\":[", "\"metric\":[],\"metrics\":["),
                "metric estimates: metric: unknown field; expected only [schema_version, kind, metrics]");
    }

    private static void assertRefused(Function<String, ?> read, String json, String messageStart) {
        assertThatThrownBy(() -> read.apply(json)).isInstanceOf(ValidationException.class).hasMessageStartingWith(messageStart);
    }
}
