package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.api.ModelRef;
import dev.mlops.core.InMemoryStore;
import dev.mlops.core.Mlops;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MonitoredHttpServiceExample")
class MonitoredHttpServiceExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("replays 2015 over HTTP: one clean hot swap, no failed request, drift windows and an alert")
    void runs() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        MonitoredHttpServiceExample.Result r = MonitoredHttpServiceExample.run(
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String console = buf.toString(StandardCharsets.UTF_8);

        assertThat(r.failed()).as(console).isZero();
        assertThat(r.requests()).isGreaterThanOrEqualTo(365);
        assertThat(r.answeredBy()).containsOnlyKeys("forecast/1", "forecast/2");
        assertThat(r.answeredBy().get("forecast/1")).isGreaterThanOrEqualTo(120);
        assertThat(r.switches()).as("forecast/1 answers, then forecast/2 answers, never back").isEqualTo(1);
        JsonNode drift = r.drift();
        assertThat(drift.get("windows").asLong()).isEqualTo(r.requests() / 28);
        assertThat(drift.get("rows_observed").asLong()).isEqualTo(r.requests());
        // seasonal temperatures: most four-week windows of 2015 differ from the whole of 2012
        assertThat(drift.get("windows_with_drift").asLong()).isGreaterThanOrEqualTo(drift.get("windows").asLong() / 2);
        assertThat(drift.get("alerts").asLong()).isEqualTo(1);    // three drifting windows in a row, then the cooldown
        assertThat(drift.get("latest").get("schema_version").asInt()).isEqualTo(2);
        assertThat(drift.get("latest").get("current_rows").asLong()).isEqualTo(28);
        assertThat(console).contains("the service swapped to forecast/2 while the client kept sending",
                "GET /metrics: serving forecast/2");
    }

    @Test
    @DisplayName("answers POST /predict, GET /drift and GET /metrics, and refuses bad requests with 400, 404 and 405")
    void endpoints() throws Exception {
        try (Mlops mlops = Mlops.builder().store(new InMemoryStore()).build()) {
            MonitoredHttpServiceExample.registerForecasters(mlops);
            mlops.models().setAlias("forecast", "production", 2);
            try (MonitoredHttpServiceExample app = MonitoredHttpServiceExample.start(mlops,
                    ModelRef.parse("forecast@production"), 3)) {
                HttpClient http = HttpClient.newHttpClient();
                URI base = app.uri();
                assertThat(base.getHost()).isEqualTo("127.0.0.1");

                JsonNode none = get(http, base.resolve("/drift"), 200);
                assertThat(none.get("windows").asLong()).isZero();
                assertThat(none.get("latest").isNull()).isTrue();

                List<Double> predictions = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsonNode p = post(http, base.resolve("/predict"),
                            "{\"precipitation\": 0, \"temp_max\": " + (10 + i) + ", \"temp_min\": 2, \"wind\": 3}", 200);
                    assertThat(p.get("version").asText()).isEqualTo("forecast/2");
                    assertThat(p.get("prediction_id").asText()).isNotEmpty();
                    predictions.add(p.get("prediction").asDouble());
                }
                // damped persistence: one degree more today is 0.8 degrees more tomorrow
                assertThat(predictions.get(1) - predictions.get(0)).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
                JsonNode drift = get(http, base.resolve("/drift"), 200);
                assertThat(drift.get("windows").asLong()).isEqualTo(1);
                assertThat(drift.get("latest").get("columns")).hasSize(4);

                JsonNode metrics = get(http, base.resolve("/metrics"), 200);
                assertThat(metrics.get("serving").asText()).isEqualTo("forecast/2");
                assertThat(metrics.get("versions").get(0).get("calls").asLong()).isEqualTo(3);

                assertThat(post(http, base.resolve("/predict"), "{\"temp_max\": 10}", 400).get("error").asText())
                        .isEqualTo("request body: precipitation: missing; expected a number");
                assertThat(post(http, base.resolve("/predict"), "{\"precipitation\": 1, \"precipitation\": 2}", 400)
                        .get("error").asText()).isEqualTo("request body: precipitation: the field appears twice; expected each"
                        + " field once in an object");
                assertThat(post(http, base.resolve("/predict"), "not json", 400).has("error")).isTrue();
                assertThat(get(http, base.resolve("/predict"), 405).get("error").asText()).contains("use POST");
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(base.resolve("/nothing")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).isEqualTo(404);
            }
        }
    }

    private static JsonNode get(HttpClient http, URI uri, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static JsonNode post(HttpClient http, URI uri, String body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
