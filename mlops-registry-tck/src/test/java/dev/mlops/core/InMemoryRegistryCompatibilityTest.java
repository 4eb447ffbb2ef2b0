package dev.mlops.core;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.RegistryCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;

/** The registry over the in-memory store. */
@DisplayName("Registry over InMemoryStore")
class InMemoryRegistryCompatibilityTest extends RegistryCompatibilityKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return new InMemoryStore(clock);
    }
}
