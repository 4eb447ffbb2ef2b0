package dev.mlops.core;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Keeps garbage collection away from blobs that are written but not yet referenced. A writer
 * pins its blobs by holding the store's {@link StoreLock#COLLECTION collection lock} shared from
 * before its first blob write until the document that references them is committed; garbage
 * collection holds the lock exclusively while it decides what is unreferenced and deletes it.
 * So a collection either finished before the writer's first blob, or starts after the commit
 * and sees the reference: no grace period, however short, can lose a registration's blobs.
 */
final class BlobPins {
    private final Store store;
    private final Duration wait;

    /** @param wait how long a writer waits for a running collection, and a collection for running writers */
    BlobPins(Store store, Duration wait) {
        this.store = store;
        this.wait = wait;
    }

    Duration defaultWait() {
        return wait;
    }

    /**
     * @param what the write, for the message if the store stays busy
     * @return a pin held until closed
     * @throws ConflictException if a garbage collection holds the lock for longer than the wait
     */
    Pin pin(String what) {
        StoreLock lock = store.lock(StoreLock.COLLECTION, StoreLock.Mode.SHARED, wait).orElseThrow(() ->
                new ConflictException("could not start " + what + ": garbage collection has held the collection lock"
                        + " of " + store.describe() + " for more than " + wait + "; nothing was written, try again"));
        return new Pin(lock, what);
    }

    /**
     * @param wait how long to wait for writers in progress
     * @return the exclusive collection lock, or empty if writers held it for the whole wait
     */
    Optional<StoreLock> exclusive(Duration wait) {
        return store.lock(StoreLock.COLLECTION, StoreLock.Mode.EXCLUSIVE, wait);
    }

    /** A writer's hold on the collection lock. */
    final class Pin implements AutoCloseable {
        private StoreLock lock;
        private final String what;

        private Pin(StoreLock lock, String what) {
            this.lock = lock;
            this.what = what;
        }

        /**
         * Checks, just before the commit, that every blob the document will reference exists: a
         * blob deleted by hand, or by a tool that bypasses the lock, fails the write instead of
         * committing a dangling reference.
         *
         * @throws IntegrityException naming the first missing blob
         */
        void requireStored(Collection<String> digests) {
            List<String> missing = missing(digests);
            if (!missing.isEmpty()) {
                throw new IntegrityException("could not commit " + what + ": blob " + missing.get(0)
                        + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
                        + " written moments ago is missing from " + store.describe()
                        + " (deleted outside mlops?); nothing was committed");
            }
        }

        /**
         * After the commit: whether every blob is still there. While the lock was held without a
         * break no collection ran, so they are; a lock lost on the way (a database session that
         * ended) is taken again first, which waits out any collection that may have run, and the
         * blobs are checked afresh.
         *
         * @return the digests that are missing, empty when the commit is whole
         */
        List<String> missingAfterCommit(Collection<String> digests) {
            if (lock.held()) {
                return List.of();
            }
            lock.close();
            lock = pin(what).lock;
            return missing(digests);
        }

        private List<String> missing(Collection<String> digests) {
            List<String> out = new ArrayList<>();
            for (String d : digests) {
                if (store.blobInfo(d).isEmpty()) {
                    out.add(d);
                }
            }
            return out;
        }

        @Override
        public void close() {
            lock.close();
        }
    }
}
