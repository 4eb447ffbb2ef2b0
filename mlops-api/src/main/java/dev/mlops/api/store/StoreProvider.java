package dev.mlops.api.store;

import java.util.Map;

/**
 * Opens a {@link Store} by name, for applications that choose their backend from
 * configuration. Registered through {@link java.util.ServiceLoader}; most code wires a store
 * explicitly instead.
 */
public interface StoreProvider {

    /** @return the backend's name, such as {@code fs}; unique among providers */
    String name();

    /**
     * @param config backend-specific settings (for {@code fs}: {@code path})
     * @return an open store
     * @throws IllegalArgumentException if a required setting is missing or wrong
     */
    Store open(Map<String, String> config);
}
