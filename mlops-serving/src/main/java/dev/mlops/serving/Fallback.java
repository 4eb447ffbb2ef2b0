package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.core.StripedLongs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What answers a request whose model threw: nothing, a function, or another version. The
 * service picks one when it is built; its request path asks it only after a model failed, so
 * it costs nothing on a successful request.
 *
 * @param <I> input type
 * @param <O> output type
 */
abstract class Fallback<I, O> {
    /**
     * What a fallback answered.
     *
     * @param output one output, or the list of a batch's outputs
     * @param version the version credited with the answer: the failed one for a function
     * @param stats counters of the version that computed the answer, null for a function
     * @param nanos time the answer took, the failed call's for a function
     */
    record Answer(Object output, ModelRef.Version version, VersionStats stats, long nanos) {
    }

    /** Carries what the fallback threw, so the service can attach it to the model's failure. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RuntimeException error;

        Failed(RuntimeException error) {
            super(null, error, false, false);
            this.error = error;
        }
    }

    /**
     * Answers one input ({@code batch} null) or a batch of {@code n} whose model call failed.
     *
     * @param failed the deployment whose model threw
     * @param nanos how long the failed call took
     * @return the answer, or null when there is no fallback
     * @throws Failed wrapping what the fallback threw
     */
    abstract Answer answer(Deployment<I, O> failed, I input, List<I> batch, int n, long nanos);

    static <I, O> Fallback<I, O> none() {
        return new Fallback<>() {
            @Override
            Answer answer(Deployment<I, O> failed, I input, List<I> batch, int n, long nanos) {
                return null;
            }
        };
    }

    static <I, O> Fallback<I, O> of(Function<? super I, ? extends O> function) {
        return new Fallback<>() {
            @Override
            Answer answer(Deployment<I, O> failed, I input, List<I> batch, int n, long nanos) {
                Object out;
                try {
                    if (batch == null) {
                        out = function.apply(input);
                    } else {
                        List<O> outs = new ArrayList<>(n);
                        for (I in : batch) {
                            outs.add(function.apply(in));
                        }
                        out = outs;
                    }
                } catch (RuntimeException e) {
                    throw new Failed(e);
                }
                return new Answer(out, failed.version, null, nanos);
            }
        };
    }

    /**
     * @param service the service's name, for the message when it is closed
     * @param latency told the fallback version's call, as the primary's call is
     */
    static <I, O> Fallback<I, O> of(ServiceSlot<I, O> slot, String service, LatencyListeners latency) {
        return new Fallback<>() {
            @Override
            Answer answer(Deployment<I, O> failed, I input, List<I> batch, int n, long nanos) {
                Deployment<I, O> f = slot.acquire(service);
                try {
                    long t0 = System.nanoTime();
                    Object out;
                    try {
                        out = f.predict(input, batch, n, "fallback ");
                    } catch (RuntimeException e) {
                        f.stats.errors.add(n);
                        LatencyListener timed = latency.current;
                        if (timed != null) {
                            timed.timed(f.version, true, n, System.nanoTime() - t0);
                        }
                        throw new Failed(e);
                    }
                    long took = System.nanoTime() - t0;
                    f.stats.successes.add(StripedLongs.cell(), n);
                    f.stats.latency.record(Deployment.perInput(took, n), n);
                    LatencyListener timed = latency.current;
                    if (timed != null) {
                        timed.timed(f.version, false, n, took);
                    }
                    return new Answer(out, f.version, f.stats, took);
                } finally {
                    f.release();
                }
            }
        };
    }
}
