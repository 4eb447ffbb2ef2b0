package dev.mlops.registry.fs;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.RegistryCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;

/** The registry over the filesystem store. */
@DisplayName("Registry over FileSystemStore")
class FileSystemRegistryCompatibilityTest extends RegistryCompatibilityKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return FileSystemStore.open(dir, clock);
    }
}
