package dev.mlops.it;

import dev.mlops.registry.tck.process.ConcurrencyKit;
import dev.mlops.registry.tck.process.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * Must-show 3 on the filesystem store: four JVM processes register 100 versions each into one
 * model and move its aliases at the same time; the test body is the process kit's
 * {@link ConcurrencyKit}.
 */
@DisplayName("4 processes x 100 registrations into one model")
class ConcurrencyTest extends ConcurrencyKit {

    @Override
    protected StoreConfig createStore(Path dir) {
        return new StoreConfig("fs", Map.of("path", dir.toString()));
    }
}
