package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loads the HTML report in headless Chromium (Debian's {@code chromium}, through mlops-core's
 * {@link HeadlessChromium}) and checks the rendered DOM, the console, the page's requests and a
 * screenshot. Skipped, with a message, only when no Chromium binary is on the PATH; on CI
 * ({@code CI=true}) a missing binary is a failure, because {@code .ci/run} installs it. Each
 * Chromium run is bounded to {@value HeadlessChromium#TIMEOUT_SECONDS} seconds.
 *
 * <p>Files left for people to look at: {@code target/drift-report.html}, the DOM Chromium built
 * in {@code target/drift-report-dom.html}, the screenshot {@code target/drift-report.png}, and
 * Chromium's logs {@code target/chromium-*.log}.
 */
class DriftReportHtmlChromiumTest {

    static final Path TARGET = Path.of("target");

    HeadlessChromium chromium;

    /** Checked per test, so that a skip is reported (with its reason) for every test. */
    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.locate(TARGET);
    }

    /** Undoes the escaping Chromium's DOM serializer applies to text. */
    static String unescapeText(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    /** A column name as the page shows it: the escaper makes control characters visible. */
    static String shown(String name) {
        String escaped = HtmlText.escape(name);
        return unescapeText(escaped);
    }

    @Test
    void thePageLoadsWithoutErrorsAndShowsEveryColumnAsText() throws Exception {
        DriftReport report = DriftReportFixtures.sample();
        Path page = TARGET.resolve("drift-report.html");
        Files.createDirectories(TARGET);
        DriftReportHtml.write(report, page);

        HeadlessChromium.Run run = chromium.dumpDom("dump-dom", page);
        Files.writeString(TARGET.resolve("drift-report-dom.html"), run.stdout(), StandardCharsets.UTF_8);
        assertThat(run.exitCode()).as("chromium exit code; stderr in target/chromium-dump-dom.log").isZero();
        assertThat(run.stdout()).as("dumped DOM").startsWith("<!DOCTYPE html>\n<html lang=\"en\">").contains("<main id=\"top\">").endsWith("</html>\n");
        assertThat(run.pageErrors()).as("console errors of the page").isEmpty();
        assertThat(run.pageRequests()).as("requests of the page").isEmpty();
        assertThat(DumpedDom.of(run.dom()).problems()).as("charts, tables and references of the page").isEmpty();

        String dom = run.stdout();
        assertThat(dom).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        List<ColumnDrift> columns = report.columns();
        List<String> sectionNames = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
            int start = dom.indexOf(" id=\"col-" + i + "\"");
            assertThat(start).as("section col-" + i + " in the rendered DOM").isPositive();
            int end = dom.indexOf("</section>", start);
            String section = dom.substring(start, end);
            assertThat(section).as("chart of col-" + i).containsOnlyOnce("<svg").contains("</svg>");
            Matcher name = Pattern.compile("<span class=\"name\">(.*?)</span>").matcher(section);
            assertThat(name.find()).isTrue();
            sectionNames.add(unescapeText(name.group(1)));
        }
        assertThat(dom.split("<svg", -1)).hasSize(columns.size() + 1);
        assertThat(sectionNames).containsExactlyInAnyOrderElementsOf(
                columns.stream().map(c -> shown(c.column())).toList());
        assertThat(sectionNames).contains(DriftReportFixtures.HOSTILE, DriftReportFixtures.UNICODE);
    }

    @Test
    void aLargeReportRendersEveryChart() throws Exception {
        Path page = TARGET.resolve("drift-report-large.html");
        Files.createDirectories(TARGET);
        DriftReportHtml.write(DriftReportFixtures.large(200, 50), page);
        HeadlessChromium.Run run = chromium.dumpDom("dump-dom-large", page);
        assertThat(run.exitCode()).isZero();
        assertThat(run.pageErrors()).isEmpty();
        assertThat(run.stdout().split("<svg", -1)).hasSize(201);
        assertThat(run.stdout().split("<section class=\"column ", -1)).hasSize(201);
        assertThat(run.stdout()).contains("feature_199");
    }

    @Test
    void aScreenshotIsTaken() throws Exception {
        Path page = TARGET.resolve("drift-report.html");
        Files.createDirectories(TARGET);
        DriftReportHtml.write(DriftReportFixtures.sample(), page);
        Path png = TARGET.resolve("drift-report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        // the runner checks the exit code, the PNG signature and that the picture is 1280 x 2000
        HeadlessChromium.Screenshot shot = chromium.screenshot("screenshot", page, png, 1280, 2000);
        assertThat(shot.run().pageErrors()).isEmpty();
        assertThat(shot.bytes()).as("a page with charts, not a blank image").isGreaterThan(20_000);
    }

    /** The console scan must be able to fail: a page that throws and breaks its CSP is caught. */
    @Test
    void theConsoleScanCatchesPageErrors() throws Exception {
        Path page = TARGET.resolve("chromium-control.html");
        Files.createDirectories(TARGET);
        Files.writeString(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/>"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'\"/>"
                + "<title>control</title></head><body><p>control</p><img alt=\"\" src=\"missing.png\"/>"
                + "<script>throw new Error('control failure');</script></body></html>", StandardCharsets.UTF_8);
        HeadlessChromium.Run run = chromium.dumpDom("control", page);
        assertThat(run.exitCode()).isZero();
        assertThat(run.pageErrors()).anySatisfy(l -> assertThat(l).contains("Uncaught Error: control failure"))
                .anySatisfy(l -> assertThat(l).contains("Content Security Policy"));
        assertThat(DumpedDom.of(run.dom()).problems()).contains("references something outside the page: <img src=\"missing.png\">");
    }
}
