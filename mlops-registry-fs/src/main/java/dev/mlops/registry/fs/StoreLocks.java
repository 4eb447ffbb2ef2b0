package dev.mlops.registry.fs;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.StorageException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual exclusion per key across threads and processes: an in-JVM {@link ReentrantLock} per
 * stripe, then an exclusive OS {@link FileLock} on that stripe's lock file. The JVM lock comes
 * first because the JVM itself refuses a second {@code FileChannel.lock} on a file it already
 * locks, and because closing any channel on a file drops all of this process's OS locks on it.
 * For the same reason one {@code StoreLocks} is shared by every store instance of the JVM that
 * opened the same directory (reference counted), and each lock file has exactly one channel.
 *
 * <p>A key maps to a stripe by the CRC32C of its UTF-8 bytes, which every process computes
 * alike; the number of stripes is fixed per store directory (its {@code FORMAT} file), because
 * two processes striping differently would not exclude each other. OS locks die with their
 * process, so a killed writer never leaves a lock behind.
 *
 * <p>Lock files are never removed. One removed or replaced by hand while the store is open would
 * let a process that opens it afresh go alongside one that still locks the old file, so each
 * lock, once taken, checks that the path still names the file it locked, and fails with
 * {@link IntegrityException} if not; a lock file replaced by a symbolic link is refused.
 *
 * <p>The JVM-wide instance also carries the store's {@link NamedLocks}, in their own files.
 */
final class StoreLocks {
    private static final Logger LOG = LoggerFactory.getLogger(StoreLocks.class);
    private static final Map<Path, StoreLocks> OPEN = new HashMap<>(); // guarded by StoreLocks.class

    private final Path dir;
    private final Layout layout;
    private final Stripe[] stripes;
    private final Stripe journal;
    private final NamedLocks named;
    private int references; // guarded by StoreLocks.class

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private StoreLocks(Layout layout, int stripeCount) {
        this.layout = layout;
        this.dir = layout.locks;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe(dir.resolve(stripeFileName(i)));
        }
        this.journal = new Stripe(dir.resolve(JOURNAL_FILE));
        this.named = new NamedLocks(layout);
    }

    /** The lock file that serialises journal appends. */
    static final String JOURNAL_FILE = "journal.lock";

    /** @return the name of a stripe's lock file */
    static String stripeFileName(int stripe) {
        // not String.format: every store open names all stripes, and a JVM's first format call
        // costs milliseconds (the CLI's start-up)
        return (stripe < 10 ? "stripe-0" : "stripe-") + stripe + ".lock";
    }

    /** @return the stripe number of a stripe lock file's name, or -1 if it is not one */
    static int stripeOfFileName(String name) {
        if (!name.startsWith("stripe-") || !name.endsWith(".lock")) {
            return -1;
        }
        String digits = name.substring("stripe-".length(), name.length() - ".lock".length());
        if (digits.length() < 2 || digits.length() > 4 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int n = Integer.parseInt(digits);
        return stripeFileName(n).equals(name) ? n : -1;
    }

    /**
     * @param layout the store's layout, its root a real path
     * @param stripeCount stripes, from the store's format file
     * @return the JVM-wide instance for that directory, its reference count raised
     * @throws IntegrityException if this JVM has the directory open with another stripe count
     *     (its FORMAT file was changed meanwhile)
     */
    static StoreLocks acquire(Layout layout, int stripeCount) {
        synchronized (StoreLocks.class) {
            StoreLocks locks = OPEN.computeIfAbsent(layout.locks, d -> new StoreLocks(layout, stripeCount));
            if (locks.stripes.length != stripeCount) {
                throw new IntegrityException("store " + layout.root + " is open in this process with "
                        + locks.stripes.length + " lock stripes, but its FORMAT file now says " + stripeCount
                        + "; processes striping differently do not exclude each other. The FORMAT file was changed"
                        + " while the store was in use: restore 'lock-stripes " + locks.stripes.length + "'");
            }
            locks.references++;
            return locks;
        }
    }

    /** Lowers the reference count; the last release closes the lock files. */
    void release() {
        synchronized (StoreLocks.class) {
            if (--references > 0) {
                return;
            }
            OPEN.remove(dir);
        }
        for (Stripe s : stripes) {
            s.closeChannel();
        }
        journal.closeChannel();
        named.closeAll();
    }

    /** @return the named locks of the directory, shared by its store instances in this JVM */
    NamedLocks named() {
        return named;
    }

    /** @return the number of stripes */
    int stripeCount() {
        return stripes.length;
    }

    /**
     * @param file a path, not followed if it is a link
     * @return its file key (device and inode on Unix), or null where the platform has none or
     *     the file is absent
     */
    static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * @param file a lock file's path
     * @param key the file key recorded when its channel was opened, null if unknown
     * @return false if the path no longer names that file (removed, or replaced by another file
     *     or a link); true where the platform has no file keys
     */
    static boolean sameFile(Path file, Object key) {
        if (key == null) {
            return true;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Objects.equals(a.fileKey(), key);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StorageException("could not inspect the lock file " + file + ": " + e, e);
        }
    }

    /** @return the stripe number of a lock key; stable across processes and runs */
    int stripeOf(String lockKey) {
        CRC32C crc = new CRC32C();
        crc.update(lockKey.getBytes(StandardCharsets.UTF_8));
        return (int) Long.remainderUnsigned(crc.getValue(), stripes.length);
    }

    /**
     * Blocks until this thread holds the lock of {@code lockKey} in this JVM and in the OS.
     *
     * @param lockKey e.g. {@code doc:models/rain}
     * @return the held lock
     */
    Held lock(String lockKey) {
        return stripes[stripeOf(lockKey)].lock();
    }

    /** @return the held lock that serialises journal appends */
    Held lockJournal() {
        return journal.lock();
    }

    private final class Stripe {
        private final ReentrantLock jvm = new ReentrantLock();
        private final Path file;
        private FileChannel channel; // guarded by jvm
        private Object fileKey; // guarded by jvm

        Stripe(Path file) {
            this.file = file;
        }

        Held lock() {
            jvm.lock();
            if (jvm.getHoldCount() > 1) {
                return jvm::unlock; // re-entered: the OS lock is held by the outer call
            }
            FileLock os;
            try {
                if (channel == null || !channel.isOpen()) {
                    channel = open();
                }
                os = channel.lock();
                if (!sameFile(file, fileKey)) {
                    closeQuietly(); // drops the lock on the old file; the next caller opens the new one
                    throw new IntegrityException("lock file " + file + " was removed or replaced while the store was"
                            + " open (the store never removes lock files): processes that opened it before and after"
                            + " do not exclude each other; stop every process using the store, then open it again");
                }
            } catch (IOException e) {
                // an interrupt closes the channel; drop it so the next caller reopens it
                closeQuietly();
                jvm.unlock();
                throw new StorageException("could not lock " + file + ": " + e, e);
            } catch (RuntimeException | Error e) {
                jvm.unlock();
                throw e;
            }
            return () -> {
                try {
                    os.release();
                } catch (ClosedChannelException e) {
                    // the store was closed meanwhile: closing the channel released the lock
                } catch (IOException e) {
                    LOG.warn("could not release the lock on {}; closing its channel to drop it", file, e);
                    closeQuietly();
                } finally {
                    jvm.unlock();
                }
            };
        }

        private FileChannel open() throws IOException {
            layout.requireNoLinks(file);
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                if (!Files.isDirectory(layout.locks, LinkOption.NOFOLLOW_LINKS)) {
                    throw LayoutCheck.locksRemoved(layout, file, e);
                }
                throw e;
            } catch (FileSystemException e) {
                layout.requireNoLinks(file); // a link placed meanwhile: say so
                throw e;
            }
            fileKey = fileKey(file);
            return ch;
        }

        void closeChannel() {
            jvm.lock();
            try {
                closeQuietly();
            } finally {
                jvm.unlock();
            }
        }

        private void closeQuietly() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.warn("could not close lock file {}", file, e);
                }
                channel = null;
            }
        }
    }
}
