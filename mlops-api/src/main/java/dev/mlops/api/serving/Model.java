package dev.mlops.api.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A loaded, callable model: whatever the user already has (an ONNX session, a Tribuo model, a
 * plain function) behind one interface. Implementations must be safe for concurrent
 * {@link #predict} calls; {@link #close} is called once, after every call in flight has
 * finished.
 *
 * @param <I> input type
 * @param <O> output type
 */
public interface Model<I, O> extends AutoCloseable {

    /**
     * @param input one input
     * @return the model's output
     */
    O predict(I input);

    /**
     * Predicts a batch. The default calls {@link #predict} per input; models with a faster
     * batch path override it.
     *
     * @param inputs the inputs
     * @return one output per input, in order
     */
    default List<O> predictAll(List<I> inputs) {
        List<O> out = new ArrayList<>(inputs.size());
        for (I i : inputs) {
            out.add(predict(i));
        }
        return out;
    }

    /** Releases native or heavy resources. The default does nothing. */
    @Override
    default void close() {
    }

    /**
     * Wraps a plain function.
     *
     * @param function the model's logic
     * @param <I> input type
     * @param <O> output type
     * @return a model that calls it
     */
    static <I, O> Model<I, O> of(Function<? super I, ? extends O> function) {
        Objects.requireNonNull(function, "function");
        return function::apply;
    }
}
