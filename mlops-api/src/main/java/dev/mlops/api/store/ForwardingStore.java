package dev.mlops.api.store;

import dev.mlops.api.IntegrityProblem;
import dev.mlops.api.Page;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Store} that forwards every call to another: the base of decorators that count,
 * trace or inject faults, which override only the calls they change.
 */
public class ForwardingStore implements Store {
    private final Store delegate;

    /** @param delegate the store that does the work */
    public ForwardingStore(Store delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the store calls are forwarded to */
    protected Store delegate() {
        return delegate;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public BlobInfo putBlob(InputStream content) {
        return delegate.putBlob(content);
    }

    @Override
    public InputStream openBlob(String sha256) {
        return delegate.openBlob(sha256);
    }

    @Override
    public Optional<BlobInfo> blobInfo(String sha256) {
        return delegate.blobInfo(sha256);
    }

    @Override
    public Page<BlobInfo> listBlobs(Optional<String> startAfter, int limit) {
        return delegate.listBlobs(startAfter, limit);
    }

    @Override
    public boolean deleteBlob(String sha256) {
        return delegate.deleteBlob(sha256);
    }

    @Override
    public boolean deleteBlob(String sha256, StoreLock fence) {
        return delegate.deleteBlob(sha256, fence);
    }

    @Override
    public Optional<Document> read(DocumentKey key) {
        return delegate.read(key);
    }

    @Override
    public Document create(DocumentKey key, byte[] content) {
        return delegate.create(key, content);
    }

    @Override
    public Document replace(DocumentKey key, long expectedRevision, byte[] content) {
        return delegate.replace(key, expectedRevision, content);
    }

    @Override
    public void delete(DocumentKey key, long expectedRevision) {
        delegate.delete(key, expectedRevision);
    }

    @Override
    public Page<Document> list(DocumentKey parent, Optional<String> startAfter, int limit) {
        return delegate.list(parent, startAfter, limit);
    }

    @Override
    public Page<DocumentKey> listKeys(DocumentKey parent, Optional<String> startAfter, int limit) {
        return delegate.listKeys(parent, startAfter, limit);
    }

    @Override
    public JournalEntry append(byte[] payload) {
        return delegate.append(payload);
    }

    @Override
    public List<JournalEntry> readJournal(long fromSequence, int limit) {
        return delegate.readJournal(fromSequence, limit);
    }

    @Override
    public long journalLength() {
        return delegate.journalLength();
    }

    @Override
    public Optional<StoreLock> lock(String name, StoreLock.Mode mode, Duration wait) {
        return delegate.lock(name, mode, wait);
    }

    @Override
    public List<IntegrityProblem> check(boolean repair) {
        return delegate.check(repair);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
