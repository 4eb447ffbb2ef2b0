package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftMethod;
import dev.mlops.drift.MonitorPolicy;
import dev.mlops.drift.ProfileOptions;
import dev.mlops.drift.QuantileSketch;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.WindowState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Profiles and reports from Spark local[2] against the in-process path on the same rows. */
class SparkDriftTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** A small sketch, so that 4,000 values compact it and its error is not zero. */
    private static final ProfileOptions OPTIONS = ProfileOptions.builder().sketchK(32).topK(4).gridCells(64).build();

    private static SparkSession spark;
    private static SparkTestData reference;
    private static SparkTestData current;

    @BeforeAll
    static void start() {
        spark = SparkTestData.session();
        reference = SparkTestData.of(4000, 1, 0.0);
        current = SparkTestData.of(3000, 2, 1.5);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void profileCountsCategoriesAndExactStatisticsEqualTheInProcessProfile() {
        ReferenceProfile inProcess = ReferenceProfile.of(reference.frame(), OPTIONS);
        ReferenceProfile fromSpark = SparkDrift.profile(reference.dataset(spark, 5), OPTIONS);

        assertThat(fromSpark.rows()).isEqualTo(inProcess.rows());
        assertThat(fromSpark.columns().stream().map(ReferenceProfile.Column::name).toList())
                .isEqualTo(List.of("x", "y", "k", "z", "s"));
        for (ReferenceProfile.Column expected : inProcess.columns()) {
            ReferenceProfile.Column actual = fromSpark.column(expected.name()).orElseThrow();
            assertThat(actual.count()).as(expected.name()).isEqualTo(expected.count());
            assertThat(actual.missing()).as(expected.name()).isEqualTo(expected.missing());
            assertThat(actual.distinct()).as(expected.name()).isEqualTo(expected.distinct());
            if (expected instanceof ReferenceProfile.NumericalColumn e) {
                ReferenceProfile.NumericalColumn a = (ReferenceProfile.NumericalColumn) actual;
                String c = e.name();
                assertThat(Double.doubleToRawLongBits(a.min())).as(c).isEqualTo(Double.doubleToRawLongBits(e.min()));
                assertThat(Double.doubleToRawLongBits(a.max())).as(c).isEqualTo(Double.doubleToRawLongBits(e.max()));
                assertThat(a.binEdges()).as(c).containsExactly(e.binEdges());
                assertThat(a.binValues()).as(c).containsExactly(e.binValues());
                assertThat(a.binCounts()).as(c).containsExactly(e.binCounts());
                // merged moments: the in-process sums run in sorted order, Spark's per partition
                if (Double.isNaN(e.mean())) {
                    assertThat(a.mean()).as(c).isNaN();
                    assertThat(a.std()).as(c).isNaN();
                } else {
                    assertThat(a.mean()).as(c).isCloseTo(e.mean(), org.assertj.core.data.Offset.offset(Math.abs(e.mean()) * 1e-13));
                    assertThat(a.std()).as(c).isCloseTo(e.std(), org.assertj.core.data.Offset.offset(e.std() * 1e-12));
                }
                double[] values = presentSorted(reference.frame().numeric(c));
                // the counts below the grid's cuts are exact for whatever cuts the sketch chose
                double[] cuts = a.gridCuts();
                long[] below = a.gridBelow();
                for (int i = 0; i < cuts.length; i++) {
                    assertThat(below[i]).as(c + " below " + cuts[i]).isEqualTo(lowerBound(values, cuts[i]));
                }
                // the sketch's quantiles are within its stated rank error
                QuantileSketch s = a.sketch();
                assertThat(s.n()).isEqualTo(e.count());
                assertThat(s.isExact()).as(c + ": the sketch compacted").isFalse();
                double eps = QuantileSketch.normalizedRankError(OPTIONS.sketchK());
                for (int q = 1; q < 100; q++) {
                    double v = s.quantile(q / 100.0);
                    double lo = lowerBound(values, v) / (double) values.length;
                    double hi = upperBound(values, v) / (double) values.length;
                    assertThat(q / 100.0).as(c + " q" + q).isBetween(lo - eps, hi + eps);
                }
            } else {
                ReferenceProfile.CategoricalColumn e = (ReferenceProfile.CategoricalColumn) expected;
                ReferenceProfile.CategoricalColumn a = (ReferenceProfile.CategoricalColumn) actual;
                assertThat(a.categories()).isEqualTo(e.categories());
                assertThat(a.categoryCounts()).containsExactly(e.categoryCounts());
                assertThat(a.otherCount()).isEqualTo(e.otherCount()).isPositive();
            }
        }
    }

    @Test
    void reportEqualsTheInProcessReportOfTheSameWindowBitForBit() {
        MonitorPolicy policy = MonitorPolicy.builder().method("x", DriftMethod.KS).method("y", DriftMethod.WASSERSTEIN)
                .method("k", DriftMethod.CHISQUARE).method("z", DriftMethod.PSI).method("s", DriftMethod.JENSENSHANNON)
                .build();
        for (ReferenceProfile profile : List.of(ReferenceProfile.of(reference.frame(), OPTIONS),
                SparkDrift.profile(reference.dataset(spark, 3), OPTIONS))) {
            DriftReport.Window w = new DriftReport.Window(NOW, NOW, 0);
            DriftReport expected = profile.compare(WindowState.of(profile, current.frame(), w), policy, CLOCK);
            DriftReport actual = SparkDrift.compare(profile, current.dataset(spark, 4), policy, CLOCK);
            assertThat(actual).isEqualTo(expected);
            assertThat(actual.currentRows()).isEqualTo(3000);
            assertThat(actual.columns()).extracting(ColumnDrift::column).contains("x", "y", "k", "z", "s");
            assertThat(actual.columns().stream().filter(c -> c.column().equals("x")).findFirst().orElseThrow().drifted())
                    .isTrue();
        }
    }

    @Test
    void theWindowDoesNotDependOnThePartitioning() {
        ReferenceProfile profile = ReferenceProfile.of(reference.frame(), OPTIONS);
        DriftReport.Window w = new DriftReport.Window(NOW, NOW, 7);
        WindowState one = SparkDrift.window(profile, current.dataset(spark, 1), w);
        WindowState seven = SparkDrift.window(profile, current.dataset(spark, 7), w);
        assertThat(seven).isEqualTo(one).isEqualTo(WindowState.of(profile, current.frame(), w));
        assertThat(one.rows()).isEqualTo(3000);
    }

    @Test
    void theDriftShareOfThePolicyDecidesTheDatasetVerdict() {
        // x and s drift, y, k and z do not: a share of 2 out of 5 (z by psi: its infinities make the
        // default wasserstein_norm infinite)
        ReferenceProfile profile = SparkDrift.profile(reference.dataset(spark, 2), OPTIONS);
        Dataset<Row> today = current.dataset(spark, 2);
        DriftReport strict = SparkDrift.compare(profile, today,
                MonitorPolicy.builder().method("z", DriftMethod.PSI).driftShare(0.4).build(), CLOCK);
        DriftReport lenient = SparkDrift.compare(profile, today,
                MonitorPolicy.builder().method("z", DriftMethod.PSI).driftShare(0.41).build(), CLOCK);
        assertThat(strict.columns().stream().filter(ColumnDrift::drifted).map(ColumnDrift::column).toList())
                .containsExactlyInAnyOrder("x", "s");
        assertThat(strict.driftShare()).isEqualTo(0.4);
        assertThat(strict.driftShareThreshold()).isEqualTo(0.4);
        assertThat(strict.datasetDrift()).isTrue();
        assertThat(lenient.driftShareThreshold()).isEqualTo(0.41);
        assertThat(lenient.datasetDrift()).isFalse();
    }

    @Test
    void everyMethodAProfileCarriesRunsOnTheSparkWindowAsInProcessAndTheOthersAreRefusedByName() {
        // SparkDrift.compare is this window's report (see the test above); one Spark job for all methods
        ReferenceProfile profile = ReferenceProfile.of(reference.frame(), OPTIONS);
        DriftReport.Window w = new DriftReport.Window(NOW, NOW, 0);
        WindowState window = WindowState.of(profile, current.frame(), w);
        WindowState fromSpark = SparkDrift.window(profile, current.dataset(spark, 3), w);
        for (DriftMethod m : DriftMethod.values()) {
            // k has 5 values (value bins): every numerical method, the count tests among them, takes it
            String column = m.acceptsNumerical() ? "k" : "s";
            if (MonitorPolicy.SUPPORTED.contains(m)) {
                MonitorPolicy policy = MonitorPolicy.builder().method(column, m).build();
                assertThat(profile.compare(fromSpark, policy, CLOCK)).as(m.id())
                        .isEqualTo(profile.compare(window, policy, CLOCK));
            } else {
                assertThatThrownBy(() -> MonitorPolicy.builder().method(column, m)).as(m.id())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("method " + m.id())
                        .hasMessageContaining("needs the raw reference sample");
            }
        }
    }

    @Test
    void anUnsupportedSparkTypeIsRefusedByName() {
        StructType struct = new StructType(new StructField[] {
            DataTypes.createStructField("when", DataTypes.TimestampType, true)});
        Dataset<Row> ds = spark.createDataFrame(List.of(RowFactory.create(java.sql.Timestamp.from(NOW))), struct);
        assertThatThrownBy(() -> SparkDrift.profile(ds, ProfileOptions.defaults()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'when'")
                .hasMessageContaining("timestamp");
    }

    private static double[] presentSorted(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        Arrays.sort(v);
        return v;
    }

    private static long lowerBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long upperBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
