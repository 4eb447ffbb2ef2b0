package dev.mlops.api;

/**
 * Told that an alias of a model moved, was rolled back or was removed, by any registry of this
 * JVM over the same store ({@link ModelRegistry#onAliasMoved}). It runs on the thread that moved
 * the alias, after the move is committed: it must only hand the notice over, never block, and
 * never throw (a throwing listener is logged and skipped).
 */
@FunctionalInterface
public interface AliasListener {

    /**
     * @param model the model whose alias moved
     * @param alias the alias that moved (or was removed); read the registry for where it points
     */
    void aliasMoved(String model, String alias);
}
