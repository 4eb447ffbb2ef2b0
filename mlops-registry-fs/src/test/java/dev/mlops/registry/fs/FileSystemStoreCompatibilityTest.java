package dev.mlops.registry.fs;

import dev.mlops.api.store.DocumentKey;
import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.StoreCompatibilityKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;

@DisplayName("FileSystemStore passes the store compatibility kit")
class FileSystemStoreCompatibilityTest extends StoreCompatibilityKit {

    @Override
    protected Store createStore(Path dir) {
        return FileSystemStore.open(dir);
    }

    @Override
    protected void corruptBlob(Store store, String sha256) {
        Path root = ((FileSystemStore) store).root();
        edit(root.resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256), b -> b[b.length - 1] ^= 0x5a);
    }

    @Override
    protected void corruptDocument(Store store, DocumentKey key) {
        Path file = new Layout(((FileSystemStore) store).root()).docFile(key);
        try {
            byte[] b = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(b, b.length / 2)); // truncated, as by a crash without flush
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void corruptJournalEntry(Store store, long sequence) {
        Path file = new Layout(((FileSystemStore) store).root()).entryFile(sequence);
        edit(file, b -> b[b.length - 2] ^= 0x01); // payload byte; the stored hash stays
    }

    private interface Edit {
        void apply(byte[] bytes);
    }

    private static void edit(Path file, Edit edit) {
        try {
            byte[] b = Files.readAllBytes(file);
            edit.apply(b);
            Files.write(file, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
