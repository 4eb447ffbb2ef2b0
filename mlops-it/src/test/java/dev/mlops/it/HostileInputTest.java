package dev.mlops.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mlops.api.Artifact;
import dev.mlops.api.ArtifactEntry;
import dev.mlops.api.DatasetRef;
import dev.mlops.api.DatasetSource;
import dev.mlops.api.DatasetVersion;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Names;
import dev.mlops.api.NewDatasetVersion;
import dev.mlops.api.NewModelVersion;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.core.Mlops;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 4: every case of {@code hostile-inputs.tsv} is refused with the expected exception
 * before anything is written to the store, and nothing outside the store is read or written: a
 * canary file in a sibling directory keeps its content, modification time and (best effort, the
 * file system may not record it) access time, and nothing new appears next to it.
 *
 * <p>Layout of the test's root: {@code store/} (the store), {@code outside/canary.txt} (the
 * canary), {@code src/} (sources the cases build: files and links with hostile names),
 * {@code export/} (targets of exports).
 */
@DisplayName("hostile inputs")
class HostileInputTest {
    static final String CORPUS = "hostile-inputs.tsv";
    static final byte[] CANARY = "canary: must be neither read nor written\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path root;
    static Path store;
    static Path outside;
    static Path canary;
    static Path src;
    static Path export;
    static Path okCsv;
    static Mlops mlops;
    /** The store {@link #mlops} runs on, for the tests that edit stored documents through the SPI. */
    static dev.mlops.api.store.Store storeSpi;
    static final AtomicInteger CASE = new AtomicInteger();

    /** One line of the corpus. */
    record Case(int line, String where, String raw, List<String> expected) {
        @Override
        public String toString() {
            return "line " + line + ": " + where + " " + raw + " -> " + String.join("|", expected);
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        store = Files.createDirectories(root.resolve("store"));
        outside = Files.createDirectories(root.resolve("outside"));
        src = Files.createDirectories(root.resolve("src"));
        export = Files.createDirectories(root.resolve("export"));
        canary = outside.resolve("canary.txt");
        Files.write(canary, CANARY);
        okCsv = Files.writeString(src.resolve("ok.csv"), "a,b\n1,x\n2,y\n");
        storeSpi = dev.mlops.registry.fs.FileSystemStore.open(store);
        mlops = Mlops.builder().store(storeSpi).build();
        mlops.models().register("okmodel", NewModelVersion.builder()
                .artifact(Artifact.bytes("model.bin", new byte[] {1, 2, 3})).build());
        mlops.models().setAlias("okmodel", "production", 1);
        mlops.datasets().register("okds", DatasetSource.csv(okCsv));
        ageAccessTime();
    }

    @AfterAll
    static void tearDown() {
        if (mlops != null) {
            mlops.close();
        }
    }

    /**
     * Sets the canary's access time a day before its modification time: with {@code relatime} the
     * next read of the file then updates it, so a read is seen.
     */
    static void ageAccessTime() throws IOException {
        FileTime mtime = Files.getLastModifiedTime(canary);
        Files.setAttribute(canary, "lastAccessTime", FileTime.from(mtime.toInstant().minus(Duration.ofDays(1))));
    }

    static Stream<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = HostileInputTest.class.getClassLoader().getResourceAsStream(CORPUS)) {
            assertThat(in).as(CORPUS).isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\t", -1);
                assertThat(f).as("line %d has three tab-separated fields", i + 1).hasSize(3);
                cases.add(new Case(i + 1, f[0], f[1], List.of(f[2].split("\\|"))));
            }
        }
        return cases.stream();
    }

    @Test
    @DisplayName("the corpus has at least 60 cases and covers every form the issue lists")
    void corpusIsLargeAndCoversTheListedForms() throws IOException {
        List<Case> cases = corpus().toList();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        List<String> values = cases.stream().map(c -> decode(c.raw())).toList();
        List<String> wheres = cases.stream().map(Case::where).distinct().toList();
        assertThat(wheres).contains("model-name", "alias", "dataset-name", "tag-key", "artifact-path",
                "directory-entry", "symlink", "model-ref", "dataset-ref", "manifest-entry", "stored-manifest-entry");
        for (String needle : List.of("..", "../", "..\\", "%2e%2e", "\\..\\", "//proc/self/root", "file:", "http:", "jar:",
                "#/..", "?x=/..", "\u0000", "\u0007", "\uff0e", "\u0430", "\u2215", "CON", "con.", "NUL", "COM1",
                "com1", "Com1.")) {
            assertThat(values).as("a case containing %s", Names.quote(needle)).anyMatch(v -> v.contains(needle));
        }
        assertThat(values).as("empty").contains("");
        assertThat(values).as("10,000 characters").anyMatch(v -> v.length() == 10_000);
        assertThat(values).as("absolute").anyMatch(v -> v.startsWith("/"));
        assertThat(values).as("trailing dot").anyMatch(v -> v.endsWith("."));
        assertThat(values).as("trailing space").anyMatch(v -> v.endsWith(" "));
        assertThat(cases).as("symlinks to the canary, /etc/passwd and a parent")
                .anyMatch(c -> c.where().startsWith("symlink") && c.raw().equals("${canary}"))
                .anyMatch(c -> c.where().startsWith("symlink") && c.raw().equals("/etc/passwd"))
                .anyMatch(c -> c.where().startsWith("symlink") && c.raw().equals(".."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @DisplayName("is refused before anything is written, and nothing outside the store is touched")
    void refused(Case c) throws Exception {
        String value = decode(c.raw());
        Path caseDir = src.resolve("case-" + CASE.incrementAndGet());
        Path target = export.resolve(caseDir.getFileName());
        Runnable act = prepare(c.where(), value, caseDir, target);
        Optional<Path> escapeTarget = c.where().equals("stored-manifest-entry")
                ? Optional.of(target.resolve(value.replace('\\', '/')).normalize()) : Optional.empty();
        boolean escapeExisted = escapeTarget.map(Files::exists).orElse(false);

        TreeSnapshot storeBefore = TreeSnapshot.of(store);
        TreeSnapshot outsideBefore = TreeSnapshot.of(outside);
        TreeSnapshot rootBefore = rootOnly();
        BasicFileAttributes canaryBefore = Files.readAttributes(canary, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);

        Throwable thrown = catchThrowable(act::run);

        BasicFileAttributes canaryAfter = Files.readAttributes(canary, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(canaryAfter.lastAccessTime()).as("canary access time (was it read?)").isEqualTo(canaryBefore.lastAccessTime());
        assertThat(canaryAfter.lastModifiedTime()).as("canary modification time").isEqualTo(canaryBefore.lastModifiedTime());
        assertThat(Files.readAllBytes(canary)).as("canary content").isEqualTo(CANARY);
        ageAccessTime();

        assertThat(thrown).as("%s must be refused", c).isNotNull();
        assertThat(c.expected()).as("%s threw %s", c, thrown).contains(thrown.getClass().getSimpleName());
        String message = String.valueOf(thrown.getMessage());
        assertThat(message.chars().noneMatch(ch -> Character.isISOControl(ch)))
                .as("message is printable (hostile text is escaped): %s", message).isTrue();

        assertThat(storeBefore.diff(TreeSnapshot.of(store))).as("%s: store directory unchanged", c).isEmpty();
        assertThat(outsideBefore.diff(TreeSnapshot.of(outside))).as("%s: nothing new next to the canary", c).isEmpty();
        assertThat(rootBefore.diff(rootOnly())).as("%s: nothing written beside the store", c).isEmpty();
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.walk(target)) {
                assertThat(s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)))
                        .as("%s: nothing exported", c).isEmpty();
            }
        }
        if (escapeTarget.isPresent() && !escapeExisted) {
            assertThat(escapeTarget.get()).as("%s: escaped export target", c).doesNotExist();
        }
    }

    @Test
    @DisplayName("a dataset's source URI is recorded as text and never opened")
    void sourceUriIsNeverOpened() throws IOException {
        BasicFileAttributes before = Files.readAttributes(canary, BasicFileAttributes.class);
        TreeSnapshot outsideBefore = TreeSnapshot.of(outside);
        for (String uri : List.of(canary.toUri().toString(), "jar:" + canary.toUri() + "!/x", "http://127.0.0.1:9/data.csv",
                "file://" + canary + "#/../../etc/passwd")) {
            DatasetVersion v = mlops.datasets().register("uri-ds", NewDatasetVersion.builder(DatasetSource.csv(okCsv))
                    .sourceUri(uri).build());
            // identical content: the existing version comes back, with the first URI
            assertThat(v.sourceUri()).isPresent();
        }
        BasicFileAttributes after = Files.readAttributes(canary, BasicFileAttributes.class);
        assertThat(after.lastAccessTime()).as("canary access time").isEqualTo(before.lastAccessTime());
        assertThat(after.lastModifiedTime()).isEqualTo(before.lastModifiedTime());
        assertThat(outsideBefore.diff(TreeSnapshot.of(outside))).isEmpty();
        assertThat(Files.readAllBytes(canary)).isEqualTo(CANARY);
        ageAccessTime();
        assertThat(mlops.datasets().version(new DatasetRef("uri-ds", 1)).sourceUri()).contains(canary.toUri().toString());
    }

    /**
     * Everything in the root (case sources included: nothing may be written beside a source
     * either) except the export targets, which an export may create.
     */
    private static TreeSnapshot rootOnly() {
        Map<String, String> all = new java.util.TreeMap<>(TreeSnapshot.of(root).entries());
        all.keySet().removeIf(k -> k.equals("export") || k.startsWith("export/"));
        return new TreeSnapshot(all);
    }

    /**
     * Builds what the case needs (files with hostile names in the case's source directory, or an
     * edited stored version) and returns the action that must be refused.
     */
    private static Runnable prepare(String where, String value, Path caseDir, Path target) throws IOException {
        ModelRef.Version okVersion = ModelRef.version("okmodel", 1);
        DatasetRef okDataset = new DatasetRef("okds", 1);
        switch (where) {
            case "model-name":
                return () -> mlops.models().register(value, validVersion());
            case "model-create":
                return () -> mlops.models().createModel(value, "", Map.of());
            case "model-lookup":
                return () -> mlops.models().model(value);
            case "alias":
                return () -> mlops.models().setAlias("okmodel", value, 1);
            case "alias-rollback":
                return () -> mlops.models().rollback("okmodel", value);
            case "dataset-name":
                return () -> mlops.datasets().register(value, DatasetSource.csv(okCsv));
            case "tag-key":
                return () -> mlops.models().setVersionTag(okVersion, value, "v");
            case "model-tag-key":
                return () -> mlops.models().setModelTag("okmodel", value, "v");
            case "dataset-tag-key":
                return () -> mlops.datasets().setVersionTag(okDataset, value, "v");
            case "artifact-path":
                return () -> mlops.models().register("okmodel", NewModelVersion.builder()
                        .artifact(Artifact.bytes(value, new byte[] {9})).build());
            case "file-artifact-name": {
                Path f = createFile(caseDir, value);
                return () -> mlops.models().register("okmodel", NewModelVersion.builder().artifact(Artifact.file(f)).build());
            }
            case "dataset-file-name": {
                Path f = createFile(caseDir, value);
                return () -> mlops.datasets().register("okds", DatasetSource.file(f));
            }
            case "directory-entry": {
                createFile(caseDir, "ok.bin");
                createFile(caseDir, value);
                return () -> mlops.models().register("okmodel", NewModelVersion.builder()
                        .artifact(Artifact.directory(caseDir)).build());
            }
            case "dataset-directory-entry": {
                createFile(caseDir, "ok.csv");
                createFile(caseDir, value);
                return () -> mlops.datasets().register("okds", DatasetSource.directory(caseDir));
            }
            case "symlink", "symlink-nested", "dataset-symlink": {
                createFile(caseDir, "ok.bin");
                Path link = where.equals("symlink-nested") ? caseDir.resolve("sub/deeper/link.bin") : caseDir.resolve("link.bin");
                Files.createDirectories(link.getParent());
                createFile(link.getParent(), "z.bin");
                Files.createSymbolicLink(link, Path.of(value));
                if (where.equals("dataset-symlink")) {
                    return () -> mlops.datasets().register("okds", DatasetSource.directory(caseDir));
                }
                return () -> mlops.models().register("okmodel", NewModelVersion.builder()
                        .artifact(Artifact.directory(caseDir)).build());
            }
            case "model-ref":
                return () -> mlops.models().resolve(ModelRef.parse(value));
            case "dataset-ref":
                return () -> mlops.datasets().version(DatasetRef.parse(value));
            case "open-artifact-path":
                return () -> readAll(() -> mlops.models().openArtifact(okVersion, value));
            case "dataset-open-path":
                return () -> readAll(() -> mlops.datasets().open(okDataset, value));
            case "manifest-entry":
                return () -> new ArtifactEntry(value, Digests.EMPTY_SHA256, 0);
            case "stored-manifest-entry": {
                ModelVersion victim = mlops.models().register("victim", NewModelVersion.builder()
                        .artifact(Artifact.bytes("model.bin", ("victim " + caseDir).getBytes(StandardCharsets.UTF_8))).build());
                editStoredPath(victim.number(), "model.bin", value);
                return () -> modelsOfFreshInstance().exportArtifact(ModelRef.version("victim", victim.number()), target);
            }
            default:
                throw new IllegalArgumentException("unknown WHERE in corpus: " + where);
        }
    }

    /** A second instance over the same store: nothing it holds was cached before the edit. */
    private static dev.mlops.api.ModelRegistry modelsOfFreshInstance() {
        return Mlops.builder().store(storeSpi).build().models();
    }

    /** Replaces a manifest path inside the stored version document, through the store SPI. */
    private static void editStoredPath(int version, String from, String to) {
        DocumentKey key = DocumentKey.of("models", "victim", "versions", String.format("%010d", version));
        Document doc = storeSpi.read(key).orElseThrow(() -> new AssertionError("no document " + key));
        String json = new String(doc.content(), StandardCharsets.UTF_8);
        String quoted = "\"" + from + "\"";
        assertThat(json).as("version document %s names %s", key, quoted).contains(quoted);
        String edited = json.replace(quoted, Matcher.quoteReplacement(jsonString(to)));
        storeSpi.replace(key, doc.revision(), edited.getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    private static NewModelVersion validVersion() {
        return NewModelVersion.builder().artifact(Artifact.bytes("model.bin", new byte[] {7})).build();
    }

    private interface StreamOpener {
        InputStream open();
    }

    private static void readAll(StreamOpener opener) {
        try (InputStream in = opener.open()) {
            in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createFile(Path dir, String relative) throws IOException {
        Path f = dir.resolve(relative);
        assertThat(f.normalize().startsWith(dir)).as("corpus file %s stays in its case directory", Names.quote(relative)).isTrue();
        Files.createDirectories(f.getParent());
        Files.write(f, ("content of " + relative).getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(repeat:(\\d+):([^}]*)|canary|outside|root)}");

    /** Decodes the corpus escapes and placeholders. */
    static String decode(String raw) {
        Matcher m = PLACEHOLDER.matcher(raw);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            String rep = switch (m.group(1)) {
                case "canary" -> canary.toString();
                case "outside" -> outside.toString();
                case "root" -> root.toString();
                default -> m.group(3).repeat(Integer.parseInt(m.group(2)));
            };
            m.appendReplacement(expanded, Matcher.quoteReplacement(rep));
        }
        m.appendTail(expanded);
        String s = expanded.toString();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\' || i + 1 == s.length()) {
                out.append(ch);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                default -> throw new IllegalArgumentException("unknown escape \\" + n + " in " + Arrays.toString(raw.toCharArray()));
            }
        }
        return out.toString();
    }
}
