package dev.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.quality.ValidationSuite;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A validation state crosses between workers as plain numbers and text, and reads back exactly. */
@DisplayName("ValidationState as bytes")
class ValidationStateBytesTest {

    static final Schema SCHEMA = Schema.of(new Field("x", FieldType.DOUBLE), new Field("s", FieldType.STRING));

    static final ValidationSuite SUITE = ValidationSuite.builder("all").completeness("x", 0.5).nonNegative("x")
            .mean("x", -1, 1).standardDeviation("x", 0, 1e3).containedIn("s", List.of("a"), 0.5)
            .matches("s", "^a", 0.1).containedIn("x", List.of("0")).build();

    /** Cells that stress the format: NaN, ±0.0, ±Infinity, extremes, and text beyond ASCII. */
    static Frame awkward() {
        double[] x = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            -Double.MAX_VALUE, Double.MAX_VALUE, 1e-300, -3.5};
        String[] s = {null, "", "a", "\u00e9t\u00e9", "\ud83d\ude00", "\ud800 lone", "b\u0000c", "a", "a", "a"};
        return Frame.ofColumns(SCHEMA, List.of(x, s));
    }

    static ValidationState first(ValidationPlan plan, Frame frame) {
        ValidationState state = plan.counter().newState();
        state.addRows(frame.rowCount());
        DataValidation.count(plan, plan.counter(), state, frame);
        return state;
    }

    @Test
    @DisplayName("first and second pass states read back equal: same bytes again, same result, same merges")
    void roundTrip() {
        Frame frame = awkward();
        ValidationPlan plan = ValidationPlan.of(SUITE, frame.schema());
        ValidationState first = first(plan, frame);
        ValidationState second = plan.counter().secondPass(first);
        DataValidation.count(plan, plan.counter(), second, frame);

        ValidationState firstBack = ValidationState.fromBytes(first.toBytes());
        ValidationState secondBack = ValidationState.fromBytes(second.toBytes());
        assertThat(firstBack.toBytes()).isEqualTo(first.toBytes());
        assertThat(secondBack.toBytes()).isEqualTo(second.toBytes());
        assertThat(secondBack.isSecondPass()).isTrue();
        assertThat(firstBack.outsideExamples).isEqualTo(first.outsideExamples);
        assertThat(firstBack.outsideExamples.get(0)).contains("\ud800 lone", "b\u0000c");
        assertThat(plan.result(firstBack, secondBack, Map.of())).isEqualTo(plan.result(first, second, Map.of()));
        // merging read-back states gives what merging the originals gives, to the bit
        ValidationState merged = first(plan, frame).merge(first);
        ValidationState mergedBack = first(plan, frame).merge(firstBack);
        assertThat(mergedBack.toBytes()).isEqualTo(merged.toBytes());
        for (int i = 0; i < first.sums.length; i++) {
            assertThat(Double.doubleToRawLongBits(firstBack.sums[i].doubleValue()))
                    .isEqualTo(Double.doubleToRawLongBits(first.sums[i].doubleValue()));
        }
    }

    @Test
    @DisplayName("an empty state, a huge row count and exact sums of extreme values read back")
    void extremes() {
        ValidationPlan plan = ValidationPlan.of(SUITE, SCHEMA);
        ValidationState empty = plan.counter().newState();
        assertThat(ValidationState.fromBytes(empty.toBytes()).toBytes()).isEqualTo(empty.toBytes());

        ValidationState huge = plan.counter().newState();
        huge.addRows(Long.MAX_VALUE);
        for (double v : new double[] {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MIN_VALUE, -Double.MAX_VALUE * 0.5}) {
            plan.counter().acceptNumber(huge, 0, v);
        }
        ValidationState back = ValidationState.fromBytes(huge.toBytes());
        assertThat(back.rows()).isEqualTo(Long.MAX_VALUE);
        assertThat(back.sums[0].doubleValue()).isEqualTo(huge.sums[0].doubleValue());
        // a negative exact sum: two's complement through the top digit
        ValidationState negative = plan.counter().newState();
        plan.counter().acceptNumber(negative, 0, -1e-320);
        plan.counter().acceptNumber(negative, 0, -7.0);
        ValidationState negativeBack = ValidationState.fromBytes(negative.toBytes());
        assertThat(negativeBack.sums[0].doubleValue()).isEqualTo(-7.0);
        plan.counter().acceptNumber(negativeBack, 0, 7.0);
        assertThat(negativeBack.sums[0].doubleValue()).isEqualTo(-1e-320);
    }

    @Test
    @DisplayName("every truncation, trailing bytes, an unknown format and hostile counts are refused by name")
    void refusesBadBytes() {
        Frame frame = awkward();
        ValidationPlan plan = ValidationPlan.of(SUITE, frame.schema());
        byte[] good = first(plan, frame).toBytes();
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> ValidationState.fromBytes(cut)).as("first %d of %d bytes", n, good.length)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("validation state");
        }
        assertThatThrownBy(() -> ValidationState.fromBytes(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 bytes after its end");
        byte[] otherFormat = good.clone();
        otherFormat[0] = 9;
        assertThatThrownBy(() -> ValidationState.fromBytes(otherFormat)).hasMessageContaining("format 9, expected 1");
        byte[] manyColumns = good.clone();
        ByteBuffer.wrap(manyColumns).putInt(10, Integer.MAX_VALUE); // after format, pass, rows
        assertThatThrownBy(() -> ValidationState.fromBytes(manyColumns))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Integer.MAX_VALUE + " columns");
        byte[] negativeRows = good.clone();
        ByteBuffer.wrap(negativeRows).putLong(2, -5);
        assertThatThrownBy(() -> ValidationState.fromBytes(negativeRows)).hasMessageContaining("row count is -5");
    }
}
