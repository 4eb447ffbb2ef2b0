package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public (or protected) type in the main code of a published module has a Javadoc comment.
 * The javadoc jars are built with doclint's "missing" group off (not every record component and
 * parameter has its own tag), so this test keeps the part of that check that matters: no type of
 * the API without a word on what it is.
 */
@DisplayName("every public type of a published module has a Javadoc comment")
class PublicTypesDocumentedTest {
    /** The repository root: surefire runs in the module directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    @DisplayName("this reactor: no public type of a published module lacks its comment")
    void thisReactor() {
        List<Path> files = new ArrayList<>();
        for (ReactorPoms.Module m : ReactorPoms.modules(ROOT)) {
            Path sources = m.dir().resolve("src/main/java");
            if (m.published() && Files.isDirectory(sources)) {
                files.addAll(javaFiles(sources));
            }
        }
        assertThat(files).as("main sources of the published modules").hasSizeGreaterThan(100);
        assertThat(undocumentedTypes(files)).isEmpty();
    }

    @Test
    @DisplayName("a made-up file: the public and protected types without a comment are named, and only they")
    void madeUp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Shapes.java");
        Files.writeString(file, """
                package x;

                /** Documented. */
                public interface Shapes {
                    record Circle(double r) implements Shapes { }      // public: a member of an interface

                    /** Documented. */
                    final class Square implements Shapes {
                        public static final class Side { }             // public in a public class
                        protected static class Corner { }              // protected: in the javadoc too
                        static class Hidden { public static class Deeper { } }  // not API: Hidden is not
                    }
                }

                @Deprecated
                public class Undocumented {
                    void m() {
                        Object local = new Object() { };                // anonymous: never API
                    }
                }

                class PackagePrivate { }
                """);
        assertThat(undocumentedTypes(List.of(file))).containsExactly(
                file + ":5 Circle", file + ":9 Side", file + ":10 Corner", file + ":15 Undocumented");
    }

    /** "file:line Name" of each public or protected type of {@code files} that has no Javadoc comment. */
    static List<String> undocumentedTypes(List<Path> files) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> undocumented = new ArrayList<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fileManager, null, List.of("-proc:none"), null,
                    fileManager.getJavaFileObjectsFromPaths(files));
            DocTrees docTrees = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitClass(ClassTree type, Void unused) {
                        if (!isApi(getCurrentPath())) {
                            return null; // its members are not API either
                        }
                        if (docTrees.getDocCommentTree(getCurrentPath()) == null) {
                            long line = unit.getLineMap().getLineNumber(
                                    docTrees.getSourcePositions().getStartPosition(unit, type));
                            undocumented.add(Path.of(unit.getSourceFile().toUri()) + ":" + line + " " + type.getSimpleName());
                        }
                        return super.visitClass(type, unused);
                    }
                }.scan(unit, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return undocumented;
    }

    /** Public or protected, or a member of an interface (implicitly public), inside types that are API too. */
    private static boolean isApi(TreePath path) {
        ClassTree type = (ClassTree) path.getLeaf();
        Tree enclosing = path.getParentPath().getLeaf();
        if (enclosing instanceof CompilationUnitTree) {
            return type.getModifiers().getFlags().contains(Modifier.PUBLIC);
        }
        if (!(enclosing instanceof ClassTree outer) || !isApi(path.getParentPath())) {
            return false; // local or anonymous, or inside a type that is not API
        }
        boolean interfaceMember = outer.getKind() == Tree.Kind.INTERFACE || outer.getKind() == Tree.Kind.ANNOTATION_TYPE;
        var flags = type.getModifiers().getFlags();
        return interfaceMember || flags.contains(Modifier.PUBLIC) || flags.contains(Modifier.PROTECTED);
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")
                    && !p.endsWith("module-info.java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
