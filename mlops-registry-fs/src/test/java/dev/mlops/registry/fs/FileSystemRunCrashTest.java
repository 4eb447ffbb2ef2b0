package dev.mlops.registry.fs;

import dev.mlops.registry.tck.process.RunCrashKit;
import dev.mlops.registry.tck.process.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** Run loggers killed with SIGKILL on a filesystem store. */
@DisplayName("Run tracking on FileSystemStore: SIGKILL while logging")
class FileSystemRunCrashTest extends RunCrashKit {
    @Override
    protected StoreConfig createStore(Path dir) {
        return new StoreConfig("fs", Map.of("path", dir.toString()));
    }
}
