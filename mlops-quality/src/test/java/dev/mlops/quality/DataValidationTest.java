package dev.mlops.quality;

import dev.mlops.quality.testing.TestFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.Constraint;
import dev.mlops.api.quality.ConstraintResult;
import dev.mlops.api.quality.Suggestion;
import dev.mlops.api.quality.SuggestionOptions;
import dev.mlops.api.quality.SuggestionResult;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import dev.mlops.api.quality.Verdict;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Data validation")
class DataValidationTest {

    static Map<String, Double> violations(ValidationResult r) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (ConstraintResult c : r.violations()) {
            out.put(c.name(), c.observed());
        }
        return out;
    }

    @Nested
    @DisplayName("on German credit")
    class GermanCredit {
        final Frame reference = TestFrames.germanCredit();

        @Test
        @DisplayName("every suggested constraint holds on the reference; a damaged copy violates exactly the damaged ones")
        void damagedCopy() {
            SuggestionResult s = DataValidation.suggest(reference, "german-credit");
            ValidationSuite suite = s.suite();
            // 21 columns: 21 types, 21 completeness, 20 category sets, 7 x (non-negative, min, max)
            assertThat(suite.constraints()).hasSize(s.suggestions().size()).hasSize(83);
            ValidationResult clean = DataValidation.validate(suite, reference);
            assertThat(clean.violations()).isEmpty();
            assertThat(clean.passed()).isTrue();
            assertThat(clean.results()).hasSize(suite.constraints().size()).allMatch(r -> r.verdict() == Verdict.PASS);

            String[] personal = reference.strings("personal_status");
            Arrays.fill(personal, 0, 30, "unknown");
            double[] amount = reference.numeric("credit_amount");
            amount[5] = -100;
            double[] age = reference.numeric("age");
            age[7] = 130;
            String[] purpose = reference.strings("purpose");
            Arrays.fill(purpose, 100, 200, null);
            Frame damaged = TestFrames.replace(TestFrames.replace(TestFrames.replace(TestFrames.replace(reference,
                    "personal_status", personal), "credit_amount", amount), "age", age), "purpose", purpose);

            ValidationResult r = DataValidation.validate(suite, damaged);
            assertThat(r.passed()).isFalse();
            assertThat(violations(r)).containsExactly(
                    entry("completeness(purpose)", 0.9),
                    entry("non_negative(credit_amount)", -100.0),
                    entry("min(credit_amount)", -100.0),
                    entry("contained_in(personal_status)", 0.03),
                    entry("contained_in(age)", 0.001),
                    entry("max(age)", 130.0));
            assertThat(r.result("max(age)").orElseThrow().message())
                    .isEqualTo("largest value of 'age' is 130.0, expected <= 75.0");
            assertThat(r.result("contained_in(personal_status)").orElseThrow().message())
                    .contains("0.03 (30 of 1000, such as ['unknown'])");
            assertThat(r.result("completeness(purpose)").orElseThrow().message())
                    .isEqualTo("completeness of 'purpose' is 0.9, expected >= 1.0");
        }

        @Test
        @DisplayName("suggestions name the Deequ rule and its evidence; lower bounds follow Deequ's binomial rule")
        void rules() {
            SuggestionResult s = DataValidation.suggest(reference, "german-credit");
            Map<String, String> rules = new LinkedHashMap<>();
            for (Suggestion x : s.suggestions()) {
                rules.put(x.constraint().name(), x.rule());
            }
            assertThat(rules).contains(entry("type(age)", "RetainTypeRule"),
                    entry("completeness(age)", "CompleteIfCompleteRule"),
                    entry("contained_in(personal_status)", "CategoricalRangeRule"),
                    entry("contained_in(duration)", "FractionalCategoricalRangeRule"),
                    entry("non_negative(credit_amount)", "NonNegativeNumbersRule"),
                    entry("min(credit_amount)", "HasMin"), entry("max(credit_amount)", "HasMax"));
            // 12 of 33 durations cover 0.906 of rows: bound = floor2(0.906 - 1.96 sqrt(0.906 * 0.094 / 1000)) = 0.88
            Constraint.ContainedIn duration = (Constraint.ContainedIn) s.suite().constraint("contained_in(duration)")
                    .orElseThrow();
            assertThat(duration.allowed()).hasSize(12).startsWith("24", "12", "18");
            assertThat(duration.maxOutsideShare()).isCloseTo(0.12, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(s.suite().constraint("contained_in(personal_status)").orElseThrow())
                    .isEqualTo(new Constraint.ContainedIn("personal_status",
                            List.of("male single", "female div/dep/mar", "male mar/wid", "male div/sep"), 0.0));
            // no column of German credit is unique
            assertThat(rules).doesNotContainValue("UniqueIfApproximatelyUniqueRule");
        }

        @Test
        @DisplayName("a column with 10% missing gets Deequ's retained-completeness bound 0.88")
        void retainCompleteness() {
            String[] purpose = reference.strings("purpose");
            for (int i = 0; i < purpose.length; i += 10) {
                purpose[i] = null;
            }
            Frame f = TestFrames.replace(reference, "purpose", purpose);
            SuggestionResult s = DataValidation.suggest(f, "x", SuggestionOptions.defaults().withRanges(false));
            assertThat(s.suite().constraint("completeness(purpose)").orElseThrow())
                    .isEqualTo(new Constraint.Completeness("purpose", 0.88));
            assertThat(s.suggestions()).filteredOn(x -> x.constraint().name().equals("completeness(purpose)"))
                    .singleElement().extracting(Suggestion::rule).isEqualTo("RetainCompletenessRule");
            assertThat(s.suite().constraint("min(age)")).isEmpty();
            assertThat(DataValidation.validate(s.suite(), f).passed()).isTrue();
        }

        @Test
        @DisplayName("the suggested suite survives a JSON round trip unchanged")
        void roundTrip() {
            ValidationSuite suite = DataValidation.suggest(reference, "german-credit",
                    SuggestionOptions.defaults().withStatistics(true, 0.1)).suite();
            String json = DataValidation.toJson(suite);
            assertThat(json).contains("\"schema_version\" : 2").contains("\"kind\" : \"validation-suite\"");
            assertThat(DataValidation.fromJson(json)).isEqualTo(suite);
        }
    }

    @Nested
    @DisplayName("on Seattle weather")
    class SeattleWeather {
        final Frame reference = TestFrames.seattleWeather();

        @Test
        @DisplayName("a damaged copy violates exactly the damaged constraints, with observed values")
        void damagedCopy() {
            ValidationSuite suite = DataValidation.suggest(reference, "seattle-weather").suite();
            assertThat(DataValidation.validate(suite, reference).passed()).isTrue();
            String[] date = reference.strings("date");
            date[1] = date[0];
            double[] precipitation = reference.numeric("precipitation");
            precipitation[10] = Double.NaN;
            String[] weather = reference.strings("weather");
            weather[3] = "hail";
            double[] tempMax = reference.numeric("temp_max");
            tempMax[4] = 41.0;
            Frame damaged = TestFrames.replace(TestFrames.replace(TestFrames.replace(TestFrames.replace(reference,
                    "date", date), "precipitation", precipitation), "weather", weather), "temp_max", tempMax);
            ValidationResult r = DataValidation.validate(suite, damaged);
            assertThat(violations(r)).containsExactly(
                    entry("uniqueness(date)", 1459.0 / 1461),
                    entry("completeness(precipitation)", 1460.0 / 1461),
                    entry("max(temp_max)", 41.0),
                    entry("contained_in(weather)", 1.0 / 1461));
        }

        @Test
        @DisplayName("a suite suggested from 2012-2013 flags the real changes of 2014-2015")
        void laterPeriod() {
            Frame early = reference.slice(0, 731);
            Frame late = reference.slice(731, reference.rowCount());
            ValidationSuite suite = DataValidation.suggest(early, "seattle-2012-2013").suite();
            ValidationResult r = DataValidation.validate(suite, late);
            // real weather: 2014-2015 had a hotter day, a colder day and a wetter day than 2012-2013 ever saw
            assertThat(violations(r)).containsExactly(entry("max(precipitation)", 55.9), entry("min(temp_max)", -1.6),
                    entry("max(temp_max)", 35.6));
            assertThat(r.result("max(temp_max)").orElseThrow().message())
                    .isEqualTo("largest value of 'temp_max' is 35.6, expected <= 34.4");
        }
    }

    @Nested
    @DisplayName("constraints")
    class Constraints {
        final Frame frame = Frame.ofColumns(Schema.of(new Field("id", FieldType.STRING), new Field("x", FieldType.DOUBLE)),
                List.of(new String[] {"a1", "a2", "b3", null}, new double[] {1.0, 2.0, Double.NaN, 5.0}));

        @Test
        @DisplayName("every kind reports its observed value; wrong types and missing columns fail with NaN and a reason")
        void everyKind() {
            ValidationSuite suite = ValidationSuite.builder("all")
                    .hasType("x", FieldType.INTEGER)
                    .completeness("id", 0.75)
                    .nonNegative("x")
                    .between("x", 1.0, 4.0)
                    .containedIn("id", List.of("a1", "a2"), 0.3)
                    .isUnique("id")
                    .matches("id", "^a\\d$", 0.6)
                    .mean("x", 2.0, 3.0)
                    .standardDeviation("x", 0.0, 1.0)
                    .rowCount(1, 3)
                    .customNumber("small", "x", v -> v < 3)
                    .add(new Constraint.Minimum("nope", 0))
                    .add(new Constraint.MatchesPattern("x", ".", 1.0))
                    .build();
            ValidationResult r = DataValidation.validate(suite, frame);
            Map<String, Double> observed = new LinkedHashMap<>();
            Map<String, Verdict> verdicts = new LinkedHashMap<>();
            for (ConstraintResult c : r.results()) {
                observed.put(c.name(), c.observed());
                verdicts.put(c.name(), c.verdict());
            }
            assertThat(observed).containsEntry("type(x)", 0.0).containsEntry("completeness(id)", 0.75)
                    .containsEntry("non_negative(x)", 1.0).containsEntry("min(x)", 1.0).containsEntry("max(x)", 5.0)
                    .containsEntry("contained_in(id)", 1.0 / 3).containsEntry("uniqueness(id)", 1.0)
                    .containsEntry("pattern(id)", 2.0 / 3).containsEntry("mean(x)", 8.0 / 3)
                    .containsEntry("row_count", 4.0).containsEntry("small", 2.0 / 3);
            assertThat(observed.get("stddev(x)")).isCloseTo(Math.sqrt(26.0 / 9), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(observed.get("min(nope)")).isNaN();
            assertThat(observed.get("pattern(x)")).isNaN();
            assertThat(verdicts).containsEntry("type(x)", Verdict.FAIL).containsEntry("completeness(id)", Verdict.PASS)
                    .containsEntry("non_negative(x)", Verdict.PASS).containsEntry("min(x)", Verdict.PASS)
                    .containsEntry("max(x)", Verdict.FAIL).containsEntry("contained_in(id)", Verdict.FAIL)
                    .containsEntry("uniqueness(id)", Verdict.PASS).containsEntry("pattern(id)", Verdict.PASS)
                    .containsEntry("mean(x)", Verdict.PASS).containsEntry("stddev(x)", Verdict.FAIL)
                    .containsEntry("row_count", Verdict.FAIL).containsEntry("small", Verdict.FAIL)
                    .containsEntry("min(nope)", Verdict.FAIL).containsEntry("pattern(x)", Verdict.FAIL);
            assertThat(r.result("min(nope)").orElseThrow().message()).contains("no column 'nope'");
            assertThat(r.result("pattern(x)").orElseThrow().message()).contains("is DOUBLE; a pattern applies to text");
            assertThat(r.result("type(x)").orElseThrow().message()).isEqualTo("column 'x' is DOUBLE, expected INTEGER");
        }

        @Test
        @DisplayName("an empty frame passes no value constraint")
        void emptyFrame() {
            Frame empty = frame.slice(0, 0);
            ValidationSuite suite = DataValidation.suggest(frame, "s").suite();
            ValidationResult r = DataValidation.validate(suite, empty);
            assertThat(r.rows()).isZero();
            assertThat(r.violations()).extracting(ConstraintResult::name)
                    .containsExactlyInAnyOrderElementsOf(suite.constraints().stream().map(Constraint::name)
                            .filter(n -> !n.startsWith("type(")).toList());
            assertThat(r.violations()).allMatch(c -> Double.isNaN(c.observed()));
        }

        @Test
        @DisplayName("a custom predicate that throws counts as failing and is named in the message")
        void customThrows() {
            ValidationSuite suite = ValidationSuite.builder("c").customText("short", "id", s -> {
                if (s.startsWith("b")) {
                    throw new IllegalStateException("boom");
                }
                return s.length() == 2;
            }).build();
            ConstraintResult r = DataValidation.validate(suite, frame).results().get(0);
            assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(r.observed()).isEqualTo(2.0 / 3);
            assertThat(r.message()).contains("the predicate threw IllegalStateException on b3");
        }

        @Test
        @DisplayName("the builder fails fast at the wrong call")
        void builderFailsFast() {
            ValidationSuite.Builder b = ValidationSuite.builder("s").isComplete("a");
            assertThatThrownBy(() -> b.completeness("a", 0.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'completeness(a)' is already in the suite");
            assertThatThrownBy(() -> b.completeness("b", 1.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("min is 1.5, expected a share in [0, 1]");
            assertThatThrownBy(() -> b.mean("b", 3, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reversed");
            assertThatThrownBy(() -> b.matches("b", "(")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not compile");
            assertThatThrownBy(() -> b.containedIn("b", List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.rowCount(5, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.remove("nope")).isInstanceOf(NotFoundException.class);
            ValidationSuite edited = b.replace(new Constraint.Completeness("a", 0.9)).build();
            assertThat(edited.constraints()).containsExactly(new Constraint.Completeness("a", 0.9));
            assertThat(edited.toBuilder().removeColumn("a").build().constraints()).isEmpty();
        }
    }

    @Nested
    @DisplayName("JSON")
    class JsonFormat {
        @Test
        @DisplayName("every serializable constraint kind round-trips")
        void everyKind() {
            ValidationSuite suite = ValidationSuite.builder("every-kind")
                    .hasType("a", FieldType.DATE).completeness("a", 0.95).nonNegative("n").between("n", -1.5, 2.25)
                    .containedIn("c", List.of("x", "y\"z", "ü"), 0.01).uniqueness("u", 0.5).matches("p", "^\\d+$", 0.9)
                    .mean("n", 0, 1).standardDeviation("n", 0.1, 0.2).rowCount(0, Long.MAX_VALUE).build();
            assertThat(suite.isSerializable()).isTrue();
            assertThat(DataValidation.fromJson(DataValidation.toJson(suite))).isEqualTo(suite);
        }

        @Test
        @DisplayName("a custom predicate cannot be written, and the message names it")
        void custom() {
            ValidationSuite suite = ValidationSuite.builder("s").isComplete("a").customNumber("positive", "a", v -> v > 0)
                    .build();
            assertThat(suite.isSerializable()).isFalse();
            assertThatThrownBy(() -> DataValidation.toJson(suite)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'positive' is a custom predicate (code) and cannot be written as JSON");
            assertThat(DataValidation.fromJson(DataValidation.toJson(suite.toBuilder().remove("positive").build()))
                    .constraints()).containsExactly(new Constraint.Completeness("a", 1.0));
        }

        @Test
        @DisplayName("malformed documents are refused with what is wrong")
        void malformed() {
            assertThatThrownBy(() -> DataValidation.fromJson("{\"schema_version\":3,\"name\":\"s\",\"constraints\":[]}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("validation suite: schema_version: version 3 is not one this library reads; expected 2");
            assertThatThrownBy(() -> DataValidation.fromJson("{\"schema_version\":2,\"name\":\"s\",\"constraints\":"
                    + "[{\"type\":\"completeness\",\"column\":\"a\",\"min\":1.0},{\"type\":\"sorted\",\"column\":\"a\"}]}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("validation suite: constraints[1].type: unknown type 'sorted'");
            assertThatThrownBy(() -> DataValidation.fromJson("{\"schema_version\":2,\"name\":\"s\",\"constraints\":"
                    + "[{\"type\":\"completeness\",\"column\":\"a\"}]}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("validation suite: constraints[0].min: missing; expected a number");
            assertThatThrownBy(() -> DataValidation.fromJson("{\"schema_version\":2,\"name\":\"s\",\"constraints\":"
                    + "[{\"type\":\"completeness\",\"column\":\"a\",\"min\":2}]}"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("validation suite: constraints[0]: ")
                    .hasMessageContaining("min is 2.0");
            assertThatThrownBy(() -> DataValidation.fromJson("{\"schema_version\":2,\"name\":\"s\",\"constraints\":"
                    + "[{\"type\":\"has_type\",\"column\":\"a\",\"fieldType\":\"DOUBLE\"}]}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("validation suite: constraints[0].field_type: missing; expected a string");
            assertThatThrownBy(() -> DataValidation.fromJson("{\"schema_version\":2,\"name\":\"s\",\"constraints\":[],\"name\":\"t\"}"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("validation suite: name: the field appears twice");
            // schema 1, camelCase, still reads
            assertThat(DataValidation.fromJson("{\"schemaVersion\":1,\"kind\":\"validation-suite\",\"name\":\"s\",\"constraints\":"
                    + "[{\"type\":\"has_type\",\"column\":\"a\",\"fieldType\":\"DOUBLE\"},"
                    + "{\"type\":\"contained_in\",\"column\":\"b\",\"allowed\":[\"x\"],\"maxOutsideShare\":0.1}]}").constraints())
                    .containsExactly(new Constraint.HasType("a", FieldType.DOUBLE), new Constraint.ContainedIn("b", List.of("x"), 0.1));
            assertThatThrownBy(() -> DataValidation.fromJson("[1]")).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> DataValidation.fromJson("{")).isInstanceOf(ValidationException.class);
        }

        @Test
        @DisplayName("a validation result is written with observed values (NaN as null) and verdicts")
        void result() {
            Frame f = Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE)), List.of(new double[] {1, -2}));
            ValidationSuite suite = ValidationSuite.builder("s").nonNegative("x").min("y", 0).build();
            String json = DataValidation.toJson(DataValidation.validate(suite, f));
            assertThat(json).contains("\"kind\" : \"validation-result\"").contains("\"passed\" : false")
                    .contains("\"observed\" : -2.0").contains("\"observed\" : null").contains("\"verdict\" : \"FAIL\"");
        }
    }
}
