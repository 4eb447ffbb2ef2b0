package dev.mlops.examples;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.RegistryCompatibilityKit;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.DisplayName;

/** The registry's semantics hold over the example's KeyValueStore. */
@DisplayName("Registry over KeyValueStore")
class KeyValueStoreRegistryTest extends RegistryCompatibilityKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return new KeyValueStore(new ConcurrentSkipListMap<>(), clock);   // blob times come from the kit's clock
    }
}
