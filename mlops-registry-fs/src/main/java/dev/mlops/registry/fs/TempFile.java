package dev.mlops.registry.fs;

import dev.mlops.api.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer's temp file, locked by its writer for as long as it exists, so that
 * {@link FileSystemStore#check(boolean) check(true)} can tell a live writer's file from a dead
 * writer's by trying the lock ({@link #inspect}) instead of by the process id in its name, which
 * names another process, or none, in another PID namespace (containers sharing a store).
 *
 * <p>The writer creates the file, takes an exclusive OS lock on it and keeps it until the file is
 * published or deleted; the OS drops the lock when the writer's process dies. A checker takes a
 * shared lock without waiting: it gets it only when no writer holds the file, and deletes the file
 * while holding it. A checker can slip in between the creation and the writer's lock; the writer
 * then fails to lock, or finds its file gone once locked, and starts over with a new name.
 *
 * <p>Within one JVM a checker must not open a file its own JVM's writer locks: closing any
 * channel on a file drops every lock the JVM holds on it. So each writer enters its file in a
 * JVM-wide set before creating it and leaves it there until the file is gone, and a checker skips
 * the files in the set.
 */
final class TempFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TempFile.class);
    private static final int MAX_ATTEMPTS = 100;
    /** Temp files this JVM's writers are writing. */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final FileChannel channel;
    private boolean moved;

    private TempFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Creates a new, empty, locked temp file in {@code dir}.
     *
     * @param dir an existing directory of the store
     * @return the file, open for writing; close it when it is published or abandoned
     */
    static TempFile create(Path dir) throws IOException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Path p = dir.resolve(Layout.tempName());
            WRITING.add(p);
            FileChannel ch;
            try {
                ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException e) {
                WRITING.remove(p); // 64 random bits collided; draw again
                continue;
            } catch (IOException | RuntimeException e) {
                WRITING.remove(p);
                throw e;
            }
            FileLock lock = null;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // no other channel of this JVM is open on a new file; treated as a lost race all the same
            } catch (IOException | RuntimeException e) {
                abandon(p, ch);
                throw e;
            }
            // once locked, no checker can delete it; a checker that got there first may have
            if (lock != null && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return new TempFile(p, ch);
            }
            abandon(p, ch);
        }
        throw new StorageException("could not create a temp file in " + dir + ": a check of the store took each of "
                + MAX_ATTEMPTS + " new files before it could be locked");
    }

    private static void abandon(Path p, FileChannel ch) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete temp file {}; check(true) removes it later", p, e);
        }
        closeQuietly(p, ch);
        WRITING.remove(p);
    }

    /** @return where the file is */
    Path path() {
        return path;
    }

    /** @return the channel to write it through; the lock lives as long as it is open */
    FileChannel channel() {
        return channel;
    }

    /** Records that the file was renamed away, so {@link #close()} has nothing to delete. */
    void moved() {
        moved = true;
    }

    /** Deletes the file unless it was moved, then drops the lock. */
    @Override
    public void close() {
        try {
            if (!moved) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("could not delete temp file {}; check(true) removes it later", path, e);
        } finally {
            closeQuietly(path, channel);
            WRITING.remove(path);
        }
    }

    private static void closeQuietly(Path p, FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.warn("could not close temp file {}", p, e);
        }
    }

    /** What {@link #inspect} found. */
    enum Writer {
        /** A writer, in this process or another, holds the file: it is being written. */
        ALIVE,
        /** No writer holds the file: its writer died or gave up. */
        GONE,
        /** The file is gone: published or deleted while being looked at. */
        FILE_GONE
    }

    /**
     * Tells whether a writer holds a temp file, by trying its lock without waiting.
     *
     * @param file a temp file named by {@link Layout#tempName()}
     * @param delete delete the file if no writer holds it (while holding its lock, so no writer
     *     can take it meanwhile)
     * @return what was found; {@link Writer#GONE} with {@code delete} means it was deleted
     */
    static synchronized Writer inspect(Path file, boolean delete) throws IOException {
        // one inspection at a time in this JVM: closing a second channel on the file would drop the lock of the first
        if (WRITING.contains(file)) {
            return Writer.ALIVE; // this JVM's own: opening and closing it would drop the writer's lock
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Writer.FILE_GONE;
        }
        try (ch) {
            FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return Writer.ALIVE; // cannot happen: this JVM's writers' files are skipped, inspections take turns
            }
            if (lock == null) {
                return Writer.ALIVE;
            }
            if (delete && !Files.deleteIfExists(file)) {
                return Writer.FILE_GONE;
            }
            return Writer.GONE;
        }
    }
}
