package dev.mlops.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The one rule for the files that mlops-java writes on a caller's behalf (drift reports, model
 * cards; the library's {@code write} methods and the CLI's output options all come here):
 *
 * <ul>
 *   <li>Only a regular file or a new path is written, and it is replaced atomically: the content
 *       goes to a temporary file in the same directory, is forced to disk, is moved over the
 *       target, and the directory is forced, so a reader sees the old file or the new one, never
 *       part of one.
 *   <li>Anything else is refused with a {@link ValidationException} and left untouched: a
 *       directory, a character or block device ({@code /dev/null}, {@code /dev/full}), a FIFO, a
 *       socket, and a symbolic link, dangling or not, since replacing the link would silently
 *       turn it into a file and following it would write where the caller did not name.
 *   <li>Links in the directories above the target are followed: the caller chose that directory.
 * </ul>
 *
 * <p>The target is checked again immediately before the move; a file swapped in between that
 * check and the rename (microseconds) cannot be excluded without support from the operating
 * system.
 *
 * <p>{@link #sameFile} and {@link #inside} decide whether an output would overwrite an input:
 * by real path (so {@code ../} and linked directories are seen through) and by file identity
 * (so a hard link to an input is caught).
 */
public final class OutputFiles {
    /** Longest part of the target's name kept in the temporary file's name. */
    private static final int TEMP_NAME_PREFIX = 100;

    private OutputFiles() {
    }

    /**
     * Checks that {@code file} may be written by {@link #write}: it does not exist, or is a
     * regular file and not a symbolic link, and its directory exists.
     *
     * @param label how a message about the target starts, such as {@code --html} or
     *     {@code cannot write the drift report to}: {@code <label> '<file>': <reason>}
     * @param file the target
     * @return the target as an absolute path
     * @throws ValidationException naming the target and what it is, if it may not be replaced
     * @throws StorageException if its directory does not exist or is not a directory
     */
    public static Path requireWritable(String label, Path file) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(file, "file");
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) {
            throw new ValidationException(cannot(label, file) + "it is not a file name: expected a file path with a"
                    + " parent directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new StorageException(cannot(label, file) + "directory " + Names.quote(dir.toString())
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        Optional<String> refused = refusedKind(target);
        if (refused.isPresent()) {
            throw new ValidationException(cannot(label, file) + "it is " + refused.get()
                    + "; only a regular file or a new path is replaced, so it was left untouched");
        }
        return target;
    }

    private static String cannot(String label, Path file) {
        return label + " " + Names.quote(file.toString()) + ": ";
    }

    /**
     * Writes {@code content} to {@code file} as the class describes: checked by
     * {@link #requireWritable}, then atomically replaced.
     *
     * @param label how a message about the target starts, as for {@link #requireWritable}
     * @param file the target
     * @param content the whole content
     * @return {@code file}
     * @throws ValidationException if the target may not be replaced (it is left untouched)
     * @throws StorageException if its directory does not exist, or writing fails (the target is
     *     left as it was)
     */
    public static Path write(String label, Path file, byte[] content) {
        Objects.requireNonNull(content, "content");
        Path target = requireWritable(label, file);
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        Path tmp = dir.resolve("." + (name.length() > TEMP_NAME_PREFIX ? name.substring(0, TEMP_NAME_PREFIX) : name)
                + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // again, as late as possible: the target may have been replaced while we wrote
            Optional<String> refused = refusedKind(target);
            if (refused.isPresent()) {
                Files.deleteIfExists(tmp);
                throw new ValidationException(cannot(label, file) + "it became " + refused.get()
                        + " while the content was written; it was left untouched");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
            return file;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StorageException(cannot(label, target) + e, e);
        }
    }

    /**
     * Whether two paths name the same file: the same real location (the real path of the
     * directory plus the name), or, when both exist, the same file ({@link Files#isSameFile},
     * which on POSIX compares device and inode, so hard links count as the same file).
     *
     * @param a a path
     * @param b another path
     * @return true if writing one would change the other
     */
    public static boolean sameFile(Path a, Path b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (realLocation(a).equals(realLocation(b))) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether {@code file} lies inside {@code directory} (at any depth), by real paths.
     *
     * @param file a path, existing or not
     * @param directory a path; false if it is not an existing directory
     * @return true if {@code file} is below {@code directory}
     */
    public static boolean inside(Path file, Path directory) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try {
            Path dir = directory.toRealPath();
            Path f = realLocation(file);
            return f.startsWith(dir) && !f.equals(dir);
        } catch (IOException e) {
            return false;
        }
    }

    /** The real path of the file's directory plus its own name (the name itself is not resolved); the normalized absolute path when the directory does not exist. */
    private static Path realLocation(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path name = abs.getFileName();
        if (parent == null || name == null) {
            return abs;
        }
        try {
            return parent.toRealPath().resolve(name);
        } catch (IOException e) {
            return abs;
        }
    }

    /** What the target is when it may not be replaced: "a directory", "a FIFO", ...; empty if absent or regular. */
    private static Optional<String> refusedKind(Path target) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("not readable (" + e.getMessage() + ")");
        }
        if (a.isSymbolicLink()) {
            String to;
            try {
                Path link = Files.readSymbolicLink(target);
                to = " to " + Names.quote(link.toString());
            } catch (IOException | UnsupportedOperationException e) {
                to = "";
            }
            return Optional.of("a symbolic link" + to + (Files.exists(target) ? "" : ", which does not exist")
                    + " (name the file itself, or remove the link)");
        }
        if (a.isRegularFile()) {
            return Optional.empty();
        }
        if (a.isDirectory()) {
            return Optional.of("a directory");
        }
        return Optional.of(otherKind(target));
    }

    /** Names a device, FIFO or socket from the POSIX file mode, where the platform tells it. */
    private static String otherKind(Path target) {
        try {
            int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (mode & 0170000) {
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0010000:
                    return "a FIFO (named pipe)";
                case 0140000:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // no unix view on this platform: the generic words below
        }
        return "not a regular file (a device, FIFO or socket)";
    }

    /** Forces the directory entry of the rename to disk; not every platform can open a directory. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; the rename itself is still atomic there
        }
    }
}
