package dev.mlops.cli;

import dev.mlops.api.Page;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreLock;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A store that counts the bytes the registry writes as blobs, for the progress line of
 * {@code register} and {@code datasets register}: the registry copies an artifact through
 * {@link Store#putBlob}, so counting there needs no hook in the registry or the API. Everything
 * else is passed through unchanged; closing the store also ends the task's line if a failure
 * left it open.
 */
final class ByteCountingStore implements Store {
    private final Store store;
    private final Progress.Task task;

    ByteCountingStore(Store store, Progress.Task task) {
        this.store = store;
        this.task = task;
    }

    @Override
    public BlobInfo putBlob(InputStream content) {
        return store.putBlob(new ProgressInputStream(content, task));
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public InputStream openBlob(String sha256) {
        return store.openBlob(sha256);
    }

    @Override
    public Optional<BlobInfo> blobInfo(String sha256) {
        return store.blobInfo(sha256);
    }

    @Override
    public Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit) {
        return store.listBlobs(startAfter, limit);
    }

    @Override
    public boolean deleteBlob(String sha256) {
        return store.deleteBlob(sha256);
    }

    @Override
    public boolean deleteBlob(String sha256, StoreLock fence) {
        return store.deleteBlob(sha256, fence);
    }

    @Override
    public Optional<StoreLock> lock(String name, StoreLock.Mode mode, java.time.Duration wait) {
        return store.lock(name, mode, wait);
    }

    @Override
    public Optional<Document> read(DocumentKey key) {
        return store.read(key);
    }

    @Override
    public Document create(DocumentKey key, byte[] content) {
        return store.create(key, content);
    }

    @Override
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        return store.replace(key, expectedRevision, content);
    }

    @Override
    public void delete(DocumentKey key, long expectedRevision) {
        store.delete(key, expectedRevision);
    }

    @Override
    public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
        return store.list(parent, startAfter, limit);
    }

    @Override
    public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
        return store.listKeys(parent, startAfter, limit);
    }

    @Override
    public JournalEntry append(byte[] payload) {
        return store.append(payload);
    }

    @Override
    public List<JournalEntry> readJournal(long fromSequence, int limit) {
        return store.readJournal(fromSequence, limit);
    }

    @Override
    public long journalLength() {
        return store.journalLength();
    }

    @Override
    public List<IntegrityProblem> check(boolean repair) {
        return store.check(repair);
    }

    @Override
    public void close() {
        try {
            task.close();
        } finally {
            store.close();
        }
    }
}
