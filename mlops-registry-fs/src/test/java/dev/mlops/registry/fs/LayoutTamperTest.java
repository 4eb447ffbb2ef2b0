package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import dev.mlops.api.store.Stores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tampering with the store's own layout (its FORMAT file, its directories, its lock files) is an
 * error that says what is wrong and how to recover, never a silent fresh start; and the
 * documented recovery works.
 */
@DisplayName("A store whose FORMAT file, directories or lock files were tampered with fails clearly, and can be recovered")
class LayoutTamperTest {
    static final DocumentKey KEY = DocumentKey.of("models", "rain");

    @TempDir
    Path dir;
    Path root;
    Path format;
    String blob;

    @BeforeEach
    void populate() {
        try (FileSystemStore store = FileSystemStore.open(dir.resolve("store"))) {
            root = store.root();
            store.create(KEY, utf8("doc"));
            blob = store.putBlob(new ByteArrayInputStream(utf8("weights"))).sha256();
            store.append(utf8("entry"));
        }
        format = root.resolve("FORMAT");
    }

    // ---- a lost FORMAT file -----------------------------------------------------------------

    @Test
    @DisplayName("stripe lock files keep the names stores already have on disk: two digits at least")
    void stripeLockFileNames() {
        for (int stripe : new int[] {0, 7, 9, 10, 63, 99, 100, 1000}) {
            String name = StoreLocks.stripeFileName(stripe);
            assertThat(name).isEqualTo(String.format("stripe-%02d.lock", stripe));
            assertThat(StoreLocks.stripeOfFileName(name)).isEqualTo(stripe);
        }
    }

    @Test
    @DisplayName("a store without its FORMAT file is refused at open, naming the file, what it holds and how to"
            + " recover; nothing is written")
    void missingFormatRefused() throws IOException {
        Files.delete(format);
        List<String> before = listing();

        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(format.toString()).hasMessageContaining("no FORMAT file")
                .hasMessageContaining("lock-stripes 64").hasMessageContaining(FileSystemStoreProvider.RECOVER_LAYOUT)
                .hasMessageContaining("openRecoveringLayout");
        assertThatThrownBy(() -> Stores.open("fs", Map.of("path", root.toString())))
                .isInstanceOf(IntegrityException.class);
        assertThat(format).doesNotExist();
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    @DisplayName("recovery re-creates FORMAT with the default stripe count; every document, blob and entry is there")
    void missingFormatRecovered() throws IOException {
        Files.delete(format);
        try (FileSystemStore store = FileSystemStore.openRecoveringLayout(root)) {
            assertThat(store.read(KEY).orElseThrow().content()).isEqualTo(utf8("doc"));
            assertThat(store.blobInfo(blob)).isPresent();
            assertThat(store.journalLength()).isEqualTo(1);
            assertThat(store.check(false)).isEmpty();
        }
        assertThat(Files.readAllLines(format)).startsWith("mlops-fs-store", "format 1", "lock-stripes 64");
        try (FileSystemStore store = FileSystemStore.open(root)) {
            assertThat(store.check(false)).isEmpty();
        }
    }

    @Test
    @DisplayName("the provider recovers with the setting recover-layout=true, and refuses any other value than true or false")
    void providerRecovers() throws IOException {
        Files.delete(format);
        assertThatThrownBy(() -> Stores.open("fs", Map.of("path", root.toString(), "recover-layout", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recover-layout")
                .hasMessageContaining("'yes'");
        assertThatThrownBy(() -> Stores.open("fs", Map.of("path", root.toString(), "recover-layout", "false")))
                .isInstanceOf(IntegrityException.class);
        try (Store store = Stores.open("fs", Map.of("path", root.toString(), "recover-layout", "true"))) {
            assertThat(store.read(KEY)).isPresent();
        }
        assertThat(format).exists();
    }

    @Test
    @DisplayName("recovery refuses a store whose lock files show it used more lock stripes than the default")
    void recoveryRefusesOtherStripeCount() throws IOException {
        Files.delete(format);
        Files.createFile(root.resolve("locks").resolve(StoreLocks.stripeFileName(100)));
        assertThatThrownBy(() -> FileSystemStore.openRecoveringLayout(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("stripe-100.lock").hasMessageContaining("lock-stripes");
        assertThat(format).doesNotExist();
    }

    @Test
    @DisplayName("a directory left by a crash while the store was being created (empty layout, no FORMAT) opens as a new store")
    void emptyLayoutWithoutFormatIsNew() throws IOException {
        Path fresh = dir.resolve("fresh");
        for (String d : List.of("docs", "blobs", "journal", "locks")) {
            Files.createDirectories(fresh.resolve(d));
        }
        Files.writeString(fresh.resolve(".tmp-1-lock-00000000000000aa"), "mlops-fs");
        try (FileSystemStore store = FileSystemStore.open(fresh)) {
            store.create(KEY, utf8("x"));
        }
        assertThat(fresh.resolve("FORMAT")).exists();
    }

    @Test
    @DisplayName("a FORMAT file deleted while the store is open is reported by check")
    void missingFormatReportedByCheck() throws IOException {
        try (FileSystemStore store = FileSystemStore.open(root)) {
            Files.delete(format);
            assertThat(store.check(true)).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.INCONSISTENT);
                assertThat(p.location()).isEqualTo("FORMAT");
                assertThat(p.detail()).contains("missing").contains(FileSystemStoreProvider.RECOVER_LAYOUT);
                assertThat(p.repairable()).isFalse();
            });
        }
    }

    // ---- an edited FORMAT file --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"lock-stripes 16", "lock-stripes 128"})
    @DisplayName("a FORMAT file edited to another stripe count is refused: its check line no longer matches")
    void editedStripeCount(String edited) throws IOException {
        Files.writeString(format, Files.readString(format).replace("lock-stripes 64", edited));
        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(format.toString()).hasMessageContaining("check")
                .hasMessageContaining("edited");
    }

    @Test
    @DisplayName("a FORMAT file of an earlier version (no check line) opens with 64 stripes, and is refused with another count")
    void legacyFormat() throws IOException {
        Files.writeString(format, "mlops-fs-store\nformat 1\nlock-stripes 64\n");
        try (FileSystemStore store = FileSystemStore.open(root)) {
            assertThat(store.read(KEY)).isPresent();
            assertThat(store.check(false)).isEmpty();
        }
        Files.writeString(format, "mlops-fs-store\nformat 1\nlock-stripes 8\n");
        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("lock-stripes 8").hasMessageContaining("64");
    }

    @Test
    @DisplayName("a FORMAT file edited to another format version names the version")
    void editedVersion() throws IOException {
        Files.writeString(format, Files.readString(format).replace("format 1", "format 2"));
        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(StorageException.class)
                .hasMessageContaining("'format 2'").hasMessageContaining("format 1 only");
    }

    @Test
    @DisplayName("a FORMAT edited while a process has the store open: a second open in that process is refused")
    void formatEditedWhileOpen() throws IOException {
        try (FileSystemStore store = FileSystemStore.open(root)) {
            Files.writeString(format, "mlops-fs-store\nformat 1\nlock-stripes 64\n"); // still valid: opens
            FileSystemStore.open(root).close();
            String text = "mlops-fs-store\nformat 1\nlock-stripes 128\n";
            Files.writeString(format, text + "check " + StoreFormat.checksum(text) + "\n");
            assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("64 lock stripes").hasMessageContaining("128");
            assertThat(store.check(false)).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.INCONSISTENT);
                assertThat(p.detail()).contains("lock-stripes 128").contains("64");
            });
        }
    }

    @Test
    @DisplayName("a stripe lock file beyond the stripe count shows FORMAT was changed after use, and is refused")
    void stripeFileBeyondCount() throws IOException {
        Files.createFile(root.resolve("locks").resolve(StoreLocks.stripeFileName(64)));
        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("stripe-64.lock").hasMessageContaining("lock-stripes 64");
    }

    // ---- removed directories and lock files -------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"locks", "docs", "journal", "blobs"})
    @DisplayName("a removed layout directory is refused at open, naming it; recovery re-creates it")
    void removedDirectory(String name) throws IOException {
        deleteTree(root.resolve(name));
        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(root.resolve(name).toString()).hasMessageContaining("missing")
                .hasMessageContaining(FileSystemStoreProvider.RECOVER_LAYOUT);
        assertThat(root.resolve(name)).doesNotExist();
        try (FileSystemStore store = FileSystemStore.openRecoveringLayout(root)) {
            assertThat(root.resolve(name)).isDirectory();
            store.create(DocumentKey.of("after"), utf8("1"));
        }
    }

    @Test
    @DisplayName("the lock directory removed while the store is open: the next write fails naming it, check reports it")
    void locksRemovedWhileOpen() throws IOException {
        try (FileSystemStore store = FileSystemStore.open(root)) {
            store.replace(KEY, 1, utf8("2")); // opens the key's stripe lock file
            store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO).orElseThrow().close();
            deleteTree(root.resolve("locks"));
            assertThatThrownBy(() -> store.replace(KEY, 2, utf8("3"))).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(root.resolve("locks").toString());
            assertThatThrownBy(() -> store.lock("collection", StoreLock.Mode.SHARED, Duration.ZERO))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining(root.resolve("locks").toString());
            assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(2);
            assertThat(store.check(false)).extracting(IntegrityProblem::location).contains("locks");
        }
    }

    @Test
    @DisplayName("the lock directory removed and made again by hand while the store is open: the next write through a"
            + " lock file opened before fails, naming it")
    void locksReplacedWhileOpen() throws IOException {
        try (FileSystemStore store = FileSystemStore.open(root)) {
            store.replace(KEY, 1, utf8("2"));
            deleteTree(root.resolve("locks"));
            Files.createDirectory(root.resolve("locks"));
            assertThatThrownBy(() -> store.replace(KEY, 2, utf8("3"))).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("removed or replaced");
            // the old file's lock is dropped: the next write uses the new lock file
            store.replace(KEY, 2, utf8("3"));
        }
    }

    @Test
    @DisplayName("a lock file replaced by a symbolic link while the store is open is reported by check, and refused at open")
    void linkedLockFileReportedByCheck() throws IOException {
        Path target = Files.writeString(dir.resolve("elsewhere"), "");
        Path link = root.resolve("locks").resolve("named-collection.lock");
        try (FileSystemStore store = FileSystemStore.open(root)) {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, target);
            assertThat(store.check(true)).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.INCONSISTENT);
                assertThat(p.location()).isEqualTo("locks");
                assertThat(p.detail()).contains(link.toString()).contains("symbolic link");
            });
        }
        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(link.toString()).hasMessageContaining("symbolic link");
        assertThat(link).isSymbolicLink(); // reported, not removed
    }

    @Test
    @DisplayName("a layout directory replaced by a symbolic link is refused at open, and recovery does not follow it")
    void linkedDirectory() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        deleteTree(root.resolve("locks"));
        Files.createSymbolicLink(root.resolve("locks"), elsewhere);
        assertThatThrownBy(() -> FileSystemStore.open(root)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("symbolic link").hasMessageContaining(root.resolve("locks").toString());
        assertThatThrownBy(() -> FileSystemStore.openRecoveringLayout(root)).isInstanceOf(IntegrityException.class);
        assertThat(elsewhere).isEmptyDirectory();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
