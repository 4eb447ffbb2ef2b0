package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.mlops.json.testing.FormatProperties.DUPLICATE;

import dev.mlops.api.serving.Prediction;
import dev.mlops.api.ValidationException;
import dev.mlops.json.testing.JsonEdits;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An inference log line is read strictly: a repeated key, an unknown field, a mistyped value, a
 * too long string and too deep nesting are refused naming the field's path.
 */
class InferenceLogLineTest {
    @Test
    @DisplayName("an inference log line is read strictly")
    void inferenceLogLine() {
        String line = "{\"schema_version\":1,\"prediction_id\":\"p-1\",\"time\":\"2026-01-01T00:00:00Z\",\"model\":\"rain\","
                + "\"version\":3,\"route\":\"primary\",\"input\":{\"temp\":1.5},\"output\":null,\"latency_ns\":12}";
        JsonLinesInferenceLog.Line l = JsonLinesInferenceLog.readLine(line);
        assertThat(l.route()).isEqualTo(Prediction.Route.PRIMARY);
        assertThat(l.output().isNull()).isTrue();
        assertRefused(JsonLinesInferenceLog::readLine, line.replace("\"version\":3", "\"version\":3,\"version\":4"),
                "inference log line: version" + DUPLICATE);
        assertRefused(JsonLinesInferenceLog::readLine, line.replace("\"temp\":1.5", "\"temp\":1.5,\"temp\":2"),
                "inference log line: input.temp" + DUPLICATE);
        assertRefused(JsonLinesInferenceLog::readLine, line.replace("\"latency_ns\":12", "\"latency_ns\":\"12\""),
                "inference log line: latency_ns: expected an integer, got the string '12'");
        assertRefused(JsonLinesInferenceLog::readLine, line.replace("\"route\":\"primary\"", "\"route\":\"side\""),
                "inference log line: route: unknown route 'side'; expected primary, challenger or fallback");
        assertRefused(JsonLinesInferenceLog::readLine, line.replace(",\"output\":null", ""),
                "inference log line: output: missing; expected a value or null");
        assertRefused(JsonLinesInferenceLog::readLine, line.replace("\"output\":null", "\"output\":null,\"shadow\":1"),
                "inference log line: shadow: unknown field");
        assertRefused(JsonLinesInferenceLog::readLine, line.replace("{\"temp\":1.5}", JsonEdits.nestedArrays(70)),
                "inference log line: input[0]");
        assertRefused(JsonLinesInferenceLog::readLine, line.replace("\"p-1\"", JsonEdits.tooLongString()),
                "inference log line: prediction_id: a string too long");
    }

    private static void assertRefused(Function<String, ?> read, String json, String messageStart) {
        assertThatThrownBy(() -> read.apply(json)).isInstanceOf(ValidationException.class).hasMessageStartingWith(messageStart);
    }
}
