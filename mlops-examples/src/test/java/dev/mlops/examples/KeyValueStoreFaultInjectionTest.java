package dev.mlops.examples;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.faults.FaultInjectionKit;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.DisplayName;

/** Every registry operation over the example's KeyValueStore, failed at each write point, answers the truth. */
@DisplayName("KeyValueStore under fault injection")
class KeyValueStoreFaultInjectionTest extends FaultInjectionKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return new KeyValueStore(new ConcurrentSkipListMap<>(), clock);
    }
}
