package dev.mlops.core;

import dev.mlops.api.ConflictException;
import dev.mlops.api.IntegrityException;
import dev.mlops.api.NotFoundException;
import dev.mlops.api.Page;
import dev.mlops.api.store.Document;
import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import java.util.ArrayList;
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

    <T> Versioned<T> create(DocumentKey key, T value) {
        Document d = store.create(key, Json.write(value));
        return new Versioned<>(value, d.revision());
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
                Document d = store.replace(key, current.revision(), Json.write(next));
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
        return new Versioned<>(Json.read(d.content(), type, "document " + d.key()), d.revision());
    }
}
