package dev.mlops.registry.fs;

import dev.mlops.registry.tck.process.MultiProcessKit;
import dev.mlops.registry.tck.process.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The process kit's store-level promises with several JVM processes on one store directory. */
@DisplayName("Several JVM processes on one store directory")
class MultiProcessTest extends MultiProcessKit {

    @Override
    protected StoreConfig createStore(Path dir) {
        return new StoreConfig("fs", Map.of("path", dir.toString()));
    }
}
