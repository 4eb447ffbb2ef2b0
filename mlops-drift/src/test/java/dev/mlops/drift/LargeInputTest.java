package dev.mlops.drift;

import static dev.mlops.drift.DriftAnalysisTest.CLOCK;
import static dev.mlops.drift.DriftAnalysisTest.cycle;
import static dev.mlops.drift.DriftAnalysisTest.numeric;
import static dev.mlops.drift.DriftAnalysisTest.only;
import static dev.mlops.drift.DriftAnalysisTest.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.CategoryColumn;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.DriftReport;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What large CSV input needs from the analysis: dictionary-encoded columns compared by their
 * counts with the same results, a bound on distinct values per categorical column, columns
 * without values that never count as a type mismatch, and the checks on schemas alone.
 */
@DisplayName("DriftAnalysis on large input")
class LargeInputTest {

    private static DriftAnalysis.Builder analysis() {
        return DriftAnalysis.builder().clock(CLOCK);
    }

    @Nested
    @DisplayName("categorical columns are compared on their dictionary's counts")
    class Counts {
        @ParameterizedTest
        @EnumSource(value = DriftMethod.class, names = {"CHISQUARE", "CHI2_CONTINGENCY", "PSI", "KL_DIV", "JENSENSHANNON",
                "HELLINGER", "TVD"})
        @DisplayName("with bit-identical statistics to the method on the String[] samples")
        void sameAsStrings(DriftMethod m) {
            Random r = new Random(11);
            String[] ref = new String[3_000];
            String[] cur = new String[2_000];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = "c" + (int) Math.floor(Math.abs(r.nextGaussian()) * 4);
            }
            for (int i = 0; i < cur.length; i++) {
                cur[i] = "c" + (int) Math.floor(Math.abs(r.nextGaussian()) * 4.5);
            }
            StatResult direct = m.apply(ref, cur);
            ColumnDrift c = only(analysis().method(m).build().compare(strings("k", ref), strings("k", cur)));
            assertThat(c.statistic()).isEqualTo(direct.statistic());
            assertThat(c.pValue()).isEqualTo(direct.pValue());
        }

        @Test
        @DisplayName("numbers made categorical count runs of equal values: -0.0 and 0.0 are one category, as before")
        void numbersAsCategories() {
            double[] ref = cycle(300, 0.0, -0.0, 1, 2.5, 3, Double.NaN);
            double[] cur = cycle(200, 0.0, 1, 1, 2.5, 3);
            ColumnDrift c = only(analysis().categorical("x").build().compare(numeric("x", ref), numeric("x", cur)));
            String[] refText = {"0", "0", "1", "2.5", "3"};
            StatResult direct = DriftMethod.CHISQUARE.apply(DriftAnalysisTest.cycle(250, refText),
                    DriftAnalysisTest.cycle(200, "0", "1", "1", "2.5", "3"));
            assertThat(c.method()).isEqualTo("chisquare");
            assertThat(c.statistic()).isEqualTo(direct.statistic());
            assertThat(c.statistic()).isFinite();
            assertThat(c.distribution().labels()).containsExactly("0", "1", "2.5", "3");
            assertThat(c.missingShareReference()).isEqualTo(50.0 / 300);
            assertThat(c.referenceCount()).isEqualTo(250);
        }

        @Test
        @DisplayName("a categorical method on a numerical column counts distinct numbers, not a string per value")
        void methodOnNumbers() {
            double[] ref = cycle(500, 1, 2, 2, 3, -0.0);
            double[] cur = cycle(400, 1, 2, 3, 3, 0.0);
            String[] refText = DriftAnalysisTest.cycle(500, "1.0", "2.0", "2.0", "3.0", "0.0");
            String[] curText = DriftAnalysisTest.cycle(400, "1.0", "2.0", "3.0", "3.0", "0.0");
            for (DriftMethod m : List.of(DriftMethod.CHISQUARE, DriftMethod.CHI2_CONTINGENCY, DriftMethod.PSI)) {
                assertThat(m.apply(ref, cur)).isEqualTo(m.apply(refText, curText));
            }
        }
    }

    @Nested
    @DisplayName("numerical columns are sorted once")
    class SortedOnce {
        @ParameterizedTest
        @EnumSource(value = DriftMethod.class, names = {"WASSERSTEIN", "WASSERSTEIN_NORM", "ENERGY", "PSI", "KL_DIV",
                "JENSENSHANNON", "HELLINGER", "TVD", "KS", "T_TEST"})
        @DisplayName("the distances on the column's own sorted copy equal the method on the raw samples, bit for bit")
        void sameAsRaw(DriftMethod m) {
            Random r = new Random(5);
            double[] ref = new double[2_500];
            double[] cur = new double[1_700];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = Math.round(r.nextGaussian() * 1000) / 100.0;
            }
            for (int i = 0; i < cur.length; i++) {
                cur[i] = Math.round((r.nextGaussian() + 0.3) * 1000) / 100.0;
            }
            cur[7] = Double.NaN;
            ColumnDrift c = only(analysis().method(m).build().compare(numeric("x", ref), numeric("x", cur)));
            double[] curPresent = java.util.Arrays.stream(cur).filter(v -> !Double.isNaN(v)).toArray();
            StatResult direct = m.apply(ref, curPresent);
            assertThat(c.statistic()).isEqualTo(direct.statistic());
            assertThat(c.pValue()).isEqualTo(direct.pValue());
            // with a -0.0 the column takes the general path (the methods turn it into 0.0): still equal
            ref[3] = -0.0;
            ColumnDrift z = only(analysis().method(m).build().compare(numeric("x", ref), numeric("x", cur)));
            assertThat(z.statistic()).isEqualTo(m.apply(ref, curPresent).statistic());
        }
    }

    @Nested
    @DisplayName("a column with more distinct values than maxCategories")
    class TooManyCategories {
        static String[] ids(String prefix, int n) {
            String[] v = new String[n];
            for (int i = 0; i < n; i++) {
                v[i] = prefix + i;
            }
            return v;
        }

        @Test
        @DisplayName("gets no verdict and a note saying why; the other columns are compared as usual")
        void noVerdict() {
            Schema s = Schema.of(new Field("id", FieldType.STRING), new Field("x", FieldType.DOUBLE));
            Frame ref = Frame.ofColumns(s, List.of(ids("r", 50), cycle(50, 1, 2, 3)));
            Frame cur = Frame.ofColumns(s, List.of(ids("c", 40), cycle(40, 1, 2, 3)));
            DriftReport r = analysis().maxCategories(20).build().compare(ref, cur);
            ColumnDrift id = r.column("id").orElseThrow();
            assertThat(id.drifted()).isFalse();
            assertThat(id.statistic()).isNaN();
            assertThat(id.pValue()).isEmpty();
            assertThat(id.kind()).isEqualTo(ColumnKind.CATEGORICAL);
            assertThat(id.note()).hasValue("no verdict: the reference has more than 20 and the current data has more than 20"
                    + " distinct values, too many to compare as categories (an identifier or free text?); the limit is"
                    + " maxCategories (mlops: --max-categories)");
            assertThat(id.distribution().labels()).isEmpty();
            assertThat(id.referenceCount()).isEqualTo(50);
            assertThat(r.column("x").orElseThrow().statistic()).isNotNaN();
            assertThat(r.driftShare()).isZero(); // only x has a verdict, and it does not drift
            // at the limit it is compared
            assertThat(analysis().maxCategories(50).build().compare(ref.select(List.of("id")), ref.select(List.of("id")))
                    .column("id").orElseThrow().statistic()).isNotNaN();
        }

        @Test
        @DisplayName("a column read incomplete (values beyond a limit not kept) is never compared, whatever the analysis' limit")
        void incomplete() {
            Frame.Builder b = Frame.builder(Schema.of(new Field("id", FieldType.STRING))).maxCategories(3);
            for (String v : ids("u", 10)) {
                b.addRow(v);
            }
            b.addRow((Object) null);
            Frame ref = b.build();
            assertThat(ref.categories("id").complete()).isFalse();
            Frame cur = strings("id", "u1", "u2", "u1");
            ColumnDrift c = only(analysis().build().compare(ref, cur));
            assertThat(c.note()).hasValueSatisfying(n -> assertThat(n).startsWith("no verdict: the reference has more than 3 distinct"));
            assertThat(c.missingShareReference()).isEqualTo(1.0 / 11);
        }

        @Test
        @DisplayName("a numeric column made categorical with too many distinct values is not compared either")
        void numbersMadeCategorical() {
            double[] many = new double[100];
            for (int i = 0; i < many.length; i++) {
                many[i] = i * 0.5;
            }
            ColumnDrift c = only(analysis().categorical("t").maxCategories(30).build()
                    .compare(numeric("t", many), numeric("t", cycle(10, 1, 2))));
            assertThat(c.note()).hasValueSatisfying(n -> assertThat(n).contains("the reference has more than 30 distinct values"));
            assertThat(c.statistic()).isNaN();
        }

        @Test
        @DisplayName("maxCategories is checked at once, set once, and 10,000 by default")
        void builder() {
            assertThat(DriftAnalysis.builder().build().maxCategories()).isEqualTo(DriftAnalysis.DEFAULT_MAX_CATEGORIES)
                    .isEqualTo(10_000);
            assertThatThrownBy(() -> DriftAnalysis.builder().maxCategories(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 1, got 0");
            assertThatThrownBy(() -> DriftAnalysis.builder().maxCategories(5).maxCategories(6))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    @DisplayName("a column without any value on one side")
    class NoValues {
        @Test
        @DisplayName("cannot contradict the other side's type: no verdict, never a type mismatch (header-only, all NaN)")
        void notAMismatch() {
            Frame ref = numeric("temp", 1, 2, 3, 4);
            // a CSV column with only missing values, or a header-only file, is read as STRING
            Frame allMissing = Frame.ofColumns(Schema.of(new Field("temp", FieldType.STRING)),
                    List.of((Object) new String[] {null, null, null}));
            Frame noRows = Frame.ofColumns(Schema.of(new Field("temp", FieldType.STRING)), List.of((Object) new String[0]));
            ColumnDrift a = only(analysis().build().compare(ref, allMissing));
            assertThat(a.kind()).isEqualTo(ColumnKind.NUMERICAL);
            assertThat(a.statistic()).isNaN();
            assertThat(a.note()).hasValue("no verdict: the current data has only missing values (3 of 3)");
            assertThat(a.missingShareCurrent()).isEqualTo(1.0);
            ColumnDrift b = only(analysis().build().compare(ref, noRows));
            assertThat(b.note()).hasValue("no verdict: the current data has no rows");
            // and the other way round
            ColumnDrift c = only(analysis().build().compare(allMissing, ref));
            assertThat(c.note()).hasValue("no verdict: the reference has only missing values (3 of 3)");
            // a side with values still contradicts
            assertThatThrownBy(() -> analysis().build().compare(ref, strings("temp", "warm", null)))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("DOUBLE in the reference but STRING");
        }
    }

    @Nested
    @DisplayName("check(reference schema, current schema)")
    class Check {
        private final Schema ref = Schema.of(new Field("day", FieldType.DATE), new Field("temp", FieldType.DOUBLE),
                new Field("weather", FieldType.STRING));

        @Test
        @DisplayName("returns the columns compare would compare, DATE columns left out")
        void columns() {
            assertThat(analysis().build().check(ref, ref)).containsExactly("temp", "weather");
            assertThat(analysis().columns(List.of("weather", "day")).build().check(ref, ref)).containsExactly("weather", "day");
        }

        @Test
        @DisplayName("checkColumns: the name checks alone, on header rows")
        void names() {
            analysis().build().checkColumns(List.of("a", "b"), List.of("b", "a"));
            assertThatThrownBy(() -> analysis().build().checkColumns(List.of("a", "b"), List.of("a", "c")))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("the reference and the current data have different columns (only in the reference: 'b';"
                            + " only in the current data: 'c'); name the columns to compare to ignore the others");
            analysis().columns(List.of("a")).build().checkColumns(List.of("a", "b"), List.of("a", "c"));
            assertThatThrownBy(() -> analysis().columns(List.of("b")).build().checkColumns(List.of("a", "b"), List.of("a")))
                    .hasMessage("column 'b' is not in the current data; its columns are 'a'");
        }

        @Test
        @DisplayName("refuses what compare refuses, with compare's messages, before any value exists")
        void refuses() {
            Schema renamed = Schema.of(new Field("day", FieldType.DATE), new Field("temp_c", FieldType.DOUBLE),
                    new Field("weather", FieldType.STRING));
            assertThatThrownBy(() -> analysis().build().check(ref, renamed)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("only in the reference: 'temp'").hasMessageContaining("only in the current data: 'temp_c'");
            Schema text = Schema.of(new Field("day", FieldType.DATE), new Field("temp", FieldType.STRING),
                    new Field("weather", FieldType.STRING));
            assertThatThrownBy(() -> analysis().build().check(ref, text)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'temp' is DOUBLE in the reference but STRING in the current data");
            assertThat(analysis().categorical("temp").build().check(ref, text)).containsExactly("temp", "weather");
            assertThatThrownBy(() -> analysis().method(DriftMethod.KS).build().check(ref, ref))
                    .hasMessageContaining("ks does not accept categorical column 'weather'");
            assertThatThrownBy(() -> analysis().columns(List.of("wind")).build().check(ref, ref))
                    .hasMessageContaining("'wind' is not in the reference");
        }
    }

    @Test
    @DisplayName("CategoryColumn-built frames compare like String[]-built ones")
    void categoryColumnFrames() {
        String[] ref = cycle(40, "sun", "rain", "fog");
        String[] cur = cycle(30, "sun", "sun", "rain");
        Schema s = Schema.of(new Field("w", FieldType.STRING));
        DriftReport a = analysis().build().compare(strings("w", ref), strings("w", cur));
        DriftReport b = analysis().build().compare(Frame.ofColumns(s, List.of(CategoryColumn.of(ref))),
                Frame.ofColumns(s, List.of(CategoryColumn.of(cur))));
        assertThat(b).isEqualTo(a);
    }
}
