package dev.mlops.examples;

import dev.mlops.serving.ModelServiceBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.api.Artifact;
import dev.mlops.api.Frame;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.ValidationException;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.serving.InputObserver;
import dev.mlops.api.serving.ModelLoader;
import dev.mlops.api.serving.ModelService;
import dev.mlops.api.serving.Prediction;
import dev.mlops.api.serving.ServiceEvent;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.quality.Frames;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.DriftReportJson;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.json.JsonFields;
import dev.mlops.json.StrictJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Monitoring inside a small HTTP service: a JDK {@link HttpServer} serves predictions through a
 * {@link ModelService} that follows {@code forecast@production}, a {@link DriftMonitor} watches
 * every request's features against the training data's {@link ReferenceProfile}, and the live
 * drift is one GET away.
 *
 * <p>The model forecasts tomorrow's maximum temperature in Seattle from today's weather. Version
 * 1 is persistence (tomorrow = today), version 2 damps today's value towards the 2012 mean. Both
 * were "trained" on 2012, whose profile travels with each version as the attachment
 * {@code drift-profile}; the service reads it from the version it serves. Endpoints:
 *
 * <ul>
 *   <li>{@code POST /predict} with {@code {"precipitation": 0.0, "temp_max": 12.8, "temp_min": 5.0,
 *   "wind": 4.7}} answers {@code {"prediction": 12.8, "version": "forecast/1", "prediction_id": ...}};</li>
 *   <li>{@code GET /drift}: windows closed so far, how many drifted, alerts, and the latest
 *   window's report ({@link DriftReportJson}'s schema, {@code null} before the first window);</li>
 *   <li>{@code GET /metrics}: calls, errors and latency per version.</li>
 * </ul>
 *
 * <p>{@link #run} replays 2015 through {@code POST /predict} from a client thread and, while it
 * sends, moves {@code production} to version 2 as a training job or the CLI would: the service
 * swaps versions between two requests, no request fails, and later answers name version 2.
 * Summer and winter windows of 2015 differ from the whole of 2012, so the monitor reports drift
 * in the temperature columns and raises an alert after three drifting windows in a row.
 *
 * <p>Run: {@code java -cp mlops-examples/target/mlops-demo.jar dev.mlops.examples.MonitoredHttpServiceExample}.
 * The server listens on 127.0.0.1 on a free port and stops at the end.
 */
public final class MonitoredHttpServiceExample implements AutoCloseable {
    /** The model's input columns, as named in the data and in the request JSON. */
    static final List<String> FEATURES = List.of("precipitation", "temp_max", "temp_min", "wind");


    /**
     * One day's weather, the model's input.
     *
     * @param precipitation precipitation in mm
     * @param tempMax maximum temperature in °C
     * @param tempMin minimum temperature in °C
     * @param wind mean wind speed in m/s
     */
    public record Weather(double precipitation, double tempMax, double tempMin, double wind) {
    }

    /**
     * What the example observed, for its test.
     *
     * @param requests predictions requested over HTTP
     * @param failed requests that did not get a 200 answer
     * @param answeredBy how many answers each version gave
     * @param switches how often consecutive answers changed version (1: one clean swap)
     * @param drift the final {@code GET /drift} document
     */
    public record Result(int requests, int failed, Map<String, Integer> answeredBy, int switches, JsonNode drift) {
    }

    private final ModelService<Weather, Double> service;
    private final DriftMonitor monitor;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicReference<DriftReport> latest = new AtomicReference<>();
    private final AtomicLong windows = new AtomicLong();
    private final AtomicLong driftWindows = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();

    private MonitoredHttpServiceExample(Mlops mlops, ModelRef ref, long windowRows) throws IOException {
        ModelVersion live = mlops.models().resolve(ref);
        ReferenceProfile profile = ReferenceProfile.fromJson(mlops.models().attachment(live.ref(), "drift-profile"));
        this.monitor = DriftMonitor.builder(profile)
                .countWindow(windowRows)
                .listener((report, state) -> {
                    latest.set(report);
                    windows.incrementAndGet();
                    if (report.datasetDrift()) {
                        driftWindows.incrementAndGet();
                    }
                })
                .onDrift(3, Duration.ofHours(1), report -> alerts.incrementAndGet())   // page someone here
                .build();
        List<ToDoubleFunction<Weather>> getters = monitor.numericalColumns().stream()
                .map(MonitoredHttpServiceExample::getter).toList();
        InputObserver<Weather> observer = monitor.observer((w, num, cat) -> {
            for (int i = 0; i < num.length; i++) {
                num[i] = getters.get(i).applyAsDouble(w);
            }
        });
        ModelLoader<Weather, Double> loader = ModelLoader.ofFunction(ctx -> forecaster(ctx.version().params()));
        this.service = ModelServiceBuilder.serve(mlops, ref, loader).monitor(observer, 1.0).build();

        // small JSON answers: send them at once instead of waiting for the client's delayed ACK (Nagle)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.pool = Executors.newFixedThreadPool(4);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/predict", ex -> handle(ex, "POST", this::predict));
        server.createContext("/drift", ex -> handle(ex, "GET", body -> drift()));
        server.createContext("/metrics", ex -> handle(ex, "GET", body -> metrics()));
        server.start();
    }

    /**
     * Starts the service on 127.0.0.1, on a free port.
     *
     * @param mlops the registry
     * @param ref the reference to serve, such as {@code forecast@production}; its version must
     *     carry a {@code drift-profile} attachment
     * @param windowRows rows per drift window
     * @return the running service; close it to stop
     * @throws IOException if the server cannot listen
     */
    public static MonitoredHttpServiceExample start(Mlops mlops, ModelRef ref, long windowRows) throws IOException {
        return new MonitoredHttpServiceExample(mlops, ref, windowRows);
    }

    /** @return the base address, such as {@code http://127.0.0.1:43210} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @return the model service behind the endpoints */
    public ModelService<Weather, Double> service() {
        return service;
    }

    /** Stops the server, then the model service. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        service.close();
    }

    // ---- endpoints --------------------------------------------------------------------------

    private ObjectNode predict(JsonNode body) {
        // strict: a missing, mistyped, repeated or unknown field is a 400 naming it
        JsonFields request = StrictJson.fields(body, "request body");
        double[] v = new double[FEATURES.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = request.number(FEATURES.get(i));
        }
        request.end();
        Prediction<Double> p = service.predictDetailed(new Weather(v[0], v[1], v[2], v[3]));
        return StrictJson.objectNode().put("prediction", p.output()).put("version", p.servedBy().toString())
                .put("prediction_id", p.predictionId());
    }

    private ObjectNode drift() throws IOException {
        ObjectNode n = StrictJson.objectNode().put("windows", windows.get()).put("windows_with_drift", driftWindows.get())
                .put("alerts", alerts.get()).put("rows_observed", monitor.observed());
        DriftReport r = latest.get();
        n.set("latest", r == null ? null : StrictJson.readTree(DriftReportJson.toJson(r), "drift report"));
        return n;
    }

    private ObjectNode metrics() {
        ServiceMetrics m = service.metrics();
        ObjectNode n = StrictJson.objectNode().put("service", m.service()).put("serving", service.currentVersion().toString())
                .put("observer_errors", m.observerErrors());
        ArrayNode versions = n.putArray("versions");
        for (VersionMetrics v : m.versions()) {
            versions.addObject().put("version", v.version().toString()).put("calls", v.calls()).put("errors", v.errors())
                    .put("p50_ns", v.latency().p50Nanos()).put("p99_ns", v.latency().p99Nanos());
        }
        return n;
    }

    /** An endpoint: request body in, JSON out. */
    private interface Endpoint {
        ObjectNode answer(JsonNode body) throws IOException;
    }

    private static void handle(HttpExchange ex, String method, Endpoint endpoint) throws IOException {
        int status;
        ObjectNode answer;
        try (InputStream in = ex.getRequestBody()) {
            if (!ex.getRequestMethod().equals(method)) {
                status = 405;
                answer = error("use " + method + " for " + ex.getRequestURI().getPath());
            } else {
                byte[] body = in.readAllBytes();
                answer = endpoint.answer(body.length == 0 ? StrictJson.objectNode() : StrictJson.readTree(body, "request body"));
                status = 200;
            }
        } catch (IllegalArgumentException | ValidationException e) {
            status = 400;
            answer = error(e.getMessage());
        } catch (RuntimeException e) {
            status = 500;
            answer = error(e.toString());
        }
        byte[] bytes = StrictJson.write(answer);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ObjectNode error(String message) {
        return StrictJson.objectNode().put("error", message);
    }

    private static ToDoubleFunction<Weather> getter(String column) {
        return switch (column) {
            case "precipitation" -> Weather::precipitation;
            case "temp_max" -> Weather::tempMax;
            case "temp_min" -> Weather::tempMin;
            case "wind" -> Weather::wind;
            default -> throw new IllegalArgumentException("the drift profile has a column '" + column
                    + "' that requests do not carry; expected " + FEATURES);
        };
    }

    /** The forecaster a version's parameters describe. */
    static Function<Weather, Double> forecaster(Map<String, String> params) {
        double weight = Double.parseDouble(params.getOrDefault("weight", "1"));
        double mean = Double.parseDouble(params.getOrDefault("mean", "0"));
        return w -> weight * w.tempMax() + (1 - weight) * mean;
    }

    // ---- the story --------------------------------------------------------------------------

    /**
     * Runs the example, printing to standard output.
     *
     * @param args ignored
     * @throws Exception if the service cannot start or a wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /**
     * Registers the two versions, starts the service, replays 2015 over HTTP with a hot swap in
     * the middle, and prints what the service saw.
     *
     * @param out where to print the story
     * @return what happened
     * @throws Exception if the service cannot start or a wait is interrupted
     */
    public static Result run(PrintStream out) throws Exception {
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).actor("example").build()) {
            out.println("1. Register two forecasters of tomorrow's temp_max, each with the 2012 drift profile");
            List<ModelVersion> versions = registerForecasters(mlops);
            for (ModelVersion v : versions) {
                out.printf("   %s: %s%n", v.ref(), v.description());
            }
            mlops.models().setAlias("forecast", "production", 1);

            try (MonitoredHttpServiceExample app = start(mlops, ModelRef.parse("forecast@production"), 28)) {
                out.println("2. Serving forecast@production at " + app.uri() + " (POST /predict, GET /drift, GET /metrics)");
                LinkedBlockingQueue<ModelRef.Version> swaps = new LinkedBlockingQueue<>();
                app.service().onEvent(e -> {
                    if (e instanceof ServiceEvent.Swapped s) {
                        swaps.add(s.to());
                    }
                });
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                List<String> days2015 = SeattleWeatherCsv.rows(2015);
                out.printf("3. A client replays %d days of 2015; after 120 answers, production moves to forecast/2%n",
                        days2015.size());
                CountDownLatch halfway = new CountDownLatch(120);
                CompletableFuture<List<String>> client = CompletableFuture.supplyAsync(
                        () -> replay(http, app.uri(), days2015, halfway, "forecast/2"));
                if (!halfway.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the client did not get 120 answers within 5 minutes");
                }
                mlops.models().setAlias("forecast", "production", 2);     // what a training job or the CLI does
                ModelRef.Version swappedTo = swaps.poll(30, TimeUnit.SECONDS);
                out.println("   the service swapped to " + swappedTo + " while the client kept sending");
                List<String> answers = client.get(5, TimeUnit.MINUTES);

                int failed = (int) answers.stream().filter(a -> a.startsWith("HTTP ")).count();
                Map<String, Integer> answeredBy = new java.util.TreeMap<>();
                int switches = 0;
                for (int i = 0; i < answers.size(); i++) {
                    answeredBy.merge(answers.get(i), 1, Integer::sum);
                    if (i > 0 && !answers.get(i).equals(answers.get(i - 1))) {
                        switches++;
                    }
                }
                out.printf("   %d requests, %d failed; answered by %s; the answering version changed %d time(s)%n",
                        answers.size(), failed, answeredBy, switches);

                JsonNode drift = getJson(http, app.uri().resolve("/drift"));
                out.printf("4. GET /drift: %d windows of 28 requests closed, %d with dataset drift, %d alert(s)%n",
                        drift.get("windows").asLong(), drift.get("windows_with_drift").asLong(), drift.get("alerts").asLong());
                JsonNode latest = drift.get("latest");
                for (JsonNode c : latest.get("columns")) {
                    out.printf(Locale.ROOT, "   latest window: %-14s %-4s statistic %.3f  %s%n", c.get("column").asText(),
                            c.get("method").asText(), c.get("statistic").asDouble(),
                            c.get("drifted").asBoolean() ? "DRIFT" : "ok");
                }
                JsonNode metrics = getJson(http, app.uri().resolve("/metrics"));
                out.println("5. GET /metrics: serving " + metrics.get("serving").asText());
                for (JsonNode v : metrics.get("versions")) {
                    out.printf("   %s: %d calls, %d errors%n", v.get("version").asText(), v.get("calls").asLong(),
                            v.get("errors").asLong());
                }
                return new Result(answers.size(), failed, answeredBy, switches, drift);
            }
        }
    }

    /**
     * Registers {@code forecast/1} (persistence) and {@code forecast/2} (damped towards the 2012
     * mean), each with the profile of the 2012 features attached as {@code drift-profile}.
     *
     * @param mlops the registry
     * @return both versions
     */
    static List<ModelVersion> registerForecasters(Mlops mlops) {
        Frame year2012 = Frames.readCsv(new ByteArrayInputStream(
                (SeattleWeatherCsv.HEADER + "\n" + String.join("\n", SeattleWeatherCsv.rows(2012)) + "\n")
                        .getBytes(StandardCharsets.UTF_8)), ',', "seattle-weather 2012").select(FEATURES);
        byte[] profile = ReferenceProfile.of(year2012).toJsonBytes();
        double mean2012 = java.util.Arrays.stream(year2012.numeric("temp_max")).average().orElseThrow();
        List<ModelVersion> versions = new ArrayList<>();
        versions.add(register(mlops, profile, "persistence: tomorrow's temp_max = today's", 1.0, mean2012));
        versions.add(register(mlops, profile, String.format(Locale.ROOT,
                "damped persistence: 0.8 x today's temp_max + 0.2 x the 2012 mean (%.2f °C)", mean2012), 0.8, mean2012));
        return versions;
    }

    private static ModelVersion register(Mlops mlops, byte[] profile, String description, double weight, double mean) {
        String w = Double.toString(weight);
        String m = Double.toString(mean);
        return mlops.models().register("forecast", NewModelVersion.builder()
                .artifact(Artifact.bytes("forecaster.json", ("{\"weight\":" + w + ",\"mean\":" + m + "}")
                        .getBytes(StandardCharsets.UTF_8)))
                .format("java-function").param("weight", w).param("mean", m).description(description)
                .attachment("drift-profile", profile).build());
    }

    /**
     * Sends every day to POST /predict, then (on a machine too busy for the swap to finish first)
     * repeats the last day until {@code until} answers, at most 10,000 times. Returns the
     * answering version per request, or "HTTP status".
     */
    private static List<String> replay(HttpClient http, URI base, List<String> days, CountDownLatch progress,
                                       String until) {
        List<String> answeredBy = new ArrayList<>();
        for (String day : days) {
            answeredBy.add(predict(http, base, day));
            progress.countDown();
        }
        String lastDay = days.get(days.size() - 1);
        for (int extra = 0; extra < 10_000 && !answeredBy.get(answeredBy.size() - 1).equals(until); extra++) {
            answeredBy.add(predict(http, base, lastDay));
        }
        return answeredBy;
    }

    /** POSTs one CSV row of the weather data; returns the answering version, or "HTTP status". */
    private static String predict(HttpClient http, URI base, String csvRow) {
        String[] f = csvRow.split(",");
        String body = String.format(Locale.ROOT,
                "{\"precipitation\": %s, \"temp_max\": %s, \"temp_min\": %s, \"wind\": %s}", f[1], f[2], f[3], f[4]);
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve("/predict"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
        return r.statusCode() == 200 ? readTree(r.body()).get("version").asText() : "HTTP " + r.statusCode();
    }

    private static JsonNode getJson(HttpClient http, URI uri) {
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(uri).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return readTree(r.body());
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
        }
    }

    private static JsonNode readTree(String json) {
        return StrictJson.readTree(json, "answer");
    }
}
