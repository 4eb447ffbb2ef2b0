package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.AttachmentNames;
import dev.mlops.core.Mlops;
import dev.mlops.cards.ModelCard;
import dev.mlops.api.testing.DumpedDom;
import dev.mlops.api.testing.HeadlessChromium;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.registry.fs.FileSystemStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the README demo once and opens both of its HTML outputs, the drift report and the model
 * card, in headless Chromium (mlops-core's {@link HeadlessChromium}): every chart and every table
 * the demo's own data calls for is in the DOM Chromium built, every chart draws bars and every
 * table has a header and rows, the page logs no error and requests nothing, and a screenshot
 * shows it, with the drift report's bars painted in their colours over the area the charts give
 * them. Control tests break pages on purpose and show that the same checks fail.
 *
 * <p>Skipped, with a message, when no Chromium binary is on the PATH, except on CI
 * ({@code CI=true}), where that fails. Files left for people to look at, under
 * {@code mlops-examples/target/}: the demo's output in {@code demo-output/}, the DOMs Chromium
 * built ({@code demo-drift-report-dom.html}, {@code demo-model-card-dom.html}), the screenshots
 * ({@code demo-drift-report.png}, {@code demo-model-card.png}, cropped to the page) and
 * Chromium's logs ({@code chromium-demo-*.log}).
 */
@DisplayName("The demo's HTML outputs in headless Chromium")
class DemoOutputsChromiumTest {
    static final Path TARGET = Path.of("target");
    static final Path OUT = TARGET.resolve("demo-output");
    /** Wide enough that the drift report's 900-pixel charts are drawn at their own scale. */
    static final int WIDTH = 1280;
    /** Taller than either page: each screenshot test checks that its page ends above the bottom. */
    static final int HEIGHT = 8000;
    /** Rows of background below a page's last content, so that "the page ended" is not a coincidence. */
    static final int MARGIN = 40;

    HeadlessChromium chromium;
    static ReferenceProfile profile;
    static List<String> drifted;
    static ModelCard card;
    static String cardMarkdown;

    /**
     * Finds Chromium per test, so that a skip is reported, with its reason, for every test (an
     * abort in {@code @BeforeAll} would be reported as no test at all); then runs the demo, once
     * for the class, before the first test that needs it.
     */
    @BeforeEach
    void findChromiumAndRunTheDemo() throws Exception {
        chromium = HeadlessChromium.locate(TARGET);
        if (card == null) {
            runDemo();
        }
    }

    /** Runs the demo into {@link #OUT} and reads what it printed and stored. */
    static void runDemo() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = Demo.run(OUT.toAbsolutePath(), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(console).isTrue();
        Matcher m = Pattern.compile("drift report of the last drifted window: .*drift-report\\.html \\(drifted: \\[(.*)]\\)")
                .matcher(console);
        assertThat(m.find()).as("the demo names the drifted columns of its report:%n%s", console).isTrue();
        drifted = List.of(m.group(1).split(", "));
        cardMarkdown = Files.readString(OUT.resolve("model-card.md"));
        try (Mlops mlops = Mlops.builder().store(FileSystemStore.open(OUT.resolve("store"))).build()) {
            ModelVersion production = mlops.models().resolve(ModelRef.parse(Demo.MODEL + "@production"));
            profile = monitoredProfile(mlops, production);
            card = ModelCard.of(mlops, production.ref()); // last: a card means the demo has run
        }
    }

    /** The profile the demo's drift monitor compared with: the one stored with the first version of the lineage that has one. */
    static ReferenceProfile monitoredProfile(Mlops mlops, ModelVersion version) {
        ModelVersion v = version;
        while (!v.attachments().containsKey(AttachmentNames.DRIFT_PROFILE)) {
            ModelRef.Version parent = v.lineage().retrainedFrom().orElseThrow(() -> new AssertionError(
                    "no version in the lineage of " + version.ref() + " has a drift profile"));
            v = mlops.models().version(parent.model(), parent.number());
        }
        return ReferenceProfile.fromJson(mlops.models().attachment(v.ref(), AttachmentNames.DRIFT_PROFILE));
    }

    @Test
    @DisplayName("the drift report: one chart and one shares table per monitored column, every chart draws its bins, the overview names the drifted columns")
    void driftReport() throws Exception {
        checkDriftReport(loaded("demo-drift-report", OUT.resolve("drift-report.html")));
    }

    @Test
    @DisplayName("the drift report's screenshot: the whole page, with every chart's bars painted")
    void driftReportScreenshot() throws Exception {
        Path page = OUT.resolve("drift-report.html");
        Path png = TARGET.resolve("demo-drift-report.png");
        HeadlessChromium.Screenshot shot = chromium.screenshot("demo-drift-report-png", page, png, WIDTH, HEIGHT);
        checkPicture(shot);
        checkBarsPainted(shot, Files.readString(page), DumpedDom.of(chromium.dumpDom("demo-drift-report-bars", page).dom()));
        crop(shot);
    }

    @Test
    @DisplayName("the model card: its sections, and one table per table or list of facts of the Markdown card, each with the stored data's rows")
    void modelCard() throws Exception {
        checkModelCard(loaded("demo-model-card", OUT.resolve("model-card.html")));
    }

    @Test
    @DisplayName("the model card's screenshot: the whole page, with its tables' header cells painted")
    void modelCardScreenshot() throws Exception {
        Path page = OUT.resolve("model-card.html");
        HeadlessChromium.Screenshot shot = chromium.screenshot("demo-model-card-png", page,
                TARGET.resolve("demo-model-card.png"), WIDTH, HEIGHT);
        checkPicture(shot);
        int headerBackground = cssColour(Files.readString(page), "--soft");
        assertThat(shot.colours().getOrDefault(headerBackground, 0L)).as("pixels of the header cells' background %06x",
                headerBackground).isGreaterThan(1_000);
        crop(shot);
    }

    @Test
    @DisplayName("control: an empty chart, a table without rows and a card table without rows fail the checks")
    void brokenPagesFail() throws Exception {
        String report = Files.readString(OUT.resolve("drift-report.html"));
        String brokenReport = replaceFirst(replaceFirst(report, "(<svg\\b[^>]*>).*?(</svg>)", "$1$2"),
                "(<table class=\"overview\">.*?<tbody>).*?(</tbody>)", "$1$2");
        Path reportPage = Files.writeString(TARGET.resolve("demo-drift-report-broken.html"), brokenReport);
        DumpedDom reportDom = DumpedDom.of(chromium.dumpDom("demo-control-report", reportPage).dom());
        assertThatThrownBy(() -> checkDriftReport(reportDom)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("svg 1 ").hasMessageContaining("draws nothing")
                .hasMessageContaining("has no body row with a data cell");

        String cardHtml = Files.readString(OUT.resolve("model-card.html"));
        String brokenCard = replaceFirst(cardHtml, "(<th>Metric</th>.*?<tbody>).*?(</tbody>)", "$1$2");
        Path cardPage = Files.writeString(TARGET.resolve("demo-model-card-broken.html"), brokenCard);
        DumpedDom cardDom = DumpedDom.of(chromium.dumpDom("demo-control-card", cardPage).dom());
        assertThatThrownBy(() -> checkModelCard(cardDom)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("(headers [Metric, Value]) has no body row with a data cell");
    }

    @Test
    @DisplayName("control: a page that loads an image from the network fails the request check")
    void externalRequestFails() throws Exception {
        String report = Files.readString(OUT.resolve("drift-report.html"));
        String leaking = report.replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "")
                .replace("</main>", "<img alt=\"\" src=\"http://127.0.0.1:9/chart.png\"/></main>");
        Path page = Files.writeString(TARGET.resolve("demo-drift-report-leaking.html"), leaking);
        HeadlessChromium.Run run = chromium.dumpDom("demo-control-request", page);
        assertThat(run.exitCode()).isZero();
        assertThatThrownBy(() -> checkLoaded(run)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("http://127.0.0.1:9/chart.png");
        assertThat(run.pageRequests()).containsExactly("http://127.0.0.1:9/chart.png");
    }

    @Test
    @DisplayName("control: a blank page, and a report whose bars are hidden by CSS, fail the screenshot checks")
    void unpaintedPagesFail() throws Exception {
        Path blank = Files.writeString(TARGET.resolve("demo-blank.html"),
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/><title>blank</title></head><body></body></html>");
        HeadlessChromium.Screenshot blankShot = chromium.screenshot("demo-control-blank", blank,
                TARGET.resolve("demo-control-blank.png"), WIDTH, 600);
        assertThatThrownBy(() -> checkPicture(blankShot)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a blank picture");

        String report = Files.readString(OUT.resolve("drift-report.html"));
        String hidden = report.replace("</style>", "svg.chart .bars{visibility:hidden}\n</style>");
        Path page = Files.writeString(TARGET.resolve("demo-drift-report-hidden-bars.html"), hidden);
        HeadlessChromium.Screenshot shot = chromium.screenshot("demo-control-hidden-bars", page,
                TARGET.resolve("demo-control-hidden-bars.png"), WIDTH, HEIGHT);
        DumpedDom dom = DumpedDom.of(chromium.dumpDom("demo-control-hidden-bars-dom", page).dom());
        checkPicture(shot);
        assertThatThrownBy(() -> checkBarsPainted(shot, hidden, dom)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("pixels of the reference bars");
    }

    /** Loads a page, keeps the DOM Chromium built as {@code target/NAME-dom.html}, and checks it loaded cleanly. */
    DumpedDom loaded(String name, Path page) throws Exception {
        HeadlessChromium.Run run = chromium.dumpDom(name, page);
        Files.writeString(TARGET.resolve(name + "-dom.html"), run.dom(), StandardCharsets.UTF_8);
        checkLoaded(run);
        return DumpedDom.of(run.dom());
    }

    // ---------------------------------------------------------------- checks, shared with the control tests

    /** Chromium exited cleanly, and the page logged no error and requested nothing. */
    static void checkLoaded(HeadlessChromium.Run run) {
        assertThat(run.exitCode()).as("chromium exit code; stderr in target/chromium-%s.log", run.name()).isZero();
        assertThat(run.dom()).startsWith("<!DOCTYPE html>").contains("<main id=\"top\">").endsWith("</html>\n");
        assertThat(run.pageErrors()).as("console errors of the page").isEmpty();
        assertThat(run.pageRequests()).as("requests of the page (it must be self-contained)").isEmpty();
    }

    static void checkDriftReport(DumpedDom dom) {
        assertThat(dom.problems()).as("charts, tables and references of the drift report").isEmpty();
        List<String> columns = profile.columns().stream().map(ReferenceProfile.Column::name).toList();
        assertThat(dom.svgs()).as("one chart per column of the monitored profile %s", columns).hasSize(columns.size());
        assertThat(dom.tables()).as("the overview, and per column its summary statistics and its shares")
                .hasSize(1 + 2 * columns.size());
        assertThat(dom.tables()).filteredOn(t -> "stats".equals(t.attributes().get("class")))
                .as("reference and current summaries side by side, per column").hasSize(columns.size())
                .allSatisfy(t -> assertThat(t.headers()).startsWith("Statistic", "Reference", "Current").contains("count", "missing"));

        DumpedDom.Table overview = dom.tables().get(0);
        assertThat(overview.attributes()).containsEntry("class", "overview");
        int kind = overview.headers().indexOf("Kind");
        int verdict = overview.headers().indexOf("Verdict");
        assertThat(overview.rows()).as("overview rows").hasSize(columns.size());
        assertThat(overview.rows()).extracting(r -> r.get(0)).containsExactlyInAnyOrderElementsOf(columns);
        assertThat(overview.rows()).filteredOn(r -> r.get(verdict).equals("drift")).extracting(r -> r.get(0))
                .as("columns the demo reported as drifted").containsExactlyInAnyOrderElementsOf(drifted);
        for (List<String> row : overview.rows()) {
            ReferenceProfile.Column c = profile.column(row.get(0)).orElseThrow();
            assertThat(row.get(kind)).as("kind of %s", c.name())
                    .isEqualTo(c instanceof ReferenceProfile.NumericalColumn ? "numerical" : "categorical");
        }

        List<String> sections = sections(dom.html(), "<section class=\"column ");
        assertThat(sections).hasSize(columns.size());
        for (String html : sections) {
            DumpedDom section = DumpedDom.of(html);
            Matcher name = Pattern.compile("<span class=\"name\">(.*?)</span>").matcher(html);
            assertThat(name.find()).isTrue();
            ReferenceProfile.Column c = profile.column(DumpedDom.text(name.group(1))).orElseThrow();
            assertThat(section.svgs()).as("chart of %s", c.name()).hasSize(1);
            assertThat(section.tables()).as("summary statistics and shares tables of %s", c.name()).hasSize(2);
            assertThat(section.tables().get(0).attributes()).as("summary of %s", c.name()).containsEntry("class", "stats");
            DumpedDom.Svg chart = section.svgs().get(0);
            int bins = section.tables().get(1).rows().size();
            assertThat(chart.content().split("<g><title>", -1)).as("bins drawn in the chart of %s", c.name())
                    .hasSize(bins + 1);
            if (c instanceof ReferenceProfile.NumericalColumn n) {
                assertThat(bins).as("bins of %s: those of its reference profile", c.name()).isEqualTo(n.binEdges().length - 1);
            } else if (c instanceof ReferenceProfile.CategoricalColumn k) {
                assertThat(bins).as("categories of %s: at least those of its reference profile", c.name())
                        .isGreaterThanOrEqualTo(k.categories().size());
            }
            assertThat(chart.drawnShapes("ref").size() + chart.drawnShapes("cur").size())
                    .as("bars of %s beyond the legend's two swatches", c.name()).isGreaterThan(2);
        }
    }

    static void checkModelCard(DumpedDom dom) {
        assertThat(dom.problems()).as("charts, tables and references of the model card").isEmpty();
        List<String> headings = cardMarkdown.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3)).toList();
        List<String> sections = sections(dom.html(), "<section id=\"");
        assertThat(sections).extracting(s -> {
            Matcher h2 = Pattern.compile("<h2>(.*?)</h2>").matcher(s);
            return h2.find() ? DumpedDom.text(h2.group(1)) : "";
        }).as("sections: the headings of the Markdown card").containsExactlyElementsOf(headings);
        assertThat(dom.tables()).as("a table per Markdown table and per list of facts of the Markdown card")
                .hasSize(markdownTables(cardMarkdown) + markdownFactLists(cardMarkdown));

        ModelVersion v = card.version();
        assertThat(rows(dom, "Metric")).as("metrics table").singleElement()
                .satisfies(t -> assertThat(t).extracting(r -> r.get(0)).containsExactlyInAnyOrderElementsOf(v.metrics().keySet()));
        assertThat(rows(dom, "Parameter")).as("parameters table").singleElement()
                .satisfies(t -> assertThat(t).extracting(r -> r.get(0)).containsExactlyInAnyOrderElementsOf(v.params().keySet()));
        assertThat(rows(dom, "Role")).as("lineage table").singleElement()
                .satisfies(t -> assertThat(t).extracting(r -> r.get(1))
                        .containsExactlyElementsOf(card.datasets().stream().map(d -> d.ref().toString()).toList()));
        assertThat(rows(dom, "Check")).as("a checks table per stored promotion decision").extracting(List::size)
                .containsExactlyElementsOf(card.decisions().stream().map(d -> d.decision().checks().size()).toList());
        assertThat(rows(dom, "Time")).as("alias history").extracting(List::size).containsExactly(card.aliasHistory().size());
        assertThat(rows(dom, "#")).as("audit entries of the version, then of its alias changes").extracting(List::size)
                .containsExactlyElementsOf(Stream.of(card.auditEntries(), card.aliasAuditEntries())
                        .filter(l -> !l.isEmpty()).map(List::size).toList());
    }

    /** The whole page is in the picture (background below it), and the picture is not one colour. */
    static void checkPicture(HeadlessChromium.Screenshot shot) {
        assertThat(shot.run().pageErrors()).as("console errors of the page").isEmpty();
        int last = shot.lastContentRow();
        Map<Integer, Long> colours = shot.colours();
        assertThat(colours).as("colours of %s: a blank picture", shot.file()).hasSizeGreaterThan(2);
        assertThat(last).as("last row of the page in %s: it must end above the bottom (raise HEIGHT otherwise)",
                shot.file()).isBetween(0, shot.image().getHeight() - 1 - MARGIN);
        BufferedImage image = shot.image();
        long drawn = 0;
        for (int y = 0; y <= last; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                drawn += (image.getRGB(x, y) & 0xffffff) == shot.bottomColour() ? 0 : 1;
            }
        }
        long page = (long) image.getWidth() * (last + 1);
        assertThat(drawn).as("pixels of the page in %s that are not its background", shot.file()).isGreaterThan(page / 100);
    }

    /**
     * The reference and current bars are painted in the page's colours, over about the area
     * their rectangles in the DOM give them (edges are anti-aliased, so a little less).
     */
    static void checkBarsPainted(HeadlessChromium.Screenshot shot, String pageHtml, DumpedDom dom) {
        Map<Integer, Long> colours = shot.colours();
        for (String series : List.of("ref", "cur")) {
            int colour = cssColour(pageHtml, "--" + series);
            double area = dom.svgs().stream().flatMap(s -> s.drawnShapes(series).stream())
                    .mapToDouble(r -> r.width() * r.height()).sum();
            long painted = colours.getOrDefault(colour, 0L);
            assertThat((double) painted).as("pixels of the %s bars (%06x): %d, for %.0f square pixels of rectangles",
                            series.equals("ref") ? "reference" : "current", colour, painted, area)
                    .isBetween(0.75 * area, 1.05 * area);
        }
    }

    // ---------------------------------------------------------------- reading pages

    static int cssColour(String html, String variable) {
        Matcher m = Pattern.compile(Pattern.quote(variable) + ":#([0-9a-fA-F]{6})\\b").matcher(html);
        assertThat(m.find()).as("CSS variable %s in the page", variable).isTrue();
        return Integer.parseInt(m.group(1), 16);
    }

    /** @return the markup of each section that starts with {@code start}, up to its end tag (sections do not nest here) */
    static List<String> sections(String html, String start) {
        List<String> sections = new ArrayList<>();
        for (int i = html.indexOf(start); i >= 0; i = html.indexOf(start, i + 1)) {
            sections.add(html.substring(i, html.indexOf("</section>", i)));
        }
        return sections;
    }

    /** @return the body rows of each table whose first header cell is {@code firstHeader}, in page order */
    static List<List<List<String>>> rows(DumpedDom dom, String firstHeader) {
        return dom.tables().stream().filter(t -> !t.headers().isEmpty() && t.headers().get(0).equals(firstHeader))
                .map(DumpedDom.Table::rows).toList();
    }

    static int markdownTables(String markdown) {
        List<String> lines = markdown.lines().toList();
        int tables = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i - 1).startsWith("|") && lines.get(i).matches("\\|( *:?-+:? *\\|)+")) {
                tables++;
            }
        }
        return tables;
    }

    /** @return runs of {@code - **Label:** value} lines: the facts the HTML card shows as a table */
    static int markdownFactLists(String markdown) {
        int lists = 0;
        boolean inList = false;
        for (String line : markdown.lines().toList()) {
            boolean fact = line.startsWith("- **");
            if (fact && !inList) {
                lists++;
            }
            inList = fact;
        }
        return lists;
    }

    static String replaceFirst(String html, String regex, String replacement) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("%s in the page", regex).isTrue();
        return m.replaceFirst(replacement);
    }

    /** Keeps the picture down to the page and a margin, for people to look at. */
    static void crop(HeadlessChromium.Screenshot shot) throws Exception {
        BufferedImage image = shot.image();
        int height = Math.min(image.getHeight(), shot.lastContentRow() + 1 + MARGIN);
        assertThat(ImageIO.write(image.getSubimage(0, 0, image.getWidth(), height), "png", shot.file().toFile())).isTrue();
    }
}
