package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as a terminal; the real /proc/self/fd/2 is exercised by TerminalProgressTest. */
@DisplayName("StderrTerminal")
class StderrTerminalTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("terminal devices are terminals; pipes, files, sockets and /dev/null are not")
    void devices() {
        assertThat(StderrTerminal.isTerminalDevice("/dev/pts/0")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/pts/17")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/tty")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/ttyS0")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/console")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("socket:[98765]")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/dev/null")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/tmp/build.log")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/home/me/dev/pts/0")).isFalse();
    }

    @Test
    @DisplayName("the fd link is read as /proc shows it; without a readable link the fallback answers")
    void link() throws IOException {
        Path pts = Files.createSymbolicLink(tmp.resolve("pts"), Path.of("/dev/pts/4"));
        Path pipe = Files.createSymbolicLink(tmp.resolve("pipe"), Path.of("pipe:[4242]"));
        assertThat(StderrTerminal.detect(pts, () -> false)).isTrue();
        assertThat(StderrTerminal.detect(pipe, () -> true)).isFalse();
        Path absent = tmp.resolve("absent");
        assertThat(StderrTerminal.detect(absent, () -> true)).isTrue();
        assertThat(StderrTerminal.detect(absent, () -> false)).isFalse();
        Path regular = Files.writeString(tmp.resolve("regular"), "not a link");
        assertThat(StderrTerminal.detect(regular, () -> true)).as("not a link: the fallback").isTrue();
    }
}
