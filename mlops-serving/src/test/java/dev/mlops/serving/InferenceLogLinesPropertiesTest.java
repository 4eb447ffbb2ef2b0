package dev.mlops.serving;

import static dev.mlops.json.testing.FormatProperties.finite;
import static dev.mlops.json.testing.FormatProperties.text;
import static dev.mlops.json.testing.FormatProperties.texts;
import static dev.mlops.json.testing.FormatProperties.DUPLICATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ValidationException;
import dev.mlops.api.serving.InferenceRecord;
import dev.mlops.api.serving.Prediction;
import dev.mlops.json.StrictJson;
import dev.mlops.json.testing.JsonEdits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Inference log lines, over random records: a line reads back as what was logged, and with any
 * one key repeated is refused naming that key's path. Bounded by try counts.
 */
class InferenceLogLinesPropertiesTest {
    private static final int TRIES = 60;
    private static Path logDirectory;
    private static JsonLinesInferenceLog log;

    @AfterContainer
    static void closeLog() throws IOException {
        if (log != null) {
            log.close();
            try (var files = Files.walk(logDirectory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<InferenceRecord> inferenceRecords() {
        Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.<Object>just(null), finite().map(d -> (Object) d), text().map(s -> (Object) s),
                texts().map(m -> (Object) m), finite().list().ofMaxSize(3).map(l -> (Object) l));
        return Combinators.combine(text(), Arbitraries.longs().between(0, 4_000_000_000L), Arbitraries.integers().between(1, 99),
                        Arbitraries.of(Prediction.Route.class), value, value, Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as((id, t, v, route, in, out, nanos) -> new InferenceRecord(id, Instant.ofEpochSecond(t),
                        ModelRef.version("rain", v), route, in, out, nanos));
    }

    @Property(tries = TRIES)
    void inferenceLogLines(@ForAll("inferenceRecords") InferenceRecord r, @ForAll int choice) throws IOException {
        String line = new String(log().line(r), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        String json = line.substring(0, line.length() - 1);
        JsonLinesInferenceLog.Line back = JsonLinesInferenceLog.readLine(json);
        assertThat(back.predictionId()).isEqualTo(r.predictionId());
        assertThat(back.time()).isEqualTo(r.time());
        assertThat(back.model()).isEqualTo(r.version().model());
        assertThat(back.version()).isEqualTo(r.version().number());
        assertThat(back.route()).isEqualTo(r.route());
        assertThat(back.input()).isEqualTo(StrictJson.valueToTree(r.input()));
        assertThat(back.output()).isEqualTo(StrictJson.valueToTree(r.output()));
        assertThat(back.latencyNanos()).isEqualTo(r.latencyNanos());
        JsonEdits.Duplicate d = JsonEdits.duplicateField(json, choice);
        assertThatThrownBy(() -> JsonLinesInferenceLog.readLine(d.json())).isInstanceOf(ValidationException.class)
                .hasMessage("inference log line: " + d.path() + DUPLICATE);
    }

    private static synchronized JsonLinesInferenceLog log() throws IOException {
        if (log == null) {
            logDirectory = Files.createTempDirectory("inference-log-lines");
            log = JsonLinesInferenceLog.builder(logDirectory).build();
        }
        return log;
    }
}
