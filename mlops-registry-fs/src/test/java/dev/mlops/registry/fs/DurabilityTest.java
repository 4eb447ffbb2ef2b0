package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.StorageException;
import dev.mlops.api.Digests;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.JournalEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A failed flush fails the operation, is not retried, and leaves the previous state")
class DurabilityTest {
    @TempDir
    Path dir;
    FailingDurability durability;
    FileSystemStore store;

    /** Flushes for real, or throws when told to; counts the calls. */
    static final class FailingDurability implements Durability {
        volatile boolean failFiles;
        volatile boolean failDirectories;
        final AtomicInteger fileForces = new AtomicInteger();
        final AtomicInteger directoryForces = new AtomicInteger();

        @Override
        public void forceFile(FileChannel channel, Path file) throws IOException {
            fileForces.incrementAndGet();
            if (failFiles) {
                throw new IOException("injected: fsync failed (EIO)");
            }
            Durability.SYSTEM.forceFile(channel, file);
        }

        @Override
        public void forceDirectory(Path d) throws IOException {
            directoryForces.incrementAndGet();
            if (failDirectories) {
                throw new IOException("injected: directory fsync failed (EIO)");
            }
            Durability.SYSTEM.forceDirectory(d);
        }
    }

    @BeforeEach
    void open() {
        durability = new FailingDurability();
        store = FileSystemStore.open(dir.resolve("store"), Clock.systemUTC(), durability);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> temps() throws IOException {
        try (Stream<Path> s = Files.walk(store.root())) {
            return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    @Test
    @DisplayName("replace: StorageException, one flush attempt only, old revision intact, no temp file visible")
    void replace() throws IOException {
        DocumentKey k = DocumentKey.of("models", "rain");
        store.create(k, utf8("old"));
        durability.failFiles = true;
        int before = durability.fileForces.get();

        assertThatThrownBy(() -> store.replace(k, 1, utf8("new")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("could not flush").hasMessageContaining("not retried")
                .hasRootCauseMessage("injected: fsync failed (EIO)");

        assertThat(durability.fileForces.get() - before).isEqualTo(1);
        durability.failFiles = false;
        assertThat(store.read(k).orElseThrow().revision()).isEqualTo(1);
        assertThat(store.read(k).orElseThrow().content()).isEqualTo(utf8("old"));
        assertThat(temps()).isEmpty();
        assertThat(store.replace(k, 1, utf8("newer")).revision()).isEqualTo(2);
    }

    @Test
    @DisplayName("create: StorageException, nothing created, the key still free")
    void create() throws IOException {
        DocumentKey k = DocumentKey.of("models", "rain", "versions", "0000000001");
        durability.failFiles = true;
        assertThatThrownBy(() -> store.create(k, utf8("v1"))).isInstanceOf(StorageException.class);
        durability.failFiles = false;
        assertThat(store.read(k)).isEmpty();
        assertThat(temps()).isEmpty();
        assertThat(store.create(k, utf8("v1")).revision()).isEqualTo(1);
    }

    @Test
    @DisplayName("putBlob: StorageException, no blob, no temp file")
    void putBlob() throws IOException {
        byte[] content = utf8("model weights");
        durability.failFiles = true;
        assertThatThrownBy(() -> store.putBlob(new ByteArrayInputStream(content))).isInstanceOf(StorageException.class);
        durability.failFiles = false;
        assertThat(store.blobInfo(Digests.sha256Hex(content))).isEmpty();
        assertThat(temps()).isEmpty();
        assertThat(store.putBlob(new ByteArrayInputStream(content)).sha256()).isEqualTo(Digests.sha256Hex(content));
    }

    @Test
    @DisplayName("append: StorageException, journal unchanged, the next append takes the same number")
    void append() throws IOException {
        JournalEntry first = store.append(utf8("one"));
        durability.failFiles = true;
        assertThatThrownBy(() -> store.append(utf8("two"))).isInstanceOf(StorageException.class);
        durability.failFiles = false;
        assertThat(store.journalLength()).isEqualTo(1);
        assertThat(temps()).isEmpty();
        JournalEntry second = store.append(utf8("two"));
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.previousHash()).isEqualTo(first.hash());
    }

    @Test
    @DisplayName("a failed directory flush after the rename fails the operation without a retry; the store stays whole")
    void directoryFlush() {
        DocumentKey k = DocumentKey.of("a");
        store.create(k, utf8("old"));
        durability.failDirectories = true;
        int before = durability.directoryForces.get();
        assertThatThrownBy(() -> store.replace(k, 1, utf8("new")))
                .isInstanceOf(StorageException.class).hasMessageContaining("may not survive a crash");
        assertThat(durability.directoryForces.get() - before).isEqualTo(1);
        durability.failDirectories = false;
        // the outcome is "unknown" to the caller; either way the document is whole
        assertThat(store.read(k).orElseThrow().revision()).isBetween(1L, 2L);
        assertThat(store.check(false)).isEmpty();
    }

    @Test
    @DisplayName("every successful write flushes its file and its directory")
    void flushesHappen() {
        int files = durability.fileForces.get();
        int dirs = durability.directoryForces.get();
        store.create(DocumentKey.of("x"), utf8("1"));
        assertThat(durability.fileForces.get()).isGreaterThan(files);
        assertThat(durability.directoryForces.get()).isGreaterThan(dirs);
        files = durability.fileForces.get();
        dirs = durability.directoryForces.get();
        store.append(utf8("e"));
        assertThat(durability.fileForces.get()).isGreaterThan(files);
        assertThat(durability.directoryForces.get()).isGreaterThan(dirs);
    }
}
