package dev.mlops.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The build's own description of itself, read from the poms: the modules of the reactor (from
 * the root pom's {@code <modules>}, nested aggregators followed) and the entries of the BOM.
 *
 * <p>A module is published, as a jar users may depend on, unless its pom sets
 * {@code maven.deploy.skip} to {@code true} (the same property skips its sources and javadoc
 * jars) or its packaging is {@code pom} (the BOM itself, or an aggregator).
 */
final class ReactorPoms {
    private ReactorPoms() {
    }

    /**
     * A module of the reactor.
     *
     * @param deployed false when its pom sets {@code maven.deploy.skip} to {@code true}
     */
    record Module(Path dir, String groupId, String artifactId, String packaging, boolean deployed) {
        String coordinates() {
            return groupId + ":" + artifactId;
        }

        /** A jar users may depend on, which the BOM must list. */
        boolean published() {
            return deployed && !packaging.equals("pom");
        }
    }

    /** A {@code <dependencyManagement>} entry of the BOM, with {@code ${project.version}} resolved. */
    record Entry(String groupId, String artifactId, String version, String type) {
        String coordinates() {
            return groupId + ":" + artifactId;
        }
    }

    /** The BOM: its own coordinates and its entries. */
    record Bom(String groupId, String artifactId, String version, List<Entry> entries) {
    }

    /** Every module under the aggregator at {@code root}, depth first, in the order of {@code <modules>}. */
    static List<Module> modules(Path root) {
        List<Module> out = new ArrayList<>();
        collect(root, read(root.resolve("pom.xml")), out);
        return out;
    }

    private static void collect(Path dir, Element pom, List<Module> out) {
        for (String name : texts(child(pom, "modules"), "module")) {
            Path moduleDir = dir.resolve(name).normalize();
            Path file = Files.isDirectory(moduleDir) ? moduleDir.resolve("pom.xml") : moduleDir;
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(dir.resolve("pom.xml") + " names module '" + name
                        + "', but there is no " + file);
            }
            Element module = read(file);
            Optional<Element> parent = child(module, "parent");
            String groupId = text(module, "groupId").or(() -> parent.flatMap(p -> text(p, "groupId")))
                    .orElseThrow(() -> new IllegalStateException(file + " has no groupId, nor a parent's"));
            String artifactId = text(module, "artifactId")
                    .orElseThrow(() -> new IllegalStateException(file + " has no artifactId"));
            String packaging = text(module, "packaging").orElse("jar");
            boolean deploySkipped = child(module, "properties").flatMap(p -> text(p, "maven.deploy.skip"))
                    .map(Boolean::parseBoolean).orElse(false);
            out.add(new Module(file.getParent(), groupId, artifactId, packaging, !deploySkipped));
            collect(file.getParent(), module, out);
        }
    }

    /** A property the pom at {@code file} sets itself in {@code <properties>} (not inherited ones). */
    static Optional<String> property(Path file, String name) {
        return child(read(file), "properties").flatMap(p -> text(p, name));
    }

    /** The version {@code <build><pluginManagement>} of the pom at {@code file} pins for a plugin. */
    static Optional<String> managedPluginVersion(Path file, String artifactId) {
        for (Element plugin : children(child(child(child(read(file), "build"), "pluginManagement"), "plugins"), "plugin")) {
            if (text(plugin, "artifactId").filter(artifactId::equals).isPresent()) {
                return text(plugin, "version");
            }
        }
        return Optional.empty();
    }

    /** The version the root pom gives the project. */
    static String rootVersion(Path root) {
        Path file = root.resolve("pom.xml");
        return text(read(file), "version").orElseThrow(() -> new IllegalStateException(file + " has no version"));
    }

    /** The BOM whose pom is {@code file}. */
    static Bom bom(Path file) {
        Element pom = read(file);
        String groupId = text(pom, "groupId").orElseThrow(() -> new IllegalStateException(file + " has no groupId"));
        String artifactId = text(pom, "artifactId").orElseThrow(() -> new IllegalStateException(file + " has no artifactId"));
        String version = text(pom, "version").orElseThrow(() -> new IllegalStateException(file + " has no version"));
        List<Entry> entries = new ArrayList<>();
        for (Element dependency : children(child(child(pom, "dependencyManagement"), "dependencies"), "dependency")) {
            String entryVersion = text(dependency, "version").orElse("");
            entries.add(new Entry(
                    text(dependency, "groupId").orElse(""),
                    text(dependency, "artifactId").orElse(""),
                    entryVersion.equals("${project.version}") ? version : entryVersion,
                    text(dependency, "type").orElse("jar")));
        }
        return new Bom(groupId, artifactId, version, entries);
    }

    /**
     * What is wrong with the BOM at {@code bomFile} for the reactor at {@code root}, one sentence
     * each; empty when it lists exactly the published modules, at the project's version.
     */
    static List<String> bomProblems(Path root, Path bomFile) {
        List<Module> modules = modules(root);
        Bom bom = bom(bomFile);
        String version = rootVersion(root);
        String bomName = root.relativize(bomFile).toString();
        TreeSet<String> published = new TreeSet<>();
        TreeSet<String> unpublished = new TreeSet<>();
        for (Module m : modules) {
            (m.published() ? published : unpublished).add(m.coordinates());
        }
        TreeSet<String> listed = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        if (!bom.version().equals(version)) {
            problems.add(bomName + " has version " + bom.version() + ", the project " + version);
        }
        for (Entry e : bom.entries()) {
            if (!listed.add(e.coordinates())) {
                problems.add(bomName + " lists " + e.coordinates() + " twice");
            }
            if (published.contains(e.coordinates()) && !e.version().equals(version)) {
                problems.add(bomName + " lists " + e.coordinates() + " at version " + e.version()
                        + ", expected the project's version " + version);
            }
            if (!e.type().equals("jar")) {
                problems.add(bomName + " lists " + e.coordinates() + " with type " + e.type() + ", expected jar");
            }
        }
        TreeSet<String> missing = new TreeSet<>(published);
        missing.removeAll(listed);
        if (!missing.isEmpty()) {
            problems.add(bomName + " does not list the published modules " + missing + "; add them to it, or set"
                    + " maven.deploy.skip to true in the pom of a module that is not published");
        }
        TreeSet<String> strays = new TreeSet<>(listed);
        strays.removeAll(published);
        for (String stray : strays) {
            problems.add(bomName + " lists " + stray + (unpublished.contains(stray)
                    ? ", a module that is not published (its packaging is pom or it sets maven.deploy.skip)"
                    : ", which is not a module of the reactor in " + root.resolve("pom.xml")));
        }
        return problems;
    }

    // ---- a small, hardened DOM reader: no DTDs, no external entities

    static Element read(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() { // throws, instead of also printing to stderr
                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder.parse(file.toFile()).getDocumentElement();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new IllegalStateException(file + " is not a well-formed pom: " + e.getMessage(), e);
        }
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(Optional.of(parent), name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static Optional<Element> child(Optional<Element> parent, String name) {
        return parent.flatMap(p -> child(p, name));
    }

    private static List<Element> children(Optional<Element> parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent.isPresent()) {
            for (Node n = parent.get().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().strip());
    }

    private static List<String> texts(Optional<Element> parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }
}
