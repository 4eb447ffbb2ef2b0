package dev.mlops.registry.fs;

import dev.mlops.api.IntegrityException;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.StoreLock;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named locks of {@link FileSystemStore#lock}: one lock file per name,
 * {@code locks/named-NAME.lock}, apart from the document stripes of {@link StoreLocks}, so a
 * long-held lock never delays a document write.
 *
 * <p>Two parts. Within the JVM, a table of holders per name, shared by every store instance of
 * the JVM on the directory (one {@code NamedLocks} per {@link StoreLocks}): the JVM refuses a
 * second OS lock on a region it already locks, and closing any channel on a file drops all of
 * the JVM's locks on it, so each file has one channel, held open while the name is in use. Across
 * processes, one OS lock ({@link FileChannel#tryLock(long, long, boolean)}) on byte 0 of the file,
 * taken by the JVM's first holder and released by its last, shared or exclusive as they hold it.
 * OS locks die with their process, so a killed holder leaves none behind.
 *
 * <p>Waiting is polling: the OS lock is only ever tried ({@code tryLock} neither blocks nor
 * closes the channel when the thread is interrupted, unlike {@code lock}), with back-off sleeps
 * up to {@value #MAX_BACKOFF_MILLIS} ms until the deadline, and a release in this JVM wakes the
 * waiters at once. An exclusive request is preferred over new shared ones: in this JVM a waiting
 * exclusive request holds back new shared requests (as {@code LockTable} in mlops-core does), and
 * across processes it holds byte 1 of the file (the intent byte) exclusively while it waits,
 * which a shared request must be able to lock shared, briefly, before it takes the lock. So a
 * steady stream of registrations, in any number of processes, cannot starve garbage collection.
 *
 * <p>A lock file removed or replaced while its lock is held (by hand: the store never removes
 * lock files) no longer excludes a process that opens the new file; the holder sees it:
 * {@link StoreLock#held()} turns false, and acquiring on a replaced file throws
 * {@link IntegrityException}.
 */
final class NamedLocks {
    private static final Logger LOG = LoggerFactory.getLogger(NamedLocks.class);
    /** The byte whose lock is the named lock. */
    private static final long MAIN = 0;
    /** The byte an exclusive request holds while it waits, so new shared requests wait behind it. */
    private static final long INTENT = 1;
    static final long MAX_BACKOFF_MILLIS = 50;
    static final String FILE_PREFIX = "named-";
    static final String FILE_SUFFIX = ".lock";

    private final Layout layout;
    private final Map<String, Entry> entries = new HashMap<>(); // guarded by this

    /** What is known of one name in this JVM. */
    private static final class Entry {
        final String name;
        final Path file;
        FileChannel channel;
        Object fileKey; // of the file the channel is open on, null where the platform has none
        FileLock main; // this JVM's OS lock while any of its threads holds the named lock
        FileLock intent; // held while exclusive requests of this JVM wait
        int shared;
        boolean exclusive;
        int exclusiveWaiting;
        int requests; // acquisitions in progress; the entry stays while any runs

        Entry(String name, Path file) {
            this.name = name;
            this.file = file;
        }
    }

    /** The store instance that locks are taken for; closing it releases them. */
    final class Owner {
        private final String description;
        private final Set<Hold> holds = new HashSet<>(); // guarded by NamedLocks.this
        private boolean closed; // guarded by NamedLocks.this

        private Owner(String description) {
            this.description = description;
        }
    }

    private enum Attempt { ACQUIRED, BUSY_IN_THIS_JVM, BUSY_ELSEWHERE }

    NamedLocks(Layout layout) {
        this.layout = layout;
    }

    /** @return the lock file of a (valid) lock name */
    Path fileOf(String name) {
        return layout.locks.resolve(FILE_PREFIX + name + FILE_SUFFIX);
    }

    /** @return a new owner, for one store instance */
    Owner newOwner(String description) {
        return new Owner(description);
    }

    /**
     * See {@link FileSystemStore#lock}; the arguments are checked by the caller.
     *
     * @throws IllegalStateException if the owner is closed, before or while waiting
     */
    Optional<StoreLock> acquire(Owner owner, String name, StoreLock.Mode mode, Duration wait) {
        long deadline = deadline(wait);
        boolean exclusive = mode == StoreLock.Mode.EXCLUSIVE;
        synchronized (this) {
            Entry e = entries.computeIfAbsent(name, n -> new Entry(n, fileOf(n)));
            e.requests++;
            if (exclusive) {
                e.exclusiveWaiting++;
            }
            try {
                long backoff = 1;
                while (true) {
                    if (owner.closed) {
                        throw new IllegalStateException("store " + owner.description + " is closed");
                    }
                    Attempt a = exclusive ? tryExclusive(e) : tryShared(e);
                    if (a == Attempt.ACQUIRED) {
                        Hold h = new Hold(owner, e, mode, e.main);
                        owner.holds.add(h);
                        return Optional.of(h);
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return Optional.empty();
                    }
                    if (a == Attempt.BUSY_IN_THIS_JVM) {
                        // a release in this JVM notifies; poll now and then all the same, for the
                        // intent byte that another process's exclusive request may have let go
                        TimeUnit.NANOSECONDS.timedWait(this, Math.min(remaining,
                                TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MILLIS)));
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(this, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(backoff)));
                        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                    }
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while waiting for lock " + name + " of " + owner.description, ie);
            } finally {
                if (exclusive && --e.exclusiveWaiting == 0) {
                    releaseQuietly(e, e.intent);
                    e.intent = null;
                }
                e.requests--;
                retireIfIdle(e);
                notifyAll(); // shared requests held back by an exclusive one may go now
            }
        }
    }

    /** A shared request: joins this JVM's shared OS lock, or takes one. Holds the monitor. */
    private Attempt tryShared(Entry e) {
        if (e.exclusive || e.exclusiveWaiting > 0) {
            return Attempt.BUSY_IN_THIS_JVM;
        }
        channel(e);
        FileLock probe = tryLock(e, INTENT, true);
        if (probe == null) {
            return Attempt.BUSY_ELSEWHERE; // another process's exclusive request waits: it goes first
        }
        try {
            if (e.main == null) {
                FileLock main = tryLock(e, MAIN, true);
                if (main == null) {
                    return Attempt.BUSY_ELSEWHERE;
                }
                e.main = main;
            }
            // also when joining this JVM's holders: a lock whose file was replaced excludes no one
            requireSameFile(e);
            e.shared++;
            return Attempt.ACQUIRED;
        } finally {
            releaseQuietly(e, probe);
        }
    }

    /** An exclusive request: takes the intent byte while it waits, and the lock when no one holds it. */
    private Attempt tryExclusive(Entry e) {
        channel(e);
        if (e.intent == null) {
            // may fail: another process's exclusive request waits too, or a shared one probes it
            e.intent = tryLock(e, INTENT, false);
        }
        if (e.shared > 0 || e.exclusive) {
            return Attempt.BUSY_IN_THIS_JVM;
        }
        FileLock main = tryLock(e, MAIN, false);
        if (main == null) {
            return Attempt.BUSY_ELSEWHERE;
        }
        e.main = main;
        requireSameFile(e);
        e.exclusive = true;
        return Attempt.ACQUIRED;
    }

    private FileChannel channel(Entry e) {
        if (e.channel != null) {
            return e.channel;
        }
        layout.requireNoLinks(e.file);
        try {
            e.channel = FileChannel.open(e.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException ex) {
            if (!Files.isDirectory(layout.locks, LinkOption.NOFOLLOW_LINKS)) {
                throw LayoutCheck.locksRemoved(layout, e.file, ex);
            }
            throw new StorageException("could not open the lock file " + e.file + " of lock " + e.name + ": " + ex, ex);
        } catch (FileSystemException ex) {
            layout.requireNoLinks(e.file); // a link placed meanwhile: say so
            throw new StorageException("could not open the lock file " + e.file + " of lock " + e.name + ": " + ex, ex);
        } catch (IOException ex) {
            throw new StorageException("could not open the lock file " + e.file + " of lock " + e.name + ": " + ex, ex);
        }
        e.fileKey = StoreLocks.fileKey(e.file);
        return e.channel;
    }

    private static FileLock tryLock(Entry e, long position, boolean shared) {
        try {
            return e.channel.tryLock(position, 1, shared);
        } catch (IOException ex) {
            throw new StorageException("could not lock " + e.file + " (lock " + e.name + "): " + ex, ex);
        }
    }

    /**
     * After taking the OS lock: the file locked must still be the one at the lock's path, or
     * another process that opens the path is not excluded by it.
     */
    private void requireSameFile(Entry e) {
        if (StoreLocks.sameFile(e.file, e.fileKey)) {
            return;
        }
        if (e.shared == 0 && !e.exclusive) {
            closeChannel(e); // drops the OS locks taken on the old file; the next request opens the new one
        } // else the holders keep the old file until they close; held() tells them they lost it
        throw new IntegrityException("lock file " + e.file + " of lock " + e.name + " was removed or replaced while"
                + " the store was open (the store never removes lock files): processes that opened it before and"
                + " after do not exclude each other; stop every process using the store, then open it again");
    }

    /** Releases a lock; idempotent. */
    private synchronized void release(Hold h) {
        if (h.released) {
            return;
        }
        h.released = true;
        h.owner.holds.remove(h);
        Entry e = h.entry;
        if (h.mode == StoreLock.Mode.EXCLUSIVE) {
            e.exclusive = false;
        } else {
            e.shared--;
        }
        if (e.shared == 0 && !e.exclusive) {
            releaseQuietly(e, e.main);
            e.main = null;
        }
        retireIfIdle(e);
        notifyAll();
    }

    /** Closes an owner: its locks are released, its waiting requests fail. */
    synchronized void close(Owner owner) {
        owner.closed = true;
        for (Hold h : List.copyOf(owner.holds)) {
            release(h);
        }
        notifyAll();
    }

    /** The last store instance of the JVM on the directory closed: closes every lock file. */
    synchronized void closeAll() {
        for (Entry e : new ArrayList<>(entries.values())) {
            closeChannel(e);
        }
        entries.clear();
    }

    /** A name nobody holds or waits for gives its channel back, so unused names cost no file descriptor. */
    private void retireIfIdle(Entry e) {
        if (e.requests == 0 && e.shared == 0 && !e.exclusive) {
            closeChannel(e);
            entries.remove(e.name, e);
        }
    }

    private static void closeChannel(Entry e) {
        if (e.channel != null) {
            try {
                e.channel.close();
            } catch (IOException ex) {
                LOG.warn("could not close lock file {}", e.file, ex);
            }
        }
        e.channel = null;
        e.main = null;
        e.intent = null;
    }

    private static void releaseQuietly(Entry e, FileLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (ClosedChannelException ex) {
            // closing the channel released it
        } catch (IOException ex) {
            LOG.warn("could not release a lock on {}; closing the file to drop it", e.file, ex);
            closeChannel(e);
        }
    }

    private synchronized boolean held(Hold h) {
        if (h.released || h.lost || !h.os.isValid()) {
            return false; // an OS lock once invalid never becomes valid again
        }
        if (!StoreLocks.sameFile(h.entry.file, h.entry.fileKey)) {
            LOG.error("lock file {} of lock {} was removed or replaced while {} held it; the lock no longer excludes"
                    + " other processes", h.entry.file, h.entry.name, h.owner.description);
            h.lost = true;
            return false;
        }
        return true;
    }

    private static long deadline(Duration wait) {
        long nanos;
        try {
            nanos = wait.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE / 4;
        }
        return System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
    }

    /** A lock held by one store instance. */
    private final class Hold implements StoreLock {
        private final Owner owner;
        private final Entry entry;
        private final Mode mode;
        private final FileLock os; // this JVM's OS lock that the hold shares
        private boolean released; // guarded by NamedLocks.this
        private boolean lost; // guarded by NamedLocks.this

        Hold(Owner owner, Entry entry, Mode mode, FileLock os) {
            this.owner = Objects.requireNonNull(owner);
            this.entry = entry;
            this.mode = mode;
            this.os = Objects.requireNonNull(os);
        }

        @Override
        public String name() {
            return entry.name;
        }

        @Override
        public Mode mode() {
            return mode;
        }

        /** False once closed, once the store closed, and once the lock file was removed or replaced. */
        @Override
        public boolean held() {
            return NamedLocks.this.held(this);
        }

        @Override
        public void close() {
            release(this);
        }

        @Override
        public String toString() {
            return mode.name().toLowerCase(Locale.ROOT) + " lock " + entry.name + " of " + owner.description;
        }
    }
}
