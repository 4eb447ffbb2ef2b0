package dev.mlops.registry.fs;

import dev.mlops.api.store.Store;
import dev.mlops.registry.tck.faults.FaultInjectionKit;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;

@DisplayName("FileSystemStore under fault injection")
class FileSystemFaultInjectionTest extends FaultInjectionKit {
    @Override
    protected Store createStore(Path dir, Clock clock) {
        return FileSystemStore.open(dir, clock);
    }
}
