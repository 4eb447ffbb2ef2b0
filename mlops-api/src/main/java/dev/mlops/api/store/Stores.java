package dev.mlops.api.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/** Finds {@link StoreProvider}s on the class path by name. */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens a store through the one provider called {@code name}.
     *
     * @param name provider name, such as {@code fs}
     * @param config provider settings
     * @return an open store
     * @throws IllegalStateException if no provider, or more than one, has that name; never a
     *     silent fallback to another backend
     */
    public static Store open(String name, Map<String, String> config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        List<StoreProvider> matches = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader())) {
            known.add(p.name());
            if (p.name().equals(name)) {
                matches.add(p);
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalStateException("no store provider named '" + name + "' on the class path (found: "
                    + known + "); add the module that provides it, e.g. dev.mlops:mlops-registry-fs for 'fs'");
        }
        if (matches.size() > 1) {
            List<String> classes = matches.stream().map(p -> p.getClass().getName()).toList();
            throw new IllegalStateException("more than one store provider is named '" + name + "': " + classes);
        }
        return matches.get(0).open(config);
    }
}
