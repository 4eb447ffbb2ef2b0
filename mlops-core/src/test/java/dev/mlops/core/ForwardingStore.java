package dev.mlops.core;

import dev.mlops.api.Page;
import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.IntegrityProblem;
import dev.mlops.api.store.JournalEntry;
import dev.mlops.api.store.Store;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** A store that forwards everything; tests override one method to inject a failure. */
class ForwardingStore implements Store {
    private final Store d;

    ForwardingStore(Store delegate) {
        this.d = delegate;
    }

    @Override
    public String describe() {
        return d.describe();
    }

    @Override
    public BlobInfo putBlob(InputStream content) {
        return d.putBlob(content);
    }

    @Override
    public InputStream openBlob(String sha256) {
        return d.openBlob(sha256);
    }

    @Override
    public Optional<BlobInfo> blobInfo(String sha256) {
        return d.blobInfo(sha256);
    }

    @Override
    public Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit) {
        return d.listBlobs(startAfter, limit);
    }

    @Override
    public boolean deleteBlob(String sha256) {
        return d.deleteBlob(sha256);
    }

    @Override
    public boolean deleteBlob(String sha256, dev.mlops.api.store.StoreLock fence) {
        return d.deleteBlob(sha256, fence);
    }

    @Override
    public Optional<dev.mlops.api.store.StoreLock> lock(String name, dev.mlops.api.store.StoreLock.Mode mode,
                                                        java.time.Duration wait) {
        return d.lock(name, mode, wait);
    }

    @Override
    public Optional<Document> read(DocumentKey key) {
        return d.read(key);
    }

    @Override
    public Document create(DocumentKey key, byte[] content) {
        return d.create(key, content);
    }

    @Override
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        return d.replace(key, expectedRevision, content);
    }

    @Override
    public void delete(DocumentKey key, long expectedRevision) {
        d.delete(key, expectedRevision);
    }

    @Override
    public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
        return d.list(parent, startAfter, limit);
    }

    @Override
    public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
        return d.listKeys(parent, startAfter, limit);
    }

    @Override
    public JournalEntry append(byte[] payload) {
        return d.append(payload);
    }

    @Override
    public List<JournalEntry> readJournal(long fromSequence, int limit) {
        return d.readJournal(fromSequence, limit);
    }

    @Override
    public long journalLength() {
        return d.journalLength();
    }

    @Override
    public List<IntegrityProblem> check(boolean repair) {
        return d.check(repair);
    }

    @Override
    public void close() {
        d.close();
    }
}
