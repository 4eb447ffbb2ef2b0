package dev.mlops.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DumpedDom reads a serialized DOM")
class DumpedDomTest {

    static final String GOOD = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>td{color:red}</style></head><body>
            <a href="#t">to the table</a>
            <svg class="chart" width="100" height="50"><title>t</title><rect class="ref" x="1" y="2" width="10" height="5"></rect></svg>
            <svg viewBox="0 0 10 10"><path d="M0 0 L10 10"></path></svg>
            <table id="t"><thead><tr><th scope="col">Name</th><th>Value &amp; unit</th></tr></thead>
            <tbody><tr><td>a</td><td class="num">1 &lt; 2</td></tr><tr><td>b</td><td>2</td></tr></tbody></table>
            <table class="facts"><tbody><tr><th scope="row">Model</th><td>rain</td></tr></tbody></table>
            </body></html>
            """;

    @Test
    @DisplayName("a page whose charts draw, whose tables have headers and rows, and that links only inside itself has no problem")
    void goodPage() {
        DumpedDom dom = DumpedDom.of(GOOD);
        assertThat(dom.problems()).isEmpty();
        assertThat(dom.svgs()).hasSize(2);
        assertThat(dom.svgs().get(0).drawnShapes("ref")).hasSize(1);
        assertThat(dom.svgs().get(0).drawnShapes("cur")).isEmpty();
        assertThat(dom.tables()).hasSize(2);
        assertThat(dom.tables().get(0).headers()).containsExactly("Name", "Value & unit");
        assertThat(dom.tables().get(0).rows()).containsExactly(List.of("a", "1 < 2"), List.of("b", "2"));
        assertThat(dom.tables().get(1).headers()).containsExactly("Model");
        assertThat(dom.tables().get(1).rows()).containsExactly(List.of("Model", "rain"));
    }

    @Test
    @DisplayName("an empty chart, one of zero size, and shapes of zero size are problems")
    void emptyCharts() {
        DumpedDom dom = DumpedDom.of("""
                <svg width="100" height="50"></svg>
                <svg width="0" height="0"><rect width="3" height="3"></rect></svg>
                <svg width="100" height="50"><rect width="0" height="5"></rect><line x1="1" x2="1" y1="2" y2="2"></line>\
                <path d="M 3 3"></path><circle r="0"></circle><polygon points="1,1"></polygon><text>only text</text></svg>
                """);
        assertThat(dom.problems()).hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("svg 1 ").contains("draws nothing", "found 0 shapes"))
                .anySatisfy(p -> assertThat(p).startsWith("svg 2 ").contains("no width, height or viewBox"))
                .anySatisfy(p -> assertThat(p).startsWith("svg 3 ").contains("draws nothing", "found 5 shapes"));
    }

    @Test
    @DisplayName("a table without a header cell, or without a body row with a data cell, is a problem")
    void brokenTables() {
        DumpedDom dom = DumpedDom.of("""
                <table><thead><tr><th>A</th></tr></thead><tbody></tbody></table>
                <table><tbody><tr><td>1</td></tr></tbody></table>
                <table><thead><tr><th>A</th></tr></thead><tbody><tr><th>only headers</th></tr></tbody></table>
                """);
        assertThat(dom.problems()).containsExactly(
                "table 1 at offset 0 (headers [A]) has no body row with a data cell",
                "table 2 at offset 65 has no header cell (th)",
                "table 3 at offset 115 (headers [A, only headers]) has no body row with a data cell");
    }

    @Test
    @DisplayName("anything the page would load from elsewhere is an external reference; same-page fragments are not")
    void externalReferences() {
        DumpedDom dom = DumpedDom.of("""
                <html><head><link rel="stylesheet" href="https://example.org/a.css">
                <style>@import "b.css"; svg{clip-path:url(#clip)} body{background:url('bg.png')}</style></head>
                <body><a href="#top">top</a><img alt="" src="x.png"><p style="background: url(http://example.org/p.png)">\
                url(not css, just text)</p><svg width="9" height="9"><use xlink:href="#shape"></use><image href="i.svg"></image>\
                <rect width="1" height="1"></rect></svg></body></html>
                """);
        assertThat(dom.externalReferences()).containsExactlyInAnyOrder(
                "<link href=\"https://example.org/a.css\">", "<img src=\"x.png\">", "<image href=\"i.svg\">",
                "CSS url(http://example.org/p.png", "CSS @import \"b.css\"", "CSS url('bg.png");
        assertThat(dom.problems()).hasSize(6).allSatisfy(p -> assertThat(p).startsWith("references something outside"));
    }

    @Test
    @DisplayName("text() drops tags, undoes Chromium's character references and folds white space")
    void text() {
        assertThat(DumpedDom.text("<a href=\"#x\">a &lt;b&gt;\n  &amp; <span>c</span>&nbsp;</a>")).isEqualTo("a <b> & c");
    }
}
