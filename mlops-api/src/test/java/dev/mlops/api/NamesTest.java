package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Names")
class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"rain", "rain-v2", "credit_risk", "a", "m.1", "0", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv"})
    @DisplayName("accepts lowercase names of letters, digits, '.', '_' and '-'")
    void accepts(String name) {
        assertThat(Names.requireValid(Names.Kind.MODEL, name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", ".", "../x", "a/b", "a\\b", "Rain", "rain.", "-rain", "rain ", " rain",
            "a..b", "con", "NUL", "com1", "lpt9.txt", "aux.json", "r\u0430in", "rain\u0000", "%2e%2e", "a:b",
            "ｒａｉｎ", "rain\n"})
    @DisplayName("rejects traversal, separators, device names, look-alikes and control characters")
    void rejects(String name) {
        assertThatThrownBy(() -> Names.requireValid(Names.Kind.MODEL, name)).isInstanceOf(InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.onnx", "weights/layer 1.bin", "a/b/c.txt", "v1+2=3@x,y"})
    @DisplayName("accepts relative artifact paths")
    void acceptsPaths(String path) {
        assertThat(Names.requireValidPath(path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../x", "a/../b", "a/./b", "a//b", "a/", "C:\\x", "a\\..\\b", ".hidden",
            "trailing.", "trailing ", "con/x", "x/NUL.txt", "a\u0000b", "file:x", "\u2215etc"})
    @DisplayName("rejects absolute, escaping and unportable artifact paths")
    void rejectsPaths(String path) {
        assertThatThrownBy(() -> Names.requireValidPath(path)).isInstanceOf(InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"val_auc", "lr", "f1@0.5", "precision[class a]", "roc_auc", "latency_p99_ms", "auc",
            "<b>auc</b>|x", "a|b", "max-size", "précision", "温度", "\ud83d\ude00 smile", "x=1", "r²"})
    @DisplayName("metric and parameter names: printable free text, inner spaces and any script")
    void acceptsMetricAndParameterNames(String name) {
        assertThat(Names.requireValid(Names.Kind.METRIC, name)).isEqualTo(name);
        assertThat(Names.requireValid(Names.Kind.PARAMETER, name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " auc", "auc ", " ", "a\u202eb", "\u202e", "a\u2066b\u2069", "a\u200bb", "\ufeffauc",
            "a\u00adb", "a\tb", "a\nb", "a\rb", "\u001b[31mred", "a\u0085b", "a\u00a0b", "a\u3000b", "a\u2028b",
            "a\ue000b", "a\ud800b", "a\udc00", "a\uffffb", "a\u0378b"})
    @DisplayName("metric and parameter names refuse control, bidirectional, invisible and non-printing characters")
    void rejectsUnprintableMetricAndParameterNames(String name) {
        for (Names.Kind kind : new Names.Kind[] {Names.Kind.METRIC, Names.Kind.PARAMETER}) {
            assertThatThrownBy(() -> Names.requireValid(kind, name)).as("%s %s", kind, Names.quote(name))
                    .isInstanceOf(InvalidNameException.class).hasMessageStartingWith(kind.label() + " ")
                    .satisfies(e -> assertThat(e.getMessage().codePoints()).noneMatch(Names::isUnsafeToPrint));
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("metric names: the message names the character; at most 250 characters")
    void metricNameMessages() {
        assertThatThrownBy(() -> Names.requireValid(Names.Kind.METRIC, "auc\u202e"))
                .hasMessage("metric name 'auc\\u202e' contains U+202E, a formatting character (a bidirectional control,"
                        + " zero-width or invisible character); expected printable characters such as val_auc, lr or f1@0.5");
        assertThat(Names.requireValid(Names.Kind.METRIC, "m".repeat(250))).hasSize(250);
        assertThatThrownBy(() -> Names.requireValid(Names.Kind.METRIC, "m".repeat(251)))
                .hasMessageContaining("251 characters long; at most 250");
        assertThat(Names.isValid(Names.Kind.MODEL, "f1@0.5")).as("model names keep their strict rule").isFalse();
    }

    @DisplayName("messages quote hostile values printably and cut long ones")
    @ParameterizedTest
    @ValueSource(ints = {10_000})
    void quotes(int length) {
        assertThatThrownBy(() -> Names.requireValid(Names.Kind.ALIAS, "a".repeat(length)))
                .hasMessageContaining("10000 characters").hasMessageContaining("...(10000 chars)");
        assertThatThrownBy(() -> Names.requireValid(Names.Kind.ALIAS, "a\nFAKE LOG LINE"))
                .hasMessageContaining("\\u000a").hasMessageNotContaining("\n");
    }
}
