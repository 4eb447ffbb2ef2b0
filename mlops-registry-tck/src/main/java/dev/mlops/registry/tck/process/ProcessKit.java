package dev.mlops.registry.tck.process;

import java.nio.file.Path;

/**
 * What every process kit ({@link CrashKit}, {@link ConcurrencyKit}, {@link MultiProcessKit})
 * needs from a backend: a fresh store per test, described so that a child JVM can open it. The
 * children are started on the class path of the running test, so the backend's provider must be
 * on it and registered for {@link dev.mlops.api.store.Stores#open(String, java.util.Map)}.
 */
public abstract class ProcessKit {

    /** For subclasses. */
    protected ProcessKit() {
    }

    /**
     * Creates a new, empty store for one test (a fresh directory, a fresh schema) and makes it
     * ready for use, so that children that start together start alike.
     *
     * @param dir an empty directory of this test, for backends that keep their data in files
     * @return how the test and its children open the store
     */
    protected abstract StoreConfig createStore(Path dir);

    /**
     * How one child opens the store; by default as the test does. A backend may name the child
     * in the settings, as PostgreSQL's {@code ApplicationName}, to watch it from outside.
     *
     * @param store what {@link #createStore(Path)} returned
     * @param childName a name unique within the test, such as {@code crash-7}
     * @return the settings the child gets
     */
    protected StoreConfig forChild(StoreConfig store, String childName) {
        return store;
    }
}
