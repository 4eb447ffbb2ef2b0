package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.ColumnKind;
import dev.mlops.api.drift.Distribution;
import dev.mlops.api.drift.DriftReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("DriftAnalysis")
class DriftAnalysisTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-31T12:00:00Z"), ZoneOffset.UTC);

    static DriftReport compare(Frame ref, Frame cur) {
        return DriftAnalysis.builder().clock(CLOCK).build().compare(ref, cur);
    }

    static Frame numeric(String name, double... values) {
        return Frame.ofColumns(Schema.of(new Field(name, FieldType.DOUBLE)), List.of(values));
    }

    static Frame strings(String name, String... values) {
        return Frame.ofColumns(Schema.of(new Field(name, FieldType.STRING)), List.of((Object) values));
    }

    @org.junit.jupiter.api.Test
    @DisplayName("a column reaching the largest doubles gets a verdict and a chart, every method of it")
    void extremeMagnitudes() {
        double[] ref = normal(1, 500, 0);
        double[] cur = normal(2, 500, 0.5);
        ref[0] = -Double.MAX_VALUE;
        ref[1] = Double.MAX_VALUE;
        cur[0] = Double.MAX_VALUE;
        for (DriftMethod method : List.of(DriftMethod.KS, DriftMethod.CVM, DriftMethod.ANDERSON, DriftMethod.MANN_WHITNEY,
                DriftMethod.T_TEST, DriftMethod.EPPS_SINGLETON, DriftMethod.WASSERSTEIN, DriftMethod.WASSERSTEIN_NORM,
                DriftMethod.ENERGY, DriftMethod.PSI, DriftMethod.KL_DIV, DriftMethod.JENSENSHANNON, DriftMethod.HELLINGER)) {
            DriftReport r = DriftAnalysis.builder().clock(CLOCK).method(method).build()
                    .compare(numeric("x", ref), numeric("x", cur));
            assertThat(r.columns()).as(method.id()).hasSize(1);
            assertThat(r.columns().get(0).distribution().labels()).as(method.id()).isNotEmpty();
            assertThat(DriftReportHtml.render(r)).as(method.id()).contains("<svg");
            assertThat(DriftReportJson.fromJson(DriftReportJson.toJson(r))).as(method.id()).isEqualTo(r);
        }
        // a profile of the column computes its moments the same way: finite, not overflowed
        ReferenceProfile.NumericalColumn col = (ReferenceProfile.NumericalColumn) ReferenceProfile.of(numeric("x", ref))
                .columns().get(0);
        assertThat(col.mean()).isFinite();
        assertThat(col.std()).isFinite().isGreaterThan(1e306);
    }

    static double[] normal(long seed, int n, double mean) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + r.nextGaussian();
        }
        return v;
    }

    static double[] cycle(int n, double... values) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = values[i % values.length];
        }
        return v;
    }

    static String[] cycle(int n, String... values) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            v[i] = values[i % values.length];
        }
        return v;
    }

    static ColumnDrift only(DriftReport r) {
        assertThat(r.columns()).hasSize(1);
        return r.columns().get(0);
    }

    @Nested
    @DisplayName("on real data: Seattle weather (values from scipy, gen_seattle_drift.py)")
    class Seattle {
        @Test
        @DisplayName("2012 vs 2015 (366 reference rows): ks for the numbers, chisquare for the weather; 3 of 5 drift")
        void smallReference() {
            DriftReport r = compare(SeattleWeather.year(2012), SeattleWeather.year(2015));
            assertThat(r.referenceRows()).isEqualTo(366);
            assertThat(r.currentRows()).isEqualTo(365);
            assertThat(r.createdAt()).isEqualTo(CLOCK.instant());
            assertThat(r.columns()).extracting(ColumnDrift::column)
                    .containsExactly("temp_max", "temp_min", "weather", "precipitation", "wind");
            assertThat(r.column("date")).isEmpty();
            expect(r, "precipitation", "ks", 0.09485739950595104, 0.06596320240903518, false);
            expect(r, "temp_max", "ks", 0.15254135788606932, 0.00031570876212856956, true);
            expect(r, "temp_min", "ks", 0.1180402724754847, 0.011236747256045688, true);
            expect(r, "wind", "ks", 0.07620330863088555, 0.21746699885142076, false);
            expect(r, "weather", "chisquare", 5914.244211349128, 0.0, true);
            assertThat(r.driftShare()).isEqualTo(0.6);
            assertThat(r.datasetDrift()).isTrue();
            assertThat(r.correction()).isEqualTo("none");
            assertThat(r.driftedColumns()).containsExactly("temp_max", "temp_min", "weather");
            for (ColumnDrift c : r.columns()) {
                assertThat(c.threshold()).isEqualTo(0.05);
                assertThat(c.missingShareReference()).isZero();
                assertThat(c.referenceCount()).isEqualTo(366);
                assertThat(c.currentCount()).isEqualTo(365);
                assertThat(c.note()).isEmpty();
                assertThat(c.adjustedPValue()).isEmpty();
            }
        }

        @Test
        @DisplayName("2012-2014 vs 2015 (1,096 reference rows): wasserstein_norm and jensenshannon at 0.1; 4 of 5 drift")
        void largeReference() {
            DriftReport r = compare(SeattleWeather.rows(d -> !d.startsWith("2015")), SeattleWeather.year(2015));
            expect(r, "precipitation", "wasserstein_norm", 0.10202991828438406, Double.NaN, true);
            expect(r, "temp_max", "wasserstein_norm", 0.17999363932833792, Double.NaN, true);
            expect(r, "temp_min", "wasserstein_norm", 0.15824746633735928, Double.NaN, true);
            expect(r, "wind", "wasserstein_norm", 0.09153627419861422, Double.NaN, false);
            expect(r, "weather", "jensenshannon", 0.30445121697193245, Double.NaN, true);
            assertThat(r.column("wind").orElseThrow().threshold()).isEqualTo(0.1);
            assertThat(r.driftShare()).isEqualTo(0.8);
        }

        @Test
        @DisplayName("Bonferroni keeps temp_max and weather; Benjamini-Hochberg also temp_min")
        void corrections() {
            Frame ref = SeattleWeather.year(2012);
            Frame cur = SeattleWeather.year(2015);
            DriftReport bonferroni = DriftAnalysis.builder().correction(Correction.BONFERRONI).build().compare(ref, cur);
            assertThat(bonferroni.correction()).isEqualTo("bonferroni");
            assertThat(bonferroni.driftedColumns()).containsExactly("temp_max", "weather");
            assertThat(bonferroni.column("temp_min").orElseThrow().adjustedPValue().getAsDouble())
                    .isCloseTo(5 * 0.011236747256045688, within(1e-12));
            assertThat(bonferroni.column("wind").orElseThrow().adjustedPValue().getAsDouble()).isEqualTo(1.0);
            assertThat(bonferroni.driftShare()).isEqualTo(0.4);
            assertThat(bonferroni.datasetDrift()).isFalse();

            DriftReport bh = DriftAnalysis.builder().correction(Correction.BENJAMINI_HOCHBERG).build().compare(ref, cur);
            assertThat(bh.correction()).isEqualTo("benjamini-hochberg");
            assertThat(bh.driftedColumns()).containsExactly("temp_max", "temp_min", "weather");
            assertThat(bh.column("temp_min").orElseThrow().adjustedPValue().getAsDouble())
                    .isCloseTo(0.011236747256045688 * 5 / 3, within(1e-12));
            // the raw p-value is kept next to the adjusted one
            assertThat(bh.column("temp_min").orElseThrow().pValue().getAsDouble()).isEqualTo(
                    compare(ref, cur).column("temp_min").orElseThrow().pValue().getAsDouble());
        }

        @Test
        @DisplayName("a correction leaves distance columns alone")
        void correctionSkipsDistances() {
            DriftReport r = DriftAnalysis.builder().columnMethod("temp_max", DriftMethod.PSI)
                    .correction(Correction.BONFERRONI).build().compare(SeattleWeather.year(2012), SeattleWeather.year(2015));
            assertThat(r.column("temp_max").orElseThrow().adjustedPValue()).isEmpty();
            assertThat(r.column("temp_min").orElseThrow().adjustedPValue().getAsDouble())
                    .isCloseTo(4 * 0.011236747256045688, within(1e-12));
        }

        private void expect(DriftReport r, String column, String method, double statistic, double p, boolean drifted) {
            ColumnDrift c = r.column(column).orElseThrow();
            assertThat(c.method()).as(column).isEqualTo(method);
            assertThat(c.statistic()).as(column).isCloseTo(statistic, within(Math.abs(statistic) * 1e-9));
            if (Double.isNaN(p)) {
                assertThat(c.pValue()).as(column).isEmpty();
            } else {
                assertThat(c.pValue().getAsDouble()).as(column).isCloseTo(p, within(Math.max(p * 1e-6, 1e-300)));
            }
            assertThat(c.drifted()).as(column).isEqualTo(drifted);
            assertThat(c.kind()).isEqualTo(column.equals("weather") ? ColumnKind.CATEGORICAL : ColumnKind.NUMERICAL);
        }
    }

    @Nested
    @DisplayName("default method, as Evidently's _get_default_stattest")
    class Defaults {
        @Test
        @DisplayName("the rule table")
        void rule() {
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, 1000, 6)).isEqualTo(DriftMethod.KS);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, 1000, 5)).isEqualTo(DriftMethod.CHISQUARE);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, 1000, 3)).isEqualTo(DriftMethod.CHISQUARE);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, 1000, 2)).isEqualTo(DriftMethod.Z);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, 0, 0)).isEqualTo(DriftMethod.Z);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.CATEGORICAL, 10, 1000)).isEqualTo(DriftMethod.CHISQUARE);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.CATEGORICAL, 10, 2)).isEqualTo(DriftMethod.Z);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, 1001, 6)).isEqualTo(DriftMethod.WASSERSTEIN_NORM);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, 1001, 5)).isEqualTo(DriftMethod.JENSENSHANNON);
            assertThat(DriftAnalysis.defaultMethod(ColumnKind.CATEGORICAL, 1001, 2)).isEqualTo(DriftMethod.JENSENSHANNON);
            assertThatThrownBy(() -> DriftAnalysis.defaultMethod(ColumnKind.NUMERICAL, -1, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("1,000 reference values is small, 1,001 large; counted after removing missing values")
        void referenceSizeBoundary() {
            double[] cur = normal(2, 500, 0);
            assertThat(only(compare(numeric("x", normal(1, 1000, 0)), numeric("x", cur))).method()).isEqualTo("ks");
            assertThat(only(compare(numeric("x", normal(1, 1001, 0)), numeric("x", cur))).method())
                    .isEqualTo("wasserstein_norm");
            double[] withMissing = Arrays.copyOf(normal(1, 1000, 0), 1500);
            Arrays.fill(withMissing, 1000, 1500, Double.NaN);
            ColumnDrift c = only(compare(numeric("x", withMissing), numeric("x", cur)));
            assertThat(c.method()).isEqualTo("ks");
            assertThat(c.referenceCount()).isEqualTo(1000);
            assertThat(c.missingShareReference()).isCloseTo(1.0 / 3, within(1e-15));
        }

        @Test
        @DisplayName("distinct values are counted over reference and current together")
        void distinctOverBoth() {
            double[] ref = cycle(100, 0, 1);
            assertThat(only(compare(numeric("x", ref), numeric("x", cycle(100, 0, 1)))).method()).isEqualTo("z");
            assertThat(only(compare(numeric("x", ref), numeric("x", cycle(100, 0, 1, 2)))).method()).isEqualTo("chisquare");
            assertThat(only(compare(numeric("x", cycle(100, 1, 2, 3)), numeric("x", cycle(100, 4, 5, 6)))).method())
                    .isEqualTo("ks");
            assertThat(only(compare(numeric("x", cycle(100, 1, 2, 3)), numeric("x", cycle(100, 1, 2, 3, 4, 5)))).method())
                    .isEqualTo("chisquare");
            assertThat(only(compare(strings("c", cycle(50, "a", "b")), strings("c", cycle(50, "a", "b", "c")))).method())
                    .isEqualTo("chisquare");
            assertThat(only(compare(strings("c", cycle(50, "a", "b")), strings("c", cycle(50, "b")))).method())
                    .isEqualTo("z");
            assertThat(only(compare(strings("c", cycle(2000, "a", "b", "c")), strings("c", cycle(50, "b")))).method())
                    .isEqualTo("jensenshannon");
        }

        @Test
        @DisplayName("the column's statistic is the method's on the values left after removing missing ones")
        void sameAsTheMethod() {
            double[] ref = normal(3, 300, 0);
            double[] cur = normal(4, 200, 0.3);
            double[] refWithMissing = Arrays.copyOf(ref, 310);
            Arrays.fill(refWithMissing, 300, 310, Double.NaN);
            ColumnDrift c = only(compare(numeric("x", refWithMissing), numeric("x", cur)));
            StatResult direct = NumericalTests.kolmogorovSmirnov(ref, cur);
            assertThat(c.statistic()).isEqualTo(direct.statistic());
            assertThat(c.pValue()).isEqualTo(direct.pValue());
            assertThat(c.drifted()).isEqualTo(DriftMethod.KS.isDrift(direct, 0.05));
            assertThat(c.missingShareReference()).isEqualTo(10.0 / 310);
            assertThat(c.missingShareCurrent()).isZero();
        }
    }

    @Nested
    @DisplayName("edge cases give a defined result")
    class EdgeCases {
        @Test
        @DisplayName("an all-missing or empty side: no verdict, a note, NaN statistic, not in the drift share")
        void emptySides() {
            Schema s = Schema.of(new Field("x", FieldType.DOUBLE), new Field("c", FieldType.STRING));
            Frame ref = Frame.ofColumns(s, List.of(normal(1, 50, 0), cycle(50, "a", "b", "c")));
            double[] allNaN = new double[40];
            Arrays.fill(allNaN, Double.NaN);
            Frame cur = Frame.ofColumns(s, List.of(allNaN, cycle(40, "x", "y", "z")));
            DriftReport r = compare(ref, cur);
            ColumnDrift x = r.column("x").orElseThrow();
            assertThat(x.drifted()).isFalse();
            assertThat(x.statistic()).isNaN();
            assertThat(x.pValue()).isEmpty();
            assertThat(x.missingShareCurrent()).isEqualTo(1.0);
            assertThat(x.currentCount()).isZero();
            assertThat(x.note()).hasValueSatisfying(n -> assertThat(n)
                    .contains("no verdict").contains("current data has only missing values (40 of 40)"));
            assertThat(x.distribution().currentShares()).containsOnly(0.0);
            assertThat(x.distribution().referenceShares().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(1.0, within(1e-12));
            // c drifted (every category new); x has no verdict and is left out of the share
            assertThat(r.driftShare()).isEqualTo(1.0);
            assertThat(r.datasetDrift()).isTrue();
            assertThat(r.columns()).extracting(ColumnDrift::column).containsExactly("c", "x");

            Frame none = Frame.ofColumns(s, List.of(new double[0], new String[0]));
            DriftReport empty = compare(none, none);
            assertThat(empty.columns()).allSatisfy(c -> {
                assertThat(c.drifted()).isFalse();
                assertThat(c.missingShareReference()).isZero();
                assertThat(c.note()).hasValueSatisfying(n -> assertThat(n)
                        .contains("the reference has no rows and the current data has no rows"));
                assertThat(c.distribution().labels()).isEmpty();
            });
            assertThat(empty.driftShare()).isZero();
            assertThat(empty.datasetDrift()).isFalse();
        }

        @Test
        @DisplayName("constant columns: equal constants do not drift, different constants do")
        void constants() {
            ColumnDrift same = only(compare(numeric("x", cycle(20, 3.0)), numeric("x", cycle(30, 3.0))));
            assertThat(same.method()).isEqualTo("z");
            assertThat(same.pValue().getAsDouble()).isEqualTo(1.0);
            assertThat(same.drifted()).isFalse();
            ColumnDrift moved = only(compare(numeric("x", cycle(20, 3.0)), numeric("x", cycle(30, 4.0))));
            assertThat(moved.drifted()).isTrue();
            ColumnDrift big = only(DriftAnalysis.builder().method(DriftMethod.WASSERSTEIN_NORM).build()
                    .compare(numeric("x", cycle(2000, 3.0)), numeric("x", cycle(30, 3.0001))));
            assertThat(big.statistic()).isCloseTo(0.1, within(1e-9));
            assertThat(big.note()).hasValueSatisfying(n -> assertThat(n).contains("divided by 0.001"));
        }

        @Test
        @DisplayName("±Infinity: kept by rank tests, left out with a note by methods that need finite values")
        void infinities() {
            double[] ref = normal(5, 100, 0);
            double[] cur = Arrays.copyOf(normal(6, 100, 0), 103);
            cur[100] = Double.POSITIVE_INFINITY;
            cur[101] = Double.POSITIVE_INFINITY;
            cur[102] = Double.NEGATIVE_INFINITY;
            ColumnDrift ks = only(compare(numeric("x", ref), numeric("x", cur)));
            assertThat(ks.method()).isEqualTo("ks");
            assertThat(ks.currentCount()).isEqualTo(103);
            assertThat(ks.statistic()).isEqualTo(NumericalTests.kolmogorovSmirnov(ref, cur).statistic());
            assertThat(ks.note()).hasValueSatisfying(n -> assertThat(n)
                    .contains("0 reference and 3 current value(s) are infinite").contains("ks compares them"));
            assertThat(ks.missingShareCurrent()).isZero();

            ColumnDrift w = only(DriftAnalysis.builder().method(DriftMethod.WASSERSTEIN).build()
                    .compare(numeric("x", ref), numeric("x", cur)));
            assertThat(w.currentCount()).isEqualTo(100);
            assertThat(w.statistic()).isEqualTo(NumericalTests.wasserstein(ref, Arrays.copyOf(cur, 100)).statistic());
            assertThat(w.note()).hasValueSatisfying(n -> assertThat(n).contains("left out, wasserstein needs finite values"));

            double[] onlyInf = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            ColumnDrift none = only(DriftAnalysis.builder().method(DriftMethod.PSI).build()
                    .compare(numeric("x", ref), numeric("x", onlyInf)));
            assertThat(none.drifted()).isFalse();
            assertThat(none.statistic()).isNaN();
            assertThat(none.note()).hasValueSatisfying(n -> assertThat(n)
                    .contains("no values to compare once infinite values are left out"));
        }

        @Test
        @DisplayName("a category the reference never had: its own bin, chisquare infinite with p = 0, listed in a note")
        void unseenCategory() {
            ColumnDrift c = only(compare(strings("c", cycle(90, "a", "b", "c")), strings("c", cycle(90, "a", "b", "c", "d"))));
            assertThat(c.method()).isEqualTo("chisquare");
            assertThat(c.statistic()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(c.pValue().getAsDouble()).isZero();
            assertThat(c.drifted()).isTrue();
            assertThat(c.note()).hasValueSatisfying(n -> assertThat(n)
                    .contains("1 category the reference never had: 'd'").contains("+Infinity"));
            assertThat(c.distribution().labels()).containsExactly("a", "b", "c", "d");
            assertThat(c.distribution().referenceShares().get(3)).isZero();
        }

        @Test
        @DisplayName("a method that rejects the samples (too few values, too many categories) gives no verdict")
        void methodRejectsSamples() {
            ColumnDrift cvm = only(DriftAnalysis.builder().method(DriftMethod.CVM).build()
                    .compare(numeric("x", 1.0), numeric("x", 1.0, 2.0, 3.0)));
            assertThat(cvm.drifted()).isFalse();
            assertThat(cvm.note()).hasValueSatisfying(n -> assertThat(n)
                    .contains("no verdict: cvm cannot compare these samples").contains("at least 2"));
            ColumnDrift z = only(DriftAnalysis.builder().method(DriftMethod.Z).build()
                    .compare(strings("c", "a", "b", "c"), strings("c", "a")));
            assertThat(z.note()).hasValueSatisfying(n -> assertThat(n).contains("z-test is for binary columns"));
        }

        @Test
        @DisplayName("missing values of a categorical column are counted and removed")
        void categoricalMissing() {
            ColumnDrift c = only(compare(strings("c", "a", null, "b", "a"), strings("c", null, null, "a", "b")));
            assertThat(c.missingShareReference()).isEqualTo(0.25);
            assertThat(c.missingShareCurrent()).isEqualTo(0.5);
            assertThat(c.referenceCount()).isEqualTo(3);
            assertThat(c.currentCount()).isEqualTo(2);
            assertThat(c.statistic()).isEqualTo(CategoricalTests.twoProportionZ(new String[] {"a", "b", "a"},
                    new String[] {"a", "b"}).statistic());
        }
    }

    @Nested
    @DisplayName("columns and kinds")
    class Columns {
        @Test
        @DisplayName("a column on one side only is an error naming it, unless the columns are named")
        void oneSided() {
            Schema refSchema = Schema.of(new Field("a", FieldType.DOUBLE), new Field("b", FieldType.DOUBLE));
            Schema curSchema = Schema.of(new Field("a", FieldType.DOUBLE), new Field("c", FieldType.DOUBLE));
            Frame ref = Frame.ofColumns(refSchema, List.of(normal(1, 30, 0), normal(2, 30, 0)));
            Frame cur = Frame.ofColumns(curSchema, List.of(normal(3, 30, 0), normal(4, 30, 0)));
            assertThatThrownBy(() -> compare(ref, cur)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("only in the reference: 'b'").hasMessageContaining("only in the current data: 'c'");
            DriftReport r = DriftAnalysis.builder().columns(List.of("a")).build().compare(ref, cur);
            assertThat(r.columns()).extracting(ColumnDrift::column).containsExactly("a");
            assertThatThrownBy(() -> DriftAnalysis.builder().columns(List.of("a", "b")).build().compare(ref, cur))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("'b' is not in the current data");
        }

        @Test
        @DisplayName("a column numeric on one side only is an error naming it, unless it is categorical")
        void mismatchedTypes() {
            Frame ref = numeric("code", 1, 2, 3, 1, 2, 3);
            Frame cur = strings("code", "1", "2", "3", "3", "3", "x");
            assertThatThrownBy(() -> compare(ref, cur)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'code' is DOUBLE in the reference but STRING in the current data");
            ColumnDrift c = only(DriftAnalysis.builder().categorical("code").build().compare(ref, cur));
            assertThat(c.kind()).isEqualTo(ColumnKind.CATEGORICAL);
            assertThat(c.distribution().labels()).containsExactly("1", "2", "3", "x");
        }

        @Test
        @DisplayName("categorical(...) compares a numeric column's values as categories")
        void forcedCategorical() {
            ColumnDrift c = only(DriftAnalysis.builder().categorical("rating").build()
                    .compare(numeric("rating", cycle(60, 1, 2, 3, 4, 5, 6, 7)), numeric("rating", cycle(60, 1, 2, 3))));
            assertThat(c.kind()).isEqualTo(ColumnKind.CATEGORICAL);
            assertThat(c.method()).isEqualTo("chisquare");
            assertThat(c.distribution().labels()).containsExactly("1", "2", "3", "4", "5", "6", "7");
            assertThat(ColumnComparison.category(2.5)).isEqualTo("2.5");
            assertThat(ColumnComparison.category(-0.0)).isEqualTo("0");
            assertThat(ColumnComparison.category(1e300)).isEqualTo("1.0E300");
        }

        @Test
        @DisplayName("DATE columns are left out by default, BOOLEAN columns are categorical")
        void dateAndBoolean() {
            Schema s = Schema.of(new Field("day", FieldType.DATE), new Field("flag", FieldType.BOOLEAN));
            Frame ref = Frame.ofColumns(s, List.of(cycle(10, "2015-01-01", "2015-01-02"), cycle(10, "true", "false")));
            Frame cur = Frame.ofColumns(s, List.of(cycle(10, "2016-01-01"), cycle(10, "true")));
            DriftReport r = compare(ref, cur);
            assertThat(r.columns()).extracting(ColumnDrift::column).containsExactly("flag");
            assertThat(r.column("flag").orElseThrow().kind()).isEqualTo(ColumnKind.CATEGORICAL);
            assertThat(DriftAnalysis.builder().columns(List.of("day", "flag")).build().compare(ref, cur).columns())
                    .hasSize(2);
            assertThatThrownBy(() -> DriftAnalysis.builder().columnMethod("day", DriftMethod.PSI).build().compare(ref, cur))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("'day'").hasMessageContaining("columns(");
        }

        @Test
        @DisplayName("a method that does not accept the column's kind is an error naming both")
        void methodKind() {
            Frame f = strings("weather", "sun", "rain");
            assertThatThrownBy(() -> DriftAnalysis.builder().method(DriftMethod.KS).build().compare(f, f))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("ks does not accept categorical column 'weather'").hasMessageContaining("psi");
            DriftReport r = DriftAnalysis.builder().method(DriftMethod.KS).columnMethod("weather", DriftMethod.PSI).build()
                    .compare(SeattleWeather.year(2012), SeattleWeather.year(2013));
            assertThat(r.column("weather").orElseThrow().method()).isEqualTo("psi");
            assertThat(r.column("wind").orElseThrow().method()).isEqualTo("ks");
        }
    }

    @Nested
    @DisplayName("overrides, thresholds and the dataset verdict")
    class Overrides {
        @Test
        @DisplayName("column threshold over global threshold over the method's default")
        void thresholds() {
            DriftReport r = DriftAnalysis.builder().threshold(0.01).columnThreshold("temp_min", 0.02)
                    .columnMethod("wind", DriftMethod.PSI).columnThreshold("wind", 0.5).build()
                    .compare(SeattleWeather.year(2012), SeattleWeather.year(2015));
            assertThat(r.column("temp_max").orElseThrow().threshold()).isEqualTo(0.01);
            assertThat(r.column("temp_min").orElseThrow().threshold()).isEqualTo(0.02);
            assertThat(r.column("temp_min").orElseThrow().drifted()).isTrue();
            assertThat(r.column("wind").orElseThrow().threshold()).isEqualTo(0.5);
            assertThat(r.column("wind").orElseThrow().method()).isEqualTo("psi");
            DriftReport def = compare(SeattleWeather.year(2012), SeattleWeather.year(2015));
            assertThat(def.column("temp_min").orElseThrow().threshold()).isEqualTo(0.05);
        }

        @Test
        @DisplayName("a test's threshold above 1 is an error once the method is known")
        void pValueThresholdAboveOne() {
            assertThatThrownBy(() -> DriftAnalysis.builder().threshold(2).build()
                    .compare(SeattleWeather.year(2012), SeattleWeather.year(2015)))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("above 1");
            DriftReport distances = DriftAnalysis.builder().threshold(2).method(DriftMethod.PSI).build()
                    .compare(SeattleWeather.year(2012), SeattleWeather.year(2015));
            assertThat(distances.columns()).extracting(ColumnDrift::threshold).containsOnly(2.0);
        }

        @Test
        @DisplayName("dataset drift when the drifted share reaches drift_share")
        void driftShare() {
            Frame ref = SeattleWeather.year(2012);
            Frame cur = SeattleWeather.year(2015);
            assertThat(DriftAnalysis.builder().driftShare(0.6).build().compare(ref, cur).datasetDrift()).isTrue();
            DriftReport strict = DriftAnalysis.builder().driftShare(0.61).build().compare(ref, cur);
            assertThat(strict.datasetDrift()).isFalse();
            assertThat(strict.driftShareThreshold()).isEqualTo(0.61);
        }

        @Test
        @DisplayName("columns are sorted drifted first, then by name")
        void order() {
            DriftReport r = compare(SeattleWeather.year(2012), SeattleWeather.year(2015));
            List<ColumnDrift> cols = r.columns();
            for (int i = 1; i < cols.size(); i++) {
                ColumnDrift a = cols.get(i - 1);
                ColumnDrift b = cols.get(i);
                assertThat(a.drifted() && !b.drifted() || a.drifted() == b.drifted() && a.column().compareTo(b.column()) < 0)
                        .as("%s before %s", a.column(), b.column()).isTrue();
            }
        }
    }

    @Nested
    @DisplayName("distributions for charts")
    class Distributions {
        @Test
        @DisplayName("numerical columns: the binned methods' bins")
        void numericalBins() {
            Frame ref = SeattleWeather.year(2012);
            Frame cur = SeattleWeather.year(2015);
            ColumnDrift c = compare(ref, cur).column("temp_max").orElseThrow();
            BinnedShares shares = BinnedDistances.shares(ref.numeric("temp_max"), cur.numeric("temp_max"));
            Distribution d = c.distribution();
            assertThat(d.labels()).isEqualTo(shares.labels());
            assertThat(d.edges()).containsExactly(Arrays.stream(shares.edges()).boxed().toArray(Double[]::new));
            assertThat(d.referenceShares()).containsExactly(Arrays.stream(shares.reference()).boxed().toArray(Double[]::new));
            assertThat(d.currentShares()).containsExactly(Arrays.stream(shares.current()).boxed().toArray(Double[]::new));
        }

        @Test
        @DisplayName("categorical columns: the 20 largest categories and one 'other' bar; statistics use all")
        void topCategories() {
            String[] ref = IntStream.range(0, 3000).mapToObj(i -> "c" + (i % 30)).toArray(String[]::new);
            String[] cur = IntStream.range(0, 3000).mapToObj(i -> "c" + (i % 25)).toArray(String[]::new);
            ColumnDrift c = only(compare(strings("cat", ref), strings("cat", cur)));
            Distribution d = c.distribution();
            assertThat(d.labels()).hasSize(21);
            assertThat(d.labels().get(20)).isEqualTo("other (10 categories)");
            assertThat(d.labels().subList(0, 20)).doesNotContain("c25", "c29").contains("c0", "c24");
            assertThat(d.referenceShares().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
            assertThat(d.currentShares().get(20)).isCloseTo(5 * 120 / 3000.0, within(1e-12));
            assertThat(c.statistic()).isEqualTo(BinnedDistances.jensenShannon(ref, cur).statistic());
        }
    }

    @Nested
    @DisplayName("parallel comparison")
    class Parallel {
        @Test
        @DisplayName("gives the same report with 1 thread, 4 threads and a caller's executor")
        void sameReport() throws Exception {
            int columns = 24;
            List<Field> fields = new ArrayList<>();
            List<Object> ref = new ArrayList<>();
            List<Object> cur = new ArrayList<>();
            for (int i = 0; i < columns; i++) {
                if (i % 4 == 3) {
                    fields.add(new Field("c" + i, FieldType.STRING));
                    ref.add(cycle(1500, "a", "b", "c"));
                    cur.add(cycle(900, i % 8 == 3 ? new String[] {"a", "b", "d"} : new String[] {"a", "b", "c"}));
                } else {
                    fields.add(new Field("n" + i, FieldType.DOUBLE));
                    double[] values = normal(i, 1500, 0);
                    if (i % 2 == 0) {
                        Arrays.fill(values, 800, 1500, Double.NaN); // a small reference: 800 values
                    }
                    ref.add(values);
                    cur.add(normal(100 + i, 900, i % 3 == 0 ? 0.5 : 0));
                }
            }
            Schema s = new Schema(fields);
            Frame reference = Frame.ofColumns(s, ref);
            Frame current = Frame.ofColumns(s, cur);
            DriftReport one = DriftAnalysis.builder().clock(CLOCK).correction(Correction.BENJAMINI_HOCHBERG).build()
                    .compare(reference, current);
            DriftReport four = DriftAnalysis.builder().clock(CLOCK).correction(Correction.BENJAMINI_HOCHBERG)
                    .parallelism(4).build().compare(reference, current);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                DriftReport executor = DriftAnalysis.builder().clock(CLOCK).correction(Correction.BENJAMINI_HOCHBERG)
                        .executor(pool).build().compare(reference, current);
                assertThat(executor).isEqualTo(one);
                assertThat(pool.isShutdown()).isFalse();
            } finally {
                pool.shutdown();
            }
            assertThat(four).isEqualTo(one);
            assertThat(one.columns()).hasSize(columns);
            assertThat(one.driftedColumns()).isNotEmpty().hasSizeLessThan(columns);
            assertThat(DriftReportJson.toJson(four)).isEqualTo(DriftReportJson.toJson(one));
        }
    }

    @Test
    @DisplayName("the report does not depend on the order of rows")
    void rowOrder() {
        Frame ref = SeattleWeather.rows(d -> !d.startsWith("2015"));
        Frame cur = SeattleWeather.year(2015);
        DriftReport expected = compare(ref, cur);
        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            assertThat(compare(shuffled(ref, random), shuffled(cur, random))).isEqualTo(expected);
        }
    }

    private static Frame shuffled(Frame f, Random random) {
        int[] order = IntStream.range(0, f.rowCount()).toArray();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Object> columns = new ArrayList<>();
        for (Field field : f.schema().fields()) {
            if (field.type().isNumeric()) {
                double[] v = f.numeric(field.name());
                columns.add(Arrays.stream(order).mapToDouble(i -> v[i]).toArray());
            } else {
                String[] v = f.strings(field.name());
                columns.add(Arrays.stream(order).mapToObj(i -> v[i]).toArray(String[]::new));
            }
        }
        return Frame.ofColumns(f.schema(), columns);
    }

    @Nested
    @DisplayName("builder")
    class BuilderRules {
        @Test
        @DisplayName("rejects a bad value at the call (IllegalArgumentException)")
        void badValues() {
            DriftAnalysis.Builder b = DriftAnalysis.builder();
            assertThatThrownBy(() -> b.threshold(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.threshold(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.threshold(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.columnThreshold("x", -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.driftShare(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.driftShare(1.01)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.parallelism(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.columns(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.columns(List.of("a", "a"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'a' twice");
            assertThatThrownBy(() -> b.columnMethod("", DriftMethod.KS)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.method(null)).isInstanceOf(NullPointerException.class);
            assertThat(b.driftShare(1.0).build()).isNotNull();
        }

        @Test
        @DisplayName("rejects a conflicting or repeated setting (IllegalStateException)")
        void conflicts() {
            assertThatThrownBy(() -> DriftAnalysis.builder().method(DriftMethod.KS).method(DriftMethod.PSI))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("method was already set");
            assertThatThrownBy(() -> DriftAnalysis.builder().columnMethod("a", DriftMethod.KS).columnMethod("a", DriftMethod.KS))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a'");
            ExecutorService e = Executors.newSingleThreadExecutor();
            try {
                assertThatThrownBy(() -> DriftAnalysis.builder().parallelism(2).executor(e))
                        .isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> DriftAnalysis.builder().executor(e).parallelism(2))
                        .isInstanceOf(IllegalStateException.class);
            } finally {
                e.shutdown();
            }
            assertThatThrownBy(() -> DriftAnalysis.builder().method(DriftMethod.PSI).correction(Correction.BONFERRONI).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("distance");
            assertThat(DriftAnalysis.builder().method(DriftMethod.PSI).columnMethod("x", DriftMethod.KS)
                    .correction(Correction.BONFERRONI).build()).isNotNull();
            assertThatThrownBy(() -> DriftAnalysis.builder().columns(List.of("a")).columnThreshold("b", 0.1).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'b'");
            assertThatThrownBy(() -> DriftAnalysis.builder().categorical("a").columnMethod("a", DriftMethod.KS).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("numerical columns only");
            assertThatThrownBy(() -> DriftAnalysis.builder().method(DriftMethod.KS).threshold(1.5).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("above 1");
            assertThatThrownBy(() -> DriftAnalysis.builder().columnMethod("a", DriftMethod.Z).columnThreshold("a", 3).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a'");
        }
    }
}
