package dev.mlops.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.Frame;
import dev.mlops.api.Schema;
import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.drift.ReferenceProfile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Drift gauges follow the latest report; real reports from mlops-drift. */
class DriftReportMetricsTest {

    /** x ~ N(shift, 1), c in {a, b, c} (only "a" when shifted), flag yes/no (or a third value). */
    static Frame frame(long seed, int n, double shift, boolean thirdFlag) {
        Random r = new Random(seed);
        double[] x = new double[n];
        String[] c = new String[n];
        String[] f = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() + shift;
            c[i] = shift > 0 ? "a" : "abc".substring(i % 3, i % 3 + 1);
            f[i] = thirdFlag && i % 4 == 0 ? "maybe" : r.nextBoolean() ? "yes" : "no";
        }
        return Frame.ofColumns(Schema.of(new Field("x", FieldType.DOUBLE), new Field("c", FieldType.STRING),
                new Field("flag", FieldType.STRING)), List.of(x, c, f));
    }

    // 500 reference rows: ks, chisquare and z, all tests with p-values
    static final ReferenceProfile PROFILE = ReferenceProfile.of(frame(1, 500, 0, false));

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    double gauge(String name, Tags tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        assertThat(g).as("%s %s in %s", name, tags, registry.getMetersAsString()).isNotNull();
        return g.value();
    }

    static Tags column(String column, String method) {
        return Tags.of("monitor", "rain-inputs", "column", column, "method", method);
    }

    static final Tags MONITOR = Tags.of("monitor", "rain-inputs");

    @Test
    void gaugesFollowTheLatestReport() {
        DriftReportMetrics metrics = new DriftReportMetrics("rain-inputs");
        metrics.bindTo(registry);
        assertThat(gauge(DriftReportMetrics.DATASET_DRIFTED, MONITOR)).as("no report yet").isNaN();
        assertThat(gauge(DriftReportMetrics.DRIFT_SHARE, MONITOR)).isNaN();
        assertThat(registry.find(DriftReportMetrics.STATISTIC).gauges()).isEmpty();

        DriftReport calm = PROFILE.compare(frame(2, 300, 0, false));
        metrics.update(calm);
        assertThat(calm.datasetDrift()).isFalse();
        assertMatches(calm);
        assertThat(gauge(DriftReportMetrics.DATASET_DRIFTED, MONITOR)).isZero();
        assertThat(gauge(DriftReportMetrics.ROWS, MONITOR)).isEqualTo(300);

        DriftReport shifted = PROFILE.compare(frame(3, 300, 1.0, false));
        metrics.update(shifted);
        assertThat(shifted.driftedColumns()).contains("x", "c");
        assertMatches(shifted);
        assertThat(gauge(DriftReportMetrics.DATASET_DRIFTED, MONITOR)).isEqualTo(1);
        assertThat(gauge(DriftReportMetrics.DRIFTED, column("x", "ks"))).isEqualTo(1);
        assertThat(gauge(DriftReportMetrics.P_VALUE, column("x", "ks"))).isLessThan(0.05);
        assertThat(registry.find(DriftReportMetrics.REPORTS).functionCounter().count()).isEqualTo(2);
        assertThat(metrics.latest()).containsSame(shifted);

        metrics.update(calm);
        assertThat(gauge(DriftReportMetrics.DRIFTED, column("x", "ks"))).as("back to calm").isZero();
        assertMatches(calm);
    }

    void assertMatches(DriftReport report) {
        assertThat(gauge(DriftReportMetrics.DRIFT_SHARE, MONITOR)).isEqualTo(report.driftShare());
        assertThat(gauge(DriftReportMetrics.DATASET_DRIFTED, MONITOR)).isEqualTo(report.datasetDrift() ? 1 : 0);
        assertThat(gauge(DriftReportMetrics.ROWS, MONITOR)).isEqualTo(report.currentRows());
        assertThat(report.columns()).hasSize(3);
        for (ColumnDrift c : report.columns()) {
            Tags t = column(c.column(), c.method());
            assertThat(gauge(DriftReportMetrics.STATISTIC, t)).isEqualTo(c.statistic());
            assertThat(gauge(DriftReportMetrics.THRESHOLD, t)).isEqualTo(c.threshold());
            assertThat(gauge(DriftReportMetrics.DRIFTED, t)).isEqualTo(c.drifted() ? 1 : 0);
            assertThat(c.pValue()).as("every default method of a 500-row profile is a test").isPresent();
            assertThat(gauge(DriftReportMetrics.P_VALUE, t)).isEqualTo(c.pValue().getAsDouble());
        }
    }

    @Test
    void aColumnWhoseMethodChangesGetsNewMetersAndTheOldOnesReadNaN() {
        DriftReportMetrics metrics = new DriftReportMetrics("rain-inputs");
        metrics.bindTo(registry);
        metrics.update(PROFILE.compare(frame(2, 300, 0, false)));
        assertThat(gauge(DriftReportMetrics.STATISTIC, column("flag", "z"))).isNotNaN();
        // a third value in a binary column: the z-test cannot apply, chi-square is used (and noted)
        DriftReport third = PROFILE.compare(frame(4, 300, 0, true));
        assertThat(third.column("flag").orElseThrow().method()).isEqualTo("chisquare");
        metrics.update(third);
        assertThat(gauge(DriftReportMetrics.STATISTIC, column("flag", "chisquare"))).isEqualTo(third.column("flag").orElseThrow().statistic());
        assertThat(gauge(DriftReportMetrics.DRIFTED, column("flag", "chisquare"))).isEqualTo(1);
        assertThat(gauge(DriftReportMetrics.STATISTIC, column("flag", "z"))).as("not in the latest report").isNaN();
        assertThat(gauge(DriftReportMetrics.DRIFTED, column("flag", "z"))).isNaN();
    }

    @Test
    void aRegistryBoundLaterGetsTheColumnsSeenSoFarAndExtraTags() {
        DriftReportMetrics metrics = new DriftReportMetrics("rain-inputs", Tags.of("app", "weather-api"));
        DriftReport calm = PROFILE.compare(frame(2, 300, 0, false));
        metrics.update(calm);
        metrics.bindTo(registry);
        assertThat(gauge(DriftReportMetrics.STATISTIC, column("x", "ks").and("app", "weather-api")))
                .isEqualTo(calm.column("x").orElseThrow().statistic());
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getName()).startsWith("mlops.drift.").matches("[a-z.]+");
            assertThat(m.getId().getDescription()).isNotBlank();
            assertThat(m.getId().getTag("monitor")).isEqualTo("rain-inputs");
        }
        assertThatThrownBy(() -> new DriftReportMetrics(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
