package dev.mlops.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every page of the UI in headless Chromium (Debian's {@code chromium}, through
 * {@link HeadlessChromium}), served over HTTP so that its headers, the Content-Security-Policy
 * among them, apply: the rendered DOM (charts draw, tables have headers and rows, nothing
 * outside the UI is referenced), the console (no CSP violation, no error), what the page
 * requested from the server (itself and the jar's stylesheet only), and a screenshot,
 * {@code target/ui-NAME.png}. Skipped only when no Chromium binary is on the PATH and
 * {@code CI} is not {@code true}.
 */
@DisplayName("Every page of the UI in headless Chromium")
class UiChromiumTest {
    static final Path TARGET = Path.of("target");
    @TempDir
    static Path dir;
    static UiFixture fx;
    static HttpServer server;
    static URI base;
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        fx = new UiFixture(dir);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var ui = MlopsUi.handler(fx.mlops, fx.store, "/");
        server.createContext("/", exchange -> {
            REQUESTS.add(exchange.getRequestURI().toString());
            ui.handle(exchange);
        });
        // the control: a page that breaks the UI's policy with an inline script
        server.createContext("/control", exchange -> {
            byte[] body = "<!DOCTYPE html><html><body><p>control</p><script>document.title='ran'</script></body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Security-Policy", UiHandler.CSP);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        fx.close();
    }

    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.locate(TARGET);
    }

    static Stream<Arguments> pages() {
        return Stream.of("models", "model", "version", "version-refused", "lineage", "card", "experiments", "experiment",
                "run", "run-hostile", "compare", "drift", "drift-windows", "drift-no-profile", "drift-report", "audit")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    @DisplayName("loads without console errors, draws its charts and tables, requests only itself and the stylesheet")
    void page(String name) throws Exception {
        String path = fx.pages().get(name);
        URI uri = base.resolve(path.substring(1));
        REQUESTS.clear();
        Path png = TARGET.resolve("ui-" + name + ".png").toAbsolutePath();
        Files.deleteIfExists(png);
        // one Chromium run both dumps the DOM and takes the screenshot (two runs per page would double the time)
        HeadlessChromium.Run r = chromium.run("ui-" + name, uri, "--dump-dom", "--screenshot=" + png,
                "--window-size=1280,1000", "--hide-scrollbars");
        Files.writeString(TARGET.resolve("ui-" + name + "-dom.html"), r.dom(), StandardCharsets.UTF_8);
        assertThat(r.exitCode()).as("chromium exit code; stderr in target/chromium-ui-%s.log", name).isZero();
        assertThat(r.pageErrors()).as("console errors and CSP violations of %s", name).isEmpty();
        String dom = r.dom();
        assertThat(dom).startsWith("<!DOCTYPE html>").doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                .doesNotContainIgnoringCase("<iframe").doesNotContainIgnoringCase("<object");
        DumpedDom d = DumpedDom.of(dom);
        // links between the UI's pages are the point of a UI; anything else would be a problem
        List<String> problems = d.problems().stream()
                .filter(p -> !p.matches("references something outside the page: <(a|link|form) (href|action)=\"/[^\"]*\">"))
                .toList();
        assertThat(problems).as("charts, tables and references of %s", name).isEmpty();
        boolean ownPage = !name.equals("card") && !name.equals("drift-report");
        List<String> expected = ownPage ? List.of(path, "/static/ui.css") : List.of(path);
        assertThat(REQUESTS.stream().filter(q -> !q.equals("/favicon.ico")).toList())
                .as("what %s requested", name).containsExactlyInAnyOrderElementsOf(expected);
        if (ownPage) {
            assertThat(dom).contains("<nav><span class=\"brand\">mlops</span>");
        }
        checkContent(name, d);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("screenshot %s decoded", png).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(1000);
        if (ownPage) {
            // the navigation bar's colour at its left end: the stylesheet was loaded and applied under the policy
            assertThat(image.getRGB(2, 2) & 0xffffff).isEqualTo(0x1d2b3a);
        }
    }

    /** What each page must have drawn. */
    static void checkContent(String name, DumpedDom d) {
        String text = DumpedDom.text(d.html());
        switch (name) {
            case "models" -> assertThat(table(d, "model").rows()).anySatisfy(row -> assertThat(row.get(0)).isEqualTo("rain"));
            case "model" -> {
                assertThat(d.svgs()).hasSize(1);
                assertThat(d.svgs().get(0).drawnShapes("line")).as("one step line per alias").hasSize(2);
                assertThat(table(d, "version").rows()).hasSize(3);
                assertThat(table(d, "move").rows()).anySatisfy(row -> assertThat(row).containsSequence("production", "rollback"));
                assertThat(text).contains("Will it rain tomorrow? <script>alert(1)</script>");
            }
            case "version" -> {
                assertThat(table(d, "check").rows()).allSatisfy(row -> assertThat(row.get(3)).isEqualTo("PASS"));
                assertThat(text).contains("PROMOTED");
                assertThat(table(d, "relation").rows()).anySatisfy(row -> assertThat(row).containsExactly("retrained from",
                        "rain/1"));
            }
            case "version-refused" -> {
                assertThat(text).contains("REFUSED");
                assertThat(table(d, "check").rows()).anySatisfy(row -> assertThat(row.get(3)).isEqualTo("FAIL"));
            }
            case "lineage" -> {
                DumpedDom.Svg g = d.svgs().get(0);
                assertThat(g.drawnShapes("node")).as("1 dataset, 3 runs, 3 versions").hasSize(7);
                assertThat(g.drawnShapes("edge")).as("data → runs, runs → versions, 2 retrains").hasSize(8);
                assertThat(g.drawnShapes("retrain")).hasSize(2);
            }
            case "run" -> {
                assertThat(d.svgs()).as("loss and val_auc").hasSize(2);
                assertThat(text).contains("loss by step: 300 points", "val_auc by step: 300 points");
                assertThat(table(d, "latest").rows()).hasSize(2);
            }
            case "run-hostile" -> {
                for (String hostile : List.of(UiFixture.SCRIPT, UiFixture.IMG, "javascript:alert(3)", "{{7*7}} ${7*7}",
                        "</title><style>body{display:none}</style>")) {
                    assertThat(text).as("shown as text").contains(hostile);
                }
                assertThat(d.html()).doesNotContain("<style>");
            }
            case "compare" -> {
                DumpedDom.Table t = d.tables().get(0);
                // the column heads are the runs; each row's label is a header cell too
                assertThat(t.headers()).startsWith("", "lr 0.1", "lr 0.01", "<script>alert(1)</script>").contains("param lr",
                        "metric loss");
                assertThat(t.rows()).anySatisfy(row -> assertThat(row).containsExactly("param lr", "0.1", "0.01", "–"));
                assertThat(d.svgs()).isNotEmpty().allSatisfy(svg -> assertThat(svg.drawnShapes()).isNotEmpty());
                DumpedDom.Svg loss = d.svgs().stream().filter(svg -> svg.attributes().getOrDefault("aria-label", "")
                        .startsWith("loss by step")).findFirst().orElseThrow();
                assertThat(loss.drawnShapes("line")).as("one line per run that logged loss").hasSize(2);
            }
            case "experiment" -> assertThat(table(d, "compare").rows()).hasSize(3);
            case "drift" -> {
                DumpedDom.Table fleets = table(d, "fleet");
                assertThat(fleets.rows()).hasSize(3);
                assertThat(fleets.rows()).anySatisfy(row -> assertThat(row).startsWith(UiFixture.FLEET)
                        .contains(Integer.toString(UiFixture.WINDOWS)).anySatisfy(c -> assertThat(c).startsWith("stored (")));
                assertThat(fleets.rows()).anySatisfy(row -> assertThat(row).startsWith(UiFixture.FLEET_NO_PROFILE)
                        .anySatisfy(c -> assertThat(c).startsWith("not stored (")));
                // the forged fleet document names hostile markup: listed as damaged, the markup shown as text
                assertThat(fleets.rows()).anySatisfy(row -> assertThat(String.join(" ", row)).startsWith("forged damaged")
                        .contains(UiFixture.SCRIPT));
            }
            case "drift-windows" -> {
                DumpedDom.Svg share = svg(d, "share of drifted columns");
                // the damaged window is not merged: 3 windows of 4 are drawn, each line through 3 points
                assertThat(share.drawnShapes("line")).as("drift share and threshold").hasSize(2);
                assertThat(polylinePoints(share)).as("points of each line").containsExactly(3, 3);
                DumpedDom.Svg rows = svg(d, "rows observed");
                assertThat(polylinePoints(rows)).as("rows of every window that has a readable part").containsExactly(4);
                DumpedDom.Table windows = table(d, "drift share");
                assertThat(windows.rows()).hasSize(UiFixture.WINDOWS);
                List<String> damaged = windows.rows().get(UiFixture.DAMAGED_WINDOW);
                assertThat(damaged.get(0)).isEqualTo(Long.toString(fx.fleetWindows.get(UiFixture.DAMAGED_WINDOW)));
                assertThat(damaged).contains("web-1, web-2", "200", "damaged");
                assertThat(String.join(" ", damaged)).contains("web-9");
                List<String> last = windows.rows().get(UiFixture.WINDOWS - 1);
                assertThat(last).contains("web-1, web-2", "200", "report", "DRIFT");
                // the hostile column is named among the drifted columns of no window (it does not drift) but shows
                // as text on the report; the drifted one is temp
                assertThat(last.get(7)).isEqualTo("temp");
                assertThat(text).contains("Reference profile");
            }
            case "drift-no-profile" -> {
                assertThat(text).contains("Profile not stored.");
                assertThat(svg(d, "rows observed").attributes().get("aria-label")).contains("2 windows");
                assertThat(table(d, "rows").rows()).extracting(row -> row.get(4)).containsExactly("20", "40");
                assertThat(table(d, "rows").rows()).allSatisfy(row -> assertThat(row).contains("profile not stored"));
            }
            case "drift-report" -> assertThat(text).as("the hostile column name shows as text").contains(UiFixture.HOSTILE_COLUMN);
            case "audit" -> {
                assertThat(text).contains("Verified: the hash chain of");
                assertThat(table(d, "action").rows()).isNotEmpty();
            }
            default -> {
                // card, drift report, experiments: their own tests check their content; here, that they load
            }
        }
    }

    static DumpedDom.Svg svg(DumpedDom d, String labelStart) {
        return d.svgs().stream().filter(svg -> svg.attributes().getOrDefault("aria-label", "").startsWith(labelStart))
                .findFirst().orElseThrow(() -> new AssertionError("no chart " + labelStart));
    }

    /** The number of points of each line of a chart, as drawn. */
    static List<Integer> polylinePoints(DumpedDom.Svg svg) {
        return svg.shapes().stream().filter(sh -> sh.element().equals("polyline"))
                .map(sh -> sh.attributes().get("points").strip().split("\\s+").length).toList();
    }

    static DumpedDom.Table table(DumpedDom d, String header) {
        return d.tables().stream().filter(t -> t.headers().contains(header)).findFirst()
                .orElseThrow(() -> new AssertionError("no table with a header " + header + " in "
                        + d.tables().stream().map(DumpedDom.Table::headers).toList()));
    }

    /** The console scan must be able to fail: a script under the UI's policy is refused and reported. */
    @Test
    @DisplayName("control: a page with an inline script under the UI's policy is caught")
    void controlCspViolationIsCaught() throws Exception {
        HeadlessChromium.Run r = chromium.dumpDom("ui-control", base.resolve("control"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.pageErrors()).anySatisfy(l -> assertThat(l).contains("Content Security Policy"));
        assertThat(r.dom()).doesNotContain("<title>ran</title>");
    }

    @Test
    @DisplayName("every page of the fixture is in this test")
    void coversEveryPage() {
        assertThat(pages().map(a -> (String) a.get()[0]).toList()).containsExactlyInAnyOrderElementsOf(fx.pages().keySet());
        Map<String, String> p = fx.pages();
        assertThat(p).hasSize(16);
    }
}
