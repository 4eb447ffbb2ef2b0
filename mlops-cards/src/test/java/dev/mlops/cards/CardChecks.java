package dev.mlops.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reading rendered cards back in tests: Markdown sections and tables, HTML as XML. */
final class CardChecks {
    private CardChecks() {
    }

    /** @return section title to its Markdown text, in order */
    static Map<String, String> markdownSections(String md) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] parts = md.split("\n## ", -1);
        for (int i = 1; i < parts.length; i++) {
            int nl = parts[i].indexOf('\n');
            out.put(parts[i].substring(0, nl), parts[i].substring(nl + 1));
        }
        return out;
    }

    /** Number of cell separators in a Markdown table line: pipes not escaped by a backslash. */
    static int unescapedPipes(String line) {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '|') {
                n++;
            }
        }
        return n;
    }

    /** Every Markdown table has a delimiter row and rows with as many cells as its header. */
    static void tablesAreIntact(String md) {
        List<String> lines = md.lines().toList();
        int tables = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("|")) {
                continue;
            }
            tables++;
            int cells = unescapedPipes(lines.get(i));
            assertThat(lines.get(i + 1)).as("delimiter row after %s", lines.get(i)).matches("\\|( -{3}:? \\|)+");
            assertThat(unescapedPipes(lines.get(i + 1))).isEqualTo(cells);
            int j = i + 2;
            assertThat(j < lines.size() && lines.get(j).startsWith("|")).as("a table without rows: %s", lines.get(i))
                    .isTrue();
            for (; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                assertThat(unescapedPipes(lines.get(j))).as("cells of %s (header %s)", lines.get(j), lines.get(i))
                        .isEqualTo(cells);
            }
            i = j;
        }
        assertThat(tables).isPositive();
    }

    /** Parses the page with the JDK's XML parser (no DTD loading, no external entities). */
    static Document xml(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        return b.parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return section id to its text content, in document order */
    static Map<String, String> htmlSections(Document doc) {
        Map<String, String> out = new LinkedHashMap<>();
        NodeList sections = doc.getElementsByTagName("section");
        for (int i = 0; i < sections.getLength(); i++) {
            Element s = (Element) sections.item(i);
            out.put(s.getAttribute("id"), s.getTextContent());
        }
        return out;
    }

    /** @return the names of every element in the document */
    static List<String> elementNames(Document doc) {
        List<String> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            out.add(all.item(i).getNodeName());
        }
        return out;
    }

    /** @return every attribute value in the document as name=value */
    static List<String> attributes(Document doc) {
        List<String> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            var attrs = all.item(i).getAttributes();
            for (int j = 0; j < attrs.getLength(); j++) {
                out.add(attrs.item(j).getNodeName() + "=" + attrs.item(j).getNodeValue());
            }
        }
        return out;
    }
}
