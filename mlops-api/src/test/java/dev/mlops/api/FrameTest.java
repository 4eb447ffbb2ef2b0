package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
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

    @Nested
    @DisplayName("non-numeric columns are dictionary-encoded")
    class Dictionary {
        @Test
        @DisplayName("each distinct value is kept once, in first-seen order, and each row holds a code into it")
        void encoding() {
            Frame f = Frame.builder(Schema.of(new Field("weather", FieldType.STRING)))
                    .addRow("sun").addRow("rain").addRow((Object) null).addRow("sun").addRow("fog").addRow("rain").build();
            CategoryColumn c = f.categories("weather");
            assertThat(c.dictionary()).containsExactly("sun", "rain", "fog");
            assertThat(c.codes()).containsExactly(0, 1, CategoryColumn.MISSING, 0, 2, 1);
            assertThat(c.counts()).containsExactly(2, 2, 1);
            assertThat(c.missing()).isEqualTo(1);
            assertThat(c.complete()).isTrue();
            assertThat(c.value(3)).isEqualTo("sun");
            assertThat(c.value(2)).isNull();
            assertThat(f.strings("weather")).containsExactly("sun", "rain", null, "sun", "fog", "rain");
            // the decoded strings are the dictionary's own objects, not one string per row
            assertThat(f.strings("weather")[0]).isSameAs(f.strings("weather")[3]);
            assertThatThrownBy(() -> c.dictionary().add("snow")).isInstanceOf(UnsupportedOperationException.class);
            c.codes()[0] = 9;
            assertThat(c.code(0)).isZero();
        }

        @Test
        @DisplayName("ofColumns takes a String[] (encoded) or a CategoryColumn (shared, it is immutable)")
        void ofColumns() {
            Schema s = Schema.of(new Field("a", FieldType.STRING), new Field("b", FieldType.BOOLEAN));
            CategoryColumn b = CategoryColumn.of("true", "false", "true");
            Frame f = Frame.ofColumns(s, List.of(new String[] {"x", null, "x"}, b));
            assertThat(f.categories("a").dictionary()).containsExactly("x");
            assertThat(f.categories("b")).isSameAs(b);
            assertThat(f.missing("a")).isEqualTo(1);
            assertThat(f.rowCount()).isEqualTo(3);
            assertThatThrownBy(() -> Frame.ofColumns(s, List.of(b, CategoryColumn.of("x"))))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("'b' has 1 rows");
            assertThatThrownBy(() -> f.categories("nope")).isInstanceOf(NotFoundException.class);
            Frame numbers = Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE)), List.of(new double[] {1}));
            assertThatThrownBy(() -> numbers.categories("x")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'x' is numeric");
        }

        @Test
        @DisplayName("a slice keeps only the values its rows hold")
        void slice() {
            Frame f = Frame.ofColumns(Schema.of(new Field("w", FieldType.STRING)),
                    List.of((Object) new String[] {"sun", "rain", "fog", null, "fog", "sun"}));
            CategoryColumn middle = f.slice(2, 5).categories("w");
            assertThat(middle.dictionary()).containsExactly("fog");
            assertThat(middle.codes()).containsExactly(0, CategoryColumn.MISSING, 0);
            assertThat(middle.missing()).isEqualTo(1);
            assertThat(f.slice(1, 1).categories("w").dictionary()).isEmpty();
        }

        @Test
        @DisplayName("with maxCategories, values beyond the limit are not kept: the column is incomplete and says so")
        void limit() {
            Frame.Builder b = Frame.builder(Schema.of(new Field("id", FieldType.STRING), new Field("x", FieldType.DOUBLE)))
                    .maxCategories(2);
            for (String id : new String[] {"a", "b", "a", "c", null, "d", "b"}) {
                b.addRow(id, 1.0);
            }
            Frame f = b.build();
            CategoryColumn id = f.categories("id");
            assertThat(id.complete()).isFalse();
            assertThat(id.dictionary()).containsExactly("a", "b");
            assertThat(id.codes()).containsExactly(0, 1, 0, CategoryColumn.NOT_KEPT, CategoryColumn.MISSING,
                    CategoryColumn.NOT_KEPT, 1);
            assertThat(id.notKept()).isEqualTo(2);
            assertThat(id.missing()).isEqualTo(1);
            assertThat(f.missing("id")).isEqualTo(1);
            assertThat(f.rowCount()).isEqualTo(7);
            assertThat(id.value(2)).isEqualTo("a");
            assertThatThrownBy(() -> id.value(3)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("at most 2 distinct values");
            assertThatThrownBy(() -> f.strings("id")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("2 rows").hasMessageContaining("not kept");
            assertThat(f.slice(0, 3).categories("id").complete()).isTrue();
            assertThat(f.slice(0, 4).categories("id").complete()).isFalse();
        }

        @Test
        @DisplayName("maxCategories is checked at once and only before values")
        void limitErrors() {
            assertThatThrownBy(() -> Frame.builder(SCHEMA).maxCategories(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 1, got 0");
            Frame.Builder b = Frame.builder(SCHEMA).addRow(1.0, 1, "a");
            assertThatThrownBy(() -> b.maxCategories(5)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    @DisplayName("the builder also takes values column by column")
    class Columns {
        @Test
        @DisplayName("addNumber and addText append to one column; build checks that the lengths agree")
        void appends() {
            Frame f = Frame.builder(SCHEMA)
                    .addNumber(0, 1.5).addNumber(0, Double.NaN)
                    .addNumber(1, 7).addNumber(1, 8)
                    .addText(2, "sun").addText(2, null)
                    .build();
            assertThat(f.rowCount()).isEqualTo(2);
            assertThat(f.numeric("temp")).containsExactly(1.5, Double.NaN);
            assertThat(f.numeric("n")).containsExactly(7.0, 8.0);
            assertThat(f.strings("weather")).containsExactly("sun", null);
        }

        @Test
        @DisplayName("many values cross storage blocks without losing or reordering any")
        void blocks() {
            int n = 200_003;
            Frame.Builder b = Frame.builder(Schema.of(new Field("x", FieldType.DOUBLE), new Field("k", FieldType.STRING)));
            for (int i = 0; i < n; i++) {
                b.addNumber(0, i).addText(1, "k" + (i % 7));
            }
            Frame f = b.build();
            double[] x = f.numeric("x");
            assertThat(x).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(x[i]).isEqualTo(i);
            }
            CategoryColumn k = f.categories("k");
            assertThat(k.dictionary()).hasSize(7);
            for (int i = 0; i < n; i += 9_973) {
                assertThat(k.value(i)).isEqualTo("k" + (i % 7));
            }
        }

        @Test
        @DisplayName("misuse is refused: wrong kind, unknown index, unequal lengths, a second build")
        void misuse() {
            Frame.Builder b = Frame.builder(SCHEMA);
            assertThatThrownBy(() -> b.addText(0, "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'temp'").hasMessageContaining("addNumber");
            assertThatThrownBy(() -> b.addNumber(2, 1.0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'weather'").hasMessageContaining("addText");
            assertThatThrownBy(() -> b.addNumber(3, 1.0)).isInstanceOf(IndexOutOfBoundsException.class);
            b.addNumber(0, 1.0);
            assertThatThrownBy(b::build).isInstanceOf(ValidationException.class).hasMessageContaining("'n' has 0 rows");
            Frame.Builder ok = Frame.builder(SCHEMA).addRow(1, 2, "x");
            ok.build();
            assertThatThrownBy(ok::build).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> ok.addRow(1, 2, "x")).isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("expectedRows sizes the columns at once; more or fewer rows than expected still work")
        void expected() {
            Schema s = Schema.of(new Field("x", FieldType.DOUBLE), new Field("k", FieldType.STRING));
            for (int rows : new int[] {0, 3, 5, 20_000}) {
                Frame.Builder b = Frame.builder(s).expectedRows(5);
                for (int i = 0; i < rows; i++) {
                    b.addRow(i, "k" + (i % 3));
                }
                Frame f = b.build();
                assertThat(f.rowCount()).isEqualTo(rows);
                double[] x = f.numeric("x");
                for (int i = 0; i < rows; i++) {
                    assertThat(x[i]).isEqualTo(i);
                    assertThat(f.categories("k").value(i)).isEqualTo("k" + (i % 3));
                }
                assertThat(f.slice(rows / 2, rows).numeric("x")).hasSize(rows - rows / 2);
            }
            assertThatThrownBy(() -> Frame.builder(s).expectedRows(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got -1");
            assertThatThrownBy(() -> Frame.builder(s).addRow(1, "a").expectedRows(4)).isInstanceOf(IllegalStateException.class);
            assertThat(Frame.builder(s).schema()).isEqualTo(s);
        }

        @Test
        @DisplayName("a schema without columns counts the rows added")
        void noColumns() {
            assertThat(Frame.builder(Schema.EMPTY).addRow().addRow().build().rowCount()).isEqualTo(2);
        }
    }
}
