package dev.mlops.api.serving;

/**
 * Receives (a sample of) the answers a {@link ModelService}'s model gives, with their inputs, for
 * monitoring what the model predicts: the estimation module's performance monitor implements it,
 * so serving does not depend on that module. Called on the request thread once the model
 * answered (not for a fallback's answer), once per input of a batch. Implementations must be
 * fast (well under a microsecond), thread-safe, must not allocate or block, and must not throw;
 * a throwing observer is counted with the input observers' errors and ignored.
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface OutputObserver<I, O> {
    /**
     * @param input one served input
     * @param output the model's answer to it
     */
    void observe(I input, O output);
}
