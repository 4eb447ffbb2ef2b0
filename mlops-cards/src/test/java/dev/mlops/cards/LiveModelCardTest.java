package dev.mlops.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Signature;
import dev.mlops.api.TensorSpec;
import dev.mlops.api.drift.DriftReport;
import dev.mlops.api.serving.ServiceMetrics;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.testing.DumpedDom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A model card with a tensor signature, serving metrics and the drift history")
class LiveModelCardTest {
    static final List<String> LIVE_IDS = List.of("summary", "purpose", "signature", "lineage", "environment", "metrics",
            "fairness", "importance", "drift-baseline", "serving", "drift-history", "decisions", "alias-history", "audit");

    @TempDir
    static Path dir;
    static LiveCardFixture fx;
    static ModelCard card;
    static String html;
    static String md;

    @BeforeAll
    static void build() throws Exception {
        fx = new LiveCardFixture(dir);
        card = fx.card();
        html = card.toHtml();
        md = card.toMarkdown();
    }

    @Test
    @DisplayName("gathers the stored signature, the given counters and every window the fleet monitor published, oldest first")
    void gathers() {
        assertThat(card.version().signature()).isEqualTo(fx.signature);
        assertThat(card.servingMetrics()).contains(fx.serving);
        assertThat(card.driftSource()).hasValueSatisfying(s -> assertThat(s).contains("fleet monitor 'credit-v3-inputs'"));
        List<DriftReport> h = card.driftHistory();
        assertThat(h).hasSize(LiveCardFixture.WINDOWS);
        assertThat(h).extracting(r -> r.window().orElseThrow().start()).isSorted();
        assertThat(h).allSatisfy(r -> assertThat(r.currentRows()).isEqualTo(LiveCardFixture.ROWS_PER_WINDOW));
        // the unshifted windows are applicants like the training ones; the shifted ones drift
        assertThat(h.subList(0, LiveCardFixture.DRIFTING_FROM)).noneMatch(DriftReport::datasetDrift);
        assertThat(h.subList(LiveCardFixture.DRIFTING_FROM, h.size())).allMatch(DriftReport::datasetDrift);
        assertThat(card.notes()).isEmpty();
    }

    @Test
    @DisplayName("the HTML card has the new sections, the tensor tables and both charts, and is well-formed XML")
    void html() throws Exception {
        Map<String, String> s = CardChecks.htmlSections(CardChecks.xml(html));
        assertThat(s.keySet()).containsExactlyElementsOf(LIVE_IDS);
        assertThat(s.get("signature")).contains("Input tensors", "features", "float", "[batch, 4]", "Output tensors",
                "probabilities", "[batch, 2]", "int64", "[batch]").doesNotContain("No signature recorded");
        assertThat(s.get("serving")).contains("48213", "17 (0.03526% of calls)", "0.412 / 0.905 / 2.31 ms", "9.87 ms", "agreement", "0.231");
        assertThat(s.get("lineage")).contains("Training run", fx.runId, "credit/2");
        assertThat(s.get("drift-history")).contains("12, 5 with dataset drift", "credit-v3-inputs");
        DumpedDom dom = DumpedDom.of(html);
        assertThat(dom.problems()).isEmpty();
        List<DumpedDom.Svg> svgs = dom.svgs();
        assertThat(svgs).hasSize(2);
        DumpedDom.Svg intervals = svgs.get(0);
        assertThat(intervals.attributes().get("class")).isEqualTo("chart interval-chart");
        assertThat(intervals.drawnShapes("value")).hasSize(fx.base.estimates.size());
        assertThat(intervals.drawnShapes("whisker")).hasSize(3 * fx.base.estimates.size()); // a line and two caps each
        DumpedDom.Svg shares = svgs.get(1);
        assertThat(shares.attributes().get("class")).isEqualTo("chart share-chart");
        assertThat(shares.drawnShapes("flagged")).hasSize(LiveCardFixture.WINDOWS - LiveCardFixture.DRIFTING_FROM);
        assertThat(shares.drawnShapes("ok")).hasSize(LiveCardFixture.DRIFTING_FROM);
        assertThat(shares.drawnShapes("threshold")).hasSize(1);
        assertThat(shares.drawnShapes("line")).hasSize(1);
        assertThat(html).doesNotContainIgnoringCase("<script");
    }

    @Test
    @DisplayName("the interval chart places each value inside its interval")
    void valuesInsideIntervals() {
        DumpedDom.Svg intervals = DumpedDom.of(html).svgs().get(0);
        List<DumpedDom.Shape> values = intervals.drawnShapes("value");
        List<DumpedDom.Shape> whiskers = intervals.drawnShapes("whisker");
        for (int i = 0; i < values.size(); i++) {
            double cx = Double.parseDouble(values.get(i).attributes().get("cx"));
            DumpedDom.Shape line = whiskers.get(3 * i);
            assertThat(cx).isBetween(Double.parseDouble(line.attributes().get("x1")), Double.parseDouble(line.attributes().get("x2")));
        }
    }

    @Test
    @DisplayName("the Markdown card has the same sections and tables, without the charts")
    void markdown() {
        Map<String, String> s = CardChecks.markdownSections(md);
        assertThat(s).containsKeys("Signature", "Serving", "Drift history");
        assertThat(s.get("Signature")).contains("| Tensor | Element type | Shape |", "| features | float | \\[batch, 4\\] |");
        assertThat(s.get("Drift history")).contains("| Window | Start | End |");
        assertThat(md).doesNotContain("<svg");
        CardChecks.tablesAreIntact(md);
    }

    @Test
    @DisplayName("maxDriftWindows keeps the latest windows")
    void latestWindows() {
        ModelCard five = ModelCard.builder(fx.mlops, fx.v3.ref()).fleetDrift(fx.store, LiveCardFixture.MONITOR)
                .maxDriftWindows(5).build();
        assertThat(five.driftHistory()).hasSize(5).allMatch(DriftReport::datasetDrift);
        assertThat(five.driftHistory()).extracting(DriftReport::window).containsExactlyElementsOf(card.driftHistory()
                .subList(LiveCardFixture.WINDOWS - 5, LiveCardFixture.WINDOWS).stream().map(DriftReport::window).toList());
    }

    @Test
    @DisplayName("reports given by the caller are shown as they are, oldest window first")
    void givenReports() {
        List<DriftReport> reversed = new java.util.ArrayList<>(card.driftHistory());
        java.util.Collections.reverse(reversed);
        ModelCard given = ModelCard.builder(fx.mlops, fx.v3.ref()).driftReports(reversed, "monitor of credit@production").build();
        assertThat(given.driftHistory()).isEqualTo(card.driftHistory());
        assertThat(given.toHtml()).contains("monitor of credit@production");
    }

    @Test
    @DisplayName("a damaged window is left out and named in the notes; the other windows are shown")
    void damagedWindow() {
        DocumentKey windows = DocumentKey.of("fleet", LiveCardFixture.MONITOR, "windows");
        DocumentKey slot = fx.store.list(windows, java.util.Optional.empty(), 100).items().get(2).key();
        DocumentKey instance = slot.child("web-1");
        var doc = fx.store.read(instance).orElseThrow();
        fx.store.replace(instance, doc.revision(), "{\"schema_version\":1}".getBytes(StandardCharsets.UTF_8));
        try {
            ModelCard damaged = fx.card();
            assertThat(damaged.driftHistory()).hasSize(LiveCardFixture.WINDOWS - 1);
            assertThat(damaged.notes()).singleElement().satisfies(n -> assertThat(n).contains("window ")
                    .contains("credit-v3-inputs").contains("could not be read"));
            assertThat(damaged.toHtml()).contains("could not be read");
        } finally {
            fx.store.replace(instance, fx.store.read(instance).orElseThrow().revision(), doc.content());
        }
    }

    @Test
    @DisplayName("a fleet history needs the version's drift profile; without it the card says so")
    void fleetWithoutProfile() {
        ModelCard v1 = ModelCard.builder(fx.mlops, fx.base.v1.ref()).fleetDrift(fx.store, LiveCardFixture.MONITOR).build();
        assertThat(v1.driftHistory()).isEmpty();
        assertThat(v1.notes()).anySatisfy(n -> assertThat(n).contains("no readable drift-profile attachment"));
        assertThat(v1.toHtml()).contains("<section id=\"drift-history\">", "No monitor window recorded by fleet monitor");
    }

    @Test
    @DisplayName("a service snapshot without this version is noted; counters of another version are refused")
    void servingChecks() {
        ServiceMetrics other = new ServiceMetrics("credit-service", List.of(), 0, 0, 0);
        ModelCard c = ModelCard.builder(fx.mlops, fx.v3.ref()).servingMetrics(other).build();
        assertThat(c.servingMetrics()).isEmpty();
        assertThat(c.notes()).anySatisfy(n -> assertThat(n).contains("'credit-service'").contains("has not served credit/3"));
        assertThatThrownBy(() -> ModelCard.builder(fx.mlops, fx.base.v1.ref()).servingMetrics(fx.serving))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credit/3").hasMessageContaining("credit/1");
        assertThatThrownBy(() -> ModelCard.builder(fx.mlops, fx.v3.ref()).maxDriftWindows(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> ModelCard.builder(fx.mlops, fx.v3.ref()).driftReports(List.of(), "x")
                .fleetDrift(fx.store, LiveCardFixture.MONITOR)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("the plain card (ModelCard.of) has no serving or drift history section")
    void plainCard() throws Exception {
        ModelCard plain = ModelCard.of(fx.mlops, fx.v3.ref());
        Map<String, String> s = CardChecks.htmlSections(CardChecks.xml(plain.toHtml()));
        assertThat(s.keySet()).doesNotContain("serving", "drift-history").contains("signature", "metrics");
    }

    @Test
    @DisplayName("hostile tensor names are escaped in both renderings")
    void hostileTensor() throws Exception {
        ModelVersion v = fx.mlops.models().register("hostile", NewModelVersion.builder()
                .artifact(Artifact.bytes("m.onnx", new byte[] {1})).signature(Signature.ofTensors(
                        List.of(new TensorSpec(CardFixture.HOSTILE, "fl|oat", List.of("<b>", "3"))), List.of())).build());
        ModelCard c = ModelCard.of(fx.mlops, new ModelRef.Version("hostile", v.number()));
        String h = c.toHtml();
        CardChecks.xml(h);
        assertThat(h).doesNotContain(CardFixture.HOSTILE).contains("&lt;script&gt;").doesNotContain("<b>");
        String m = c.toMarkdown();
        assertThat(m).doesNotContain("<script>");
        CardChecks.tablesAreIntact(m);
    }
}
