package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("DatasetSource")
class DatasetSourceTest {

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(chars = {',', ';', '|', '\t', ' ', ':', '\u001f', '\u00a7'})
    @DisplayName("a character that can separate fields is a delimiter")
    void goodDelimiters(char d) {
        assertThat(DatasetSource.requireDelimiter(d)).isEqualTo(d);
        assertThat(DatasetSource.csv(Path.of("x.csv"), d).delimiter()).isEqualTo(d);
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(chars = {'"', '\n', '\r', 'a', 'Z', '7', '.', '-', '+', '\uFEFF', '\ud800', '\udc00', '\u00e9'})
    @DisplayName("a quote, a line break, a letter, a digit, a character of numbers or half a pair is refused, named by code point")
    void badDelimiters(char d) {
        String code = String.format("U+%04X", (int) d);
        assertThatThrownBy(() -> DatasetSource.requireDelimiter(d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CSV delimiter").hasMessageContaining(code).hasMessageContaining("expected one character");
        assertThatThrownBy(() -> DatasetSource.csv(Path.of("x.csv"), d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(code);
    }

    @Test
    @DisplayName("the defaults are a comma")
    void defaults() {
        assertThat(DatasetSource.csv(Path.of("x.csv")).delimiter()).isEqualTo(',');
        assertThat(DatasetSource.file(Path.of("x.bin")).delimiter()).isEqualTo(',');
    }
}
