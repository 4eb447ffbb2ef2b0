package dev.mlops.core;

import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.StoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The in-memory store passes the store compatibility kit. */
@DisplayName("InMemoryStore passes the store compatibility kit")
class InMemoryStoreCompatibilityTest extends StoreCompatibilityKit {

    @Override
    protected Store createStore(Path dir) {
        return new InMemoryStore();
    }

    @Override
    protected boolean persistent() {
        return false;
    }

    @Override
    protected void corruptBlob(Store store, String sha256) {
        ((InMemoryStore) store).damageBlob(sha256);
    }

    @Override
    protected void corruptDocument(Store store, DocumentKey key) {
        ((InMemoryStore) store).damageDocument(key);
    }

    @Override
    protected void corruptJournalEntry(Store store, long sequence) {
        ((InMemoryStore) store).damageJournalEntry(sequence);
    }
}
