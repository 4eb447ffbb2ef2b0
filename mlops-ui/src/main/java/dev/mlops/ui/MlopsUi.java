package dev.mlops.ui;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.api.store.Store;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A read-only web UI over a store, on the JDK's built-in HTTP server: models with their versions,
 * aliases and alias timeline, lineage as a graph, runs with comparisons and metric charts, the
 * windows fleet drift monitors published to the store over time, gate decisions, model cards and the audit log with its verification. Every
 * page is read through the public API, paged, and drawn on the server (no script, no CDN; the
 * stylesheet comes from this jar). See {@code docs/ui.md}.
 *
 * <pre>{@code
 * try (MlopsUi.Server ui = MlopsUi.builder(mlops, store).port(8080).start()) {   // http://127.0.0.1:8080/
 *     ...
 * }
 * // or inside an application's own server, under a prefix:
 * server.createContext("/mlops", MlopsUi.handler(mlops, store, "/mlops"));
 * }</pre>
 *
 * <p>By default it listens on the loopback address only. Another address needs both
 * {@link Builder#allowRemote} and a {@link Builder#token token}, which every request must then
 * carry.
 */
public final class MlopsUi {
    /** Tokens: 16 to 256 characters that are safe in a header, a cookie and a URL. */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,256}");
    private MlopsUi() {
    }

    /**
     * The UI as a handler to mount in an application's own {@link HttpServer}, without a token
     * (the application guards the context).
     *
     * @param mlops the store to show
     * @param pathPrefix the context path it is mounted at: {@code "/"} or a path such as {@code "/mlops"}
     * @return the handler
     * @throws IllegalArgumentException if the prefix is not such a path
     */
    public static HttpHandler handler(Mlops mlops, String pathPrefix) {
        return new UiHandler(mlops, Optional.empty(), pathPrefix, Optional.empty());
    }

    /**
     * As {@link #handler(Mlops, String)}, with the store {@code mlops} was built on, whose fleet
     * drift documents the drift pages show (without it they say so).
     *
     * @param mlops the store to show
     * @param store the store {@code mlops} was built on
     * @param pathPrefix the context path
     * @return the handler
     */
    public static HttpHandler handler(Mlops mlops, Store store, String pathPrefix) {
        return new UiHandler(mlops, Optional.of(Objects.requireNonNull(store, "store")), pathPrefix, Optional.empty());
    }

    /**
     * As {@link #handler(Mlops, String)}, requiring {@code token} on every request.
     *
     * @param mlops the store to show
     * @param pathPrefix the context path
     * @param token the token, matching {@link #TOKEN}
     * @return the handler
     */
    public static HttpHandler handler(Mlops mlops, String pathPrefix, String token) {
        return new UiHandler(mlops, Optional.empty(), pathPrefix, Optional.of(requireToken(token)));
    }

    /**
     * As {@link #handler(Mlops, Store, String)}, requiring {@code token} on every request.
     *
     * @param mlops the store to show
     * @param store the store {@code mlops} was built on
     * @param pathPrefix the context path
     * @param token the token, matching {@link #TOKEN}
     * @return the handler
     */
    public static HttpHandler handler(Mlops mlops, Store store, String pathPrefix, String token) {
        return new UiHandler(mlops, Optional.of(Objects.requireNonNull(store, "store")), pathPrefix,
                Optional.of(requireToken(token)));
    }

    /**
     * @param mlops the store to show
     * @return a builder of a server of its own
     */
    public static Builder builder(Mlops mlops) {
        return new Builder(Objects.requireNonNull(mlops, "mlops"), Optional.empty());
    }

    /**
     * @param mlops the store to show
     * @param store the store {@code mlops} was built on: the drift pages read the windows fleet
     *     drift monitors ({@code FleetDrift}) published to it, which {@link Mlops} does not expose
     * @return a builder of a server of its own
     */
    public static Builder builder(Mlops mlops, Store store) {
        return new Builder(Objects.requireNonNull(mlops, "mlops"), Optional.of(Objects.requireNonNull(store, "store")));
    }

    private static String requireToken(String token) {
        Objects.requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("token of " + token.length() + " characters: expected 16 to 256 letters,"
                    + " digits, '.', '_', '~' or '-'");
        }
        return token;
    }

    /** Where and how the UI's own server listens. */
    public static final class Builder {
        private final Mlops mlops;
        private final Optional<Store> store;
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int port = 0;
        private boolean allowRemote;
        private String token;
        private String prefix = "/";
        private int threads = 4;

        private Builder(Mlops mlops, Optional<Store> store) {
            this.mlops = mlops;
            this.store = store;
        }

        /**
         * @param address the address to listen on; loopback by default. Any other needs
         *     {@link #allowRemote} and a {@link #token}
         * @return this
         */
        public Builder bind(InetAddress address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param port the port, 0 (the default) for any free one
         * @return this
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + ": expected 0 to 65535");
            }
            this.port = port;
            return this;
        }

        /**
         * Allows a non-loopback address; without it {@link #start} refuses one.
         *
         * @return this
         */
        public Builder allowRemote() {
            this.allowRemote = true;
            return this;
        }

        /**
         * @param token the token every request must carry (required with a non-loopback address)
         * @return this
         */
        public Builder token(String token) {
            this.token = requireToken(token);
            return this;
        }

        /**
         * @param pathPrefix where the pages are, {@code "/"} by default
         * @return this
         */
        public Builder pathPrefix(String pathPrefix) {
            this.prefix = "/" + UiHandler.normalise(pathPrefix).replaceFirst("^/", "");
            return this;
        }

        /**
         * @param threads request threads, 4 by default
         * @return this
         */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads " + threads + ": expected 1 to 64");
            }
            this.threads = threads;
            return this;
        }

        /**
         * Starts the server.
         *
         * @return the running server; close it to stop
         * @throws IllegalStateException if the address is not loopback and {@link #allowRemote}
         *     or the {@link #token} is missing
         * @throws UncheckedIOException if the port cannot be bound
         */
        public Server start() {
            if (!bind.isLoopbackAddress()) {
                if (!allowRemote || token == null) {
                    throw new IllegalStateException("refusing to serve the UI on " + bind.getHostAddress()
                            + ", which is not a loopback address: that needs both the explicit remote flag"
                            + " (allowRemote(), mlops ui --bind) and a token (token(...), mlops ui --token), so that"
                            + " only who holds the token can read the store; missing: "
                            + (!allowRemote && token == null ? "the flag and the token" : !allowRemote ? "the flag" : "the token"));
                }
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(bind, port), 64);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + bind.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
            }
            AtomicInteger n = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "mlops-ui-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext(prefix, new UiHandler(mlops, store, prefix, Optional.ofNullable(token)));
            server.start();
            return new Server(server, executor, prefix);
        }
    }

    /** A running UI server. */
    public static final class Server implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;
        private final String prefix;

        private Server(HttpServer server, ExecutorService executor, String prefix) {
            this.server = server;
            this.executor = executor;
            this.prefix = prefix;
        }

        /** @return the port it listens on */
        public int port() {
            return server.getAddress().getPort();
        }

        /** @return the address of its first page */
        public URI uri() {
            InetAddress a = server.getAddress().getAddress();
            String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
            return URI.create("http://" + host + ":" + port() + (prefix.endsWith("/") ? prefix : prefix + "/"));
        }

        /** Stops listening, lets requests in progress finish for up to a second, and stops the threads. */
        @Override
        public void close() {
            server.stop(1);
            executor.shutdownNow();
        }
    }
}
