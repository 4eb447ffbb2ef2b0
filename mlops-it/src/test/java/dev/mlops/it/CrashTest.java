package dev.mlops.it;

import dev.mlops.registry.tck.process.CrashKit;
import dev.mlops.registry.tck.process.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * Must-show 2 on the filesystem store: child JVMs register versions and move aliases in a loop
 * on one store directory and are killed with SIGKILL at random moments, at least 50 times; the
 * test body is the process kit's {@link CrashKit}.
 */
@DisplayName("SIGKILL at random moments")
class CrashTest extends CrashKit {

    @Override
    protected StoreConfig createStore(Path dir) {
        return new StoreConfig("fs", Map.of("path", dir.toString()));
    }

    @Override
    protected int kills() {
        return Integer.getInteger("mlops.it.crash.kills", 54);
    }

    @Override
    protected int minimumKills() {
        return 50;
    }
}
