package dev.mlops.examples;

import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.StoreCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.DisplayName;

/** The example's KeyValueStore passes the whole store compatibility kit. */
@DisplayName("KeyValueStore passes the store compatibility kit")
class KeyValueStoreCompatibilityTest extends StoreCompatibilityKit {

    /** The "service": one map per test, kept when a store is closed and opened again. */
    private final ConcurrentNavigableMap<String, byte[]> service = new ConcurrentSkipListMap<>();

    @Override
    protected Store createStore(Path dir) {
        return new KeyValueStore(service, Clock.systemUTC());
    }

    // only the backend knows how to damage its own data: here, by rewriting map entries

    @Override
    protected void corruptBlob(Store store, String sha256) {
        service.computeIfPresent(KeyValueStore.blobKey(sha256), (k, v) -> flipLastByte(v));
    }

    @Override
    protected void corruptDocument(Store store, DocumentKey key) {
        service.computeIfPresent(KeyValueStore.documentKey(key), (k, v) -> flipLastByte(v));
    }

    @Override
    protected void corruptJournalEntry(Store store, long sequence) {
        service.computeIfPresent(KeyValueStore.journalKey(sequence), (k, v) -> flipLastByte(v));   // the payload's
    }

    private static byte[] flipLastByte(byte[] value) {
        byte[] damaged = value.clone();
        damaged[damaged.length - 1] ^= 0x20;
        return damaged;
    }
}
