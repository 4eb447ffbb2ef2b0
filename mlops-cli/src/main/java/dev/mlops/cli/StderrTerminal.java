package dev.mlops.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Whether this process's stderr is a terminal, the test git makes with {@code isatty(2)} to
 * decide on progress output. Java has no isatty: on Linux the link {@code /proc/self/fd/2} names
 * the device ({@code /dev/pts/N}, {@code /dev/ttyN}, ...; a pipe or file otherwise); elsewhere
 * {@link System#console()} is the nearest answer, although it is about stdin and stdout.
 */
final class StderrTerminal {
    private static final Path FD2 = Path.of("/proc/self/fd/2");

    private StderrTerminal() {
    }

    /** @return true if stderr is a terminal */
    static boolean detect() {
        return detect(FD2, StderrTerminal::hasConsole);
    }

    /**
     * @param fd2 the link naming what file descriptor 2 is open on
     * @param fallback asked when the link cannot be read (no /proc)
     */
    static boolean detect(Path fd2, BooleanSupplier fallback) {
        try {
            return isTerminalDevice(Files.readSymbolicLink(fd2).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return fallback.getAsBoolean();
        }
    }

    /** @return true for a terminal device path: {@code /dev/pts/3}, {@code /dev/tty1}, {@code /dev/console} */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    private static boolean hasConsole() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        // from Java 22 a console exists even when redirected; Console.isTerminal() then tells
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
