package dev.mlops.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, run headless on a local HTML page, for the tests that check what the
 * library's pages look like in a real browser (the drift report, the model card, the demo's
 * outputs). One instance per test: {@link #locate()} from a {@code @BeforeEach} method, so that a
 * skip is reported, with its reason, for every test.
 *
 * <p>Each run gets a throw-away profile under {@code target/} (deleted afterwards), is bounded to
 * {@value #TIMEOUT_SECONDS} seconds, and leaves its output for diagnosis:
 * {@code target/chromium-NAME.out} (stdout, the DOM for {@code --dump-dom}),
 * {@code target/chromium-NAME.log} (stderr, where Chromium logs the page's console) and
 * {@code target/chromium-NAME.netlog.json} (Chromium's network log, from which
 * {@link Run#pageRequests()} reads the requests the page made).
 *
 * <pre>{@code
 * HeadlessChromium chromium = HeadlessChromium.locate();          // skips, or fails when CI=true
 * HeadlessChromium.Run run = chromium.dumpDom("report", page);
 * assertThat(run.pageErrors()).isEmpty();
 * DumpedDom dom = DumpedDom.of(run.dom());
 * HeadlessChromium.Screenshot shot = chromium.screenshot("report-png", page, png, 1280, 2000);
 * }</pre>
 */
public final class HeadlessChromium {

    /** How long one Chromium run may take before it is killed and the test fails. */
    public static final long TIMEOUT_SECONDS = 60;

    /**
     * Console messages of the page (Chromium logs them as {@code INFO:CONSOLE:line} or
     * {@code INFO:CONSOLE(line)}), uncaught exceptions and Content-Security-Policy violations.
     * Chromium's own noise on a machine without D-Bus or GPU matches none of these.
     */
    public static final Pattern PAGE_ERROR = Pattern.compile(
            ":CONSOLE[:(]|Uncaught|Content Security Policy|Refused to (load|execute|apply|connect|frame)");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final Path binary;
    private final Path target;

    private HeadlessChromium(Path binary, Path target) {
        this.binary = binary;
        this.target = target;
    }

    /**
     * Finds {@code chromium} or {@code chromium-browser} on the PATH; its runs write under the
     * module's {@code target/}.
     *
     * @return the runner
     * @throws org.opentest4j.TestAbortedException (a skip, with the reason) when no binary is on the PATH
     * @throws AssertionError when no binary is on the PATH and {@code CI=true}: {@code .ci/run} installs it
     */
    public static HeadlessChromium locate() {
        return locate(Path.of("target"));
    }

    /**
     * As {@link #locate()}, writing profiles, logs and outputs under {@code target}.
     *
     * @param target directory for profiles and logs, created if missing
     * @return the runner
     */
    public static HeadlessChromium locate(Path target) {
        Objects.requireNonNull(target, "target");
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
        return new HeadlessChromium(found.get(), target);
    }

    /** @return the Chromium binary found on the PATH */
    public Path binary() {
        return binary;
    }

    /** @return the directory runs write their profiles, logs and outputs under */
    public Path target() {
        return target;
    }

    /**
     * Loads {@code page} and prints the DOM Chromium built ({@code --dump-dom}).
     *
     * @param name names the run's files, {@code target/chromium-NAME.*}
     * @param page the HTML file
     * @return the run; {@link Run#dom()} is the serialized DOM
     * @throws Exception if Chromium cannot be started or its files read
     */
    public Run dumpDom(String name, Path page) throws Exception {
        return run(name, page, "--dump-dom");
    }

    /**
     * As {@link #dumpDom(String, Path)}, for a page served over HTTP (the web UI), so that the
     * headers it is served with, its Content-Security-Policy among them, apply.
     *
     * @param name names the run's files, {@code target/chromium-NAME.*}
     * @param page the page's {@code http:} address
     * @return the run; {@link Run#dom()} is the serialized DOM
     * @throws Exception if Chromium cannot be started or its files read
     */
    public Run dumpDom(String name, java.net.URI page) throws Exception {
        return run(name, page, "--dump-dom");
    }

    /**
     * Loads {@code page} in a window of {@code width} by {@code height} CSS pixels and saves what
     * it shows as a PNG, without scrollbars. Fails unless Chromium exits with 0 and writes a PNG
     * (by its signature) of exactly that size that the JDK can decode.
     *
     * @param name names the run's files, {@code target/chromium-NAME.*}
     * @param page the HTML file
     * @param png where the screenshot goes (replaced)
     * @param width window width
     * @param height window height; what lies below is not in the picture
     * @return the run and the decoded picture
     * @throws Exception if Chromium cannot be started or its files read
     */
    public Screenshot screenshot(String name, Path page, Path png, int width, int height) throws Exception {
        return screenshot(name, page.toAbsolutePath().toUri(), png, width, height);
    }

    /**
     * As {@link #screenshot(String, Path, Path, int, int)}, for a page served over HTTP.
     *
     * @param name names the run's files, {@code target/chromium-NAME.*}
     * @param page the page's address
     * @param png where the screenshot goes (replaced)
     * @param width window width
     * @param height window height
     * @return the run and the decoded picture
     * @throws Exception if Chromium cannot be started or its files read
     */
    public Screenshot screenshot(String name, java.net.URI page, Path png, int width, int height) throws Exception {
        Objects.requireNonNull(png, "png");
        Path file = png.toAbsolutePath();
        Files.deleteIfExists(file);
        Run run = run(name, page, "--screenshot=" + file, "--window-size=" + width + "," + height, "--hide-scrollbars");
        assertThat(run.exitCode()).as("chromium exit code; stderr in %s", log(name)).isZero();
        assertThat(file).as("screenshot written by chromium").isRegularFile();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).as("PNG signature of %s", file).startsWith(PNG_SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
        assertThat(ihdr.getInt()).as("width in the PNG header").isEqualTo(width);
        assertThat(ihdr.getInt()).as("height in the PNG header").isEqualTo(height);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("%s decoded by javax.imageio", file).isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        return new Screenshot(run, file, bytes.length, image);
    }

    /**
     * Runs Chromium headless on {@code page} with {@code extra} arguments.
     *
     * @param name names the run's files, {@code target/chromium-NAME.*}
     * @param page the HTML file
     * @param extra further arguments, such as {@code --dump-dom}
     * @return the run
     * @throws Exception if Chromium cannot be started or its files read
     */
    public Run run(String name, Path page, String... extra) throws Exception {
        Objects.requireNonNull(page, "page");
        return run(name, page.toAbsolutePath().toUri(), extra);
    }

    /**
     * Runs Chromium headless on the page at {@code page} ({@code file:} or {@code http:}) with
     * {@code extra} arguments.
     *
     * @param name names the run's files, {@code target/chromium-NAME.*}
     * @param page the page's address
     * @param extra further arguments, such as {@code --dump-dom}
     * @return the run
     * @throws Exception if Chromium cannot be started or its files read
     */
    public Run run(String name, java.net.URI page, String... extra) throws Exception {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(page, "page");
        Files.createDirectories(target);
        Path profile = Files.createTempDirectory(target.toAbsolutePath(), "chromium-profile-");
        Path out = target.resolve("chromium-" + name + ".out");
        Path err = log(name);
        Path netLog = target.resolve("chromium-" + name + ".netlog.json").toAbsolutePath();
        Files.deleteIfExists(netLog);
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--log-net-log=" + netLog));
        cmd.addAll(List.of(extra));
        cmd.add(page.toString());
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
            return new Run(name, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), netLog);
        } finally {
            deleteRecursively(profile);
        }
    }

    private Path log(String name) {
        return target.resolve("chromium-" + name + ".log");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * The result of one Chromium run.
     *
     * @param name the run's name, as in its files {@code target/chromium-NAME.*}
     * @param exitCode Chromium's exit status
     * @param stdout what Chromium printed: the DOM for {@code --dump-dom}
     * @param stderr Chromium's log, including the page's console
     * @param netLog Chromium's network log of the run
     */
    public record Run(String name, int exitCode, String stdout, String stderr, Path netLog) {

        /** @return the DOM Chromium serialized, for a {@code --dump-dom} run */
        public String dom() {
            return stdout;
        }

        /** @return the log lines that are console messages, uncaught errors or CSP violations of the page */
        public List<String> pageErrors() {
            return stderr.lines().filter(l -> PAGE_ERROR.matcher(l).find()).toList();
        }

        /**
         * The requests the page made through the network stack (anything but the page itself and
         * {@code data:} URLs): Chromium's network log, keeping the requests made for a
         * {@code file:} page and leaving out Chromium's own (component updates and the like),
         * which belong to no page.
         *
         * @return the requested URLs, in order, each once
         * @throws AssertionError if the network log is missing or cut short
         */
        public List<String> pageRequests() {
            JsonNode log;
            try {
                log = new ObjectMapper().readTree(netLog.toFile());
            } catch (IOException e) {
                throw new AssertionError("chromium's network log " + netLog + " cannot be read as JSON: " + e, e);
            }
            JsonNode startJob = log.path("constants").path("logEventTypes").path("URL_REQUEST_START_JOB");
            if (!startJob.isInt() || !log.path("events").isArray()) {
                throw new AssertionError("chromium's network log " + netLog + " has no URL_REQUEST_START_JOB event"
                        + " type or no events: expected the format of --log-net-log");
            }
            List<String> urls = new ArrayList<>();
            for (JsonNode e : log.path("events")) {
                JsonNode params = e.path("params");
                if (e.path("type").asInt() == startJob.asInt() && forFilePage(params) && !urls.contains(params.path("url").asText())) {
                    urls.add(params.path("url").asText());
                }
            }
            return urls;
        }

        private static boolean forFilePage(JsonNode params) {
            String initiator = params.path("initiator").asText("");
            return initiator.equals("null") || initiator.startsWith("file:")
                    || params.path("network_isolation_key").asText("").startsWith("file:");
        }
    }

    /**
     * A screenshot Chromium took, checked and decoded.
     *
     * @param run the run that took it
     * @param file the PNG file
     * @param bytes the file's size
     * @param image the decoded picture
     */
    public record Screenshot(Run run, Path file, long bytes, BufferedImage image) {

        /** @return how many pixels have each RGB colour (alpha ignored) */
        public Map<Integer, Long> colours() {
            Map<Integer, Long> counts = new HashMap<>();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    counts.merge(image.getRGB(x, y) & 0xffffff, 1L, Long::sum);
                }
            }
            return counts;
        }

        /** @return the bottom-left pixel's RGB colour: the page's background below its content, when the window is tall enough */
        public int bottomColour() {
            return image.getRGB(0, image.getHeight() - 1) & 0xffffff;
        }

        /** @return the last row with a pixel of another colour than {@link #bottomColour()}; -1 when every pixel has that colour */
        public int lastContentRow() {
            int background = bottomColour();
            for (int y = image.getHeight() - 1; y >= 0; y--) {
                for (int x = 0; x < image.getWidth(); x++) {
                    if ((image.getRGB(x, y) & 0xffffff) != background) {
                        return y;
                    }
                }
            }
            return -1;
        }
    }
}
