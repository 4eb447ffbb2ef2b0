package dev.mlops.api;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.api.testing.SpecialFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputFiles} on real files, links, a FIFO, a socket and the devices of this machine. */
@DisplayName("OutputFiles")
class OutputFilesTest {
    private static final byte[] PAGE = "<html>new</html>\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;




    private void noTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Nested
    @DisplayName("writes")
    class Writes {
        @Test
        @DisplayName("a new path, whole, and leaves no temporary file")
        void newPath() throws IOException {
            Path f = dir.resolve("report.html");
            assertThat(OutputFiles.write("drift report", f, PAGE)).isEqualTo(f);
            assertThat(Files.readAllBytes(f)).isEqualTo(PAGE);
            noTemporaryFiles();
        }

        @Test
        @DisplayName("over a regular file, replacing it by a rename (a new inode), so a reader never sees part of it")
        void replacesRegularFile() throws IOException {
            Path f = Files.writeString(dir.resolve("report.html"), "old, and longer than the new content");
            Object before = Files.readAttributes(f, "unix:ino").get("ino");
            OutputFiles.write("drift report", f, PAGE);
            assertThat(Files.readAllBytes(f)).isEqualTo(PAGE);
            assertThat(Files.readAttributes(f, "unix:ino").get("ino")).isNotEqualTo(before);
            noTemporaryFiles();
        }

        @Test
        @DisplayName("through a linked parent directory: links above the target are the caller's choice")
        void linkedParentDirectory() throws IOException {
            Path real = Files.createDirectory(dir.resolve("real"));
            Path link = Files.createSymbolicLink(dir.resolve("link"), real);
            OutputFiles.write("drift report", link.resolve("r.html"), PAGE);
            assertThat(Files.readAllBytes(real.resolve("r.html"))).isEqualTo(PAGE);
        }

        @Test
        @DisplayName("a name of 255 characters, whose temporary name would be too long if not shortened")
        void longName() throws IOException {
            Path f = dir.resolve("r".repeat(250) + ".html");
            OutputFiles.write("drift report", f, PAGE);
            assertThat(Files.readAllBytes(f)).isEqualTo(PAGE);
        }
    }

    @Nested
    @DisplayName("refuses, leaving the target untouched")
    class Refuses {
        @Test
        @DisplayName("a symbolic link to a regular file: the link stays a link, its target keeps its content")
        void symlink() throws IOException {
            Path target = Files.writeString(dir.resolve("ref.csv"), "a,b\n1,2\n");
            Path link = Files.createSymbolicLink(dir.resolve("out.html"), target);
            assertThatThrownBy(() -> OutputFiles.write("--html", link, PAGE))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("--html")
                    .hasMessageContaining(Names.quote(link.toString()))
                    .hasMessageContaining("is a symbolic link to " + Names.quote(target.toString()))
                    .hasMessageContaining("left untouched");
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(Files.readString(target)).isEqualTo("a,b\n1,2\n");
            noTemporaryFiles();
        }

        @Test
        @DisplayName("a dangling symbolic link: nothing is created where it points")
        void danglingSymlink() throws IOException {
            Path nowhere = dir.resolve("nowhere.html");
            Path link = Files.createSymbolicLink(dir.resolve("out.html"), nowhere);
            assertThatThrownBy(() -> OutputFiles.write("--html", link, PAGE))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("symbolic link").hasMessageContaining("does not exist");
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(nowhere).doesNotExist();
        }

        @Test
        @DisplayName("a symbolic link to a directory")
        void symlinkToDirectory() throws IOException {
            Path link = Files.createSymbolicLink(dir.resolve("out"), Files.createDirectory(dir.resolve("d")));
            assertThatThrownBy(() -> OutputFiles.requireWritable("--html", link))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("symbolic link");
            assertThat(Files.isSymbolicLink(link)).isTrue();
        }

        @Test
        @DisplayName("a directory")
        void directory() throws IOException {
            Path d = Files.createDirectory(dir.resolve("out.html"));
            assertThatThrownBy(() -> OutputFiles.write("--html", d, PAGE))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("is a directory");
            assertThat(d).isEmptyDirectory();
        }

        @Test
        @DisplayName("a FIFO: it stays a FIFO, and no reader is needed to refuse it (no blocking open)")
        void fifo() throws Exception {
            Path p = SpecialFiles.fifo(dir.resolve("pipe"));
            assertThatThrownBy(() -> OutputFiles.write("--json-file", p, PAGE))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("is a FIFO");
            assertThat(SpecialFiles.type(p)).isEqualTo(SpecialFiles.FIFO);
            noTemporaryFiles();
        }

        @Test
        @DisplayName("a Unix domain socket")
        void socket() throws IOException {
            Path p = dir.resolve("s.sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(p));
                assertThatThrownBy(() -> OutputFiles.write("--html", p, PAGE))
                        .isInstanceOf(ValidationException.class).hasMessageContaining("is a socket");
                assertThat(SpecialFiles.type(p)).isEqualTo(SpecialFiles.SOCKET);
            }
        }

        @Test
        @DisplayName("null and full devices: they stay character devices (this matters when run as root)")
        void devices() throws Exception {
            for (Path device : SpecialFiles.devices(dir)) {
                assertThatThrownBy(() -> OutputFiles.write("--html", device, PAGE))
                        .isInstanceOf(ValidationException.class)
                        .hasMessageContaining("--html " + Names.quote(device.toString()) + ": it is a character device");
                assertThat(SpecialFiles.type(device)).as(device.toString()).isEqualTo(SpecialFiles.CHARACTER_DEVICE);
            }
        }

        @Test
        @DisplayName("a path whose directory does not exist, or is a file: a StorageException, as any failed write")
        void noDirectory() throws IOException {
            assertThatThrownBy(() -> OutputFiles.write("--html", dir.resolve("absent/out.html"), PAGE))
                    .isInstanceOf(StorageException.class).hasMessageContaining("does not exist");
            Path file = Files.writeString(dir.resolve("file"), "x");
            assertThatThrownBy(() -> OutputFiles.write("--html", file.resolve("out.html"), PAGE))
                    .isInstanceOf(StorageException.class).hasMessageContaining("is not a directory");
            assertThat(Files.readString(file)).isEqualTo("x");
        }

        @Test
        @DisplayName("the file system root, which has no name to write")
        void root() {
            assertThatThrownBy(() -> OutputFiles.write("--html", dir.getRoot(), PAGE))
                    .isInstanceOf(ValidationException.class);
        }
    }

    @Nested
    @DisplayName("sameFile and inside")
    class Identity {
        @Test
        @DisplayName("the same file by another spelling, through ../, through a linked directory, and a hard link")
        void sameFile() throws IOException {
            Path input = Files.writeString(dir.resolve("ref.csv"), "a\n1\n");
            Files.createDirectory(dir.resolve("sub"));
            Path linkedDir = Files.createSymbolicLink(dir.resolve("alias"), dir);
            Path hardLink = Files.createLink(dir.resolve("hard.csv"), input);
            assertThat(OutputFiles.sameFile(input, input)).isTrue();
            assertThat(OutputFiles.sameFile(dir.resolve("sub/../ref.csv"), input)).isTrue();
            assertThat(OutputFiles.sameFile(linkedDir.resolve("ref.csv"), input)).isTrue();
            assertThat(OutputFiles.sameFile(hardLink, input)).isTrue();
            assertThat(OutputFiles.sameFile(input, hardLink)).isTrue();
        }

        @Test
        @DisplayName("two new paths are the same when they name one place; different files are not")
        void newPaths() throws IOException {
            Path linkedDir = Files.createSymbolicLink(dir.resolve("alias"), dir);
            assertThat(OutputFiles.sameFile(dir.resolve("new.html"), linkedDir.resolve("new.html"))).isTrue();
            assertThat(OutputFiles.sameFile(dir.resolve("a.html"), dir.resolve("b.html"))).isFalse();
            Path a = Files.writeString(dir.resolve("a.csv"), "same");
            Path b = Files.writeString(dir.resolve("b.csv"), "same");
            assertThat(OutputFiles.sameFile(a, b)).isFalse();
        }

        @Test
        @DisplayName("inside: at any depth, through ../ and linked directories; not the directory itself, not beside it")
        void inside() throws IOException {
            Path store = Files.createDirectories(dir.resolve("store/models"));
            Path linkedStore = Files.createSymbolicLink(dir.resolve("s"), dir.resolve("store"));
            assertThat(OutputFiles.inside(dir.resolve("store/FORMAT"), dir.resolve("store"))).isTrue();
            assertThat(OutputFiles.inside(store.resolve("new.html"), dir.resolve("store"))).isTrue();
            assertThat(OutputFiles.inside(dir.resolve("x/../store/a.html"), linkedStore)).isTrue();
            assertThat(OutputFiles.inside(linkedStore.resolve("a.html"), dir.resolve("store"))).isTrue();
            assertThat(OutputFiles.inside(dir.resolve("store"), dir.resolve("store"))).isFalse();
            assertThat(OutputFiles.inside(dir.resolve("store2.html"), dir.resolve("store"))).isFalse();
            assertThat(OutputFiles.inside(dir.resolve("a.html"), dir.resolve("absent"))).isFalse();
        }
    }
}
