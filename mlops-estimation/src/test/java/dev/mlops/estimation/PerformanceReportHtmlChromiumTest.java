package dev.mlops.estimation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.estimation.PerformanceWindow;
import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The performance report in headless Chromium (Debian's {@code chromium}, through mlops-api's
 * {@link HeadlessChromium}): the car loan's batch estimate per chunk and the online monitor's
 * windows, each metric's chart with estimate, band, realized values, thresholds and alerts.
 * Skipped only when no Chromium binary is on the PATH; a failure on CI ({@code CI=true}).
 *
 * <p>Files left to look at: {@code target/performance-report.html}, {@code target/performance-online.html},
 * their DOMs and {@code target/performance-report.png}.
 */
class PerformanceReportHtmlChromiumTest {
    static final Path TARGET = Path.of("target");
    static final String TITLE = "Car loan <script>alert(1)</script> & CBPE";

    HeadlessChromium chromium;

    @BeforeAll
    static void data() {
        CarLoanOnlineCbpeTest.fit();
    }

    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.locate(TARGET);
    }

    DumpedDom load(String name, Path page) throws Exception {
        HeadlessChromium.Run run = chromium.dumpDom(name, page);
        Files.writeString(TARGET.resolve(name + "-dom.html"), run.stdout());
        assertThat(run.exitCode()).as("chromium exit code; stderr in target/chromium-" + name + ".log").isZero();
        assertThat(run.pageErrors()).as("console errors of the page").isEmpty();
        assertThat(run.pageRequests()).as("requests of the page").isEmpty();
        DumpedDom dom = DumpedDom.of(run.dom());
        assertThat(dom.problems()).as("charts, tables and references of the page").isEmpty();
        assertThat(run.stdout()).doesNotContainIgnoringCase("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        return dom;
    }

    @Test
    void theBatchChartsDrawEstimateBandRealizedThresholdsAndTheAlertsBelowTheThreshold() throws Exception {
        Files.createDirectories(TARGET);
        Path page = TARGET.resolve("performance-report.html");
        PerformanceReportHtml.write(TITLE, CarLoanOnlineCbpeTest.batch, page);
        DumpedDom dom = load("performance-report", page);

        List<DumpedDom.Svg> svgs = dom.svgs();
        List<String> metrics = CarLoanOnlineCbpeTest.batch.metricNames();
        assertThat(svgs).hasSize(metrics.size());
        assertThat(dom.tables()).hasSize(metrics.size());
        DumpedDom.Svg auc = svgs.get(metrics.indexOf("roc_auc"));
        assertThat(auc.drawnShapes("band")).hasSize(1);
        assertThat(auc.drawnShapes("estimated")).hasSize(1);
        assertThat(auc.drawnShapes("realized")).hasSize(1);
        assertThat(auc.drawnShapes("real")).hasSize(10);
        List<DumpedDom.Shape> alerts = auc.drawnShapes("alert");
        List<DumpedDom.Shape> fine = auc.drawnShapes("estimate");
        assertThat(alerts).hasSize(5);
        assertThat(fine).hasSize(5);
        List<DumpedDom.Shape> lower = auc.drawnShapes("lower");
        assertThat(lower).hasSize(10);
        double thresholdY = Double.parseDouble(lower.get(0).attributes().get("y1"));
        // SVG y grows downwards: an alerted estimate is drawn below the lower threshold, the others above it
        for (DumpedDom.Shape a : alerts) {
            assertThat(Double.parseDouble(a.attributes().get("cy"))).isGreaterThan(thresholdY);
            assertThat(Double.parseDouble(a.attributes().get("cx"))).isGreaterThan(
                    Double.parseDouble(fine.get(fine.size() - 1).attributes().get("cx")));
        }
        for (DumpedDom.Shape f : fine) {
            assertThat(Double.parseDouble(f.attributes().get("cy"))).isLessThan(thresholdY);
        }
        DumpedDom.Table table = dom.tables().get(metrics.indexOf("roc_auc"));
        assertThat(table.headers()).containsExactly("#", "chunk", "estimated", "band low", "band high", "realized",
                "lower threshold", "upper threshold", "alert");
        assertThat(table.rows()).hasSize(10);
        assertThat(table.rows().get(0)).startsWith("1", "[0:4999]", "0.970744");
        assertThat(table.rows().get(0).get(5)).isEqualTo("0.970962");
        assertThat(table.rows().stream().map(r -> r.get(8)).toList()).containsExactly("", "", "", "", "", "alert",
                "alert", "alert", "alert", "alert");
        HeadlessChromium.Screenshot shot = chromium.screenshot("performance-report-png", page,
                TARGET.resolve("performance-report.png"), 900, 1400);
        assertThat(shot).isNotNull();
    }

    @Test
    void theOnlineWindowsShowTheirRealizedValuesOnceTheLabelsArrived() throws Exception {
        Files.createDirectories(TARGET);
        List<PerformanceWindow> atClose = new ArrayList<>();
        CbpeMonitor monitor = CarLoanOnlineCbpeTest.serveAndJoin(atClose);
        Path before = TARGET.resolve("performance-online-at-close.html");
        PerformanceReportHtml.write(TITLE, atClose, before);
        DumpedDom unlabelled = load("performance-online-at-close", before);
        DumpedDom.Svg auc0 = unlabelled.svgs().get(0);
        assertThat(auc0.drawnShapes("real")).isEmpty();
        assertThat(auc0.drawnShapes("realized")).isEmpty();
        assertThat(unlabelled.tables().get(0).rows()).allSatisfy(r -> assertThat(r.get(5)).isEqualTo("–"));

        Path after = TARGET.resolve("performance-online.html");
        PerformanceReportHtml.write(TITLE, monitor.windows(), after);
        DumpedDom dom = load("performance-online", after);
        assertThat(dom.svgs()).hasSize(monitor.metrics().size());
        DumpedDom.Svg auc = dom.svgs().get(0);
        assertThat(auc.drawnShapes("real")).hasSize(10);
        assertThat(auc.drawnShapes("alert")).hasSize(5);
        assertThat(dom.tables().get(0).rows().get(9).get(1)).startsWith("#10 ");
        assertThat(dom.tables().get(0).rows().get(9).get(5)).isEqualTo("0.957556");
    }
}
