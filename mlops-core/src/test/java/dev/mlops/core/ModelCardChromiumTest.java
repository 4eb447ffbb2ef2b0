package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the HTML model card in headless Chromium (Debian's {@code chromium}), as mlops-drift's
 * {@code DriftReportHtmlChromiumTest} does for the drift report: the rendered DOM, the page's
 * console and a screenshot. Skipped, with a message, only when no Chromium binary is on the
 * PATH and {@code CI} is not {@code true}; on CI a missing binary fails, because {@code .ci/run}
 * installs it. Each Chromium run is bounded to {@value #TIMEOUT_SECONDS} seconds.
 *
 * <p>Files left for people to look at: {@code target/model-card.html}, {@code target/model-card.md},
 * the DOM Chromium built in {@code target/model-card-dom.html}, the screenshot
 * {@code target/model-card.png}, and Chromium's logs {@code target/chromium-card-*.log}.
 */
@DisplayName("The HTML model card in headless Chromium")
class ModelCardChromiumTest {
    static final long TIMEOUT_SECONDS = 60;
    static final Path TARGET = Path.of("target");
    /** Console messages, uncaught exceptions and Content-Security-Policy violations of the page. */
    static final Pattern PAGE_ERROR = Pattern.compile(
            ":CONSOLE[:(]|Uncaught|Content Security Policy|Refused to (load|execute|apply|connect|frame)");

    @TempDir
    static Path dir;
    static Path page;
    Path chromium;

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
        Optional<Path> found = Stream.of("chromium", "chromium-browser")
                .flatMap(name -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)))
                .filter(Files::isExecutable).findFirst();
        if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("no chromium binary on the PATH, but CI=true: .ci/run must install Debian's chromium"
                    + " (apt-get install -y chromium) before the build");
        }
        Assumptions.assumeTrue(found.isPresent(), "skipped: no chromium binary on the PATH (looked for chromium"
                + " and chromium-browser); install Debian's chromium (apt-get install -y chromium) to run this test");
        chromium = found.get();
    }

    record Run(int exitCode, String stdout, String stderr) {
        List<String> pageErrors() {
            return stderr.lines().filter(l -> PAGE_ERROR.matcher(l).find()).toList();
        }
    }

    Run run(String name, String... extra) throws Exception {
        Path profile = Files.createTempDirectory(TARGET.toAbsolutePath(), "chromium-profile-");
        Path out = TARGET.resolve("chromium-card-" + name + ".out");
        Path err = TARGET.resolve("chromium-card-" + name + ".log");
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

    static void deleteRecursively(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    @DisplayName("the page loads without console errors, has no script element, and every section is in the rendered DOM")
    void loads() throws Exception {
        Run r = run("dump-dom", "--dump-dom");
        Files.writeString(TARGET.resolve("model-card-dom.html"), r.stdout(), StandardCharsets.UTF_8);
        assertThat(r.exitCode()).as("chromium exit code; stderr in target/chromium-card-dump-dom.log").isZero();
        assertThat(r.pageErrors()).as("console errors of the page").isEmpty();
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
        Run r = run("screenshot", "--screenshot=" + png, "--window-size=1280,2400", "--hide-scrollbars");
        assertThat(r.exitCode()).isZero();
        assertThat(r.pageErrors()).isEmpty();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
        assertThat(ihdr.getInt()).as("width").isEqualTo(1280);
        assertThat(ihdr.getInt()).as("height").isEqualTo(2400);
        assertThat(bytes.length).as("a page with text and tables, not a blank image").isGreaterThan(50_000);
    }

    /** The console scan must be able to fail: a page that runs a script against its CSP is caught. */
    @Test
    @DisplayName("control: the console scan catches a page that breaks the card's Content-Security-Policy")
    void consoleScanCanFail() throws Exception {
        Path control = TARGET.resolve("model-card-control.html");
        String html = Files.readString(page).replace("</main>", "<script>throw new Error('control failure');</script></main>");
        Files.writeString(control, html, StandardCharsets.UTF_8);
        Path saved = page;
        page = control;
        try {
            Run r = run("control", "--dump-dom");
            assertThat(r.exitCode()).isZero();
            assertThat(r.pageErrors()).anySatisfy(l -> assertThat(l).contains("Content Security Policy"));
        } finally {
            page = saved;
        }
    }
}
