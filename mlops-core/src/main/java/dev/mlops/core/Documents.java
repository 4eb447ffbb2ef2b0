package dev.mlops.core;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.StorageException;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Typed JSON documents over the store, and the compare-and-set retry loop written once. */
final class Documents {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Documents.class);
    /** Enough for heavy contention between a handful of processes; beyond it something is wrong. */
    private static final int MAX_CAS_ATTEMPTS = 10_000;

    private final Store store;

    Documents(Store store) {
        this.store = store;
    }

    Store store() {
        return store;
    }

    <T> Optional<Versioned<T>> read(DocumentKey key, Class<T> type) {
        return store.read(key).map(d -> parse(d, type));
    }

    <T> Versioned<T> require(DocumentKey key, Class<T> type, Supplier<String> notFound) {
        return read(key, type).orElseThrow(() -> new NotFoundException(notFound.get()));
    }

    /**
     * Creates a document. A write that reports a storage failure may still have happened (the
     * flush after a rename failed, an answer was lost): the document is read back, and if it is
     * there with exactly these bytes the create succeeded, so the caller's answer is the truth.
     */
    <T> Versioned<T> create(DocumentKey key, T value) {
        byte[] bytes = StoredDocuments.write(value);
        try {
            Document d = store.create(key, bytes);
            return new Versioned<>(value, d.revision());
        } catch (StorageException failed) {
            if (readBack(key, failed).filter(d -> d.revision() == 1 && Arrays.equals(d.content(), bytes)).isPresent()) {
                LOG.warn("creating {} reported a failure, but the document is there as written: {}", key,
                        failed.getMessage());
                return new Versioned<>(value, 1);
            }
            throw failed;
        }
    }

    /** Replaces a document if it is still at {@code revision}; see {@link #create} for a reported failure. */
    <T> Versioned<T> replace(DocumentKey key, long revision, T value) {
        return new Versioned<>(value, replaceBytes(key, revision, StoredDocuments.write(value)).revision());
    }

    /** Replaces a document at {@code revision}, resolving a reported failure by reading back as {@link #create} does. */
    private Document replaceBytes(DocumentKey key, long revision, byte[] bytes) {
        try {
            return store.replace(key, revision, bytes);
        } catch (StorageException failed) {
            Optional<Document> now = readBack(key, failed)
                    .filter(d -> d.revision() == revision + 1 && Arrays.equals(d.content(), bytes));
            if (now.isPresent()) {
                LOG.warn("replacing {} reported a failure, but the new revision is there as written: {}", key,
                        failed.getMessage());
                return now.get();
            }
            throw failed;
        }
    }

    /** The document as it is now, or empty if it cannot be read either (then {@code failed} carries why). */
    private Optional<Document> readBack(DocumentKey key, StorageException failed) {
        try {
            return store.read(key);
        } catch (RuntimeException unreadable) {
            failed.addSuppressed(unreadable);
            return Optional.empty();
        }
    }

    /**
     * Applies {@code change} to the current value and writes it back with compare-and-set,
     * retrying on a lost race. {@code change} may throw to abort; returning the same instance
     * writes nothing.
     */
    <T> Versioned<T> update(DocumentKey key, Class<T> type, Supplier<String> notFound, UnaryOperator<T> change) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Versioned<T> current = require(key, type, notFound);
            T next = change.apply(current.value());
            if (next == current.value()) {
                return current;
            }
            try {
                Document d = replaceBytes(key, current.revision(), StoredDocuments.write(next));
                return new Versioned<>(next, d.revision());
            } catch (ConflictException lostRace) {
                Thread.onSpinWait();
            }
        }
        throw new ConflictException("gave up updating " + key + " after " + MAX_CAS_ATTEMPTS
                + " compare-and-set attempts lost to concurrent writers");
    }

    /**
     * Lists and parses one page. A damaged document is skipped with a warning, as MLflow's file
     * store skips malformed entries: one bad file must not hide every healthy version; verify()
     * reports it. Pages may then be shorter than {@code limit} and still carry a token.
     */
    <T> Page<Versioned<T>> list(DocumentKey parent, Optional<String> startAfter, int limit, Class<T> type) {
        try {
            return listStrict(parent, startAfter, limit, type);
        } catch (IntegrityException damaged) {
            Page<DocumentKey> keys = store.listKeys(parent, startAfter, limit);
            List<Versioned<T>> items = new ArrayList<>(keys.items().size());
            for (DocumentKey key : keys.items()) {
                try {
                    read(key, type).ifPresent(items::add);
                } catch (IntegrityException e) {
                    LOG.warn("skipping damaged document {} in a listing; run verify for details: {}", key, e.getMessage());
                }
            }
            return new Page<>(items, keys.nextPageToken());
        }
    }

    /** Lists and parses one page; a damaged document fails the page (for garbage collection). */
    <T> Page<Versioned<T>> listStrict(DocumentKey parent, Optional<String> startAfter, int limit, Class<T> type) {
        Page<Document> page = store.list(parent, startAfter, limit);
        List<Versioned<T>> items = new ArrayList<>(page.items().size());
        for (Document d : page.items()) {
            items.add(parse(d, type));
        }
        return new Page<>(items, page.nextPageToken());
    }

    static <T> Versioned<T> parse(Document d, Class<T> type) {
        return new Versioned<>(StoredDocuments.read(d.content(), type, "document " + d.key()), d.revision());
    }
}
