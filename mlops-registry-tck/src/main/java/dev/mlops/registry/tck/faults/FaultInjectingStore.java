package dev.mlops.registry.tck.faults;

import dev.mlops.api.StorageException;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A store that fails its Nth write, the way SQLite's test harness fails the Nth I/O call: every
 * operation that changes the store (blob put and delete, document create, replace and delete,
 * journal append, lock acquisition, which creates files or sessions) counts as one write point.
 * What happens at the chosen point is a {@link Fault}.
 */
public final class FaultInjectingStore extends ForwardingStore {

    /** How the chosen write fails. */
    public enum Fault {
        /** ENOSPC: the write is refused and changes nothing; later writes succeed. */
        REFUSED("No space left on device"),
        /** EIO after the fact: the write happened, but the caller is told it failed. */
        LOST_ANSWER("Input/output error"),
        /** A full disk: this write and every later one are refused until {@link #heal()}. */
        DISK_FULL("No space left on device");

        private final String error;

        Fault(String error) {
            this.error = error;
        }
    }

    private final int failAt;
    private final Fault fault;
    private int writes;
    private boolean healed;
    private final List<String> log = new ArrayList<>();

    /**
     * @param delegate the store that does the work
     * @param failAt the write point that fails, 1 for the first; 0 never fails (to count them)
     * @param fault how it fails
     */
    public FaultInjectingStore(Store delegate, int failAt, Fault fault) {
        super(delegate);
        this.failAt = failAt;
        this.fault = fault;
    }

    /** @return how many write points were reached */
    public synchronized int writes() {
        return writes;
    }

    /** @return the write points reached, in order, each as {@code N op target} */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    /** @return true once the fault has fired */
    public synchronized boolean fired() {
        return failAt > 0 && writes >= failAt;
    }

    /** Ends a {@link Fault#DISK_FULL}: space is freed, writes succeed again. */
    public synchronized void heal() {
        healed = true;
    }

    private <T> T write(String op, String target, Supplier<T> action) {
        boolean failBefore;
        boolean failAfter;
        synchronized (this) {
            writes++;
            log.add(writes + " " + op + " " + target);
            boolean chosen = writes == failAt;
            boolean full = fault == Fault.DISK_FULL && failAt > 0 && writes >= failAt && !healed;
            failBefore = full || chosen && fault == Fault.REFUSED;
            failAfter = chosen && fault == Fault.LOST_ANSWER;
        }
        if (failBefore) {
            throw new StorageException("could not " + op + " " + target + " in " + describe() + ": " + fault.error
                    + " (injected at write " + writes() + ")");
        }
        T result = action.get();
        if (failAfter) {
            throw new StorageException("could not " + op + " " + target + " in " + describe() + ": " + fault.error
                    + " (injected after write " + writes() + " took effect)");
        }
        return result;
    }

    @Override
    public BlobInfo putBlob(InputStream content) {
        return write("put", "a blob", () -> super.putBlob(content));
    }

    @Override
    public boolean deleteBlob(String sha256) {
        return write("delete blob", sha256, () -> super.deleteBlob(sha256));
    }

    @Override
    public boolean deleteBlob(String sha256, StoreLock fence) {
        return write("delete blob", sha256, () -> super.deleteBlob(sha256, fence));
    }

    @Override
    public Document create(DocumentKey key, byte[] content) {
        return write("create", key.toString(), () -> super.create(key, content));
    }

    @Override
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        return write("replace", key.toString(), () -> super.replace(key, expectedRevision, content));
    }

    @Override
    public void delete(DocumentKey key, long expectedRevision) {
        write("delete", key.toString(), () -> {
            super.delete(key, expectedRevision);
            return null;
        });
    }

    @Override
    public JournalEntry append(byte[] payload) {
        return write("append", "a journal entry", () -> super.append(payload));
    }

    @Override
    public Optional<StoreLock> lock(String name, StoreLock.Mode mode, Duration wait) {
        return write("lock", name, () -> {
            Optional<StoreLock> lock = super.lock(name, mode, wait);
            if (fault == Fault.LOST_ANSWER && writes() == failAt) {
                lock.ifPresent(StoreLock::close); // taken, then the answer was lost: the holder never knew
            }
            return lock;
        });
    }
}
