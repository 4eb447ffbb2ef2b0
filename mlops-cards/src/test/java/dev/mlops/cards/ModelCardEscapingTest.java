package dev.mlops.cards;

import dev.mlops.api.AttachmentNames;
import dev.mlops.core.Mlops;
import dev.mlops.gates.PromotionGate;
import dev.mlops.quality.Bootstrap;
import dev.mlops.quality.Fairness;
import dev.mlops.quality.PermutationImportance;
import static dev.mlops.cards.CardChecks.attributes;
import static dev.mlops.cards.CardChecks.elementNames;
import static dev.mlops.cards.CardChecks.htmlSections;
import static dev.mlops.cards.CardChecks.markdownSections;
import static dev.mlops.cards.CardChecks.tablesAreIntact;
import static dev.mlops.cards.CardChecks.xml;
import static dev.mlops.cards.CardFixture.HOSTILE;
import static dev.mlops.cards.CardFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.Artifact;
import dev.mlops.api.Field;
import dev.mlops.api.FieldType;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Schema;
import dev.mlops.api.Signature;
import dev.mlops.api.gate.CheckResult;
import dev.mlops.api.gate.PromotionDecision;
import dev.mlops.api.quality.FairnessReport;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.SliceMetrics;
import dev.mlops.api.quality.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

@DisplayName("Every stored string is escaped: hostile names cannot inject markup into either rendering")
class ModelCardEscapingTest {
    static final String ACTOR = "<img src=x onerror=alert(2)>";
    static final String METRIC = "<b>auc</b>|x";
    static final String DESCRIPTION = HOSTILE + "\n# not a heading\n| not | a table |\n1. not a list\n    not code\n\n"
            + "- not an item & <!-- not a comment -->";
    static final Set<String> ELEMENTS = Set.of("html", "head", "meta", "title", "style", "body", "main", "header", "h1",
            "p", "nav", "ul", "li", "a", "section", "h2", "h3", "div", "table", "thead", "tbody", "tr", "th", "td", "code",
            "span", "br", "footer",
            // the inline SVG charts
            "svg", "desc", "g", "text", "circle", "line", "rect", "polyline");

    static ModelCard card;

    @BeforeAll
    static void hostileRegistry() {
        Mlops m = CardFixture.mlops(ACTOR);
        m.models().createModel("evil", HOSTILE + " purpose", Map.of("owner", "a|b\n<i>x</i>"));
        FairnessReport fairness = new FairnessReport("<sens>", "<pos>|", List.of(
                new SliceMetrics(HOSTILE, 10, 5, 4, 0.4, 0.6, 0.2, 0.7),
                new SliceMetrics("a|b", 10, 5, 6, 0.6, 0.8, 0.4, 0.7),
                new SliceMetrics("x\ny\u0000z", 10, 5, 6, 0.6, 0.8, 0.4, 0.7)), 0.2, 0.67, 0.2, 0.2);
        ImportanceReport importance = new ImportanceReport(METRIC, true, 0.8, 100, 2, 1L, List.of(
                new FeatureImportance(HOSTILE, 0.1, 0.01, List.of(0.11, 0.09)),
                new FeatureImportance("\"quoted\" & 'single'", 0.05, 0.0, List.of(0.05, 0.05))));
        List<MetricEstimate> estimates = List.of(new MetricEstimate(METRIC, 0.5, 0.4, 0.6, 0.95, 100, 0, 1L));
        PromotionDecision decision = new PromotionDecision(ModelRef.version("evil", 1), "production", Optional.empty(),
                List.of(new CheckResult("<check>|", OptionalDouble.of(1), "<= </td>", Verdict.FAIL,
                        "line1\nline2 | </table><script>x()</script>")), CardFixture.START, HOSTILE);
        String profile = dev.mlops.drift.ReferenceProfile.of(dev.mlops.api.Frame.ofColumns(new Schema(List.of(
                new Field("<script>alert(3)</script>", FieldType.STRING), new Field("n|<b>x</b>", FieldType.DOUBLE))),
                List.of(new String[] {"<cat>|", "<cat>|", "]]>"}, new double[] {1, 2, 3}))).toJson();
        m.models().register("evil", NewModelVersion.builder()
                .artifact(Artifact.bytes("m.bin", new byte[] {1}))
                .format("o<n>nx").description(DESCRIPTION).tag("note", "</td></tr><script>x</script>")
                .metric(METRIC, 0.5).param("a|b", "line1\nline2").codeRef("<script>git</script>")
                .environment("<env>", "&amp; not an entity")
                .signature(new Signature(Schema.of(new Field("col|<script>", FieldType.STRING)), Schema.EMPTY))
                .attachment(AttachmentNames.FAIRNESS, utf8(Fairness.toJson(fairness)))
                .attachment(AttachmentNames.IMPORTANCE, utf8(PermutationImportance.toJson(importance)))
                .attachment(AttachmentNames.METRIC_ESTIMATES, utf8(Bootstrap.toJson(estimates)))
                .attachment(AttachmentNames.DRIFT_PROFILE, utf8(profile))
                .attachment(AttachmentNames.decision(1), utf8(PromotionGate.toJson(decision)))
                .build());
        m.models().setAlias("evil", "production", 1);
        card = ModelCard.of(m, ModelRef.version("evil", 1));
        assertThat(card.notes()).isEmpty();
    }

    @Test
    @DisplayName("HTML: parses as XML; only the card's own elements and attributes; every hostile string is text")
    void html() throws Exception {
        String html = card.toHtml();
        Document doc = xml(html);
        assertThat(Set.copyOf(elementNames(doc))).isSubsetOf(ELEMENTS);
        assertThat(attributes(doc)).allSatisfy(a -> assertThat(a).matches(
                "(lang|charset|http-equiv|content|name|id|href|class|scope)=.*|style=width:\\d+(\\.\\d)?%"
                        // chart geometry: numbers only; labels and accessibility attributes of fixed words
                        + "|(width|height|x|y|x1|x2|y1|y2|cx|cy|r)=-?\\d+(\\.\\d)?|viewBox=0 0 \\d+ \\d+"
                        + "|points=[-\\d., ]+|role=img|aria-labelledby=[a-z0-9-]+ [a-z0-9-]+|text-anchor=(start|middle|end)"
                        + "|transform=rotate\\(-90 \\d+ \\d+(\\.\\d)?\\)"));
        assertThat(attributes(doc)).filteredOn(a -> a.startsWith("href=")).allSatisfy(a -> assertThat(a).startsWith("href=#"));
        String text = doc.getDocumentElement().getTextContent();
        assertThat(text).contains(HOSTILE + " purpose", HOSTILE, METRIC, "col|<script>", "<script>git</script>",
                "</td></tr><script>x</script>", "o<n>nx", "\"quoted\" & 'single'", "&amp; not an entity",
                "<script>alert(3)</script>", "<cat>|", "]]>", "<check>|", "<= </td>", "<!-- not a comment -->",
                "a|b", ACTOR);
        // line breaks inside one-line values are shown, not obeyed
        assertThat(text).contains("line1\u240aline2", "x\u240ay\u2400z", "a|b\u240a<i>x</i>");
        assertThat(html).doesNotContain("<script", "<img", "<i>", "<b>", "<!--");
        Map<String, String> s = htmlSections(doc);
        // a profile cannot hold a control character in a column name (mlops-drift refuses it), markup it can
        assertThat(s.get("drift-baseline")).contains("n|<b>x</b>", "<script>alert(3)</script>");
    }

    @Test
    @DisplayName("Markdown: tables keep their shape, no raw HTML, no heading, list or code block from stored text")
    void markdown() {
        String md = card.toMarkdown();
        tablesAreIntact(md);
        assertThat(md).doesNotContainPattern("(?<!\\\\)<").doesNotContainPattern("(?<!\\\\)&");
        List<String> lines = md.lines().toList();
        assertThat(lines).noneMatch(l -> l.startsWith("# not") || l.startsWith("1. not") || l.startsWith("- not")
                || l.startsWith("    not") || l.startsWith("| not |"));
        assertThat(lines.stream().filter(l -> l.startsWith("# ")).count()).isOne();
        Map<String, String> s = markdownSections(md);
        assertThat(s.get("Purpose and description")).contains("\\<script\\>alert(1)\\</script\\> purpose",
                "\\# not a heading\\\n\\| not \\| a table \\|\\\n1\\. not a list\\\nnot code\n\n\\- not an item \\& \\<\\!-- not a comment --\\>",
                "| note | \\</td\\>\\</tr\\>\\<script\\>x\\</script\\> |", "| owner | a\\|b\u240a\\<i\\>x\\</i\\> |");
        assertThat(s.get("Metrics")).contains("| \\<b\\>auc\\</b\\>\\|x | 0.5 | \\[0.4, 0.6\\] |");
        assertThat(s.get("Parameters")).contains("| a\\|b | line1\u240aline2 |");
        assertThat(s.get("Lineage")).contains("- **Code:** \\<script\\>git\\</script\\>");
        assertThat(s.get("Promotion decisions")).contains("| \\<check\\>\\| | 1 | \\<= \\</td\\> | **FAIL** | "
                + "line1\u240aline2 \\| \\</table\\>\\<script\\>x()\\</script\\> |", "- **Policy:** \\<script\\>alert(1)\\</script\\>");
        assertThat(s.get("Audit trail")).contains("| " + CardText.markdownInline(ACTOR) + " | version.register |");
    }
}
