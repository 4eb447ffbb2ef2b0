package dev.mlops.core;

import dev.mlops.api.AliasListener;
import dev.mlops.api.Subscription;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process notice of alias moves: every registry of this JVM fires here after a
 * {@code setAlias}, {@code rollback} or {@code removeAlias} succeeded, so a model service that
 * follows an alias of the same store sees the move at once instead of at its next poll. Stores
 * are told apart by {@link dev.mlops.api.store.Store#describe()}, so two {@link Mlops} instances
 * opened on one directory share their notices. Listeners run on the thread that moved the alias
 * and must only hand the notice over (never block, never throw).
 */
final class AliasEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AliasEvents.class);

    private record Registration(String model, AliasListener listener) {
    }

    private static final ConcurrentHashMap<String, CopyOnWriteArrayList<Registration>> BY_STORE =
            new ConcurrentHashMap<>();

    private AliasEvents() {
    }

    /**
     * @param store the store's description
     * @param model the model to hear about
     * @param listener what to call
     * @return closing it unsubscribes (idempotent)
     */
    static Subscription subscribe(String store, String model, AliasListener listener) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(listener, "listener");
        Registration s = new Registration(model, listener);
        BY_STORE.compute(store, (k, list) -> {
            CopyOnWriteArrayList<Registration> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(s);
            return l;
        });
        return () -> BY_STORE.computeIfPresent(store, (k, list) -> {
            list.remove(s);
            return list.isEmpty() ? null : list;
        });
    }

    /** Tells every listener of {@code model} in {@code store}; a throwing listener is logged and skipped. */
    static void fire(String store, String model, String alias) {
        CopyOnWriteArrayList<Registration> list = BY_STORE.get(store);
        if (list == null) {
            return;
        }
        for (Registration s : list) {
            if (s.model.equals(model)) {
                try {
                    s.listener.aliasMoved(model, alias);
                } catch (RuntimeException e) {
                    LOG.warn("alias listener for {}@{} in {} failed: {}", model, alias, store, e.toString(), e);
                }
            }
        }
    }

    /** @return how many listeners the store has (tests: no subscription outlives its service) */
    static int listenerCount(String store) {
        CopyOnWriteArrayList<Registration> list = BY_STORE.get(store);
        return list == null ? 0 : list.size();
    }
}
