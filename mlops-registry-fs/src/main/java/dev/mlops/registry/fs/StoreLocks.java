package dev.mlops.registry.fs;

import dev.mlops.api.StorageException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
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
 */
final class StoreLocks {
    private static final Logger LOG = LoggerFactory.getLogger(StoreLocks.class);
    private static final Map<Path, StoreLocks> OPEN = new HashMap<>(); // guarded by StoreLocks.class

    private final Path dir;
    private final Stripe[] stripes;
    private final Stripe journal;
    private int references; // guarded by StoreLocks.class

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private StoreLocks(Path dir, int stripeCount) {
        this.dir = dir;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe(dir.resolve(String.format("stripe-%02d.lock", i)));
        }
        this.journal = new Stripe(dir.resolve("journal.lock"));
    }

    /**
     * @param lockDir the store's lock directory, as a real path
     * @param stripeCount stripes, from the store's format file
     * @return the JVM-wide instance for that directory, its reference count raised
     */
    static StoreLocks acquire(Path lockDir, int stripeCount) {
        synchronized (StoreLocks.class) {
            StoreLocks locks = OPEN.computeIfAbsent(lockDir, d -> new StoreLocks(d, stripeCount));
            if (locks.stripes.length != stripeCount) {
                throw new IllegalStateException("lock directory " + lockDir + " is in use with "
                        + locks.stripes.length + " stripes, not " + stripeCount);
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

    private static final class Stripe {
        private final ReentrantLock jvm = new ReentrantLock();
        private final Path file;
        private FileChannel channel; // guarded by jvm

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
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS);
                }
                os = channel.lock();
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
