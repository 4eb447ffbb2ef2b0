package dev.mlops.cards;

import java.util.List;

/**
 * Renders a {@link CardLayout.Doc} as one self-contained HTML page: inline CSS, no script, no
 * external resource (a Content-Security-Policy meta element forbids loading anything), every
 * string escaped with {@link CardText#html}. The markup is well-formed XML (every element
 * closed, attributes quoted, only XML's predefined and numeric character references), so it
 * can be checked with an XML parser.
 */
final class CardHtml {

    static final String CSS = """
            :root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#ffffff;--soft:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--bar:#0969da}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:1100px;margin:0 auto;padding:24px 28px 48px}
            h1{font-size:26px;margin:0 0 4px}
            h2{font-size:20px;margin:0 0 12px;padding-bottom:4px;border-bottom:1px solid var(--line)}
            h3{font-size:16px;margin:18px 0 8px}
            header p{margin:0;color:var(--muted)}
            nav{margin:16px 0 8px}
            nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px 8px}
            nav a{display:inline-block;padding:2px 10px;border:1px solid var(--line);border-radius:12px;color:var(--bar);text-decoration:none;font-size:13px}
            section{margin:26px 0 0}
            p.text{margin:6px 0;white-space:normal;overflow-wrap:anywhere}
            p.note{margin:8px 0;color:var(--muted);font-style:italic;font-size:13px}
            .scroll{overflow-x:auto}
            table{border-collapse:collapse;margin:6px 0;font-size:14px}
            th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
            thead th{background:var(--soft);font-weight:600}
            table.facts th{background:var(--soft);font-weight:600;white-space:nowrap}
            table.facts td.num{text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.long{overflow-wrap:anywhere}
            td.time{white-space:nowrap}
            code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
            .pass{color:var(--pass);font-weight:700;white-space:nowrap}
            .fail{color:var(--fail);font-weight:700;white-space:nowrap}
            .bar{display:inline-block;width:120px;height:10px;margin-left:8px;background:var(--soft);border:1px solid var(--line);vertical-align:middle}
            .bar span{display:block;height:100%;background:var(--bar)}
            svg.chart{display:block;max-width:100%;height:auto;margin:8px 0 12px}
            svg.chart text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--muted)}
            svg.chart text.label{fill:var(--fg);font-weight:600}
            svg.chart text.numbers{fill:var(--fg);font-variant-numeric:tabular-nums}
            svg.chart text.title{font-weight:600}
            svg.chart .band{fill:var(--soft)}
            svg.chart .track{stroke:var(--line);stroke-width:1}
            svg.chart .whisker{stroke:var(--bar);stroke-width:2}
            svg.chart circle.value{fill:var(--bar);stroke:#fff;stroke-width:1.5}
            svg.chart .grid{stroke:var(--line);stroke-width:1}
            svg.chart line.threshold{stroke:var(--fail);stroke-width:1.5;stroke-dasharray:6 4}
            svg.chart polyline.line{fill:none;stroke:var(--bar);stroke-width:2}
            svg.chart circle.ok{fill:var(--bar);stroke:#fff;stroke-width:1.5}
            svg.chart circle.flagged{fill:var(--fail);stroke:#fff;stroke-width:1.5}
            footer{margin-top:36px;color:var(--muted);font-size:12px}
            @media print{nav{display:none}section{break-inside:avoid-page}}
            """;

    private CardHtml() {
    }

    static String render(CardLayout.Doc doc) {
        StringBuilder sb = new StringBuilder(16384);
        String title = CardText.html(doc.title());
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"mlops-java ModelCard\"/>\n")
                .append("<title>").append(title).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n")
                .append("<body>\n<main id=\"top\">\n<header><h1>").append(title).append("</h1>\n")
                .append("<p>A model card generated from the registry's stored metadata.</p></header>\n");
        sb.append("<nav><ul>");
        for (CardLayout.Section s : doc.sections()) {
            sb.append("<li><a href=\"#").append(CardText.html(s.id())).append("\">").append(CardText.html(s.title()))
                    .append("</a></li>");
        }
        sb.append("</ul></nav>\n");
        for (CardLayout.Section s : doc.sections()) {
            sb.append("<section id=\"").append(CardText.html(s.id())).append("\">\n<h2>").append(CardText.html(s.title()))
                    .append("</h2>\n");
            int charts = 0;
            for (CardLayout.Block b : s.blocks()) {
                if (b instanceof CardLayout.Chart c) {
                    // section ids are fixed words, so the chart ids are unique in the page
                    CardSvg.append(sb, "chart-" + s.id() + "-" + ++charts, c);
                } else {
                    block(sb, b);
                }
            }
            sb.append("</section>\n");
        }
        sb.append("<footer>mlops-java model card. Numbers are shown with four significant digits; ")
                .append("the stored documents hold full precision.</footer>\n</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void block(StringBuilder sb, CardLayout.Block b) {
        if (b instanceof CardLayout.Text t) {
            text(sb, t.text());
        } else if (b instanceof CardLayout.Note n) {
            sb.append("<p class=\"note\">").append(CardText.html(n.text())).append("</p>\n");
        } else if (b instanceof CardLayout.Heading h) {
            sb.append("<h3>").append(CardText.html(h.text())).append("</h3>\n");
        } else if (b instanceof CardLayout.Facts f) {
            sb.append("<div class=\"scroll\"><table class=\"facts\"><tbody>\n");
            for (CardLayout.Fact fact : f.facts()) {
                sb.append("<tr><th scope=\"row\">").append(CardText.html(fact.label())).append("</th>");
                cell(sb, fact.value());
                sb.append("</tr>\n");
            }
            sb.append("</tbody></table></div>\n");
        } else if (b instanceof CardLayout.Table t) {
            sb.append("<div class=\"scroll\"><table>\n<thead><tr>");
            for (int i = 0; i < t.headers().size(); i++) {
                sb.append(CardMarkdown.numericColumn(t, i) ? "<th class=\"num\">" : "<th>")
                        .append(CardText.html(t.headers().get(i))).append("</th>");
            }
            sb.append("</tr></thead>\n<tbody>\n");
            for (List<CardLayout.Cell> row : t.rows()) {
                sb.append("<tr>");
                for (CardLayout.Cell c : row) {
                    cell(sb, c);
                }
                sb.append("</tr>\n");
            }
            sb.append("</tbody>\n</table></div>\n");
        }
    }

    /** Free text: one paragraph per blank-line-separated block, line breaks kept. */
    private static void text(StringBuilder sb, String text) {
        String[] paragraphs = text.strip().split("(\r\n|\r|\n)[ \t]*(\r\n|\r|\n)\\s*");
        for (String p : paragraphs) {
            sb.append("<p class=\"text\">");
            String[] lines = p.split("\r\n|\r|\n", -1);
            for (int i = 0; i < lines.length; i++) {
                sb.append(i == 0 ? "" : "<br/>").append(CardText.html(lines[i]));
            }
            sb.append("</p>\n");
        }
    }

    /** @return true when the text has a run of more than 24 characters without a space (a digest), which may break anywhere */
    static boolean hasLongWord(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = Character.isWhitespace(text.charAt(i)) ? 0 : run + 1;
            if (run > 24) {
                return true;
            }
        }
        return false;
    }

    private static void cell(StringBuilder sb, CardLayout.Cell c) {
        String text = CardText.html(c.text());
        switch (c.style()) {
            case NUMBER -> sb.append("<td class=\"num\">").append(text).append("</td>");
            case TIME -> sb.append("<td class=\"time\">").append(text).append("</td>");
            case CODE -> sb.append("<td><code>").append(text).append("</code></td>");
            case PASS -> sb.append("<td><span class=\"pass\">").append(text).append("</span></td>");
            case FAIL -> sb.append("<td><span class=\"fail\">").append(text).append("</span></td>");
            case BAR -> {
                double f = Double.isFinite(c.fraction()) ? Math.max(0, Math.min(1, c.fraction())) : 0;
                sb.append("<td class=\"num\">").append(text).append("<span class=\"bar\"><span style=\"width:")
                        .append(Math.round(f * 1000) / 10.0).append("%\"></span></span></td>");
            }
            default -> sb.append(hasLongWord(c.text()) ? "<td class=\"long\">" : "<td>").append(text).append("</td>");
        }
    }
}
