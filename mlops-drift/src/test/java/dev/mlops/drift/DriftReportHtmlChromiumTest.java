package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.api.drift.ColumnDrift;
import dev.mlops.api.drift.DriftReport;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loads the HTML report in headless Chromium (Debian's {@code chromium}) and checks the rendered
 * DOM, the console and a screenshot. Skipped, with a message, only when no Chromium binary is on
 * the PATH; on CI ({@code CI=true}) a missing binary is a failure, because {@code .ci/run}
 * installs it. Each Chromium run is bounded to {@value #TIMEOUT_SECONDS} seconds.
 *
 * <p>Files left for people to look at: {@code target/drift-report.html}, the DOM Chromium built
 * in {@code target/drift-report-dom.html}, the screenshot {@code target/drift-report.png}, and
 * Chromium's logs {@code target/chromium-*.log}.
 */
class DriftReportHtmlChromiumTest {

    static final long TIMEOUT_SECONDS = 60;
    static final Path TARGET = Path.of("target");
    /**
     * Console messages of the page (Chromium logs them as {@code INFO:CONSOLE:line} or
     * {@code INFO:CONSOLE(line)}), uncaught exceptions and Content-Security-Policy violations.
     * Chromium's own noise on a machine without D-Bus or GPU matches none of these.
     */
    static final Pattern PAGE_ERROR = Pattern.compile(
            ":CONSOLE[:(]|Uncaught|Content Security Policy|Refused to (load|execute|apply|connect|frame)");

    static Path chromium;

    /** Checked per test, so that a skip is reported (with its reason) for every test. */
    @BeforeEach
    void findChromium() {
        Optional<Path> found = Stream.of("chromium", "chromium-browser")
                .flatMap(name -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("no chromium binary on the PATH, but CI=true: .ci/run must install Debian's chromium"
                    + " (apt-get install -y chromium) before the build");
        }
        Assumptions.assumeTrue(found.isPresent(), "skipped: no chromium binary on the PATH (looked for chromium"
                + " and chromium-browser); install Debian's chromium (apt-get install -y chromium) to run this test");
        chromium = found.get();
    }

    /** The result of one Chromium run. */
    record Run(int exitCode, String stdout, String stderr) {
        List<String> pageErrors() {
            return stderr.lines().filter(l -> PAGE_ERROR.matcher(l).find()).toList();
        }
    }

    static Run chromium(String name, Path page, String... extra) throws Exception {
        Files.createDirectories(TARGET);
        Path profile = Files.createTempDirectory(TARGET.toAbsolutePath(), "chromium-profile-");
        Path out = TARGET.resolve("chromium-" + name + ".out");
        Path err = TARGET.resolve("chromium-" + name + ".log");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(extra));
        cmd.add(page.toAbsolutePath().toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd)
                        + "\nstderr (" + err + "):\n" + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            deleteRecursively(profile);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
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

        Run run = chromium("dump-dom", page, "--dump-dom");
        Files.writeString(TARGET.resolve("drift-report-dom.html"), run.stdout(), StandardCharsets.UTF_8);
        assertThat(run.exitCode()).as("chromium exit code; stderr in target/chromium-dump-dom.log").isZero();
        assertThat(run.stdout()).as("dumped DOM").startsWith("<!DOCTYPE html>\n<html lang=\"en\">").contains("<main id=\"top\">").endsWith("</html>\n");
        assertThat(run.pageErrors()).as("console errors of the page").isEmpty();

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
        Run run = chromium("dump-dom-large", page, "--dump-dom");
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
        Run run = chromium("screenshot", page, "--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars");
        assertThat(run.exitCode()).isZero();
        assertThat(run.pageErrors()).isEmpty();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
        assertThat(ihdr.getInt()).as("width").isEqualTo(1280);
        assertThat(ihdr.getInt()).as("height").isEqualTo(2000);
        assertThat(bytes.length).as("a page with charts, not a blank image").isGreaterThan(20_000);
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
        Run run = chromium("control", page, "--dump-dom");
        assertThat(run.exitCode()).isZero();
        assertThat(run.pageErrors()).anySatisfy(l -> assertThat(l).contains("Uncaught Error: control failure"))
                .anySatisfy(l -> assertThat(l).contains("Content Security Policy"));
    }
}
