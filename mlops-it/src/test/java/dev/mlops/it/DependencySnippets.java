package dev.mlops.it;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The Maven snippets of a Markdown file: every fenced code block that contains a
 * {@code <dependency>}, read as XML. A block's top-level {@code <dependency>} elements (or those
 * inside a top-level {@code <dependencies>}) are dependencies a reader pastes into their pom; the
 * entries of a top-level {@code <dependencyManagement>} are imports (the BOM) or managed versions.
 * Elements are kept as written, so the consumer pom built from them says what the docs say.
 */
final class DependencySnippets {
    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([\\w-]*).*$");
    /** An inline {@code `<version>X</version>`} in prose ("Without the BOM, add ..."). */
    private static final Pattern INLINE_VERSION = Pattern.compile("`<version>([^<`]*)</version>`");

    private DependencySnippets() {
    }

    /**
     * One dependency as a snippet gives it.
     *
     * @param line the line of the block's opening fence, for messages
     * @param element the element as written
     */
    record Dependency(Path file, int line, String groupId, String artifactId, Optional<String> version, String scope,
                      String type, Element element) {
        String coordinates() {
            return groupId + ":" + artifactId;
        }

        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    /** What one Markdown file asks a reader to put in their pom. */
    record FileSnippets(Path file, List<Dependency> managed, List<Dependency> dependencies, List<String> inlineVersions,
                        boolean mentionsBom) {
        boolean isEmpty() {
            return managed.isEmpty() && dependencies.isEmpty();
        }
    }

    /** Reads the snippets of {@code markdown}. */
    static FileSnippets read(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
        List<Dependency> managed = new ArrayList<>();
        List<Dependency> dependencies = new ArrayList<>();
        List<String> inline = new ArrayList<>();
        boolean mentionsBom = false;
        String fence = null;
        int start = 0;
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher f = FENCE.matcher(line);
            if (fence == null) {
                if (f.matches()) {
                    fence = f.group(1);
                    start = i + 1;
                    block.setLength(0);
                } else {
                    mentionsBom |= line.contains("BOM");
                    Matcher v = INLINE_VERSION.matcher(line);
                    while (v.find()) {
                        inline.add(v.group(1));
                    }
                }
            } else if (f.matches() && line.strip().equals(fence)) {
                if (block.indexOf("<dependency>") >= 0) {
                    parse(markdown, start, block.toString(), managed, dependencies);
                }
                fence = null;
            } else {
                block.append(line).append('\n');
            }
        }
        if (fence != null) {
            throw new IllegalStateException(markdown + ":" + start + ": a code block that is never closed");
        }
        return new FileSnippets(markdown, managed, dependencies, inline, mentionsBom);
    }

    private static void parse(Path file, int line, String block, List<Dependency> managed, List<Dependency> dependencies) {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            root = builder.parse(new InputSource(new StringReader("<snippet>" + block + "</snippet>"))).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException(file.getFileName() + ":" + line + ": the Maven snippet is not well-formed XML: "
                    + e.getMessage(), e);
        }
        boolean any = false;
        for (Element top : children(root)) {
            switch (top.getTagName()) {
                case "dependency" -> {
                    dependencies.add(dependency(file, line, top));
                    any = true;
                }
                case "dependencies" -> {
                    for (Element d : children(top, "dependency")) {
                        dependencies.add(dependency(file, line, d));
                        any = true;
                    }
                }
                case "dependencyManagement" -> {
                    for (Element ds : children(top, "dependencies")) {
                        for (Element d : children(ds, "dependency")) {
                            managed.add(dependency(file, line, d));
                            any = true;
                        }
                    }
                }
                default -> {
                    // other elements (a plugin, a property) are not dependencies: the <dependency> is inside them
                }
            }
        }
        if (!any) {
            throw new IllegalStateException(file.getFileName() + ":" + line + ": a block with <dependency> whose dependencies"
                    + " are not at its top level, in <dependencies> or in <dependencyManagement>: the test cannot tell"
                    + " where a reader pastes it");
        }
    }

    private static Dependency dependency(Path file, int line, Element e) {
        String where = file.getFileName() + ":" + line;
        return new Dependency(file, line,
                text(e, "groupId").orElseThrow(() -> new IllegalStateException(where + ": a <dependency> without groupId")),
                text(e, "artifactId").orElseThrow(() -> new IllegalStateException(where + ": a <dependency> without artifactId")),
                text(e, "version"), text(e, "scope").orElse("compile"), text(e, "type").orElse("jar"), e);
    }

    /**
     * A pom of a throwaway project that has exactly these managed entries and dependencies, and
     * resolves through the repository at {@code repositoryUrl} (snapshots off, so this project's
     * own artifacts only ever come from the local repository the test lays out).
     *
     * @param plugins the build plugins' versions to pin ({@code artifactId -> version}), so the
     *     offline build needs no plugin the reactor did not use
     */
    static String consumerPom(String name, List<Dependency> managed, List<Dependency> dependencies, String repositoryUrl,
                              Map<String, String> plugins) {
        StringBuilder pom = new StringBuilder();
        pom.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n")
                .append("  <modelVersion>4.0.0</modelVersion>\n  <groupId>snippets</groupId><artifactId>").append(name)
                .append("</artifactId><version>1</version>\n")
                .append("  <properties><maven.compiler.release>17</maven.compiler.release>")
                .append("<project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>\n");
        for (String kind : List.of("repositories", "pluginRepositories")) {
            String one = kind.equals("repositories") ? "repository" : "pluginRepository";
            pom.append("  <").append(kind).append("><").append(one).append("><id>build-local-repository</id><url>")
                    .append(repositoryUrl).append("</url><snapshots><enabled>false</enabled></snapshots></").append(one)
                    .append("></").append(kind).append(">\n");
        }
        if (!managed.isEmpty()) {
            pom.append("  <dependencyManagement><dependencies>\n");
            for (Dependency d : managed) {
                pom.append("    ").append(xml(d.element())).append('\n');
            }
            pom.append("  </dependencies></dependencyManagement>\n");
        }
        pom.append("  <dependencies>\n");
        Map<String, Dependency> unique = new LinkedHashMap<>();
        for (Dependency d : dependencies) {
            unique.putIfAbsent(d.coordinates() + ":" + d.type(), d); // the same line in two sections of one file
        }
        for (Dependency d : unique.values()) {
            pom.append("    ").append(xml(d.element())).append('\n');
        }
        pom.append("  </dependencies>\n  <build><pluginManagement><plugins>\n");
        plugins.forEach((artifactId, version) -> pom.append("    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>")
                .append(artifactId).append("</artifactId><version>").append(version).append("</version></plugin>\n"));
        pom.append("  </plugins></pluginManagement></build>\n</project>\n");
        return pom.toString();
    }

    private static String xml(Element e) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(out));
            return out.toString();
        } catch (Exception ex) {
            throw new IllegalStateException("cannot write " + e.getTagName() + " back as XML", ex);
        }
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> children(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).toList();
    }

    private static Optional<String> text(Element parent, String name) {
        return children(parent, name).stream().findFirst().map(e -> e.getTextContent().strip());
    }
}
