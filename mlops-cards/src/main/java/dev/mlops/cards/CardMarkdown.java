package dev.mlops.cards;

import java.util.List;

/**
 * Renders a {@link CardLayout.Doc} as GitHub-flavoured Markdown. Every string is escaped with
 * {@link CardText#markdownInline} (one-line contexts: headings, table cells, list items) or
 * {@link CardText#markdownParagraphs} (free text), so no stored value can break a table or
 * inject markup.
 */
final class CardMarkdown {

    private CardMarkdown() {
    }

    static String render(CardLayout.Doc doc) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("# ").append(CardText.markdownInline(doc.title())).append("\n\n");
        sb.append("Sections: ");
        List<CardLayout.Section> sections = doc.sections();
        for (int i = 0; i < sections.size(); i++) {
            sb.append(i == 0 ? "" : " · ").append(CardText.markdownInline(sections.get(i).title()));
        }
        sb.append("\n");
        for (CardLayout.Section s : sections) {
            sb.append("\n## ").append(CardText.markdownInline(s.title())).append("\n");
            for (CardLayout.Block b : s.blocks()) {
                if (b instanceof CardLayout.Chart) {
                    continue; // drawn in the HTML card; the table beside it holds the same numbers
                }
                sb.append('\n');
                block(sb, b);
            }
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, CardLayout.Block b) {
        if (b instanceof CardLayout.Text t) {
            String text = CardText.markdownParagraphs(t.text());
            sb.append(text.isEmpty() ? "\u2205" : text).append('\n');
        } else if (b instanceof CardLayout.Note n) {
            sb.append('_').append(CardText.markdownInline(n.text())).append("_\n");
        } else if (b instanceof CardLayout.Heading h) {
            sb.append("### ").append(CardText.markdownInline(h.text())).append('\n');
        } else if (b instanceof CardLayout.Facts f) {
            for (CardLayout.Fact fact : f.facts()) {
                sb.append("- **").append(CardText.markdownInline(fact.label())).append(":** ").append(cell(fact.value()))
                        .append('\n');
            }
        } else if (b instanceof CardLayout.Table t) {
            table(sb, t);
        }
    }

    private static void table(StringBuilder sb, CardLayout.Table t) {
        sb.append('|');
        for (String h : t.headers()) {
            sb.append(' ').append(CardText.markdownInline(h)).append(" |");
        }
        sb.append("\n|");
        for (int i = 0; i < t.headers().size(); i++) {
            sb.append(numericColumn(t, i) ? " ---: |" : " --- |");
        }
        sb.append('\n');
        for (List<CardLayout.Cell> row : t.rows()) {
            sb.append('|');
            for (CardLayout.Cell c : row) {
                sb.append(' ').append(cell(c)).append(" |");
            }
            sb.append('\n');
        }
    }

    /** @return true when every non-empty cell of column {@code i} is a number (right-aligned) */
    static boolean numericColumn(CardLayout.Table t, int i) {
        boolean any = false;
        for (List<CardLayout.Cell> row : t.rows()) {
            CardLayout.Cell c = row.get(i);
            if (c.style() == CardLayout.Style.NUMBER || c.style() == CardLayout.Style.BAR) {
                any = true;
            } else if (!c.text().isEmpty()) {
                return false;
            }
        }
        return any;
    }

    /** A cell's Markdown: digests in a code span when they hold only safe characters, every other value escaped. */
    static String cell(CardLayout.Cell c) {
        String text = c.text();
        return switch (c.style()) {
            case CODE -> text.matches("[A-Za-z0-9:._/+=@-]+") ? "`" + text + "`" : CardText.markdownInline(text);
            case PASS, FAIL -> "**" + CardText.markdownInline(text) + "**";
            default -> text.isEmpty() ? "" : CardText.markdownInline(text);
        };
    }
}
