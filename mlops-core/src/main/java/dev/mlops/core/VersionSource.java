package dev.mlops.core;

import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import java.nio.file.Path;

/**
 * Where a model service finds versions: resolution of its references, artifact export, and
 * notice of alias moves. The production one reads the (uncached) registry; tests substitute
 * resolution to drive thousands of swaps cheaply.
 */
interface VersionSource {

    /** @return the version {@code ref} points at now */
    ModelVersion resolve(ModelRef ref);

    /** Copies the version's artifact files into {@code directory}, verified. */
    void export(ModelVersion version, Path directory);

    /**
     * @param model a model name
     * @param listener told about alias moves of that model made in this JVM
     * @return closing it unsubscribes
     */
    AutoCloseable subscribe(String model, AliasEvents.Listener listener);

    /**
     * The registry of an {@link Mlops} instance, with in-process alias notices for its store.
     * Export goes straight to the blobs of the manifest already resolved (no second read of the
     * model document).
     */
    static VersionSource of(ModelRegistry registry, Artifacts artifacts, String store) {
        return new VersionSource() {
            @Override
            public ModelVersion resolve(ModelRef ref) {
                return registry.resolve(ref);
            }

            @Override
            public void export(ModelVersion version, Path directory) {
                artifacts.export(version.artifact(), directory, "version " + version.ref());
            }

            @Override
            public AutoCloseable subscribe(String model, AliasEvents.Listener listener) {
                return AliasEvents.subscribe(store, model, listener);
            }
        };
    }
}
