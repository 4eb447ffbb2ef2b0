package dev.mlops.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * FIFOs and character devices for the output-file tests of several modules. Where the system
 * cannot make them (no mkfifo, no /dev) a test is skipped with the reason; with the environment
 * variable {@code CI=true} it fails instead, since CI runs on Linux, where they always exist.
 */
public final class SpecialFiles {
    /** The POSIX type bits of a FIFO. */
    public static final int FIFO = 0010000;
    /** The POSIX type bits of a character device. */
    public static final int CHARACTER_DEVICE = 0020000;
    /** The POSIX type bits of a socket. */
    public static final int SOCKET = 0140000;

    private SpecialFiles() {
    }

    /**
     * @param p where to make the FIFO
     * @return {@code p}, now a FIFO made by mkfifo(1)
     */
    public static Path fifo(Path p) throws IOException, InterruptedException {
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        } catch (IOException e) {
            unavailable("no mkfifo here: " + e.getMessage());
            throw e;
        }
        assertThat(mk.waitFor()).as("mkfifo exit code").isZero();
        return p;
    }

    /**
     * The character devices to aim at: where /dev is writable (as root), private copies of
     * /dev/null and /dev/full made with mknod(1) in {@code dir} plus the real /dev/full, so that
     * a regression replaces nothing the machine relies on; elsewhere the real /dev/null and
     * /dev/full, which an unprivileged process cannot replace anyway.
     *
     * @param dir a directory for the private device nodes
     * @return at least one character device
     */
    public static List<Path> devices(Path dir) throws IOException, InterruptedException {
        List<Path> devices = new ArrayList<>();
        if (Files.isWritable(Path.of("/dev"))) {
            for (String[] node : new String[][] {{"null", "3"}, {"full", "7"}}) {
                Path p = dir.resolve(node[0]);
                Process mk = new ProcessBuilder("mknod", "-m", "666", p.toString(), "c", "1", node[1])
                        .inheritIO().start();
                if (mk.waitFor() == 0) { // a container may lack the capability
                    devices.add(p);
                }
            }
            devices.add(Path.of("/dev/full"));
        } else {
            devices.add(Path.of("/dev/null"));
            devices.add(Path.of("/dev/full"));
        }
        devices.removeIf(p -> !Files.exists(p));
        if (devices.isEmpty()) {
            unavailable("no character devices here");
        }
        return devices;
    }

    /**
     * @param p a path
     * @return its POSIX file type bits, not following a link
     */
    public static int type(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
    }

    private static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + "; CI is set, where this test must run");
        }
        Assumptions.abort(why);
    }
}
