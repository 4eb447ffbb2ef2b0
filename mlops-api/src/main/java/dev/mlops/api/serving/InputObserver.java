package dev.mlops.api.serving;

/**
 * Receives (a sample of) the inputs a {@link ModelService} serves, for monitoring. The drift
 * module's monitor implements it, so core serving does not depend on the drift module.
 * Called on the request thread: implementations must be fast (well under a microsecond),
 * thread-safe, and must not throw; a throwing observer is counted and ignored.
 *
 * @param <I> input type
 */
@FunctionalInterface
public interface InputObserver<I> {
    /** @param input one served input */
    void observe(I input);
}
