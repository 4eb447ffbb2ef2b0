package dev.mlops.core;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.RunTrackingCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;

/** Run tracking over the in-memory store. */
@DisplayName("Run tracking over InMemoryStore")
class InMemoryRunTrackingCompatibilityTest extends RunTrackingCompatibilityKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return new InMemoryStore(clock);
    }
}
