package dev.mlops.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.api.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
    record Rule(String metricName, double min) {
    }

    record Policy(int schemaVersion, List<Rule> rules, boolean strict, Map<String, Integer> counts) {
    }

    enum Color { RED, GREEN }

    record Tagged(Color color, long count, String name) {
    }

    private static final String POLICY = """
            {"schema_version": 2, "rules": [{"metric_name": "auc", "min": 0.7}, {"metric_name": "f1", "min": 0.5}],
             "strict": true, "counts": {"a": 1}}""";

    @Nested
    @DisplayName("a repeated key")
    class Duplicates {
        @Test
        @DisplayName("is refused at the top level, naming the field")
        void topLevel() {
            assertThatThrownBy(() -> StrictJson.readTree("{\"thresholds\": [1], \"thresholds\": [2]}", "promotion policy"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("promotion policy: thresholds: the field appears twice; expected each field once in an object");
        }

        @Test
        @DisplayName("is refused deep in the document, naming the path")
        void nested() {
            String json = "{\"rules\": [{\"min\": 1}, {\"min\": 1}, {\"metric\": \"x\", \"min\": 1, \"min\": 2}]}";
            assertThatThrownBy(() -> StrictJson.readTree(json, "doc")).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("doc: rules[2].min: the field appears twice");
        }

        @Test
        @DisplayName("is refused by data binding too")
        void binding() {
            String json = POLICY.replace("\"strict\": true", "\"strict\": true, \"strict\": false");
            assertThatThrownBy(() -> StrictJson.read(json, Policy.class, "policy")).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("policy: strict: the field appears twice");
        }
    }

    @Nested
    @DisplayName("data binding")
    class Binding {
        @Test
        @DisplayName("reads and writes snake_case field names")
        void snakeCase() {
            Policy p = StrictJson.read(POLICY, Policy.class, "policy");
            assertThat(p).isEqualTo(new Policy(2, List.of(new Rule("auc", 0.7), new Rule("f1", 0.5)), true, Map.of("a", 1)));
            String written = new String(StrictJson.write(p), StandardCharsets.UTF_8);
            assertThat(written).contains("\"schema_version\":2", "\"metric_name\":\"auc\"").doesNotContain("metricName");
            assertThat(StrictJson.read(written, Policy.class, "policy")).isEqualTo(p);
        }

        @Test
        @DisplayName("refuses camelCase names, which only bindAsNamed reads (schema-1 documents)")
        void camelCase() {
            String camel = POLICY.replace("schema_version", "schemaVersion").replace("metric_name", "metricName");
            assertThatThrownBy(() -> StrictJson.read(camel, Policy.class, "policy")).isInstanceOf(ValidationException.class)
                    .hasMessage("policy: rules[0].metricName: unknown field; expected one of [metric_name, min]");
            assertThat(StrictJson.bindAsNamed(StrictJson.readTree(camel, "policy"), Policy.class, "policy"))
                    .isEqualTo(StrictJson.read(POLICY, Policy.class, "policy"));
        }

        @Test
        @DisplayName("refuses an unknown field, naming its path and the known ones")
        void unknown() {
            String json = POLICY.replace("\"min\": 0.5", "\"min\": 0.5, \"mni\": 0.6");
            assertThatThrownBy(() -> StrictJson.read(json, Policy.class, "policy")).isInstanceOf(ValidationException.class)
                    .hasMessage("policy: rules[1].mni: unknown field; expected one of [metric_name, min]");
        }

        @Test
        @DisplayName("does not coerce: a string is not a number, a number not a boolean or string, 1.5 not an integer")
        void noCoercion() {
            assertRefused(POLICY.replace("0.7", "\"0.7\""), "policy: rules[0].min: expected a number");
            assertRefused(POLICY.replace("\"strict\": true", "\"strict\": 1"), "policy: strict: expected true or false");
            assertRefused(POLICY.replace("\"strict\": true", "\"strict\": \"true\""), "policy: strict: expected true or false");
            assertRefused(POLICY.replace("\"schema_version\": 2", "\"schema_version\": 2.5"), "policy: schema_version: expected an integer");
            assertRefused(POLICY.replace("\"schema_version\": 2", "\"schema_version\": \"2\""), "policy: schema_version: expected an integer");
            assertRefused(POLICY.replace("\"auc\"", "12"), "policy: rules[0].metric_name: expected a string");
            assertRefused(POLICY.replace("\"auc\"", "true"), "policy: rules[0].metric_name: expected a string");
            assertRefused(POLICY.replace("\"schema_version\": 2", "\"schema_version\": null"), "policy: schema_version: expected an integer, got null");
            assertRefused(POLICY.replace("\"a\": 1", "\"a\": \"\""), "policy: counts.a: expected an integer");
            assertRefused(POLICY.replace("\"schema_version\": 2", "\"schema_version\": 3000000000"), "policy: schema_version:");
            assertRefused(POLICY.replace("\"rules\": [", "\"rules\": {\"x\": 1}, \"r\": ["), "policy: rules: expected an array");
        }

        @Test
        @DisplayName("reads enums by name only, not by number")
        void enums() {
            assertThat(StrictJson.read("{\"color\": \"RED\", \"count\": 1, \"name\": \"x\"}", Tagged.class, "t").color())
                    .isEqualTo(Color.RED);
            assertThatThrownBy(() -> StrictJson.read("{\"color\": 0, \"count\": 1, \"name\": \"x\"}", Tagged.class, "t"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("t: color: expected one of [RED, GREEN]");
            assertThatThrownBy(() -> StrictJson.read("{\"color\": \"BLUE\", \"count\": 1, \"name\": \"x\"}", Tagged.class, "t"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("t: color: expected one of [RED, GREEN], got the string 'BLUE'");
        }

        @Test
        @DisplayName("refuses a document that is null, empty, not JSON or followed by more")
        void notADocument() {
            assertRefused("null", "policy: the document is null; expected an object");
            assertRefused("", "policy: the document is empty");
            assertRefused("   ", "policy: the document is empty");
            assertRefused("{\"schema_version\": 2,}", "policy: line 1, column 22: not valid JSON");
            assertRefused(POLICY + " {}", "policy: ");
            assertRefused("[1, 2]", "policy: expected an object, got an array");
        }

        @Test
        @DisplayName("never instantiates a class a document names, even for a field annotated with class-name type ids")
        void noClassNames() {
            record Holder(@com.fasterxml.jackson.annotation.JsonTypeInfo(
                    use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.CLASS) Object value) {
            }
            assertThatThrownBy(() -> StrictJson.read("{\"value\": [\"java.util.ArrayList\", []]}", Holder.class, "doc"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("doc: value: ")
                    .hasMessageContaining("java.util.ArrayList");
        }

        private void assertRefused(String json, String messageStart) {
            assertThatThrownBy(() -> StrictJson.read(json, Policy.class, "policy")).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith(messageStart);
        }
    }

    @Nested
    @DisplayName("limits")
    class Limits {
        @Test
        @DisplayName("nesting: " + StrictJson.MAX_NESTING_DEPTH + " levels read, one more refused")
        void depth() {
            assertThat(StrictJson.readTree(nested(StrictJson.MAX_NESTING_DEPTH), "doc").isArray()).isTrue();
            assertThatThrownBy(() -> StrictJson.readTree(nested(StrictJson.MAX_NESTING_DEPTH + 1), "doc"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("doc: ")
                    .hasMessageEndingWith("nested too deeply; expected at most 64 levels of objects and arrays");
            String deepField = "{\"window\": {\"columns\": " + nested(StrictJson.MAX_NESTING_DEPTH) + "}}";
            assertThatThrownBy(() -> StrictJson.readTree(deepField, "doc")).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("doc: window.columns[0][0]");
        }

        @Test
        @DisplayName("numbers: " + StrictJson.MAX_NUMBER_LENGTH + " digits read, one more refused, naming the field")
        void numberLength() {
            String ok = "1" + "0".repeat(StrictJson.MAX_NUMBER_LENGTH - 1);
            assertThat(StrictJson.readTree("{\"n\": " + ok + "}", "doc").get("n").isNumber()).isTrue();
            assertThatThrownBy(() -> StrictJson.readTree("{\"n\": " + ok + "0}", "doc")).isInstanceOf(ValidationException.class)
                    .hasMessage("doc: n: a number too long; expected at most 100 digits");
            assertThatThrownBy(() -> StrictJson.readTree("{\"n\": 1." + ok + "}", "doc")).isInstanceOf(ValidationException.class)
                    .hasMessage("doc: n: a number too long; expected at most 100 digits");
        }

        @Test
        @DisplayName("strings: " + StrictJson.MAX_STRING_LENGTH + " characters read, one more refused")
        void stringLength() {
            String ok = "x".repeat(StrictJson.MAX_STRING_LENGTH);
            assertThat(StrictJson.readTree("{\"s\": \"" + ok + "\"}", "doc").get("s").textValue()).hasSize(ok.length());
            assertThatThrownBy(() -> StrictJson.readTree("{\"s\": \"" + ok + "x\"}", "doc"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("doc: s: a string too long; expected at most 16777216 characters");
        }

        @Test
        @DisplayName("documents: the mappers carry the documented length limit")
        void documentLength() {
            // a 256 MiB test input is too much for a unit test; the limit itself is pinned here
            assertThat(StrictJson.readConstraints()).hasSize(3).allSatisfy(c -> {
                assertThat(c.getMaxDocumentLength()).isEqualTo(StrictJson.MAX_DOCUMENT_LENGTH);
                assertThat(c.getMaxNestingDepth()).isEqualTo(StrictJson.MAX_NESTING_DEPTH);
                assertThat(c.getMaxNumberLength()).isEqualTo(StrictJson.MAX_NUMBER_LENGTH);
                assertThat(c.getMaxStringLength()).isEqualTo(StrictJson.MAX_STRING_LENGTH);
            });
        }

        private static String nested(int depth) {
            return "[".repeat(depth) + "]".repeat(depth);
        }
    }

    @Nested
    @DisplayName("writing")
    class Writing {
        @Test
        @DisplayName("stored form is compact and leaves out null fields; output form indents, sorts maps and writes nulls")
        void forms() {
            record Doc(String keptName, String absentValue, Map<String, Integer> counts) {
            }
            Doc d = new Doc("x", null, new java.util.LinkedHashMap<>(Map.of("b", 2)));
            d.counts().put("a", 1);
            assertThat(StrictJson.writeString(d)).isEqualTo("{\"kept_name\":\"x\",\"counts\":{\"b\":2,\"a\":1}}");
            assertThat(StrictJson.writeOutput(d)).isEqualTo("""
                    {
                      "kept_name" : "x",
                      "absent_value" : null,
                      "counts" : {
                        "a" : 1,
                        "b" : 2
                      }
                    }""");
        }

        @Test
        @DisplayName("a user's value keeps its own names")
        void userValues() {
            record Features(double tempMax, String city) {
            }
            JsonNode n = StrictJson.valueToTree(new Features(12.5, "seattle"));
            assertThat(n.fieldNames()).toIterable().containsExactly("tempMax", "city");
            assertThat(StrictJson.valueToTree(Double.NaN).asText()).isEqualTo("NaN");
        }
    }
}
