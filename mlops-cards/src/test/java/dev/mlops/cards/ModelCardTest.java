package dev.mlops.cards;

import dev.mlops.core.Mlops;
import static dev.mlops.cards.CardChecks.elementNames;
import static dev.mlops.cards.CardChecks.htmlSections;
import static dev.mlops.cards.CardChecks.markdownSections;
import static dev.mlops.cards.CardChecks.tablesAreIntact;
import static dev.mlops.cards.CardChecks.xml;
import static dev.mlops.cards.CardText.markdownInline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.AliasMove;
import dev.mlops.api.Artifact;
import dev.mlops.api.ModelRef;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.SliceMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

@DisplayName("ModelCard gathers a version's stored metadata and renders it as Markdown and HTML")
class ModelCardTest {
    static final List<String> ALL_TITLES = List.of("Summary", "Purpose and description", "Signature", "Lineage",
            "Parameters", "Environment", "Metrics", "Fairness", "Feature importance", "Drift baseline",
            "Promotion decisions", "Alias history", "Audit trail");
    static final List<String> ALL_IDS = List.of("summary", "purpose", "signature", "lineage", "parameters",
            "environment", "metrics", "fairness", "importance", "drift-baseline", "decisions", "alias-history", "audit");

    @TempDir
    static Path dir;
    static CardFixture fx;
    static ModelCard card;

    @BeforeAll
    static void registry() throws Exception {
        fx = new CardFixture(dir);
        card = ModelCard.of(fx.mlops, fx.v2.ref());
    }

    @Test
    @DisplayName("the gathered facts: datasets with their catalog entries, parent, quality attachments, decisions, moves, audit")
    void facts() {
        assertThat(card.version()).isEqualTo(fx.v2);
        assertThat(card.datasets()).extracting(ModelCard.DatasetUse::role).containsExactly("trained", "tested");
        assertThat(card.datasets().get(0).version()).contains(fx.train);
        assertThat(card.datasets().get(1).version()).contains(fx.test);
        assertThat(card.parent()).hasValueSatisfying(p -> assertThat(p.version()).contains(fx.v1));
        assertThat(card.metricEstimates()).isEqualTo(fx.estimates);
        assertThat(card.fairness()).containsExactly(fx.fairness);
        assertThat(card.importance()).containsExactly(fx.importance);
        assertThat(card.decisions()).extracting(ModelCard.RecordedDecision::decision).containsExactly(fx.refused, fx.passed);
        assertThat(card.decisions()).extracting(ModelCard.RecordedDecision::attachment)
                .containsExactly("promotion-decision-1", "promotion-decision-2");
        ModelCard.DriftBaseline drift = card.driftBaseline().orElseThrow();
        assertThat(drift.rows()).isEqualTo(700);
        assertThat(drift.columns()).hasSize(21);
        ModelCard.BaselineColumn age = drift.columns().stream().filter(c -> c.name().equals("age")).findFirst().orElseThrow();
        assertThat(age.kind()).isEqualTo("numerical");
        assertThat(age.min()).hasValue(19);
        assertThat(age.count()).isEqualTo(700);
        ModelCard.BaselineColumn housing = drift.columns().stream().filter(c -> c.name().equals("housing")).findFirst()
                .orElseThrow();
        assertThat(housing.topCategories()).extracting(ModelCard.CategoryCount::value).startsWith("own");
        assertThat(card.notes()).isEmpty();
        assertThat(card.generatedAt()).isAfter(CardFixture.START);
    }

    @Test
    @DisplayName("alias history: only the moves to or from this version, across aliases, oldest first")
    void aliasMoves() {
        assertThat(card.aliasHistory()).extracting(m -> m.alias() + ":" + m.kind() + ":" + m.from().orElse(0) + "->"
                + m.to().orElse(0)).containsExactly("production:SET:1->2", "champion:SET:0->2",
                "production:ROLLBACK:2->1", "production:SET:1->2");
        assertThat(card.aliasHistory()).extracting(AliasMove::at).isSorted();
    }

    @Test
    @DisplayName("audit entries are exactly what AuditLog.entriesFor(version) returns")
    void auditIsEntriesFor() {
        assertThat(card.auditEntries()).isEqualTo(fx.mlops.audit().entriesFor("credit/2"));
        assertThat(card.auditEntries()).extracting(e -> e.action()).containsExactly("version.register", "version.attach",
                "promotion.refused", "version.attach", "version.tag");
        // the alias changes that moved an alias to or from version 2, with the decision the promotion followed
        assertThat(card.aliasAuditEntries()).extracting(e -> e.action() + " " + e.target()).containsExactly(
                "alias.promote credit@production", "alias.set credit@champion", "alias.rollback credit@production",
                "alias.set credit@production");
        assertThat(card.aliasAuditEntries().get(0).after()).containsEntry("decision", "promotion-decision-2")
                .containsEntry("version", "2");
    }

    @Test
    @DisplayName("Markdown: every section present, in order, with the facts that matter")
    void markdownWithEverything() {
        String md = card.toMarkdown();
        Map<String, String> s = markdownSections(md);
        assertThat(md).startsWith("# Model card: credit/2\n");
        assertThat(s.keySet()).containsExactlyElementsOf(ALL_TITLES);
        tablesAreIntact(md);

        assertThat(s.get("Summary")).contains("- **Model:** credit", "- **Aliases now:** champion, production",
                "`" + fx.v2.artifact().digest() + "`", "- **Status:** active");
        assertThat(s.get("Purpose and description")).contains("Predicts whether a credit applicant repays (good) or not (bad).",
                "Logistic score of four applicant attributes.\\\nRetrained on the 2026 split.", "| team | risk |",
                "| reviewed | yes |");
        assertThat(s.get("Signature")).contains("### Inputs", "| checking_status | STRING |",
                "### Outputs", "| p_good | DOUBLE |");
        assertThat(s.get("Lineage")).contains("| trained | credit-train/1 | 700 |", "`" + fx.train.contentSha256() + "`",
                "| tested | credit-test/1 | 300 |", "`" + fx.test.contentSha256() + "`",
                "- **Retrained from:** credit/1", "- **Code:** `git:3f2a9c1`");
        assertThat(s.get("Parameters")).contains("| l2 | 0.01 |", "| solver | hand-set |");
        assertThat(s.get("Environment")).contains("- **model.kind:** logistic",
                "- **Java:** " + fx.v2.environment().javaVersion());
        MetricEstimate auc = fx.estimates.get(1);
        assertThat(s.get("Metrics")).contains("| roc_auc | " + CardText.number(fx.v2.metrics().get("roc_auc")) + " | \\["
                + CardText.number(auc.lower()) + ", " + CardText.number(auc.upper()) + "\\] | 95%, 300 resamples, seed 42 |",
                "| " + markdownInline("precision[bad]") + " | ");
        SliceMetrics single = fx.fairness.slice("male single").orElseThrow();
        assertThat(s.get("Fairness")).contains("### Sensitive column personal_status, positive outcome good",
                "| male single | " + single.count() + " | " + single.actualPositives() + " | ",
                "| demographic_parity_difference | " + CardText.number(fx.fairness.demographicParityDifference()) + " |");
        List<FeatureImportance> ranked = fx.importance.ranked();
        String imp = s.get("Feature importance");
        assertThat(imp).contains("by roc_auc", "3 repeats, seed 42");
        for (int i = 1; i < ranked.size(); i++) {
            assertThat(imp.indexOf("| " + ranked.get(i - 1).feature() + " |"))
                    .isLessThan(imp.indexOf("| " + ranked.get(i).feature() + " |")).isPositive();
        }
        assertThat(s.get("Drift baseline")).contains("- **Reference rows:** 700", "| age | numerical | 700 | 0 |",
                "| housing | categorical | 700 | 0 | 3 |", "own (");
        assertThat(s.get("Promotion decisions")).contains("### Decision 1: credit/2 to production, refused",
                "### Decision 2: credit/2 to production, passed", "- **Outcome:** **REFUSED**", "- **Outcome:** **PASSED**",
                "- **Champion then:** credit/1", "- **Policy:** `" + fx.refused.policy() + "`",
                "- **Stored as:** promotion-decision-2").containsSubsequence("Decision 1", "Decision 2");
        for (var d : List.of(fx.refused, fx.passed)) {
            for (var c : d.checks()) {
                assertThat(s.get("Promotion decisions")).contains("| " + markdownInline(c.name()) + " | "
                        + (c.observed().isPresent() ? CardText.number(c.observed().getAsDouble()) : "none") + " | "
                        + markdownInline(c.required()) + " | **" + c.verdict() + "** | "
                        + markdownInline(c.detail()) + (c.detail().isEmpty() ? "|" : " |"));
            }
        }
        assertThat(fx.refused.failures()).extracting(c -> c.name()).containsExactly("min:roc_auc");
        assertThat(s.get("Alias history")).contains("| production | rollback | 2 | 1 | trainer |",
                "| champion | set |  | 2 | trainer |");
        assertThat(s.get("Audit trail")).contains("### Alias changes to or from this version",
                "| alias.promote | credit@production | candidate = credit/2; decision = promotion-decision-2; decision_sha256 = ",
                "| alias.rollback | credit@production | move = 3; version: 2 \u2192 1 |");
        assertThat(s.get("Audit trail")).contains("| version.register | credit/2 | artifact_sha256 = " + fx.v2.artifact().digest()
                + "; attachment.drift-profile = ", "; format = java-function; tag.team = risk |",
                "| version.tag | credit/2 | tag.reviewed = yes |");
    }

    @Test
    @DisplayName("HTML: well-formed XML, no script, every section present with the same facts")
    void htmlWithEverything() throws Exception {
        String html = card.toHtml();
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">");
        Document doc = xml(html);
        assertThat(elementNames(doc)).doesNotContain("script", "img", "link", "iframe", "object", "embed")
                .contains("style", "main", "nav", "table");
        assertThat(html).doesNotContain("http://", "https://", "src=", "url(", "@import");
        Map<String, String> s = htmlSections(doc);
        assertThat(s.keySet()).containsExactlyElementsOf(ALL_IDS);
        assertThat(doc.getElementsByTagName("h2").getLength()).isEqualTo(ALL_IDS.size());
        assertThat(s.get("lineage")).contains(fx.train.contentSha256(), fx.test.contentSha256(), "credit/1", "git:3f2a9c1");
        assertThat(s.get("metrics")).contains("roc_auc", CardText.number(fx.estimates.get(1).lower()), "precision[bad]");
        assertThat(s.get("fairness")).contains("male single", "equalized_odds_difference");
        assertThat(s.get("importance")).contains("checking_status", "credit_amount");
        assertThat(s.get("drift-baseline")).contains("Reference rows700", "housing");
        assertThat(s.get("decisions")).contains("REFUSED", "PASSED", fx.refused.checks().get(0).required(),
                fx.refused.policy());
        assertThat(s.get("alias-history")).contains("rollback", "champion");
        assertThat(s.get("audit")).contains("version.register", "tag.reviewed = yes");
        assertThat(s.get("purpose")).contains("Logistic score of four applicant attributes.Retrained on the 2026 split.");
        assertThat(html).contains("Logistic score of four applicant attributes.<br/>Retrained on the 2026 split.");
        assertThat(html).contains("<span class=\"fail\">FAIL</span>", "<span class=\"pass\">PASS</span>",
                "<span class=\"bar\"><span style=\"width:100.0%\"></span></span>");
        // the navigation links every section
        assertThat(CardChecks.attributes(doc)).filteredOn(a -> a.startsWith("href=")).containsExactlyElementsOf(
                ALL_IDS.stream().map(id -> "href=#" + id).toList());
    }

    @Test
    @DisplayName("a version with nothing but an artifact renders the core sections, with one-line notes and no empty tables")
    void minimal() throws Exception {
        Mlops m = CardFixture.mlops("ci");
        m.models().register("bare", NewModelVersion.builder()
                .artifact(Artifact.bytes("m.bin", new byte[] {1, 2, 3})).build());
        ModelCard c = ModelCard.of(m, ModelRef.version("bare", 1));
        String md = c.toMarkdown();
        Map<String, String> s = markdownSections(md);
        assertThat(s.keySet()).containsExactly("Summary", "Purpose and description", "Signature", "Lineage", "Environment",
                "Metrics", "Promotion decisions", "Alias history", "Audit trail");
        assertThat(s.get("Purpose and description").strip()).isEqualTo("_No description recorded for the model or this version._");
        assertThat(s.get("Signature").strip()).isEqualTo("_No signature recorded._");
        assertThat(s.get("Lineage").strip()).isEqualTo("_No lineage recorded: no dataset, parent version or code reference._");
        assertThat(s.get("Metrics").strip()).isEqualTo("_No metrics recorded._");
        assertThat(s.get("Promotion decisions").strip()).isEqualTo("_No promotion decision recorded._");
        assertThat(s.get("Alias history").strip()).isEqualTo("_No alias has pointed at this version._");
        assertThat(s.get("Audit trail")).contains("| version.register | bare/1 |");
        assertThat(md).doesNotContain("null", "Optional", "[]", "{}", "NaN", "\n\n\n", "| |").doesNotContainPattern("\\|\\s*\\|\\s*\\|");
        assertThat(s.get("Summary")).contains("- **Aliases now:** none", "- **Artifact size:** 3 bytes in 1 file");
        tablesAreIntact(md);

        String html = c.toHtml();
        Document doc = xml(html);
        assertThat(htmlSections(doc).keySet()).containsExactly("summary", "purpose", "signature", "lineage", "environment",
                "metrics", "decisions", "alias-history", "audit");
        assertThat(html).doesNotContain("null", "Optional", "<p class=\"text\"></p>", "<tbody>\n</tbody>", "<h3></h3>");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    @DisplayName("the same operations under the same ticking clock give byte-identical cards")
    void deterministic() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        java.nio.file.Files.createDirectories(a);
        java.nio.file.Files.createDirectories(b);
        CardFixture one = new CardFixture(a);
        CardFixture two = new CardFixture(b);
        ModelCard c1 = ModelCard.of(one.mlops, one.v2.ref());
        ModelCard c2 = ModelCard.of(two.mlops, two.v2.ref());
        assertThat(c2.generatedAt()).isEqualTo(c1.generatedAt());
        assertThat(c2.toMarkdown()).isEqualTo(c1.toMarkdown());
        assertThat(c2.toHtml()).isEqualTo(c1.toHtml());
        assertThat(c1.toMarkdown()).isEqualTo(c1.toMarkdown());
        // only the generation time differs between two cards of one registry
        ModelCard again = ModelCard.of(one.mlops, one.v2.ref());
        assertThat(again.toMarkdown().replace(again.generatedAt().toString(), "T"))
                .isEqualTo(c1.toMarkdown().replace(c1.generatedAt().toString(), "T"));
    }

    @Test
    @DisplayName("an attachment that cannot be read is named in the notes; the rest of the card still renders")
    void unreadableAttachment() throws Exception {
        Mlops m = CardFixture.mlops("ci");
        m.models().register("odd", NewModelVersion.builder().artifact(Artifact.bytes("m.bin", new byte[] {1}))
                .metric("auc", 0.8)
                .attachment("fairness", "{not json".getBytes(StandardCharsets.UTF_8))
                .attachment("promotion-decision-1", "{\"schemaVersion\":2,\"kind\":\"promotion-decision\"}"
                        .getBytes(StandardCharsets.UTF_8))
                .attachment("drift-profile", "{\"schema_version\":1,\"kind\":\"something-else\",\"columns\":[]}".getBytes(StandardCharsets.UTF_8))
                .attachment("promotion-decision-01", "ignored: not a decision number".getBytes(StandardCharsets.UTF_8))
                .attachment("notes-for-humans", "<b>not read by the card</b>".getBytes(StandardCharsets.UTF_8))
                .build());
        ModelCard c = ModelCard.of(m, ModelRef.version("odd", 1));
        assertThat(c.notes()).hasSize(3);
        assertThat(c.notes().get(0)).startsWith("attachment 'drift-profile' could not be read as a drift profile:")
                .contains("'something-else'");
        assertThat(c.notes().get(1)).startsWith("attachment 'fairness' could not be read as a fairness report: fairness report: line 1, column 2: not valid JSON");
        assertThat(c.notes().get(2)).startsWith("attachment 'promotion-decision-1' could not be read as a promotion decision:")
                .contains("schemaVersion: version 2");
        assertThat(c.fairness()).isEmpty();
        assertThat(c.decisions()).isEmpty();
        assertThat(c.driftBaseline()).isEmpty();
        assertThat(c.unreadableAttachments()).extracting(ModelCard.UnreadableAttachment::name,
                ModelCard.UnreadableAttachment::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("drift-profile", "drift profile"),
                org.assertj.core.groups.Tuple.tuple("fairness", "fairness report"),
                org.assertj.core.groups.Tuple.tuple("promotion-decision-1", "promotion decision"));
        assertThat(c.unreadableAttachments().get(2).detail()).contains("schemaVersion: version 2");
        Map<String, String> s = markdownSections(c.toMarkdown());
        assertThat(s.get("Promotion decisions")).as("a damaged decision is never shown as no decision")
                .doesNotContain("No promotion decision recorded").contains("promotion-decision-1")
                .contains("could not be read");
        assertThat(s).containsKey("Notes");
        assertThat(s.get("Notes")).contains("fairness").contains("drift-profile").contains("promotion-decision-1");
        assertThat(s.get("Metrics")).contains("| auc | 0.8 |");
        assertThat(htmlSections(xml(c.toHtml()))).containsKey("notes");
    }

    @Test
    @DisplayName("writeHtml and writeMarkdown replace the file whole and leave no temporary file; a missing directory is a StorageException")
    void writes() throws Exception {
        Path out = java.nio.file.Files.createDirectories(dir.resolve("out"));
        Path html = out.resolve("card.html");
        java.nio.file.Files.writeString(html, "old");
        assertThat(card.writeHtml(html)).isEqualTo(html);
        assertThat(card.writeMarkdown(out.resolve("card.md"))).isEqualTo(out.resolve("card.md"));
        assertThat(java.nio.file.Files.readString(html)).isEqualTo(card.toHtml());
        assertThat(java.nio.file.Files.readString(out.resolve("card.md"))).isEqualTo(card.toMarkdown());
        try (var files = java.nio.file.Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("card.html", "card.md");
        }
        assertThatThrownBy(() -> card.writeHtml(out.resolve("missing/card.html")))
                .isInstanceOf(dev.mlops.api.StorageException.class)
                .hasMessageContaining("cannot write the model card of credit/2 to").hasMessageContaining("missing");
    }

    @Test
    @DisplayName("writeHtml and writeMarkdown refuse a symbolic link and a directory, leaving them as they were")
    void refusesLinksAndDirectories() throws Exception {
        Path out = java.nio.file.Files.createDirectories(dir.resolve("refused"));
        Path victim = java.nio.file.Files.writeString(out.resolve("victim.txt"), "keep");
        Path link = java.nio.file.Files.createSymbolicLink(out.resolve("card.html"), victim);
        assertThatThrownBy(() -> card.writeHtml(link)).isInstanceOf(dev.mlops.api.ValidationException.class)
                .hasMessageContaining("cannot write the model card of credit/2 to").hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> card.writeMarkdown(link)).isInstanceOf(dev.mlops.api.ValidationException.class);
        assertThat(java.nio.file.Files.isSymbolicLink(link)).isTrue();
        assertThat(java.nio.file.Files.readString(victim)).isEqualTo("keep");
        assertThatThrownBy(() -> card.writeMarkdown(out)).isInstanceOf(dev.mlops.api.ValidationException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    @DisplayName("a version that does not exist: NotFoundException naming it")
    void missing() {
        assertThatThrownBy(() -> ModelCard.of(fx.mlops, ModelRef.version("credit", 9)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("credit");
        assertThatThrownBy(() -> ModelCard.of(fx.mlops, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("ref");
    }
}
