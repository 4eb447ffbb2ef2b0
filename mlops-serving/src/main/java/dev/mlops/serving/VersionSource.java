package dev.mlops.serving;

import dev.mlops.api.AliasListener;
import dev.mlops.api.ModelRef;
import dev.mlops.api.ModelRegistry;
import dev.mlops.api.ModelVersion;
import dev.mlops.api.Subscription;
import java.nio.file.Path;

/**
 * Where a model service finds versions: resolution of its references, artifact export, and
 * notice of alias moves. The production one reads the registry; tests substitute
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
    Subscription subscribe(String model, AliasListener listener);

    /**
     * A registry's versions, through its public API. Export reads the version again and copies
     * its blobs, verified, so a version deleted meanwhile fails to load instead of loading stale.
     */
    static VersionSource of(ModelRegistry registry) {
        return new VersionSource() {
            @Override
            public ModelVersion resolve(ModelRef ref) {
                return registry.resolve(ref);
            }

            @Override
            public void export(ModelVersion version, Path directory) {
                registry.exportArtifact(version.ref(), directory);
            }

            @Override
            public Subscription subscribe(String model, AliasListener listener) {
                return registry.onAliasMoved(model, listener);
            }
        };
    }
}
