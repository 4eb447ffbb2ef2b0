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
