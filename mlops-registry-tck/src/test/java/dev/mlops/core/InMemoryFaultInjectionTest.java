package dev.mlops.core;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.faults.FaultInjectionKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;

@DisplayName("InMemoryStore under fault injection")
class InMemoryFaultInjectionTest extends FaultInjectionKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return new InMemoryStore(clock);
    }
}
