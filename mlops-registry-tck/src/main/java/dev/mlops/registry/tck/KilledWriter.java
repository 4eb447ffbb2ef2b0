package dev.mlops.registry.tck;

import dev.mlops.api.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Objects;

/** Stores that stand for a writer killed at a chosen moment, for registry tests on any backend. */
public final class KilledWriter {
    private KilledWriter() {
    }

    /**
     * @param store the real store
     * @return a view of {@code store} whose journal appends fail with {@link IllegalStateException}:
     *     a registry using it commits each change and then dies before its audit entry, as a
     *     process killed between the two does. Closing the view closes {@code store}.
     */
    public static Store beforeAuditEntry(Store store) {
        Objects.requireNonNull(store, "store");
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("append")) {
                        throw new IllegalStateException("killed between the commit and its audit entry");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
