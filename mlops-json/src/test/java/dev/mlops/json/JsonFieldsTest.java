package dev.mlops.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
    private static final String DOC = """
            {"name": "p", "count": 3, "share": 0.5, "on": true, "absent": null,
             "rules": [{"metric": "auc", "min": 0.7}, {"metric": "f1", "max": 1}],
             "edges": [1, "Infinity", "-Infinity", "NaN"], "cells": [1, 2], "tags": ["a", "b"],
             "nested": {"deep": {"x": 1}}}""";

    @Test
    @DisplayName("typed getters read each JSON type and the paths of nested objects")
    void reads() {
        JsonFields f = StrictJson.readObject(DOC, "doc");
        assertThat(f.text("name")).isEqualTo("p");
        assertThat(f.integer("count")).isEqualTo(3);
        assertThat(f.intValue("count")).isEqualTo(3);
        assertThat(f.number("share")).isEqualTo(0.5);
        assertThat(f.number("count")).isEqualTo(3.0);
        assertThat(f.bool("on")).isTrue();
        assertThat(f.has("absent")).isFalse();
        assertThat(f.optionalText("absent")).isEmpty();
        assertThat(f.optionalNumber("missing")).isEmpty();
        List<JsonFields> rules = f.objects("rules");
        assertThat(rules).extracting(JsonFields::path).containsExactly("rules[0]", "rules[1]");
        assertThat(rules.get(1).number("max")).isEqualTo(1.0);
        assertThat(f.numbersOrNonFinite("edges")).containsExactly(1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN);
        assertThat(f.integers("cells")).containsExactly(1, 2);
        assertThat(f.texts("tags")).containsExactly("a", "b");
        assertThat(f.object("nested").object("deep").path()).isEqualTo("nested.deep");
    }

    @Test
    @DisplayName("a wrong type, a missing field or null is refused with the path and what was expected")
    void refusesWrongTypes() {
        JsonFields f = StrictJson.readObject(DOC, "doc");
        assertRefused(() -> f.number("name"), "doc: name: expected a number, got the string 'p'");
        assertRefused(() -> f.integer("share"), "doc: share: expected an integer, got the number 0.5");
        assertRefused(() -> f.bool("count"), "doc: count: expected true or false, got the number 3");
        assertRefused(() -> f.text("on"), "doc: on: expected a string, got true");
        assertRefused(() -> f.text("absent"), "doc: absent: expected a string, got null");
        assertRefused(() -> f.text("missing"), "doc: missing: missing; expected a string");
        assertRefused(() -> f.objects("rules").get(0).text("min"), "doc: rules[0].min: expected a string, got the number 0.7");
        assertRefused(() -> f.object("nested").object("deep").text("x"), "doc: nested.deep.x: expected a string, got the number 1");
        assertRefused(() -> f.integers("edges"), "doc: edges[1]: expected an integer, got the string 'Infinity'");
        assertRefused(() -> f.numbersOrNonFinite("tags"), "doc: tags[0]: expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got the string 'a'");
        assertRefused(() -> f.objects("tags"), "doc: tags[0]: expected an object, got the string 'a'");
        assertRefused(() -> StrictJson.readObject("[1]", "doc"), "doc: expected a JSON object, got an array");
        assertRefused(() -> StrictJson.readObject("{\"n\": 3000000000}", "doc").intValue("n"),
                "doc: n: expected an integer from -2147483648 to 2147483647, got the number 3000000000");
    }

    @Test
    @DisplayName("end() refuses a field no getter asked for, naming it and the expected ones")
    void end() {
        JsonFields rule = StrictJson.readObject("{\"metric\": \"auc\", \"mni\": 0.7}", "policy");
        rule.text("metric");
        rule.has("min");
        assertRefused(rule::end, "policy: mni: unknown field; expected only [metric, min]");
        JsonFields ok = StrictJson.readObject("{\"metric\": \"auc\"}", "policy");
        ok.text("metric");
        ok.end();
        JsonFields nested = StrictJson.readObject("{\"rules\": [{\"metric\": \"auc\", \"x\": 1}]}", "policy");
        JsonFields first = nested.objects("rules").get(0);
        first.text("metric");
        assertRefused(first::end, "policy: rules[0].x: unknown field; expected only [metric]");
    }

    @Test
    @DisplayName("a legacy view finds camelCase names first, and snake_case ones the old form already had")
    void legacy() {
        JsonFields f = StrictJson.readObject("{\"schemaVersion\": 1, \"maxP99Millis\": 20, \"gaps\": {\"demographic_parity_difference\": 0.1}}",
                "policy").legacyCamelCase();
        assertThat(f.integer("schema_version")).isEqualTo(1);
        assertThat(f.number("max_p99_millis")).isEqualTo(20);
        assertThat(f.object("gaps").number("demographic_parity_difference")).isEqualTo(0.1);
        assertRefused(() -> f.text("max_p99_millis"), "policy: maxP99Millis: expected a string, got the number 20");
        f.end();
        assertThat(JsonFields.camelCase("greater_is_better")).isEqualTo("greaterIsBetter");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(ValidationException.class).hasMessage(message);
    }
}
