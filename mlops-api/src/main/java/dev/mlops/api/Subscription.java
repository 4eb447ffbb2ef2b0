package dev.mlops.api;

/**
 * A registered listener. Closing it unregisters the listener; closing twice is harmless. Unlike
 * {@link AutoCloseable#close()}, it throws nothing, so try-with-resources needs no catch.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Unregisters the listener. Idempotent; throws nothing. */
    @Override
    void close();
}
