package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.IntegrityProblem.Kind;
import dev.mlops.api.store.JournalEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Damage on disk is detected, named, and confined; leftovers are ignored and repaired")
class CorruptionTest {
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

    static void flipLastByte(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length - 1] ^= 0x01;
        Files.write(file, b);
    }

    static void truncate(Path file, int drop) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length - drop));
    }

    /** The pid of a process that has finished. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        return p.pid();
    }

    @Test
    @DisplayName("a truncated document names its file and key; every other document stays readable")
    void truncatedDocument() throws IOException {
        DocumentKey bad = DocumentKey.of("models", "rain", "versions", "0000000002");
        DocumentKey good = DocumentKey.of("models", "rain", "versions", "0000000001");
        store.create(good, utf8("{\"version\":1}"));
        store.create(bad, utf8("{\"version\":2,\"lots\":\"of text\"}"));
        Path file = store.root().resolve("docs/models/rain/versions/0000000002@doc");
        truncate(file, 10);

        assertThatThrownBy(() -> store.read(bad)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'models/rain/versions/0000000002'")
                .hasMessageContaining("truncated");
        assertThat(store.read(good).orElseThrow().content()).isEqualTo(utf8("{\"version\":1}"));
        assertThatThrownBy(() -> store.list(DocumentKey.of("models", "rain", "versions"), Optional.empty(), 10))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(file.toString());
        assertThat(store.list(DocumentKey.of("models", "rain", "versions"), Optional.empty(), 1).items())
                .extracting(d -> d.key()).containsExactly(good);

        List<IntegrityProblem> problems = store.check(true);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.CORRUPT_DOCUMENT);
            assertThat(p.location()).isEqualTo(bad.toString());
            assertThat(p.detail()).contains(file.toString());
            assertThat(p.repaired()).isFalse();
        });
        assertThat(file).exists(); // never deleted: it may be someone's only copy
    }

    @Test
    @DisplayName("an altered byte fails the checksum; a damaged document refuses CAS rather than guess its revision")
    void alteredDocument() throws IOException {
        DocumentKey a = DocumentKey.of("a");
        store.create(a, utf8("alpha"));
        Path fa = store.root().resolve("docs/a@doc");
        flipLastByte(fa);
        assertThatThrownBy(() -> store.read(a)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("checksum").hasMessageContaining(fa.toString());
        assertThatThrownBy(() -> store.replace(a, 1, utf8("x"))).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> store.delete(a, 1)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> store.create(a, utf8("x"))).isInstanceOf(dev.mlops.api.ConflictException.class);
        assertThat(fa).exists();
    }

    @Test
    @DisplayName("a document copied over another key's file is detected by the key in its checksum")
    void copiedDocument() throws IOException {
        DocumentKey a = DocumentKey.of("a");
        DocumentKey b = DocumentKey.of("b");
        store.create(a, utf8("same"));
        store.create(b, utf8("same"));
        Files.copy(store.root().resolve("docs/a@doc"), store.root().resolve("docs/b@doc"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(store.read(a)).isPresent();
        assertThatThrownBy(() -> store.read(b)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("copied from another key");
        Files.write(store.root().resolve("docs/a@doc"), utf8("garbage without header"));
        assertThatThrownBy(() -> store.read(a)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("header");
        assertThat(store.check(false)).extracting(IntegrityProblem::kind)
                .containsExactly(Kind.CORRUPT_DOCUMENT, Kind.CORRUPT_DOCUMENT);
    }

    @Test
    @DisplayName("a tampered blob is refused while read and reported by check; a truncated one at open")
    void tamperedBlob() throws IOException {
        byte[] content = new byte[100_000];
        java.util.Arrays.fill(content, (byte) 7);
        BlobInfo info = store.putBlob(new ByteArrayInputStream(content));
        BlobInfo other = store.putBlob(new ByteArrayInputStream(utf8("untouched")));
        Path file = store.root().resolve("blobs").resolve(info.sha256().substring(0, 2)).resolve(info.sha256());
        flipLastByte(file);

        try (InputStream in = store.openBlob(info.sha256())) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(info.sha256()).hasMessageContaining(file.toString())
                    .hasMessageContaining("hashes to");
            assertThatThrownBy(in::read).isInstanceOf(IntegrityException.class); // keeps failing
        }
        try (InputStream in = store.openBlob(other.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(utf8("untouched"));
        }
        assertThat(store.check(false)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.CORRUPT_BLOB);
            assertThat(p.location()).isEqualTo(info.sha256());
        });

        truncate(file, 1);
        assertThatThrownBy(() -> store.openBlob(info.sha256())).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("header records 100000 bytes but the file holds 99999");
        assertThat(store.check(true)).extracting(IntegrityProblem::kind).containsExactly(Kind.CORRUPT_BLOB);
        assertThat(file).exists();

        // storing the right content again replaces the damaged (wrong-length) file
        store.putBlob(new ByteArrayInputStream(content));
        try (InputStream in = store.openBlob(info.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store.check(false)).isEmpty();
    }

    @Test
    @DisplayName("an edited journal entry is returned as stored and reported; a truncated one names its file")
    void tamperedJournal() throws IOException {
        for (int i = 1; i <= 5; i++) {
            store.append(utf8("{\"n\":" + i + "}"));
        }
        Path third = store.root().resolve("journal/000000000000000/0000000000000000003");
        flipLastByte(third);
        List<JournalEntry> entries = store.readJournal(1, 10);
        assertThat(entries).hasSize(5);
        assertThat(entries.get(2).hashMatches()).isFalse();
        assertThat(entries).filteredOn(JournalEntry::hashMatches).hasSize(4);
        assertThat(store.check(false)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.BROKEN_JOURNAL);
            assertThat(p.location()).isEqualTo("3");
            assertThat(p.detail()).contains("altered");
        });

        Path fourth = store.root().resolve("journal/000000000000000/0000000000000000004");
        truncate(fourth, 3);
        assertThatThrownBy(() -> store.readJournal(1, 10)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(fourth.toString()).hasMessageContaining("truncated");
        assertThat(store.check(false)).extracting(IntegrityProblem::location).contains("3", "4");
    }

    @Test
    @DisplayName("a removed journal entry shows as a gap to readers and to check")
    void removedJournalEntry() throws IOException {
        for (int i = 1; i <= 4; i++) {
            store.append(utf8("e" + i));
        }
        Files.delete(store.root().resolve("journal/000000000000000/0000000000000000002"));
        try (FileSystemStore fresh = FileSystemStore.open(store.root())) {
            assertThat(fresh.journalLength()).isEqualTo(4);
            assertThat(fresh.readJournal(1, 10)).extracting(JournalEntry::sequence).containsExactly(1L, 3L, 4L);
            assertThat(fresh.check(false)).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(Kind.BROKEN_JOURNAL);
                assertThat(p.location()).isEqualTo("2");
                assertThat(p.detail()).contains("missing");
            });
        }
    }

    @Test
    @DisplayName("temp files of dead writers are ignored by readers, reported, and removed by check(true);"
            + " those of live writers are not touched")
    void leftovers() throws Exception {
        DocumentKey k = DocumentKey.of("models", "rain");
        store.create(k, utf8("doc"));
        store.append(utf8("entry"));
        long dead = deadPid();
        // no process holds the lock of these: their writers are gone
        Path docTemp = Files.write(store.root().resolve("docs/models/.tmp-" + dead + "-lock-00000000000000aa"),
                utf8("half"));
        Path blobTemp = Files.write(store.root().resolve("blobs/.tmp-" + dead + "-lock-00000000000000bb"), utf8("half"));
        Path journalTemp = Files.write(
                store.root().resolve("journal/000000000000000/.tmp-" + dead + "-lock-00000000000000cc"), utf8("half"));
        // this process's writer, in the middle of a write: holds the lock
        TempFile writing = TempFile.create(store.root().resolve("docs"));
        Path anonymous = Files.write(store.root().resolve("docs/.tmp-unknown"), utf8("?"));

        assertThat(store.list(DocumentKey.of("models"), Optional.empty(), 10).items())
                .extracting(d -> d.key()).containsExactly(k);
        assertThat(store.listBlobs(Optional.empty(), 10).items()).isEmpty();
        assertThat(store.readJournal(1, 10)).hasSize(1);
        assertThat(store.journalLength()).isEqualTo(1);

        List<IntegrityProblem> report = store.check(false);
        assertThat(report).extracting(IntegrityProblem::kind).containsOnly(Kind.LEFTOVER);
        assertThat(report).hasSize(4).noneMatch(IntegrityProblem::repaired);
        assertThat(report).extracting(IntegrityProblem::location).containsExactlyInAnyOrder(
                "docs/models/" + docTemp.getFileName(), "blobs/" + blobTemp.getFileName(),
                "journal/000000000000000/" + journalTemp.getFileName(), "docs/.tmp-unknown");
        assertThat(docTemp).exists();

        List<IntegrityProblem> repaired = store.check(true);
        assertThat(repaired).filteredOn(IntegrityProblem::repaired).hasSize(3);
        assertThat(repaired).filteredOn(p -> !p.repaired()).singleElement().satisfies(p -> {
            assertThat(p.detail()).contains("no writer process id");
            assertThat(p.repairable()).isFalse();
        });
        assertThat(docTemp).doesNotExist();
        assertThat(blobTemp).doesNotExist();
        assertThat(journalTemp).doesNotExist();
        assertThat(writing.path()).exists(); // a live writer's file in progress: not touched
        assertThat(anonymous).exists();
        writing.close();
        assertThat(writing.path()).doesNotExist();
        Files.delete(anonymous);
        assertThat(store.check(true)).isEmpty();
        assertThat(store.read(k).orElseThrow().content()).isEqualTo(utf8("doc"));
    }

    @Test
    @DisplayName("temp files of earlier versions (named by PID, no lock) are removed once their PID is not running"
            + " here and they are an hour old: their writer may run in another PID namespace")
    void legacyLeftovers() throws Exception {
        long dead = deadPid();
        Instant now = Instant.now();
        Path old = Files.write(store.root().resolve("blobs/.tmp-" + dead + "-00000000000000aa"), utf8("half"));
        Files.setLastModifiedTime(old, FileTime.from(now.minus(StoreCheck.LEGACY_TEMP_AGE).minusSeconds(60)));
        Path young = Files.write(store.root().resolve("blobs/.tmp-" + dead + "-00000000000000bb"), utf8("half"));
        Files.setLastModifiedTime(young, FileTime.from(now.minus(StoreCheck.LEGACY_TEMP_AGE).plusSeconds(600)));
        Path ownPid = Files.write(store.root().resolve("docs/.tmp-" + ProcessHandle.current().pid() + "-1"),
                utf8("mine"));
        Files.setLastModifiedTime(ownPid, FileTime.from(now.minus(Duration.ofDays(2))));

        assertThat(store.check(false)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.LEFTOVER);
            assertThat(p.location()).isEqualTo("blobs/" + old.getFileName());
            assertThat(p.detail()).contains("process " + dead).contains("earlier version");
            assertThat(p.repairable()).isTrue();
        });
        assertThat(store.check(true)).singleElement().satisfies(p -> assertThat(p.repaired()).isTrue());
        assertThat(old).doesNotExist();
        assertThat(young).exists(); // perhaps still written, from another PID namespace
        assertThat(ownPid).exists(); // a live process has that PID here
        assertThat(store.check(false)).isEmpty();
    }
}
