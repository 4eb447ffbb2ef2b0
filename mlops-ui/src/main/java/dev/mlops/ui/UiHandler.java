package dev.mlops.ui;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.Names;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the UI's pages under a path prefix: GET and HEAD only, every response with a
 * Content-Security-Policy, {@code X-Content-Type-Options: nosniff}, no referrer and no framing;
 * pages (which show the store's data) are never cached. With a token, every request must carry
 * it (a bearer header or the cookie set by visiting a page once with {@code ?token=}), compared
 * in constant time.
 */
final class UiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(UiHandler.class);
    /** The UI's pages: no script at all, the jar's stylesheet, inline SVG; forms only to the UI itself. */
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " base-uri 'none'; frame-ancestors 'none'";
    static final String COOKIE = "mlops-ui-token";
    private static final byte[] CSS = stylesheet();

    private final Pages pages;
    private final String prefix;
    private final Optional<byte[]> tokenDigest;

    UiHandler(Mlops mlops, Optional<Store> store, String prefix, Optional<String> token) {
        Objects.requireNonNull(mlops, "mlops");
        this.prefix = normalise(prefix);
        this.pages = new Pages(mlops, store, this.prefix);
        this.tokenDigest = token.map(UiHandler::sha256);
    }

    /** "" for the root, else "/a/b" without a trailing slash. */
    static String normalise(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.equals("/")) {
            return "";
        }
        if (!prefix.startsWith("/") || prefix.contains("//") || !prefix.matches("[A-Za-z0-9/._-]+")) {
            throw new IllegalArgumentException("path prefix '" + prefix + "': expected \"/\" or a path such as /mlops"
                    + " (letters, digits, '.', '_', '-' and '/')");
        }
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private static byte[] stylesheet() {
        try (InputStream in = UiHandler.class.getResourceAsStream("ui.css")) {
            if (in == null) {
                throw new IllegalStateException("dev/mlops/ui/ui.css is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Headers h = exchange.getResponseHeaders();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            h.set("X-Frame-Options", "DENY");
            h.set("Cache-Control", "no-store");
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                h.set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "method " + method + " not allowed: the UI is read-only (GET, HEAD)\n", false);
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
                send(exchange, 404, "text/plain", "not found\n", head);
                return;
            }
            String local = path.substring(prefix.length());
            Query query;
            try {
                query = Query.parse(exchange.getRequestURI().getRawQuery());
            } catch (IllegalArgumentException e) {
                send(exchange, 400, "text/plain", e.getMessage() + "\n", head);
                return;
            }
            if (tokenDigest.isPresent() && !authorised(exchange, query, local, head)) {
                return;
            }
            if (local.equals("/static/ui.css")) {
                h.set("Cache-Control", "max-age=3600");
                sendBytes(exchange, 200, "text/css; charset=utf-8", CSS, head);
                return;
            }
            try {
                Pages.Body body = route(local.isEmpty() ? "/" : local, query);
                if (body.ownPolicy()) {
                    h.set("Content-Security-Policy", Pages.REPORT_CSP);
                }
                send(exchange, 200, "text/html; charset=utf-8", body.html(), head);
            } catch (NotFoundException e) {
                send(exchange, 404, "text/html; charset=utf-8", errorPage("Not found", e.getMessage()), head);
            } catch (IllegalArgumentException | InvalidNameException e) {
                send(exchange, 400, "text/html; charset=utf-8", errorPage("Bad request", e.getMessage()), head);
            } catch (RuntimeException e) {
                LOG.warn("ui page {} failed", local, e);
                send(exchange, 500, "text/html; charset=utf-8", errorPage("Error",
                        "the page could not be read from the store: " + e.getClass().getSimpleName()), head);
            }
        }
    }

    private String errorPage(String title, String message) {
        return new Markup(prefix).open(title).raw("<p class=\"error\">").text(String.valueOf(message)).raw("</p>\n").close();
    }

    /** Checks the token; answers the request itself (401, or a redirect that sets the cookie) when it returns false. */
    private boolean authorised(HttpExchange exchange, Query query, String local, boolean head) throws IOException {
        Optional<String> given = query.first("token");
        if (given.isPresent()) {
            if (matches(given.get())) {
                // the token leaves the address bar: a cookie carries it from now on
                exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + given.get() + "; Path=" + (prefix.isEmpty() ? "/"
                        : prefix) + "; HttpOnly; SameSite=Strict");
                exchange.getResponseHeaders().set("Location", prefix + (local.isEmpty() ? "/" : local));
                send(exchange, 303, "text/plain", "signed in\n", head);
                return false;
            }
        } else {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7).strip())) {
                return true;
            }
            for (String cookies : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
                for (String c : cookies.split(";")) {
                    String kv = c.strip();
                    if (kv.startsWith(COOKIE + "=") && matches(kv.substring(COOKIE.length() + 1))) {
                        return true;
                    }
                }
            }
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mlops ui\"");
        send(exchange, 401, "text/plain", "this UI needs its token: open it once with ?token=TOKEN, or send"
                + " Authorization: Bearer TOKEN\n", head);
        return false;
    }

    /** Constant time: both sides are hashed to 32 bytes first, so neither the length nor a prefix shows in the time. */
    private boolean matches(String candidate) {
        return MessageDigest.isEqual(tokenDigest.orElseThrow(), sha256(candidate));
    }

    private Pages.Body route(String local, Query q) {
        String[] s = local.substring(1).split("/", -1);
        for (int i = 0; i < s.length; i++) {
            // decoded for the messages; a '+' in a path is a plus, not a space
            s[i] = java.net.URLDecoder.decode(s[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        int n = s.length;
        if (local.equals("/")) {
            return pages.models(q);
        }
        switch (s[0]) {
            case "models" -> {
                if (n == 2) {
                    return pages.model(name(s[1]), q);
                }
                if (n == 3 && s[2].equals("lineage")) {
                    return pages.lineageGraph(name(s[1]), q);
                }
                if (n >= 4 && n <= 5 && s[2].equals("versions")) {
                    int v = number(s[3]);
                    if (n == 4) {
                        return pages.version(name(s[1]), v);
                    }
                    if (s[4].equals("card")) {
                        return pages.card(name(s[1]), v);
                    }
                }
            }
            case "experiments" -> {
                if (n == 1) {
                    return pages.experiments(q);
                }
                if (n == 2) {
                    return pages.experiment(name(s[1]), q);
                }
            }
            case "runs" -> {
                if (n == 2) {
                    return pages.run(s[1]);
                }
            }
            case "compare" -> {
                if (n == 1) {
                    return pages.compare(q);
                }
            }
            case "drift" -> {
                if (n == 1) {
                    return pages.drift(q);
                }
                if (n == 3 && s[1].equals("fleets")) {
                    return pages.fleet(fleetName(s[2]), q);
                }
                if (n == 5 && s[1].equals("fleets") && s[3].equals("windows")) {
                    return pages.fleetWindow(fleetName(s[2]), s[4]);
                }
            }
            case "audit" -> {
                if (n == 1) {
                    return pages.audit(q);
                }
            }
            default -> {
                // not a page
            }
        }
        throw new NotFoundException("no page at " + local);
    }

    private static String name(String segment) {
        return Names.requireValid(Names.Kind.MODEL, segment);
    }

    private static String fleetName(String segment) {
        return Names.requireValid(Names.Kind.KEY_SEGMENT, segment);
    }

    private static int number(String segment) {
        if (!segment.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("version '" + segment + "': expected a version number from 1");
        }
        return Integer.parseInt(segment);
    }

    private static void send(HttpExchange exchange, int status, String type, String body, boolean head) throws IOException {
        sendBytes(exchange, status, type.startsWith("text/plain") ? "text/plain; charset=utf-8" : type,
                body.getBytes(StandardCharsets.UTF_8), head);
    }

    private static void sendBytes(HttpExchange exchange, int status, String type, byte[] body, boolean head) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
