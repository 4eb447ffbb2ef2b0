package dev.mlops.registry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.InvalidNameException;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.IntegrityProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Hostile keys, digests and planted links cannot make the store touch anything outside its root")
class HostileInputTest {
    @TempDir
    Path dir;
    Path outside;
    Path canary;
    FileSystemStore store;

    @BeforeEach
    void open() throws IOException {
        outside = Files.createDirectories(dir.resolve("outside"));
        canary = Files.writeString(outside.resolve("canary@doc"), "canary");
        store = FileSystemStore.open(dir.resolve("store"));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
        assertThat(canary).hasContent("canary");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.toList()).containsExactly(canary);
        }
    }

    static Stream<String> hostileSegments() {
        return Stream.of("..", ".", "../outside", "..\\outside", "/etc", "a/b", "%2e%2e", ".hidden", ".tmp-1-2",
                "x@doc", "CON", "con", "nul.txt", "com1", "a\u0000b", "a\nb", "", " ", "trailing.", "a b",
                "\u0430", "x".repeat(101), "file:x", "C:", "a\\..\\b", "-", "A");
    }

    @ParameterizedTest
    @MethodSource("hostileSegments")
    @DisplayName("a hostile key segment is rejected before the store is reached")
    void hostileSegment(String segment) {
        assertThatThrownBy(() -> store.create(DocumentKey.of("models", segment), new byte[1]))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.read(DocumentKey.of(segment))).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.list(DocumentKey.of(segment), Optional.empty(), 1))
                .isInstanceOf(InvalidNameException.class);
    }

    static Stream<String> hostileDigests() {
        return Stream.of("../../../../etc/passwd", "", "ab", "AB" + "0".repeat(62), "0".repeat(63) + "/",
                "../" + "0".repeat(61), "0".repeat(65), "g".repeat(64), "0".repeat(62) + "\u0000a");
    }

    @ParameterizedTest
    @MethodSource("hostileDigests")
    @DisplayName("a hostile digest is rejected by every blob operation")
    void hostileDigest(String digest) {
        assertThatThrownBy(() -> store.openBlob(digest)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.blobInfo(digest)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.deleteBlob(digest)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.listBlobs(Optional.of(digest), 10)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    @DisplayName("a hostile page token is only compared, never used as a path")
    void hostileToken() {
        store.create(DocumentKey.of("m", "a"), new byte[1]);
        assertThat(store.list(DocumentKey.of("m"), Optional.of("../../outside"), 10).items()).hasSize(1);
        assertThat(store.list(DocumentKey.of("m"), Optional.of("\u0000"), 10).items()).hasSize(1);
    }

    @Test
    @DisplayName("belt and braces: a resolved path that leaves the root is refused by the layout itself")
    void confinement() {
        Layout layout = new Layout(store.root());
        assertThatThrownBy(() -> layout.confined(store.root().resolve("docs/../../outside")))
                .isInstanceOf(InvalidNameException.class);
        assertThat(layout.confined(store.root().resolve("docs/a/../b"))).isEqualTo(store.root().resolve("docs/b"));
    }

    @Test
    @DisplayName("a symbolic link planted inside the store is never followed, for reads or writes")
    void plantedLink() throws IOException {
        Files.createSymbolicLink(store.root().resolve("docs/models"), outside);
        DocumentKey key = DocumentKey.of("models", "canary");

        assertThatThrownBy(() -> store.read(key)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("symbolic link").hasMessageContaining("docs/models");
        assertThatThrownBy(() -> store.create(DocumentKey.of("models", "x"), new byte[1]))
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> store.list(DocumentKey.of("models"), Optional.empty(), 10))
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> store.create(DocumentKey.of("models", "x", "y"), new byte[1]))
                .isInstanceOf(IntegrityException.class);
        List<IntegrityProblem> problems = store.check(true);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(IntegrityProblem.Kind.CORRUPT_DOCUMENT);
            assertThat(p.detail()).contains("symbolic link");
        });
        assertThat(store.root().resolve("docs/models")).isSymbolicLink(); // reported, not removed
    }

    @Test
    @DisplayName("a blob file replaced by a link to a file outside is refused")
    void plantedBlobLink() throws IOException {
        String sha = store.putBlob(new java.io.ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))).sha256();
        Path file = store.root().resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
        Files.delete(file);
        Files.createSymbolicLink(file, canary);
        assertThatThrownBy(() -> store.openBlob(sha)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> store.deleteBlob(sha)).isInstanceOf(IntegrityException.class);
        assertThat(store.check(false)).extracting(IntegrityProblem::kind).containsExactly(IntegrityProblem.Kind.CORRUPT_BLOB);
    }

    @Test
    @DisplayName("a root given through a link is resolved once, at open")
    void linkedRoot() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), store.root());
        try (FileSystemStore viaLink = FileSystemStore.open(link)) {
            assertThat(viaLink.root()).isEqualTo(store.root());
            viaLink.create(DocumentKey.of("x"), new byte[] {1});
            assertThat(store.read(DocumentKey.of("x"))).isPresent();
        }
    }
}
