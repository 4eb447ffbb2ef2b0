package dev.mlops.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    @DisplayName("markup becomes references, control characters visible pictures, bidi and format characters U+FFFD")
    void escapes() {
        assertThat(Html.escape("<a href='x'>\"&\"</a>")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
        assertThat(Html.escape("a\nb\tc\u007f")).isEqualTo("a\u240ab\u2409c\u2421");
        assertThat(Html.escape("abc\u202Egpj.exe")).isEqualTo("abc\uFFFDgpj.exe");
        assertThat(Html.escape("zero\u200Bwidth \uD800 \uDC00")).isEqualTo("zero\uFFFDwidth \uFFFD \uFFFD");
        assertThat(Html.escape("température 😀 \u0085")).isEqualTo("température 😀 \uFFFD");
    }
}
