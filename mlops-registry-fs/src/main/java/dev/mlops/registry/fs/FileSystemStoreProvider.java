package dev.mlops.registry.fs;

import dev.mlops.api.Names;
import dev.mlops.api.store.Store;
import dev.mlops.api.store.StoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens a {@link FileSystemStore} by name for {@link dev.mlops.api.store.Stores#open}: name
 * {@code fs}; settings {@code path}, the store's directory (created if absent), and
 * {@code recover-layout}, {@code true} to open a store whose {@code FORMAT} file or layout
 * directories were lost ({@link FileSystemStore#openRecoveringLayout(Path)}), {@code false} by
 * default.
 *
 * <pre>{@code
 * Store store = Stores.open("fs", Map.of("path", "/var/lib/mlops"));
 * }</pre>
 */
public final class FileSystemStoreProvider implements StoreProvider {
    /** The provider's name. */
    public static final String NAME = "fs";
    /** The setting that names the store's directory. */
    public static final String PATH = "path";
    /** The setting that, {@code true}, recovers a store's lost FORMAT file and layout directories. */
    public static final String RECOVER_LAYOUT = "recover-layout";

    /** Called by {@link java.util.ServiceLoader}. */
    public FileSystemStoreProvider() {
    }

    /** @return {@code fs} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param config must hold {@code path}, a directory; may hold {@code recover-layout},
     *     {@code true} or {@code false}; no other key is accepted, so a misspelt setting is
     *     reported rather than ignored
     * @return the open store
     * @throws IllegalArgumentException if {@code path} is missing, blank or not a path,
     *     {@code recover-layout} is neither {@code true} nor {@code false}, or an unknown setting
     *     is present
     */
    @Override
    public Store open(Map<String, String> config) {
        Objects.requireNonNull(config, "config");
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.remove(PATH);
        unknown.remove(RECOVER_LAYOUT);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("store 'fs' does not know the setting(s) " + unknown
                    + "; its settings are '" + PATH + "' (the store directory) and '" + RECOVER_LAYOUT + "'");
        }
        String recover = config.getOrDefault(RECOVER_LAYOUT, "false");
        if (!recover.equals("true") && !recover.equals("false")) {
            throw new IllegalArgumentException("store 'fs' setting '" + RECOVER_LAYOUT + "' is " + Names.quote(recover)
                    + "; expected 'true' or 'false'");
        }
        String path = config.get(PATH);
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("store 'fs' needs the setting '" + PATH
                    + "': the directory of the store, e.g. /var/lib/mlops");
        }
        Path dir;
        try {
            dir = Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("store 'fs' setting '" + PATH + "' is not a valid path: "
                    + e.getMessage(), e);
        }
        return recover.equals("true") ? FileSystemStore.openRecoveringLayout(dir) : FileSystemStore.open(dir);
    }
}
