package dev.mlops.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model card with a tensor signature, serving counters and a drift history
 * ({@link LiveCardFixture}) in headless Chromium, as {@link ModelCardChromiumTest} does for the
 * stored-metadata card: each part is checked in the DOM Chromium built (the signature's tensor
 * tables, the metric interval chart, the drift share chart, the serving facts), and a
 * screenshot is taken, cropped to the page: {@code target/model-card-live.png} (the picture in
 * {@code docs/images/model-card-live.png}). Skipped only when no Chromium is on the PATH and
 * {@code CI} is not {@code true}.
 */
@DisplayName("The live model card in headless Chromium")
class LiveModelCardChromiumTest {
    static final Path TARGET = Path.of("target");
    static final int WIDTH = 1280;
    static final int HEIGHT = 6000;

    @TempDir
    static Path dir;
    static Path page;
    HeadlessChromium chromium;

    @BeforeAll
    static void writeCard() throws Exception {
        ModelCard card = new LiveCardFixture(dir).card();
        Files.createDirectories(TARGET);
        page = TARGET.resolve("model-card-live.html");
        Files.writeString(page, card.toHtml(), StandardCharsets.UTF_8);
        Files.writeString(TARGET.resolve("model-card-live.md"), card.toMarkdown(), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.locate(TARGET);
    }

    /** Every part of the live card, as Chromium built it. */
    static void checkParts(DumpedDom dom) {
        assertThat(dom.problems()).as("charts that draw nothing, tables without rows, external references").isEmpty();
        List<DumpedDom.Table> tables = dom.tables();
        assertThat(tables).as("the signature's tensor tables")
                .anySatisfy(t -> {
                    assertThat(t.headers()).containsExactly("Tensor", "Element type", "Shape");
                    assertThat(t.rows()).containsExactly(List.of("features", "float", "[batch, 4]"));
                })
                .anySatisfy(t -> {
                    assertThat(t.headers()).containsExactly("Tensor", "Element type", "Shape");
                    assertThat(t.rows()).extracting(r -> r.get(0)).containsExactly("label", "probabilities");
                });
        assertThat(tables).as("the serving facts").anySatisfy(t -> assertThat(t.headers())
                .contains("Calls", "Errors", "Latency p50 / p90 / p99", "Mean live error"));
        assertThat(tables).as("the drift history table, one row per window").anySatisfy(t -> {
            assertThat(t.headers()).startsWith("Window", "Start", "End");
            assertThat(t.rows()).hasSize(LiveCardFixture.WINDOWS);
        });
        List<DumpedDom.Svg> svgs = dom.svgs();
        assertThat(svgs).as("the metric interval chart").anySatisfy(s -> {
            assertThat(s.attributes().get("class")).contains("interval-chart");
            assertThat(s.drawnShapes("value")).hasSize(2);
            assertThat(s.drawnShapes("whisker")).hasSize(6);
        });
        assertThat(svgs).as("the drift share chart").anySatisfy(s -> {
            assertThat(s.attributes().get("class")).contains("share-chart");
            assertThat(s.drawnShapes("flagged")).hasSize(LiveCardFixture.WINDOWS - LiveCardFixture.DRIFTING_FROM);
            assertThat(s.drawnShapes("ok")).hasSize(LiveCardFixture.DRIFTING_FROM);
            assertThat(s.drawnShapes("threshold")).hasSize(1);
            assertThat(s.drawnShapes("line")).hasSize(1);
        });
    }

    @Test
    @DisplayName("each part is drawn: tensor tables, metric interval chart, drift share chart, serving facts")
    void parts() throws Exception {
        HeadlessChromium.Run r = chromium.dumpDom("card-live-dump-dom", page);
        Files.writeString(TARGET.resolve("model-card-live-dom.html"), r.stdout(), StandardCharsets.UTF_8);
        assertThat(r.exitCode()).isZero();
        assertThat(r.pageErrors()).isEmpty();
        assertThat(r.pageRequests()).isEmpty();
        String dom = r.stdout();
        for (String id : LiveModelCardTest.LIVE_IDS) {
            assertThat(dom).contains("<section id=\"" + id + "\">");
        }
        checkParts(DumpedDom.of(r.dom()));
    }

    @Test
    @DisplayName("control: a card whose drift chart lost its points and whose serving facts are gone fails the checks")
    void brokenCardFails() throws Exception {
        String html = Files.readString(page);
        String broken = html.replaceAll("<circle class=\"(ok|flagged)\"[^>]*/>", "")
                .replaceFirst("(?s)<section id=\"serving\">.*?</section>", "");
        Path brokenPage = Files.writeString(TARGET.resolve("model-card-live-broken.html"), broken);
        DumpedDom dom = DumpedDom.of(chromium.dumpDom("card-live-control", brokenPage).dom());
        assertThatThrownBy(() -> checkParts(dom)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> checkParts(DumpedDom.of(html.replaceFirst("(?s)<section id=\"serving\">.*?</section>", ""))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("serving facts");
    }

    @Test
    @DisplayName("a screenshot of the whole card: target/model-card-live.png, cropped to the page")
    void screenshot() throws Exception {
        Path png = TARGET.resolve("model-card-live.png").toAbsolutePath();
        Files.deleteIfExists(png);
        HeadlessChromium.Screenshot shot = chromium.screenshot("card-live-screenshot", page, png, WIDTH, HEIGHT);
        assertThat(shot.run().pageErrors()).isEmpty();
        int last = shot.lastContentRow();
        assertThat(last).as("the page ends before the window does, so the picture holds the whole card")
                .isBetween(1000, HEIGHT - 40);
        // the alarm colour of the drifted points and the threshold is painted
        assertThat(shot.colours().getOrDefault(0xcf222e, 0L)).as("pixels of the alarm colour").isGreaterThan(200);
        BufferedImage image = shot.image();
        assertThat(ImageIO.write(image.getSubimage(0, 0, image.getWidth(), Math.min(image.getHeight(), last + 25)), "png",
                png.toFile())).isTrue();
    }
}
