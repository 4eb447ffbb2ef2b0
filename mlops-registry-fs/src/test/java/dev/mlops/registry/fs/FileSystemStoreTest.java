package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.ConflictException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.Digests;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.Stores;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("FileSystemStore: layout, documents, blobs, journal, lifecycle")
class FileSystemStoreTest {
    @TempDir
    Path dir;
    FileSystemStore store;

    @BeforeEach
    void open() {
        store = FileSystemStore.open(dir.resolve("store"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a key is both a document and a parent: files and directories never collide on disk")
    void documentAndParent() {
        store.create(DocumentKey.of("models", "rain"), utf8("model"));
        store.create(DocumentKey.of("models", "rain", "versions", "0000000001"), utf8("v1"));
        store.create(DocumentKey.of("models", "rain", "versions"), utf8("also a document"));

        assertThat(store.read(DocumentKey.of("models", "rain")).orElseThrow().content()).isEqualTo(utf8("model"));
        assertThat(store.read(DocumentKey.of("models", "rain", "versions")).orElseThrow().content())
                .isEqualTo(utf8("also a document"));
        assertThat(Files.isRegularFile(store.root().resolve("docs/models/rain@doc"))).isTrue();
        assertThat(Files.isDirectory(store.root().resolve("docs/models/rain/versions"))).isTrue();
        assertThat(store.list(DocumentKey.of("models", "rain"), Optional.empty(), 10).items())
                .extracting(d -> d.key().name()).containsExactly("versions");
        assertThat(store.list(DocumentKey.ROOT, Optional.empty(), 10).items()).isEmpty();
    }

    @Test
    @DisplayName("create, replace and delete keep revisions and refuse stale revisions")
    void revisions() {
        DocumentKey k = DocumentKey.of("a");
        assertThat(store.create(k, utf8("1")).revision()).isEqualTo(1);
        assertThatThrownBy(() -> store.create(k, utf8("x"))).isInstanceOf(ConflictException.class);
        assertThat(store.replace(k, 1, utf8("2")).revision()).isEqualTo(2);
        assertThatThrownBy(() -> store.replace(k, 1, utf8("x"))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("revision is 2, expected 1");
        assertThatThrownBy(() -> store.delete(k, 1)).isInstanceOf(ConflictException.class);
        store.delete(k, 2);
        assertThat(store.read(k)).isEmpty();
        assertThatThrownBy(() -> store.replace(k, 2, utf8("x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.delete(k, 2)).isInstanceOf(NotFoundException.class);
        assertThat(store.create(k, utf8("again")).revision()).isEqualTo(1);
        assertThatThrownBy(() -> store.read(DocumentKey.ROOT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("list pages through direct children in ascending order, without grandchildren")
    void paging() {
        List<String> names = new ArrayList<>();
        for (int i = 24; i >= 0; i--) {
            String n = String.format("v%03d", i);
            names.add(0, n);
            store.create(DocumentKey.of("p", n), utf8(n));
        }
        store.create(DocumentKey.of("p", "v001", "deeper"), utf8("not listed"));
        List<String> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            Page<Document> page = store.list(DocumentKey.of("p"), token, 10);
            page.items().forEach(d -> seen.add(d.key().name()));
            token = page.nextPageToken();
            pages++;
        } while (token.isPresent());
        assertThat(seen).isEqualTo(names);
        assertThat(pages).isEqualTo(3);
        assertThat(store.list(DocumentKey.of("p"), Optional.of("v023"), 10).items())
                .extracting(d -> d.key().name()).containsExactly("v024");
        assertThat(store.list(DocumentKey.of("nothing", "here"), Optional.empty(), 10).items()).isEmpty();
        assertThatThrownBy(() -> store.list(DocumentKey.ROOT, Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list(DocumentKey.ROOT, Optional.empty(), 10_001))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("blobs are stored once under their SHA-256, verified on read, listed and deleted")
    void blobs() throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        BlobInfo a = store.putBlob(new ByteArrayInputStream(content));
        assertThat(a.sha256()).isEqualTo(Digests.sha256Hex(content));
        assertThat(a.size()).isEqualTo(content.length);
        assertThat(store.root().resolve("blobs").resolve(a.sha256().substring(0, 2)).resolve(a.sha256())).exists();
        try (InputStream in = store.openBlob(a.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        BlobInfo again = store.putBlob(new ByteArrayInputStream(content));
        assertThat(again.sha256()).isEqualTo(a.sha256());
        assertThat(store.blobInfo(a.sha256())).contains(again);

        BlobInfo empty = store.putBlob(new ByteArrayInputStream(new byte[0]));
        assertThat(empty.sha256()).isEqualTo(Digests.EMPTY_SHA256);
        try (InputStream in = store.openBlob(Digests.EMPTY_SHA256)) {
            assertThat(in.read()).isEqualTo(-1);
        }
        Page<BlobInfo> all = store.listBlobs(Optional.empty(), 10);
        assertThat(all.items()).extracting(BlobInfo::sha256)
                .containsExactly(Stream.of(a.sha256(), empty.sha256()).sorted().toArray(String[]::new));
        Page<BlobInfo> first = store.listBlobs(Optional.empty(), 1);
        assertThat(first.nextPageToken()).contains(first.items().get(0).sha256());
        assertThat(store.listBlobs(first.nextPageToken(), 1).hasNext()).isFalse();

        assertThat(store.deleteBlob(a.sha256())).isTrue();
        assertThat(store.deleteBlob(a.sha256())).isFalse();
        assertThat(store.blobInfo(a.sha256())).isEmpty();
        assertThatThrownBy(() -> store.openBlob(a.sha256())).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("storedAt comes from the injected clock and is refreshed by a dedup hit")
    void storedAtFromClock() {
        MutableClock clock = new MutableClock(Instant.parse("2020-01-01T00:00:00Z"));
        try (FileSystemStore s = FileSystemStore.open(dir.resolve("clocked"), clock)) {
            BlobInfo first = s.putBlob(new ByteArrayInputStream(utf8("x")));
            assertThat(first.storedAt()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
            assertThat(s.blobInfo(first.sha256()).orElseThrow().storedAt()).isEqualTo(first.storedAt());
            clock.now = Instant.parse("2021-06-01T12:00:00Z");
            BlobInfo second = s.putBlob(new ByteArrayInputStream(utf8("x")));
            assertThat(second.storedAt()).isEqualTo(clock.now);
            assertThat(s.blobInfo(first.sha256()).orElseThrow().storedAt()).isEqualTo(clock.now);
        }
    }

    @Test
    @DisplayName("the journal chains entries, shards files and sees entries other instances appended")
    void journal() {
        assertThat(store.journalLength()).isZero();
        JournalEntry e1 = store.append(utf8("one"));
        assertThat(e1.sequence()).isEqualTo(1);
        assertThat(e1.previousHash()).isEqualTo(JournalEntry.GENESIS_HASH);
        try (FileSystemStore other = FileSystemStore.open(dir.resolve("store"))) {
            assertThat(other.journalLength()).isEqualTo(1);
            JournalEntry e2 = other.append(utf8("two"));
            assertThat(e2.previousHash()).isEqualTo(e1.hash());
        }
        JournalEntry e3 = store.append(utf8("three")); // cached tail is 1: must probe forward
        assertThat(e3.sequence()).isEqualTo(3);
        List<JournalEntry> all = store.readJournal(1, 100);
        assertThat(all).extracting(JournalEntry::sequence).containsExactly(1L, 2L, 3L);
        assertThat(all).allMatch(JournalEntry::hashMatches);
        assertThat(all.get(2).previousHash()).isEqualTo(all.get(1).hash());
        assertThat(store.readJournal(3, 1)).containsExactly(e3);
        assertThat(store.readJournal(4, 10)).isEmpty();
        assertThat(store.root().resolve("journal/000000000000000/0000000000000000003")).exists();
        assertThatThrownBy(() -> store.readJournal(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a journal reopened from disk continues the chain")
    void journalReopen() {
        for (int i = 0; i < 5; i++) {
            store.append(utf8("e" + i));
        }
        String last = store.readJournal(5, 1).get(0).hash();
        store.close();
        store = FileSystemStore.open(dir.resolve("store"));
        JournalEntry six = store.append(utf8("six"));
        assertThat(six.sequence()).isEqualTo(6);
        assertThat(six.previousHash()).isEqualTo(last);
        assertThat(store.check(false)).isEmpty();
    }

    @Test
    @DisplayName("many threads CAS one document without losing an update, and append without gaps")
    void threads() throws Exception {
        DocumentKey k = DocumentKey.of("counter");
        store.create(k, utf8("0"));
        int threads = 4;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger conflicts = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; ) {
                        Document d = store.read(k).orElseThrow();
                        int v = Integer.parseInt(new String(d.content(), StandardCharsets.UTF_8));
                        try {
                            store.replace(k, d.revision(), utf8(Integer.toString(v + 1)));
                            i++;
                        } catch (ConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    store.append(utf8("done"));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Document d = store.read(k).orElseThrow();
        assertThat(new String(d.content(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(threads * each));
        assertThat(d.revision()).isEqualTo(threads * each + 1L);
        assertThat(store.readJournal(1, 100)).extracting(JournalEntry::sequence).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    @DisplayName("two instances on one directory in one JVM share locks and both work after one closes")
    void twoInstances() {
        try (FileSystemStore other = FileSystemStore.open(dir.resolve("store"))) {
            other.create(DocumentKey.of("x"), utf8("1"));
            store.replace(DocumentKey.of("x"), 1, utf8("2"));
        }
        store.replace(DocumentKey.of("x"), 2, utf8("3")); // locks still usable after the other closed
        assertThat(store.read(DocumentKey.of("x")).orElseThrow().revision()).isEqualTo(3);
    }

    @Test
    @DisplayName("closed stores refuse operations; close is idempotent")
    void closed() {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.read(DocumentKey.of("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.append(utf8("x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.putBlob(new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.check(false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("a non-empty directory that holds no store is refused, an existing store reopens")
    void foreignDirectory() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> FileSystemStore.open(foreign)).isInstanceOf(StorageException.class)
                .hasMessageContaining("not empty").hasMessageContaining("notes.txt");
        assertThat(foreign.resolve("docs")).doesNotExist();
        assertThat(store.root().resolve("FORMAT")).content().startsWith("mlops-fs-store\nformat 1\n");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> FileSystemStore.open(file)).isInstanceOf(StorageException.class);
    }

    @Test
    @DisplayName("the provider is found by name 'fs' and needs exactly the setting 'path'")
    void provider() {
        try (Store s = Stores.open("fs", Map.of("path", dir.resolve("via-provider").toString()))) {
            assertThat(s).isInstanceOf(FileSystemStore.class);
            assertThat(s.describe()).startsWith("fs:").endsWith("via-provider");
        }
        assertThatThrownBy(() -> Stores.open("fs", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'path'");
        assertThatThrownBy(() -> Stores.open("fs", Map.of("path", dir.toString(), "pth", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pth");
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
