package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.DriftAnalysis;
import dev.mlops.drift.DriftMethod;
import dev.mlops.drift.DriftReportHtml;
import dev.mlops.drift.DriftReportJson;
import dev.mlops.drift.MonitorPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The methods that need raw samples, run on seeded exact-size samples drawn on Spark. */
class SparkSampledTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    private static SparkSession spark;
    private static Dataset<Row> reference;
    private static Dataset<Row> current;

    @BeforeAll
    static void start() {
        spark = SparkTestData.session();
        // cached, so that every job reads the same rows in the same partitions and order
        reference = SparkTestData.of(4000, 1, 0.0).dataset(spark, 3).cache();
        current = SparkTestData.of(3000, 2, 1.5).dataset(spark, 4).cache();
        reference.count();
        current.count();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aSampleOfShiftedDataDetectsTheShiftAndTheReportShowsTheSampleSize() {
        // x is shifted by half its standard deviation, y is not
        DriftAnalysis analysis = DriftAnalysis.builder().columns(List.of("x", "y")).columnMethod("x", DriftMethod.ANDERSON)
                .columnMethod("y", DriftMethod.CVM).clock(CLOCK).build();
        DriftReport report = SparkDrift.compareSampled(reference, current, analysis, 500, 7);

        ColumnDrift x = report.column("x").orElseThrow();
        ColumnDrift y = report.column("y").orElseThrow();
        assertThat(x.method()).isEqualTo("anderson");
        assertThat(x.drifted()).isTrue();
        assertThat(y.method()).isEqualTo("cvm");
        assertThat(y.drifted()).isFalse();
        assertThat(report.referenceRows()).isEqualTo(500);
        assertThat(report.currentRows()).isEqualTo(500);
        assertThat(x.referenceCount()).isEqualTo(500);
        assertThat(y.referenceCount()).isLessThan(500).isGreaterThan(400); // y's missing values are sampled too
        String marker = "sampled on Spark: 500 of 4,000 reference rows, 500 of 3,000 current rows (seed 7)";
        assertThat(x.note()).contains(marker);
        assertThat(y.note()).contains(marker);
        assertThat(DriftReportJson.toJson(report)).contains(marker);
        assertThat(DriftReportHtml.render(report)).contains("sampled on Spark: 500 of 4,000 reference rows");

        // the same seed and partitioning draw the same rows; another seed others
        assertThat(SparkDrift.compareSampled(reference, current, analysis, 500, 7)).isEqualTo(report);
        assertThat(SparkDrift.compareSampled(reference, current, analysis, 500, 8).column("x").orElseThrow().statistic())
                .isNotEqualTo(x.statistic());
    }

    @Test
    void aSampleAsLargeAsTheDataIsTheInProcessAnalysisOfAllRows() {
        DriftAnalysis analysis = DriftAnalysis.builder().columnMethod("x", DriftMethod.T_TEST)
                .columnMethod("y", DriftMethod.ENERGY).columnMethod("k", DriftMethod.MANN_WHITNEY)
                .columnMethod("z", DriftMethod.EPPS_SINGLETON).columnMethod("s", DriftMethod.CHISQUARE).clock(CLOCK).build();
        DriftReport actual = SparkDrift.compareSampled(reference, current, analysis, 4000, 3);
        DriftReport inProcess = analysis.compare(frame(reference.collectAsList()), frame(current.collectAsList()));

        String marker = "sampled on Spark: 4,000 of 4,000 reference rows, 3,000 of 3,000 current rows (seed 3)";
        List<ColumnDrift> marked = new ArrayList<>();
        for (ColumnDrift c : inProcess.columns()) {
            marked.add(new ColumnDrift(c.column(), c.kind(), c.method(), c.statistic(), c.pValue(), c.adjustedPValue(),
                    c.threshold(), c.drifted(), c.missingShareReference(), c.missingShareCurrent(), c.referenceCount(),
                    c.currentCount(), c.errorBound(), Optional.of(c.note().map(n -> n + "; ").orElse("") + marker),
                    c.distribution(), c.verdict(), c.statisticInterval(), c.pValueInterval(), c.referenceStats(),
                    c.currentStats()));
        }
        assertThat(actual).isEqualTo(new DriftReport(inProcess.createdAt(), inProcess.referenceRows(),
                inProcess.currentRows(), marked, inProcess.driftShare(), inProcess.driftShareThreshold(),
                inProcess.datasetDrift(), inProcess.correction(), inProcess.window(), inProcess.inputs(),
                inProcess.datasetVerdict(), inProcess.driftShareInterval()));
        assertThat(actual.columns()).extracting(ColumnDrift::method)
                .containsExactlyInAnyOrder("t_test", "energy", "mann_whitney", "es", "chisquare");
        assertThat(actual.column("x").orElseThrow().drifted()).isTrue();
    }

    @Test
    void withoutSamplingTheRefusalNamesTheMethodAndTheColumn() {
        for (DriftMethod m : List.of(DriftMethod.CVM, DriftMethod.ANDERSON, DriftMethod.MANN_WHITNEY, DriftMethod.T_TEST,
                DriftMethod.EPPS_SINGLETON, DriftMethod.ENERGY)) {
            assertThatThrownBy(() -> MonitorPolicy.builder().method("x", m)).as(m.id())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("method " + m.id() + " for column 'x'");
        }
        assertThatThrownBy(() -> SparkDrift.compareSampled(reference, current, DriftAnalysis.builder().build(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRows must be at least 1, got 0");
    }

    /** Rows as the in-process path holds them. */
    private static Frame frame(List<Row> rows) {
        Schema schema = SparkTestData.SCHEMA;
        List<Object> columns = new ArrayList<>();
        for (int c = 0; c < schema.fields().size(); c++) {
            Field f = schema.fields().get(c);
            if (f.type().isNumeric()) {
                double[] v = new double[rows.size()];
                for (int r = 0; r < v.length; r++) {
                    v[r] = SparkColumns.number(rows.get(r), c);
                }
                columns.add(v);
            } else {
                String[] v = new String[rows.size()];
                for (int r = 0; r < v.length; r++) {
                    v[r] = SparkColumns.text(rows.get(r), c);
                }
                columns.add(v);
            }
        }
        return Frame.ofColumns(schema, columns);
    }
}
