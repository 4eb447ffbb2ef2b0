package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Maven dependency snippet in README.md and docs/*.md resolves as written, the way a new
 * user's project would see it: per Markdown file, a throwaway consumer project gets the file's
 * {@code <dependency>} and {@code <dependencyManagement>} blocks (a file that only says "with
 * the BOM imported" gets the README's BOM import), one class that uses a public type of each
 * mlops module it names, and one offline {@code mvn test-compile} (compile, runtime and test
 * scopes resolved).
 *
 * <p>Where the artifacts come from, on a fresh machine where nothing of this project was ever
 * installed: the test lays out a temporary local repository with this reactor's own poms
 * (the parent and the BOM included) and jars, from the modules' {@code target/} directories;
 * every other artifact comes from the local repository of the build that runs this test, read
 * as a {@code file://} repository (with snapshots off, so a stale {@code dev.mlops} snapshot
 * there is never used). Maven 3.8 refuses a {@code file://} repository in offline mode unless
 * {@code -Daether.offline.protocols=file} allows it, which the test passes; nothing is written
 * to the build's own local repository. Build plugins are pinned to the versions the reactor
 * uses, so nothing needs downloading. One Maven process per file, at most
 * {@link #MAVEN_TIMEOUT}; without {@code mvn} the test skips with a message locally and fails
 * when {@code CI=true}.
 */
@DisplayName("Docs: every Maven dependency snippet of README.md and docs/*.md resolves, offline, against this build")
class DependencySnippetsTest {
    /** The repository root: surefire runs in the module directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(5);
    /** Files that have snippets today: a guard against an extraction that silently finds nothing. */
    private static final List<String> KNOWN = List.of("README.md", "docs/micrometer.md", "docs/onnx.md", "docs/storage.md",
            "docs/testing.md");

    static List<Path> markdownFiles() {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static List<DependencySnippets.FileSnippets> withSnippets() {
        return markdownFiles().stream().map(DependencySnippets::read).filter(f -> !f.isEmpty()).toList();
    }

    /**
     * What is wrong with one file's snippets before any Maven runs, one sentence each: a
     * {@code dev.mlops} artifact that is not a published module, a version other than the
     * project's, a version-less mlops artifact in a file that neither imports nor names the BOM.
     */
    static List<String> problems(DependencySnippets.FileSnippets f, Map<String, ReactorPoms.Module> published, String bomArtifact,
                                 String version) {
        List<String> problems = new ArrayList<>();
        List<DependencySnippets.Dependency> all = new ArrayList<>(f.managed());
        all.addAll(f.dependencies());
        for (DependencySnippets.Dependency d : all) {
            if (!d.groupId().equals("dev.mlops")) {
                continue;
            }
            if (!published.containsKey(d.coordinates()) && !d.artifactId().equals(bomArtifact)) {
                problems.add(d.where() + ": " + d.coordinates() + " is not a published module of this project (published: "
                        + new TreeSet<>(published.keySet()) + ")");
            }
            d.version().filter(v -> !v.equals(version)).ifPresent(v -> problems.add(d.where() + ": " + d.coordinates()
                    + " at version " + v + ", but the project is at " + version));
            if (d.version().isEmpty() && f.managed().isEmpty() && !f.mentionsBom()) {
                problems.add(d.where() + ": " + d.coordinates() + " has no version, and " + f.file().getFileName()
                        + " neither imports the BOM nor says to");
            }
        }
        for (String v : f.inlineVersions()) {
            if (!v.equals(version)) {
                problems.add(f.file().getFileName() + ": the text says to add <version>" + v + "</version>, but the project is at "
                        + version);
            }
        }
        return problems;
    }

    @Test
    @DisplayName("the snippets name published modules at the project's version; a file without versions names the BOM")
    void snippetsNamePublishedModules() {
        List<DependencySnippets.FileSnippets> files = withSnippets();
        assertThat(files.stream().map(f -> ROOT.relativize(f.file()).toString())).containsAll(KNOWN);
        Map<String, ReactorPoms.Module> published = publishedModules();
        String version = ReactorPoms.rootVersion(ROOT);
        List<String> problems = new ArrayList<>();
        for (DependencySnippets.FileSnippets f : files) {
            problems.addAll(problems(f, published, "mlops-bom", version));
        }
        assertThat(problems).isEmpty();
    }

    @TestFactory
    @DisplayName("one offline consumer build per file")
    Stream<DynamicTest> eachFileResolves(@TempDir Path work) {
        Path mvn = maven();
        List<DependencySnippets.FileSnippets> files = withSnippets();
        DependencySnippets.FileSnippets readme = files.stream().filter(f -> f.file().equals(ROOT.resolve("README.md")))
                .findFirst().orElseThrow(() -> new AssertionError("README.md has no dependency snippet"));
        Path repository = work.resolve("repository");
        layOutReactor(repository);
        return files.stream().map(f -> DynamicTest.dynamicTest(ROOT.relativize(f.file()).toString(), () -> {
            // a file that only says "with the BOM imported" is read together with the README's import of it
            List<DependencySnippets.Dependency> managed = f.managed().isEmpty() && f.mentionsBom() ? readme.managed() : f.managed();
            String name = f.file().getFileName().toString().replace(".md", "").toLowerCase(java.util.Locale.ROOT);
            Path project = work.resolve("consumer-" + name);
            writeConsumer(project, name, managed, f.dependencies());
            runMaven(mvn, project, repository, ROOT.relativize(f.file()).toString());
        }));
    }

    @Test
    @DisplayName("a snippet naming an artifact that does not exist fails the consumer build, naming it")
    void aMissingArtifactFails(@TempDir Path work) throws IOException {
        Path mvn = maven();
        Path doc = work.resolve("made-up.md");
        String version = ReactorPoms.rootVersion(ROOT);
        Files.writeString(doc, "```xml\n<dependency><groupId>dev.mlops</groupId><artifactId>mlops-no-such-module</artifactId>"
                + "<version>" + version + "</version></dependency>\n```\n");
        DependencySnippets.FileSnippets f = DependencySnippets.read(doc);
        Path repository = work.resolve("repository");
        layOutReactor(repository);
        Path project = work.resolve("consumer");
        writeConsumer(project, "made-up", f.managed(), f.dependencies());
        assertThatThrownBy(() -> runMaven(mvn, project, repository, "made-up.md")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("made-up.md").hasMessageContaining("mlops-no-such-module");
    }

    // ---- the consumer project

    private static Map<String, ReactorPoms.Module> publishedModules() {
        Map<String, ReactorPoms.Module> out = new LinkedHashMap<>();
        for (ReactorPoms.Module m : ReactorPoms.modules(ROOT)) {
            if (m.published()) {
                out.put(m.coordinates(), m);
            }
        }
        return out;
    }

    private static void writeConsumer(Path project, String name, List<DependencySnippets.Dependency> managed,
                                      List<DependencySnippets.Dependency> dependencies) throws IOException {
        Path root = ROOT.resolve("pom.xml");
        Map<String, String> plugins = new LinkedHashMap<>();
        for (String plugin : List.of("maven-compiler-plugin", "maven-resources-plugin")) {
            plugins.put(plugin, ReactorPoms.managedPluginVersion(root, plugin)
                    .orElseThrow(() -> new IllegalStateException(root + " pins no version of " + plugin)));
        }
        Files.createDirectories(project);
        Files.writeString(project.resolve("pom.xml"), DependencySnippets.consumerPom("consumer-" + name, managed, dependencies,
                buildRepository().toUri().toString(), plugins));
        Files.writeString(project.resolve("settings.xml"), "<settings/>\n"); // no mirror, no profile of the machine's
        // one public type of each mlops module the file names, by scope: the class compiles only if the jar is there
        Map<String, ReactorPoms.Module> published = publishedModules();
        List<String> main = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (DependencySnippets.Dependency d : dependencies) {
            ReactorPoms.Module m = published.get(d.coordinates());
            if (m != null) {
                String type = publicType(m);
                List<String> into = d.scope().equals("test") ? test : main;
                if (!into.contains(type)) {
                    into.add(type);
                }
            }
        }
        writeUses(project.resolve("src/main/java/snippets/Uses.java"), "Uses", main);
        writeUses(project.resolve("src/test/java/snippets/TestUses.java"), "TestUses", test);
    }

    private static void writeUses(Path file, String name, List<String> types) throws IOException {
        if (types.isEmpty()) {
            return;
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, "package snippets;\n\n/** A type of each mlops module the snippets name. */\npublic class " + name
                + " {\n    public static final Class<?>[] TYPES = {\n"
                + types.stream().map(t -> "        " + t + ".class").collect(Collectors.joining(",\n"))
                + "\n    };\n}\n");
    }

    /** The first public top-level class, by name, in the package of the module's Automatic-Module-Name. */
    private static String publicType(ReactorPoms.Module m) {
        String pkg = ReactorPoms.property(m.dir().resolve("pom.xml"), "automatic.module.name")
                .orElseThrow(() -> new IllegalStateException(m.dir().resolve("pom.xml") + " sets no automatic.module.name"));
        Path dir = m.dir().resolve("target/classes").resolve(pkg.replace('.', '/'));
        try (Stream<Path> classes = Files.list(dir)) {
            for (Path c : classes.map(Path::getFileName).map(Path::toString).filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .sorted().map(dir::resolve).toList()) {
                String name = pkg + "." + c.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(name, false, DependencySnippetsTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    return name;
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot list the public types of " + m.coordinates() + " in " + dir + ": " + e, e);
        }
        throw new IllegalStateException(m.coordinates() + " has no public type in package " + pkg);
    }

    // ---- the repositories

    /** The local repository of the build running this test: every third-party artifact the reactor used is there. */
    private static Path buildRepository() {
        String configured = System.getProperty("mlops.it.localRepository", "");
        Path repo = configured.isBlank() || configured.startsWith("${")
                ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(configured);
        if (!Files.isDirectory(repo)) {
            throw new IllegalStateException("the build's local repository " + repo + " is not a directory");
        }
        return repo;
    }

    /**
     * Lays out this reactor's artifacts as Maven installs them: the parent pom, the BOM, and the
     * pom and jar of every published module. The jar is the one the reactor packaged, unless it is
     * missing or older than the module's classes ({@code mvn test} packages nothing): then a jar
     * of {@code target/classes}.
     */
    static void layOutReactor(Path repository) {
        String version = ReactorPoms.rootVersion(ROOT);
        try {
            Path parentPom = ROOT.resolve("pom.xml");
            install(repository, rootElement("groupId"), rootElement("artifactId"), version, "pom", parentPom);
            for (ReactorPoms.Module m : ReactorPoms.modules(ROOT)) {
                if (!m.deployed()) {
                    continue;
                }
                install(repository, m.groupId(), m.artifactId(), version, "pom", m.dir().resolve("pom.xml"));
                if (m.packaging().equals("pom")) {
                    continue;
                }
                Path jar = m.dir().resolve("target").resolve(m.artifactId() + "-" + version + ".jar");
                Path classes = m.dir().resolve("target/classes");
                if (!Files.isDirectory(classes)) {
                    throw new IllegalStateException(m.coordinates() + " is not compiled (no " + classes + "): run the"
                            + " reactor, e.g. mvn -B verify");
                }
                if (!Files.isRegularFile(jar) || Files.getLastModifiedTime(jar).compareTo(newest(classes)) < 0) {
                    jar = jarOf(classes, repository.resolveSibling(m.artifactId() + "-from-classes.jar"));
                }
                install(repository, m.groupId(), m.artifactId(), version, "jar", jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the reactor's artifacts in " + repository, e);
        }
    }

    /** A coordinate the root pom (the modules' parent) gives itself. */
    private static String rootElement(String name) {
        Path pom = ROOT.resolve("pom.xml");
        org.w3c.dom.Element project = ReactorPoms.read(pom);
        for (org.w3c.dom.Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof org.w3c.dom.Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        throw new IllegalStateException(pom + " has no " + name);
    }

    private static void install(Path repository, String groupId, String artifactId, String version, String extension, Path from)
            throws IOException {
        Path dir = repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(from, dir.resolve(artifactId + "-" + version + "." + extension));
    }

    private static FileTime newest(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(Comparator.naturalOrder()).orElse(FileTime.fromMillis(0));
        }
    }

    private static Path jarOf(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, j);
                j.closeEntry();
            }
        }
        return jar;
    }

    // ---- Maven

    /** The Maven that runs this build, else the one on PATH; skips locally, fails on CI, when there is none. */
    static Path maven() {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("mlops.it.mavenHome", "");
        if (!home.isBlank() && !home.startsWith("${")) {
            candidates.add(Path.of(home, "bin", "mvn"));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "mvn"));
            }
        }
        Optional<Path> mvn = candidates.stream().filter(Files::isExecutable).findFirst();
        if (mvn.isEmpty()) {
            String why = "no mvn: neither maven.home of the running build nor PATH has one, so the dependency snippets"
                    + " cannot be resolved by a consumer build";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: this test must run)");
            }
            Assumptions.abort(why + "; skipped (it fails when CI=true)");
        }
        return mvn.get();
    }

    /** Runs {@code mvn -o test-compile} in {@code project}; an assertion error with Maven's output if it fails. */
    static void runMaven(Path mvn, Path project, Path repository, String doc) throws IOException, InterruptedException {
        Path log = project.resolve("maven.log");
        List<String> command = List.of(mvn.toString(), "-B", "-o", "-s", "settings.xml", "-gs", "settings.xml",
                "-Dmaven.repo.local=" + repository, "-Daether.offline.protocols=file", "test-compile");
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_ARGS"); // Maven 3.9 would add these to the command line
        Process p = pb.start();
        if (!p.waitFor(MAVEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError(doc + ": the consumer build did not finish within " + MAVEN_TIMEOUT + "\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(doc + ": its dependency snippets do not resolve (mvn exit " + p.exitValue() + ") in "
                    + project.resolve("pom.xml") + ":\n" + Files.readString(project.resolve("pom.xml")) + "\nMaven said:\n"
                    + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The snippet reader and the checks before Maven, on made-up Markdown. */
    @Nested
    @DisplayName("reading snippets")
    class Reading {
        @TempDir
        Path dir;

        private DependencySnippets.FileSnippets read(String markdown) throws IOException {
            Path f = dir.resolve("doc.md");
            Files.writeString(f, markdown);
            return DependencySnippets.read(f);
        }

        @Test
        @DisplayName("finds dependencies, managed imports and prose versions, with the block's line")
        void finds() throws IOException {
            DependencySnippets.FileSnippets f = read("""
                    # Title
                    With the BOM imported, add `<version>0.1.0-SNAPSHOT</version>` without it.

                    ```xml
                    <dependencyManagement><dependencies>
                      <dependency><groupId>dev.mlops</groupId><artifactId>mlops-bom</artifactId><version>1</version>
                        <type>pom</type><scope>import</scope></dependency>
                    </dependencies></dependencyManagement>
                    ```

                    ```xml
                    <dependency><groupId>dev.mlops</groupId><artifactId>mlops-core</artifactId></dependency>
                    <!-- a comment -->
                    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>2</version>
                      <scope>test</scope></dependency>
                    ```
                    """);
            assertThat(f.mentionsBom()).isTrue();
            assertThat(f.inlineVersions()).containsExactly("0.1.0-SNAPSHOT");
            assertThat(f.managed()).singleElement().satisfies(d -> {
                assertThat(d.coordinates()).isEqualTo("dev.mlops:mlops-bom");
                assertThat(d.line()).isEqualTo(4);
                assertThat(d.type()).isEqualTo("pom");
            });
            assertThat(f.dependencies()).extracting(DependencySnippets.Dependency::coordinates, DependencySnippets.Dependency::scope,
                    d -> d.version().orElse("none")).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("dev.mlops:mlops-core", "compile", "none"),
                    org.assertj.core.groups.Tuple.tuple("org.slf4j:slf4j-simple", "test", "2"));
            assertThat(f.dependencies()).allSatisfy(d -> assertThat(d.line()).isEqualTo(11));
        }

        @Test
        @DisplayName("flags a module that is not published, another version, and a missing version without a BOM")
        void problems() throws IOException {
            Map<String, ReactorPoms.Module> published = Map.of("dev.mlops:mlops-core",
                    new ReactorPoms.Module(dir, "dev.mlops", "mlops-core", "jar", true));
            DependencySnippets.FileSnippets f = read("""
                    Add `<version>0.0.9</version>`.
                    ```xml
                    <dependency><groupId>dev.mlops</groupId><artifactId>mlops-core</artifactId></dependency>
                    <dependency><groupId>dev.mlops</groupId><artifactId>mlops-gone</artifactId><version>1.0</version></dependency>
                    <dependency><groupId>dev.mlops</groupId><artifactId>mlops-core</artifactId><version>0.9</version></dependency>
                    ```
                    """);
            assertThat(DependencySnippetsTest.problems(f, published, "mlops-bom", "1.0")).containsExactly(
                    "doc.md:2: dev.mlops:mlops-core has no version, and doc.md neither imports the BOM nor says to",
                    "doc.md:2: dev.mlops:mlops-gone is not a published module of this project (published: [dev.mlops:mlops-core])",
                    "doc.md:2: dev.mlops:mlops-core at version 0.9, but the project is at 1.0",
                    "doc.md: the text says to add <version>0.0.9</version>, but the project is at 1.0");
        }

        @Test
        @DisplayName("refuses a snippet that is not XML, or a block never closed, naming the line")
        void refuses() {
            assertThatThrownBy(() -> read("text\n```xml\n<dependency><groupId>a</groupId>\n```\n"))
                    .hasMessageContaining("doc.md:2: the Maven snippet is not well-formed XML");
            assertThatThrownBy(() -> read("```xml\n<dependency/>\n")).hasMessageContaining("doc.md:1: a code block that is never closed");
        }
    }
}
