package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Frame")
class FrameTest {
    private static final Schema SCHEMA = Schema.of(new Field("temp", FieldType.DOUBLE), new Field("n", FieldType.INTEGER),
            new Field("weather", FieldType.STRING));

    private static Frame sample() {
        return Frame.builder(SCHEMA)
                .addRow(1.5, 1, "sun")
                .addRow(null, 2L, "rain")
                .addRow(3.5f, null, null)
                .addRow(Double.NaN, 4, 7)
                .build();
    }

    @Test
    @DisplayName("the builder stores numbers as doubles (null and NaN missing) and other values as text (null missing)")
    void builder() {
        Frame f = sample();
        assertThat(f.rowCount()).isEqualTo(4);
        assertThat(f.schema()).isEqualTo(SCHEMA);
        assertThat(f.numeric("temp")).containsExactly(1.5, Double.NaN, 3.5, Double.NaN);
        assertThat(f.numeric("n")).containsExactly(1.0, 2.0, Double.NaN, 4.0);
        assertThat(f.strings("weather")).containsExactly("sun", "rain", null, "7");
        assertThat(f.isNumeric("temp")).isTrue();
        assertThat(f.isNumeric("n")).isTrue();
        assertThat(f.isNumeric("weather")).isFalse();
        assertThat(f.toString()).contains("4 rows").contains("temp").contains("weather");
    }

    @Test
    @DisplayName("missing values are counted per column, not dropped")
    void missingCounts() {
        Frame f = sample();
        assertThat(f.missing("temp")).isEqualTo(2);
        assertThat(f.missing("n")).isEqualTo(1);
        assertThat(f.missing("weather")).isEqualTo(1);
        assertThat(f.numeric("temp")).hasSize(4);
    }

    @Test
    @DisplayName("ofColumns copies its input and accessors return copies")
    void copies() {
        double[] temp = {1.0, 2.0};
        String[] weather = {"sun", "rain"};
        Frame f = Frame.ofColumns(Schema.of(new Field("temp", FieldType.DOUBLE), new Field("weather", FieldType.STRING)),
                List.of(temp, weather));
        temp[0] = 99.0;
        weather[0] = "snow";
        assertThat(f.numeric("temp")).containsExactly(1.0, 2.0);
        assertThat(f.strings("weather")).containsExactly("sun", "rain");
        f.numeric("temp")[1] = -1.0;
        f.strings("weather")[1] = "fog";
        assertThat(f.numeric("temp")).containsExactly(1.0, 2.0);
        assertThat(f.strings("weather")).containsExactly("sun", "rain");
    }

    @Test
    @DisplayName("slice keeps rows [from, to) of every column; select keeps columns in the given order")
    void sliceAndSelect() {
        Frame f = sample();
        Frame middle = f.slice(1, 3);
        assertThat(middle.rowCount()).isEqualTo(2);
        assertThat(middle.numeric("n")).containsExactly(2.0, Double.NaN);
        assertThat(middle.strings("weather")).containsExactly("rain", null);
        assertThat(f.slice(2, 2).rowCount()).isZero();

        Frame picked = f.select(List.of("weather", "temp"));
        assertThat(picked.schema().fields()).extracting(Field::name).containsExactly("weather", "temp");
        assertThat(picked.rowCount()).isEqualTo(4);
        assertThat(picked.strings("weather")).containsExactly("sun", "rain", null, "7");
        assertThatThrownBy(() -> picked.numeric("n")).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("an empty schema or no rows gives an empty frame")
    void empty() {
        assertThat(Frame.ofColumns(Schema.EMPTY, List.of()).rowCount()).isZero();
        Frame none = Frame.builder(SCHEMA).build();
        assertThat(none.rowCount()).isZero();
        assertThat(none.numeric("temp")).isEmpty();
        assertThat(none.missing("weather")).isZero();
    }

    @Test
    @DisplayName("wrong column arrays, lengths and counts are rejected naming the column")
    void ofColumnsErrors() {
        Schema s = Schema.of(new Field("x", FieldType.DOUBLE), new Field("label", FieldType.STRING));
        assertThatThrownBy(() -> Frame.ofColumns(s, List.of(new double[1])))
                .isInstanceOf(ValidationException.class).hasMessageContaining("2 columns, 1 were given");
        assertThatThrownBy(() -> Frame.ofColumns(s, List.of(new String[1], new String[1])))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'x'").hasMessageContaining("double[]");
        assertThatThrownBy(() -> Frame.ofColumns(s, List.of(new double[1], new double[1])))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'label'").hasMessageContaining("String[]");
        assertThatThrownBy(() -> Frame.ofColumns(s, List.of(new double[2], new String[3])))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'label' has 3 rows");
        assertThatThrownBy(() -> Frame.ofColumns(s, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("the builder rejects a row of the wrong width and a non-number in a numeric column")
    void builderErrors() {
        Frame.Builder b = Frame.builder(SCHEMA);
        assertThatThrownBy(() -> b.addRow(1.0, 2)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("row 1 has 2 values");
        assertThatThrownBy(() -> b.addRow("warm", 2, "sun")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'temp'").hasMessageContaining("String");
        assertThat(b.addRow(1.0, 2, "sun").build().rowCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("accessors name an unknown column or the wrong kind of column")
    void accessorErrors() {
        Frame f = sample();
        assertThatThrownBy(() -> f.numeric("wind")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'wind'").hasMessageContaining("temp");
        assertThatThrownBy(() -> f.numeric("weather")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'weather'");
        assertThatThrownBy(() -> f.strings("temp")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("'temp'");
        assertThatThrownBy(() -> f.missing("wind")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> f.slice(2, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.slice(3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.select(List.of("temp", "temp"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> Schema.of(new Field("a", FieldType.DOUBLE), new Field("a", FieldType.STRING)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'a'");
    }
}
