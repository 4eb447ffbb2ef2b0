package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelVersion;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exported artifacts of the versions a service loads, one directory per version. Versions are
 * immutable, so a directory is exported once and shared by every load of that version (a
 * rollback or a retry after a failed load exports nothing). Directories are reference counted
 * by the deployments using them; unused ones are kept for the {@value #KEEP_IDLE} most recently
 * released versions and deleted beyond that, and all of them when the service closes.
 */
final class ArtifactCache {
    static final int KEEP_IDLE = 2;

    /** One exported version and how many deployments use it. */
    static final class Entry {
        final ModelRef.Version version;
        final Path directory;
        private int users;

        private Entry(ModelRef.Version version, Path directory) {
            this.version = version;
            this.directory = directory;
        }
    }

    private final Path root;
    private final VersionSource source;
    private final Map<ModelRef.Version, Entry> entries = new HashMap<>();
    private final ArrayDeque<Entry> idle = new ArrayDeque<>();
    private final AtomicLong exports = new AtomicLong();
    private boolean closed;
    private Runnable whenEmpty;

    private final String token;

    /**
     * @param root where to export
     * @param source what exports
     * @param token part of every directory name, unique to the service, so services sharing a
     *     root never collide
     */
    ArtifactCache(Path root, VersionSource source, String token) {
        this.root = root;
        this.source = source;
        this.token = token;
    }

    /**
     * Returns the version's directory, exporting it first if needed. Called by one load at a
     * time (the service starts no load while another runs); {@link #release} may run concurrently.
     *
     * @throws IllegalStateException once closed
     */
    Entry acquire(ModelVersion version) {
        ModelRef.Version v = version.ref();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the artifact cache of a closed model service exports nothing");
            }
            Entry e = entries.get(v);
            if (e != null) {
                e.users++;
                idle.remove(e);
                return e;
            }
        }
        Path dir = root.resolve(v.model() + "-" + v.number() + "-" + token + exports.incrementAndGet());
        try {
            source.export(version, dir);
        } catch (RuntimeException e) {
            Dirs.deleteQuietly(dir);
            throw e;
        }
        Entry e = new Entry(v, dir);
        synchronized (this) {
            e.users = 1;
            entries.put(v, e);
        }
        return e;
    }

    /** One user fewer; the directory becomes idle, and the oldest idle ones beyond the limit go. */
    void release(Entry e) {
        List<Entry> evict = new ArrayList<>(1);
        Runnable emptied = null;
        synchronized (this) {
            if (--e.users > 0) {
                return;
            }
            if (closed) {
                entries.remove(e.version);
                evict.add(e);
                emptied = entries.isEmpty() ? whenEmpty : null;
            } else {
                idle.addLast(e);
                while (idle.size() > KEEP_IDLE) {
                    Entry old = idle.removeFirst();
                    entries.remove(old.version);
                    evict.add(old);
                }
            }
        }
        evict.forEach(x -> Dirs.deleteQuietly(x.directory));
        if (emptied != null) {
            emptied.run();
        }
    }

    /**
     * Deletes every idle directory now and each used one when its last user releases it.
     *
     * @param whenEmpty runs now if no directory is in use, else each time the last one in use is
     *     released (a load abandoned during close may still export and release one)
     */
    void close(Runnable whenEmpty) {
        List<Entry> evict;
        boolean empty;
        synchronized (this) {
            closed = true;
            this.whenEmpty = whenEmpty;
            evict = new ArrayList<>(idle);
            idle.clear();
            evict.forEach(x -> entries.remove(x.version));
            empty = entries.isEmpty();
        }
        evict.forEach(x -> Dirs.deleteQuietly(x.directory));
        if (empty) {
            whenEmpty.run();
        }
    }

    /** @return exports so far */
    long exports() {
        return exports.get();
    }

    /** @return directories present now */
    synchronized int size() {
        return entries.size();
    }
}
