package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BOM ({@code mlops-bom/pom.xml}) lists every published module of the reactor and nothing
 * else, at the project's version. Both lists are read from the poms, never written here: a module
 * added to the root pom's {@code <modules>} must be added to the BOM too, or declare itself
 * unpublished with {@code maven.deploy.skip} (as mlops-it, mlops-examples and mlops-bench do).
 */
@DisplayName("the BOM lists every published module")
class BomListsEveryModuleTest {
    /** The repository root: surefire runs in the module directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    @DisplayName("this reactor: the BOM lists exactly its published modules")
    void thisReactor() {
        List<ReactorPoms.Module> modules = ReactorPoms.modules(ROOT);
        assertThat(modules).as("modules of %s", ROOT.resolve("pom.xml"))
                .extracting(ReactorPoms.Module::artifactId).contains("mlops-api", "mlops-bom", "mlops-it");
        assertThat(ReactorPoms.bomProblems(ROOT, ROOT.resolve("mlops-bom/pom.xml"))).isEmpty();
    }

    /**
     * The decision which modules are not published, pinned: a new module's pom copied from
     * mlops-it's would otherwise silently drop out of the BOM. A new module is published unless
     * it is added here as well.
     */
    @Test
    @DisplayName("this reactor: the jars not published are the integration tests, the examples and the benchmarks")
    void unpublishedModules() {
        assertThat(ReactorPoms.modules(ROOT).stream().filter(m -> !m.deployed()).map(ReactorPoms.Module::artifactId)
                .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("mlops-it", "mlops-examples", "mlops-bench");
    }

    /** Reactors written to a temporary directory, to show that each kind of mistake is reported. */
    @Nested
    @DisplayName("a made-up reactor")
    class MadeUp {
        @TempDir
        Path root;

        private void reactor(String... modules) throws IOException {
            StringBuilder m = new StringBuilder();
            for (String module : modules) {
                m.append("<module>").append(module).append("</module>");
            }
            write(root.resolve("pom.xml"), "<project><groupId>dev.mlops</groupId><artifactId>mlops-parent</artifactId>"
                    + "<version>1.0</version><packaging>pom</packaging><modules>" + m + "</modules></project>");
        }

        private void module(String dir, String body) throws IOException {
            write(root.resolve(dir).resolve("pom.xml"), "<project><parent><groupId>dev.mlops</groupId>"
                    + "<artifactId>mlops-parent</artifactId><version>1.0</version></parent>" + body + "</project>");
        }

        private void jar(String name) throws IOException {
            module(name, "<artifactId>" + name + "</artifactId>");
        }

        private void bom(String version, String... entries) throws IOException {
            StringBuilder d = new StringBuilder();
            for (String entry : entries) {
                String[] parts = entry.split(":");
                d.append("<dependency><groupId>dev.mlops</groupId><artifactId>").append(parts[0])
                        .append("</artifactId><version>").append(parts.length > 1 ? parts[1] : "1.0")
                        .append("</version></dependency>");
            }
            write(root.resolve("bom/pom.xml"), "<project><groupId>dev.mlops</groupId><artifactId>mlops-bom</artifactId>"
                    + "<version>" + version + "</version><packaging>pom</packaging>"
                    + "<dependencyManagement><dependencies>" + d + "</dependencies></dependencyManagement></project>");
        }

        private List<String> problems() {
            return ReactorPoms.bomProblems(root, root.resolve("bom/pom.xml"));
        }

        @Test
        @DisplayName("a complete BOM has no problems")
        void complete() throws IOException {
            reactor("bom", "a", "b");
            jar("a");
            jar("b");
            bom("1.0", "a", "b:${project.version}");
            assertThat(problems()).isEmpty();
        }

        @Test
        @DisplayName("a published module missing from the BOM is named")
        void missingModule() throws IOException {
            reactor("bom", "a", "mlops-quality");
            jar("a");
            jar("mlops-quality");
            bom("1.0", "a");
            assertThat(problems()).singleElement().asString()
                    .contains("does not list the published modules [dev.mlops:mlops-quality]");
        }

        @Test
        @DisplayName("an entry that is not a module is named")
        void strayEntry() throws IOException {
            reactor("bom", "a");
            jar("a");
            bom("1.0", "a", "mlops-gone");
            assertThat(problems()).singleElement().asString()
                    .contains("lists dev.mlops:mlops-gone, which is not a module of the reactor");
        }

        @Test
        @DisplayName("an unpublished module (maven.deploy.skip) need not be listed, and must not be")
        void unpublished() throws IOException {
            reactor("bom", "a", "it");
            jar("a");
            module("it", "<artifactId>it</artifactId><properties><maven.deploy.skip>true</maven.deploy.skip></properties>");
            bom("1.0", "a");
            assertThat(problems()).isEmpty();

            bom("1.0", "a", "it");
            assertThat(problems()).singleElement().asString()
                    .contains("lists dev.mlops:it, a module that is not published");
        }

        @Test
        @DisplayName("modules of a nested aggregator count, the aggregator itself does not")
        void nested() throws IOException {
            reactor("bom", "group");
            module("group", "<artifactId>group</artifactId><packaging>pom</packaging><modules><module>inner</module></modules>");
            write(root.resolve("group/inner/pom.xml"), "<project><parent><groupId>dev.mlops</groupId>"
                    + "<artifactId>group</artifactId><version>1.0</version></parent><artifactId>inner</artifactId></project>");
            bom("1.0");
            assertThat(problems()).singleElement().asString()
                    .contains("does not list the published modules [dev.mlops:inner]");
        }

        @Test
        @DisplayName("a version other than the project's is named, in the BOM and in an entry")
        void versions() throws IOException {
            reactor("bom", "a");
            jar("a");
            bom("1.0", "a:0.9");
            assertThat(problems()).singleElement().asString()
                    .contains("lists dev.mlops:a at version 0.9, expected the project's version 1.0");
            bom("2.0", "a:1.0");
            assertThat(problems()).singleElement().asString().contains("has version 2.0, the project 1.0");
        }

        @Test
        @DisplayName("a module the root pom names but that has no pom is refused by name")
        void absentModule() throws IOException {
            reactor("bom", "ghost");
            bom("1.0");
            assertThatThrownBy(this::problems).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("names module 'ghost'");
        }

        @Test
        @DisplayName("a pom with a DOCTYPE is refused, not resolved")
        void doctype() throws IOException {
            write(root.resolve("pom.xml"), "<!DOCTYPE project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<project><version>&x;</version></project>");
            assertThatThrownBy(() -> ReactorPoms.rootVersion(root)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not a well-formed pom");
        }

        private static void write(Path file, String content) throws IOException {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + content);
        }
    }
}
