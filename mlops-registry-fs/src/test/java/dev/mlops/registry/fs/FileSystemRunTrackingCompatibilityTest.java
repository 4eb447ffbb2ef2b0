package dev.mlops.registry.fs;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.RunTrackingCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;

/** Run tracking over the filesystem store. */
@DisplayName("Run tracking over FileSystemStore")
class FileSystemRunTrackingCompatibilityTest extends RunTrackingCompatibilityKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return FileSystemStore.open(dir, clock);
    }
}
