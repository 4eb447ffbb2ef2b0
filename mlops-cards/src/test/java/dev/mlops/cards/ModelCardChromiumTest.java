package dev.mlops.cards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the HTML model card in headless Chromium (Debian's {@code chromium}, through
 * {@link HeadlessChromium}), as mlops-drift's {@code DriftReportHtmlChromiumTest} does for the
 * drift report: the rendered DOM, the page's console and requests, and a screenshot. Skipped,
 * with a message, only when no Chromium binary is on the PATH and {@code CI} is not
 * {@code true}; on CI a missing binary fails, because {@code .ci/run} installs it. Each Chromium
 * run is bounded to {@value HeadlessChromium#TIMEOUT_SECONDS} seconds.
 *
 * <p>Files left for people to look at: {@code target/model-card.html}, {@code target/model-card.md},
 * the DOM Chromium built in {@code target/model-card-dom.html}, the screenshot
 * {@code target/model-card.png}, and Chromium's logs {@code target/chromium-card-*.log}.
 */
@DisplayName("The HTML model card in headless Chromium")
class ModelCardChromiumTest {
    static final Path TARGET = Path.of("target");

    @TempDir
    static Path dir;
    static Path page;
    HeadlessChromium chromium;

    @BeforeAll
    static void writeCard() throws Exception {
        CardFixture fx = new CardFixture(dir);
        ModelCard card = ModelCard.of(fx.mlops, fx.v2.ref());
        Files.createDirectories(TARGET);
        page = TARGET.resolve("model-card.html");
        Files.writeString(page, card.toHtml(), StandardCharsets.UTF_8);
        Files.writeString(TARGET.resolve("model-card.md"), card.toMarkdown(), StandardCharsets.UTF_8);
    }

    /** Checked per test, so that a skip is reported (with its reason) for every test. */
    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.locate(TARGET);
    }

    @Test
    @DisplayName("the page loads without console errors, has no script element, and every section is in the rendered DOM")
    void loads() throws Exception {
        HeadlessChromium.Run r = chromium.dumpDom("card-dump-dom", page);
        Files.writeString(TARGET.resolve("model-card-dom.html"), r.stdout(), StandardCharsets.UTF_8);
        assertThat(r.exitCode()).as("chromium exit code; stderr in target/chromium-card-dump-dom.log").isZero();
        assertThat(r.pageErrors()).as("console errors of the page").isEmpty();
        assertThat(r.pageRequests()).as("requests of the page").isEmpty();
        assertThat(DumpedDom.of(r.dom()).problems()).as("tables and references of the page").isEmpty();
        String dom = r.stdout();
        assertThat(dom).startsWith("<!DOCTYPE html>").contains("<main id=\"top\">").endsWith("</html>\n");
        assertThat(dom).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img");
        for (String id : ModelCardTest.ALL_IDS) {
            int start = dom.indexOf("<section id=\"" + id + "\">");
            assertThat(start).as("section %s in the rendered DOM", id).isPositive();
            assertThat(dom.indexOf("</h2>", start)).as("heading of section %s", id).isGreaterThan(start);
        }
        // Chromium parsed the tables as tables: the importance bars and verdicts are inside cells
        assertThat(dom).contains("<td class=\"num\">", "<span class=\"fail\">FAIL</span>", "<span class=\"bar\">");
    }

    @Test
    @DisplayName("a screenshot is taken: target/model-card.png")
    void screenshot() throws Exception {
        Path png = TARGET.resolve("model-card.png").toAbsolutePath();
        Files.deleteIfExists(png);
        // the runner checks the exit code, the PNG signature and that the picture is 1280 x 2400
        HeadlessChromium.Screenshot shot = chromium.screenshot("card-screenshot", page, png, 1280, 2400);
        assertThat(shot.run().pageErrors()).isEmpty();
        assertThat(shot.bytes()).as("a page with text and tables, not a blank image").isGreaterThan(50_000);
    }

    /** The console scan must be able to fail: a page that runs a script against its CSP is caught. */
    @Test
    @DisplayName("control: the console scan catches a page that breaks the card's Content-Security-Policy")
    void consoleScanCanFail() throws Exception {
        Path control = TARGET.resolve("model-card-control.html");
        String html = Files.readString(page).replace("</main>", "<script>throw new Error('control failure');</script></main>");
        Files.writeString(control, html, StandardCharsets.UTF_8);
        HeadlessChromium.Run r = chromium.dumpDom("card-control", control);
        assertThat(r.exitCode()).isZero();
        assertThat(r.pageErrors()).anySatisfy(l -> assertThat(l).contains("Content Security Policy"));
    }
}
