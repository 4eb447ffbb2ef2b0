package dev.mlops.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

@DisplayName("Card escaping and number formatting")
class CardTextTest {

    @Test
    @DisplayName("HTML: markup characters become references, controls become visible, broken UTF-16 becomes U+FFFD")
    void html() {
        assertThat(CardText.html("<script>alert(1)</script>")).isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(CardText.html("a&b \"q\" 's'")).isEqualTo("a&amp;b &quot;q&quot; &#39;s&#39;");
        assertThat(CardText.html("x\ny\tz\u0000\u007f")).isEqualTo("x\u240ay\u2409z\u2400\u2421");
        assertThat(CardText.html("\u0085 \ud800 \udc00 \ufffe \ufdd0")).isEqualTo("\ufffd \ufffd \ufffd \ufffd \ufffd");
        assertThat(CardText.html("\ud83d\ude00 é ü")).isEqualTo("\ud83d\ude00 é ü");
        assertThat(CardText.html("]]>")).isEqualTo("]]&gt;");
        assertThat(CardText.html("a\u202eb\u2066c\u200bd\ufeffe\u2028f\ue000g\udb40\udc01h"))
                .as("bidirectional, invisible, separator, private-use and tag characters")
                .isEqualTo("a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh");
        assertThat(CardText.markdownInline("lr\u202e1")).isEqualTo("lr\ufffd1");
    }

    @Test
    @DisplayName("Markdown inline: pipes, markup and HTML escaped; _ inside words left alone; line breaks visible")
    void markdownInline() {
        assertThat(CardText.markdownInline("a|b")).isEqualTo("a\\|b");
        assertThat(CardText.markdownInline("<script>alert(1)</script>")).isEqualTo("\\<script\\>alert(1)\\</script\\>");
        assertThat(CardText.markdownInline("credit_amount _x_ *y* `z` [l](u) ![i](j) ~~s~~ #1 a\\|b &amp;"))
                .isEqualTo("credit_amount \\_x\\_ \\*y\\* \\`z\\` \\[l\\](u) \\!\\[i\\](j) \\~\\~s\\~\\~ \\#1 a\\\\\\|b \\&amp;");
        assertThat(CardText.markdownInline("line1\r\nline2")).isEqualTo("line1\u240d\u240aline2");
    }

    @Test
    @DisplayName("Markdown paragraphs: blank lines separate, line breaks are hard breaks, block markers escaped")
    void markdownParagraphs() {
        assertThat(CardText.markdownParagraphs("first\nsecond\n\n\n  third")).isEqualTo("first\\\nsecond\n\nthird");
        assertThat(CardText.markdownParagraphs("# h\n- item\n+ item\n1. one\n12) two\n=== \n    code\n> quote"))
                .isEqualTo("\\# h\\\n\\- item\\\n\\+ item\\\n1\\. one\\\n12\\) two\\\n\\===\\\ncode\\\n\\> quote");
        assertThat(CardText.markdownParagraphs(" \n\n ")).isEmpty();
    }

    @Test
    @DisplayName("numbers: four significant digits, plain or scientific, locale-free")
    void numbers() {
        assertThat(CardText.number(0.770123)).isEqualTo("0.7701");
        assertThat(CardText.number(0.5)).isEqualTo("0.5");
        assertThat(CardText.number(15940)).isEqualTo("15940");
        assertThat(CardText.number(1.23456e-7)).isEqualTo("1.235e-7");
        assertThat(CardText.number(-2.5e9)).isEqualTo("-2.5e9");
        assertThat(CardText.number(0)).isEqualTo("0");
        assertThat(CardText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(CardText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(CardText.percent(0.95)).isEqualTo("95%");
        assertThat(CardText.percent(0.975)).isEqualTo("97.5%");
        assertThat(CardText.percent(1)).isEqualTo("100%");
    }

    /** What a page shows for {@code s}: control characters as pictures, other unsafe characters as U+FFFD. */
    static String shown(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                sb.append((char) (0x2400 + c));
            } else if (c == 0x7f) {
                sb.append('\u2421');
            } else if (c >= 0x80 && c <= 0x9f) {
                sb.append('\ufffd');
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                if (dev.mlops.api.Names.isUnsafeToPrint(cp)) {
                    sb.append('\ufffd');
                } else {
                    sb.appendCodePoint(cp);
                }
            } else if (Character.isSurrogate(c) || (c >= 0xfdd0 && c <= 0xfdef) || c >= 0xfffe
                    || dev.mlops.api.Names.isUnsafeToPrint(c)) {
                sb.append('\ufffd');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Property(tries = 300)
    @Label("any string, escaped into an element and an attribute, parses as XML back to what the page shows")
    void htmlRoundTripsThroughXml(@ForAll @StringLength(max = 40) @Chars({'<', '>', '&', '"', '\'', '|', '\n', '\r', '\t',
            '\u0000', '\u007f', '\u0085', '\ud800', '\udc00', '\ufffe', ';', '#', 'x'}) @CharRange(from = 'a', to = 'e')
            String s) throws Exception {
        String doc = "<p title=\"" + CardText.html(s) + "\" alt='" + CardText.html(s) + "'>" + CardText.html(s) + "</p>";
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)));
        assertThat(d.getDocumentElement().getTextContent()).isEqualTo(shown(s));
        assertThat(d.getDocumentElement().getAttribute("title")).isEqualTo(shown(s));
        assertThat(d.getDocumentElement().getAttribute("alt")).isEqualTo(shown(s));
    }

    @Property(tries = 300)
    @Label("any string as a Markdown table cell: one line, no unescaped pipe, no raw HTML")
    void markdownCellsStayCells(@ForAll @StringLength(max = 40) @Chars({'<', '>', '&', '|', '\\', '\n', '\r', '`', '*',
            '_', '[', ']', '#', '!', '~', ' '}) @CharRange(from = 'a', to = 'c') String s) {
        String cell = CardText.markdownInline(s);
        assertThat(cell).doesNotContain("\n", "\r");
        assertThat(CardChecks.unescapedPipes("| " + cell + " |")).isEqualTo(2);
        assertThat(cell).doesNotContainPattern("(?<!\\\\)(\\\\\\\\)*[<>&`*\\[\\]]");
    }
}
