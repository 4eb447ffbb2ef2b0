package dev.mlops.cli;

import dev.mlops.api.store.BlobInfo;
import dev.mlops.api.store.ForwardingStore;
import dev.mlops.api.store.Store;
import java.io.InputStream;

/**
 * A store that counts the bytes the registry writes as blobs, for the progress line of
 * {@code register} and {@code datasets register}: the registry copies an artifact through
 * {@link Store#putBlob}, so counting there needs no hook in the registry or the API. Everything
 * else is passed through unchanged; closing the store also ends the task's line if a failure
 * left it open.
 */
final class ByteCountingStore extends ForwardingStore {
    private final Progress.Task task;

    ByteCountingStore(Store store, Progress.Task task) {
        super(store);
        this.task = task;
    }

    @Override
    public BlobInfo putBlob(InputStream content) {
        return super.putBlob(new ProgressInputStream(content, task));
    }

    @Override
    public void close() {
        try {
            task.close();
        } finally {
            super.close();
        }
    }
}
