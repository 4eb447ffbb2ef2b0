package dev.mlops.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The UI server: pages, headers, escaping, paging, and who may connect")
class UiServerTest {
    @TempDir
    static Path dir;
    static UiFixture fx;
    static MlopsUi.Server ui;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        fx = new UiFixture(dir);
        fx.manyVersions("many", 120);
        ui = MlopsUi.builder(fx.mlops, fx.store).start();
    }

    @AfterAll
    static void stop() {
        ui.close();
        fx.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(ui.uri().resolve(path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A tag with an event-handler attribute (values double-quoted, with their quotes escaped, or unquoted). */
    static final String EVENT_HANDLER =
            "<[a-zA-Z][-a-zA-Z0-9]*(\\s+[-a-zA-Z0-9:]+(=(\"[^\"]*\"|[^\\s>\"]*))?)*\\s+on[a-zA-Z]+=";

    @Test
    @DisplayName("control: the event-handler pattern finds a handler, and not one that is escaped text in a value")
    void eventHandlerPatternCanFail() {
        assertThat("<a href=\"/x\" onclick=\"y\">").containsPattern(EVENT_HANDLER);
        assertThat("<img src=x onerror=alert(1)>").containsPattern(EVENT_HANDLER);
        assertThat("<svg aria-label=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\">").doesNotContainPattern(EVENT_HANDLER);
    }

    @Test
    @DisplayName("every page answers 200 with a strict policy, nosniff, no caching and no script")
    void everyPage() throws Exception {
        assertThat(ui.uri().getHost()).isEqualTo("127.0.0.1");
        for (Map.Entry<String, String> page : fx.pages().entrySet()) {
            HttpResponse<String> r = get(page.getValue());
            assertThat(r.statusCode()).as("%s %s: %s", page.getKey(), page.getValue(), r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).startsWith("default-src 'none'").doesNotContain("script-src").contains("frame-ancestors 'none'");
            if (!page.getKey().equals("card") && !page.getKey().equals("drift-report")) {
                assertThat(csp).isEqualTo(UiHandler.CSP).doesNotContain("unsafe-inline");
            }
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(r.body()).as(page.getKey()).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                    .doesNotContain("style=\"")
                    .doesNotContainPattern(EVENT_HANDLER);
        }
    }

    @Test
    @DisplayName("hostile text is escaped wherever it is shown; the run page shows it as text")
    void hostileTextIsEscaped() throws Exception {
        for (String path : List.of("/runs/" + fx.hostileRun, "/models/rain", "/models/rain/versions/3", "/experiments/rain",
                "/compare?run=" + fx.run1 + "&run=" + fx.hostileRun, "/models/rain/lineage")) {
            String body = get(path).body();
            for (String hostile : List.of(UiFixture.SCRIPT, UiFixture.IMG, "<style>", "\u202E", "\u0000")) {
                assertThat(body).as("%s holds %s raw", path, hostile).doesNotContain(hostile);
            }
        }
        String run = get("/runs/" + fx.hostileRun).body();
        assertThat(run).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
                "abc\uFFFDdef", "a\u2400b", "javascript:alert(3)");
        // the javascript: text never becomes a link
        assertThat(run).doesNotContain("href=\"javascript");
    }

    @Test
    @DisplayName("a model with 120 versions is shown 50 at a time, with a link to the next page")
    void paging() throws Exception {
        String first = get("/models/many").body();
        assertThat(rows(first, "version-table")).isEqualTo(50);
        String next = nextLink(first);
        String second = get(next).body();
        assertThat(rows(second, "version-table")).isEqualTo(50);
        String third = get(nextLink(second)).body();
        assertThat(rows(third, "version-table")).isEqualTo(20);
        assertThat(third).doesNotContain("next page");
        assertThat(get("/models/many?size=500").body()).satisfies(b -> assertThat(rows(b, "version-table")).isEqualTo(120));
        assertThat(get("/models/many?size=501").statusCode()).isEqualTo(400);
        assertThat(get("/models/many?size=0").statusCode()).isEqualTo(400);
    }

    static int rows(String html, String tableId) {
        int start = html.indexOf("id=\"" + tableId + "\"");
        assertThat(start).as("table %s", tableId).isPositive();
        String table = html.substring(start, html.indexOf("</table>", start));
        return table.split("<tr>", -1).length - 2; // minus the part before the first row and the header row
    }

    static String nextLink(String html) {
        Matcher m = Pattern.compile("<a href=\"([^\"]*)\">next page").matcher(html);
        assertThat(m.find()).as("a next-page link").isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    @Test
    @DisplayName("a run's 100,000 points are drawn from at most 1,000")
    void downsampledChart() throws Exception {
        String id;
        try (var r = fx.mlops.tracking().startRun("long", dev.mlops.api.tracking.NewRun.builder().build())) {
            id = r.id();
            for (int i = 0; i < 100_000; i++) {
                r.logMetric("loss", i == 77_777 ? 50.0 : Math.sin(i / 1000.0), i);
            }
        }
        String body = get("/runs/" + id).body();
        Matcher m = Pattern.compile("<polyline [^>]*points=\"([^\"]*)\"").matcher(body);
        assertThat(m.find()).isTrue();
        int points = m.group(1).split(" ").length;
        assertThat(points).isBetween(500, Downsample.MAX_POINTS);
        assertThat(body).contains("100000 points, drawn from " + points + " (min and max per bucket)");
        assertThat(body.length()).as("page weight").isLessThan(60_000);
        // the spike survives: the highest tick label is 50
        assertThat(body).contains(">50</text>");
    }

    @Test
    @DisplayName("only GET and HEAD; HEAD has no body")
    void methods() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(ui.uri()).method(method,
                    HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(ui.uri()).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Security-Policy")).hasValue(UiHandler.CSP);
    }

    @Test
    @DisplayName("unknown pages are 404, bad names and numbers 400, each with an escaped message")
    void errors() throws Exception {
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/models/absent").statusCode()).isEqualTo(404);
        assertThat(get("/runs/" + "0".repeat(32)).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = get("/models/%3Cscript%3E");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(get("/models/rain/versions/0").statusCode()).isEqualTo(400);
        assertThat(get("/models/rain/versions/99").statusCode()).isEqualTo(404);
        assertThat(get("/runs/not-a-run").statusCode()).isEqualTo(400);
        assertThat(get("/compare").statusCode()).isEqualTo(400);
        HttpResponse<String> filter = get("/experiments/rain?filter=" + java.net.URLEncoder.encode("metrics.loss < 'x'",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(filter.statusCode()).isEqualTo(400);
        assertThat(filter.body()).contains("expected a number");
        assertThat(get("/drift/fleets/absent-fleet").statusCode()).isEqualTo(404);
        HttpResponse<String> hostileFleet = get("/drift/fleets/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertThat(hostileFleet.statusCode()).isEqualTo(400);
        assertThat(hostileFleet.body()).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(get("/drift/fleets/" + UiFixture.FLEET + "/windows/x").statusCode()).isEqualTo(400);
        assertThat(get("/drift/fleets/" + UiFixture.FLEET + "/windows/" + (fx.fleetWindows.get(0) - 1)).statusCode())
                .isEqualTo(404);
        assertThat(get("/drift/fleets/" + UiFixture.FLEET_NO_PROFILE + "/windows/1").body()).contains("profile not stored");
        assertThat(get("/audit?from=x").statusCode()).isEqualTo(400);
    }

    @Test
    @DisplayName("the comparison marks the rows that differ and draws one line per run")
    void comparison() throws Exception {
        String body = get("/compare?run=" + fx.run1 + "&run=" + fx.run2).body();
        assertThat(body).contains("<tr class=\"differs\"><th>param lr</th><td>0.1</td><td>0.01</td></tr>")
                .contains("<tr><th>tag team</th><td>weather</td><td>weather</td></tr>");
        int start = body.indexOf("<figcaption>loss by step");
        assertThat(start).isPositive();
        String chart = body.substring(body.lastIndexOf("<svg", start), start);
        assertThat(chart.split("<polyline", -1).length - 1).isEqualTo(2);
        assertThat(get("/compare?run=" + String.join("&run=", java.util.Collections.nCopies(1, fx.run1))).statusCode())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("the audit page shows the verification state and pages by sequence")
    void audit() throws Exception {
        String body = get("/audit").body();
        assertThat(body).contains("class=\"verification pass\"", "Verified: the hash chain of "
                + fx.mlops.audit().size() + " entries is intact.");
        assertThat(rows(body, "audit")).isEqualTo((int) Math.min(Pages.AUDIT_PAGE, fx.mlops.audit().size()));
    }

    @Test
    @DisplayName("a non-loopback address is refused without the flag and a token")
    void remoteNeedsFlagAndToken() throws Exception {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        assertThatThrownBy(() -> MlopsUi.builder(fx.mlops).bind(any).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to serve the UI on 0.0.0.0").hasMessageContaining("missing: the flag and the token");
        assertThatThrownBy(() -> MlopsUi.builder(fx.mlops).bind(any).allowRemote().start())
                .hasMessageContaining("missing: the token");
        assertThatThrownBy(() -> MlopsUi.builder(fx.mlops).bind(any).token("t".repeat(20)).start())
                .hasMessageContaining("missing: the flag");
        assertThatThrownBy(() -> MlopsUi.builder(fx.mlops).token("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 16 to 256");
    }

    @Test
    @DisplayName("with a token, a request needs it: bearer header, or the cookie set by ?token=")
    void token() throws Exception {
        String token = "s3cret-token-0123456789";
        try (MlopsUi.Server guarded = MlopsUi.builder(fx.mlops).token(token).start()) {
            URI models = guarded.uri().resolve("models/rain");
            assertThat(send(HttpRequest.newBuilder(models)).statusCode()).isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(models).header("Authorization", "Bearer wrong-token-0123456789"))
                    .statusCode()).isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(models).header("Authorization", "Bearer " + token)).statusCode())
                    .isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(URI.create(models + "?token=" + token + "x"))).statusCode()).isEqualTo(401);
            HttpResponse<String> signIn = send(HttpRequest.newBuilder(URI.create(models + "?token=" + token)));
            assertThat(signIn.statusCode()).isEqualTo(303);
            assertThat(signIn.headers().firstValue("Location")).hasValue("/models/rain");
            String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
            assertThat(send(HttpRequest.newBuilder(models).header("Cookie", cookie.substring(0, cookie.indexOf(';'))))
                    .statusCode()).isEqualTo(200);
            // the stylesheet too: nothing is served without the token
            assertThat(send(HttpRequest.newBuilder(guarded.uri().resolve("static/ui.css"))).statusCode()).isEqualTo(401);
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("mounted in an application's own server under /mlops, its links stay under /mlops")
    void mounted() throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/mlops", MlopsUi.handler(fx.mlops, "/mlops"));
        app.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/mlops/");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("models/rain")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(r.body());
            int links = 0;
            while (href.find()) {
                assertThat(href.group(1)).startsWith("/mlops/");
                links++;
            }
            assertThat(links).isGreaterThan(5);
            assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("static/ui.css")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("nav {");
        } finally {
            app.stop(0);
        }
        assertThatThrownBy(() -> MlopsUi.handler(fx.mlops, "mlops")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("mounted with the store, the fleet pages' links stay under the prefix; without it, the drift pages say why they are empty")
    void driftPagesWithAndWithoutTheStore() throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/with", MlopsUi.handler(fx.mlops, fx.store, "/with"));
        app.createContext("/without", MlopsUi.handler(fx.mlops, "/without"));
        app.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/");
            String fleets = HTTP.send(HttpRequest.newBuilder(base.resolve("with/drift")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(fleets).contains("href=\"/with/drift/fleets/" + UiFixture.FLEET + "\"");
            String windows = HTTP.send(HttpRequest.newBuilder(base.resolve("with/drift/fleets/" + UiFixture.FLEET)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(windows).contains("href=\"/with/drift/fleets/" + UiFixture.FLEET + "/windows/"
                    + fx.fleetWindows.get(UiFixture.WINDOWS - 1) + "\"");
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(base.resolve("without/drift")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(200);
            assertThat(none.body()).contains("started without its store");
            HttpResponse<String> fleet = HTTP.send(HttpRequest.newBuilder(base.resolve("without/drift/fleets/"
                    + UiFixture.FLEET)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fleet.statusCode()).isEqualTo(404);
            assertThat(fleet.body()).contains("need the store itself");
        } finally {
            app.stop(0);
        }
    }
}
