package dev.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.quality.ValidationResult;
import dev.mlops.api.quality.ValidationSuite;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Validation from mergeable counts")
class ValidationPlanTest {

    static final Schema SCHEMA = Schema.of(new Field("x", FieldType.DOUBLE), new Field("s", FieldType.STRING));

    static Frame frame(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(15) == 0 ? Double.NaN : r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
            s[i] = r.nextInt(20) == 0 ? null : "v" + r.nextInt(40);
        }
        return Frame.ofColumns(SCHEMA, List.of(x, s));
    }

    static final ValidationSuite SUITE = ValidationSuite.builder("all").completeness("x", 0.5).nonNegative("x")
            .between("x", -1, 1).mean("x", -1, 1).standardDeviation("x", 0, 1e3).containedIn("s", List.of("v1", "v2"), 0.5)
            .matches("s", "^v1", 0.1).completeness("s", 0.99).rowCount(1, 10).containedIn("x", List.of("0")).build();

    /** Counts each part alone, merges the parts' states, as Spark does with partitions. */
    static ValidationResult inParts(ValidationSuite suite, Frame frame, int parts) {
        ValidationPlan plan = ValidationPlan.of(suite, frame.schema());
        ValidationCounter counter = plan.counter();
        ValidationState first = counter.newState();
        for (int p = parts - 1; p >= 0; p--) {
            first.merge(count(plan, counter.newState(), frame.slice(frame.rowCount() * p / parts,
                    frame.rowCount() * (p + 1) / parts)));
        }
        ValidationState second = counter.secondPass(first);
        for (int p = 0; p < parts; p++) {
            second.merge(count(plan, counter.secondPass(first), frame.slice(frame.rowCount() * p / parts,
                    frame.rowCount() * (p + 1) / parts)));
        }
        return plan.result(first, second, Map.of());
    }

    static ValidationState count(ValidationPlan plan, ValidationState state, Frame part) {
        if (!state.isSecondPass()) {
            state.addRows(part.rowCount());
        }
        DataValidation.count(plan, plan.counter(), state, part);
        return state;
    }

    @Test
    @DisplayName("states of parts merge into the in-process result, bit for bit, however the rows are split")
    void partsMerge() {
        Frame frame = frame(3000, 5);
        ValidationResult whole = DataValidation.validate(SUITE, frame);
        for (int parts : new int[] {1, 2, 7, 64}) {
            assertThat(inParts(SUITE, frame, parts)).as("%d parts", parts).isEqualTo(whole);
        }
    }

    @Test
    @DisplayName("the mean is of the exact sum: cancellation that naive summation loses is kept")
    void exactMean() {
        Frame f = Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE)), List.of(new double[] {1e100, 1.0, -1e100}));
        ValidationResult r = DataValidation.validate(ValidationSuite.builder("m").mean("x", 0, 1).build(), f);
        assertThat(r.results().get(0).observed()).isEqualTo(1.0 / 3);
    }

    @Test
    @DisplayName("examples of values outside the categories are the smallest five, whatever the row order")
    void smallestExamples() {
        Frame f = Frame.ofColumns(Schema.of(new Field("s", FieldType.STRING)),
                List.of((Object) new String[] {"z", "y", "ok", "x", "w", "v", "u", "a"}));
        ValidationResult r = DataValidation.validate(ValidationSuite.builder("c").containedIn("s", List.of("ok")).build(), f);
        assertThat(r.results().get(0).message()).contains("(7 of 8, such as ['a', 'u', 'v', 'w', 'x'])");
    }

    @Test
    @DisplayName("a custom predicate and missing inputs are refused by name")
    void refusals() {
        ValidationSuite custom = ValidationSuite.builder("c").customNumber("small", "x", v -> v < 1).build();
        ValidationPlan plan = ValidationPlan.of(custom, SCHEMA);
        assertThat(plan.unmergeable()).hasSize(1);
        assertThatThrownBy(() -> plan.result(plan.counter().newState(), null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'small' is a custom predicate");
        ValidationPlan unique = ValidationPlan.of(ValidationSuite.builder("u").isUnique("s").build(), SCHEMA);
        assertThat(unique.distinctColumns()).containsExactly("s");
        assertThatThrownBy(() -> unique.result(unique.counter().newState(), null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no distinct counts for 's'");
        ValidationPlan sd = ValidationPlan.of(ValidationSuite.builder("u").standardDeviation("x", 0, 1).build(), SCHEMA);
        assertThatThrownBy(() -> sd.result(sd.counter().newState(), null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("second-pass state is needed");
        ValidationState first = sd.counter().newState();
        assertThatThrownBy(() -> first.merge(sd.counter().secondPass(first)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different plans or passes");
        assertThatThrownBy(() -> first.merge(ValidationPlan.of(SUITE, SCHEMA).counter().newState()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different plans or passes");
    }
}
