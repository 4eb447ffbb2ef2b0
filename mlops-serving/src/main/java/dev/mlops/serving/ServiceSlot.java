package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.api.Names;
import dev.mlops.core.StripedLongs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One reference a service follows (its primary, a challenger, a shadow or a fallback version)
 * and the deployment serving it now. The deployment field is the only thing a request reads;
 * everything else is guarded by the service's swap lock. A swap publishes by compare-and-set
 * and closing takes the deployment out by get-and-set, so closing needs no lock and a swap that
 * finishes after the service closed cannot bring a deployment back.
 *
 * @param <I> input type
 * @param <O> output type
 */
final class ServiceSlot<I, O> {
    private static final VarHandle LIVE;

    static {
        try {
            LIVE = MethodHandles.lookup().findVarHandle(ServiceSlot.class, "live", Deployment.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String role;
    final ModelRef ref;
    /** The deployment serving now; null once the service is closed. */
    volatile Deployment<I, O> live;

    // back-off state, guarded by the service's lock
    ModelRef.Version failing;
    int failures;
    long retryAtNanos;
    String resolveProblem;

    ServiceSlot(String role, ModelRef ref) {
        this.role = role;
        this.ref = ref;
    }

    /**
     * @param service the service's name, for the message
     * @return the live deployment with a reference held for the caller
     * @throws IllegalStateException if the service is closed
     */
    Deployment<I, O> acquire(String service) {
        return acquire(service, StripedLongs.cell());
    }

    /**
     * {@link #acquire(String)} with the reference taken in the caller's cell, which the caller
     * then releases with {@link Deployment#release(int)}.
     */
    Deployment<I, O> acquire(String service, int cell) {
        for (;;) {
            Deployment<I, O> d = live;
            if (d == null) {
                throw closed(service);
            }
            if (d.tryAcquire(cell)) {
                return d;
            }
            // d was retired and closed after we read it: the slot already holds its successor
        }
    }

    /** Built out of line: the message's string work stays off the request path's compiled code. */
    private static IllegalStateException closed(String service) {
        return new IllegalStateException("model service " + Names.quote(service) + " is closed");
    }

    /** @return the live deployment with a reference held, or null once the service is closed */
    Deployment<I, O> tryAcquire() {
        for (;;) {
            Deployment<I, O> d = live;
            if (d == null) {
                return null;
            }
            if (d.tryAcquire()) {
                return d;
            }
        }
    }

    /**
     * Publishes {@code next} if {@code expected} still serves.
     *
     * @return false if the slot changed meanwhile (the service closed); the caller still owns {@code next}
     */
    boolean replace(Deployment<I, O> expected, Deployment<I, O> next) {
        return LIVE.compareAndSet(this, expected, next);
    }

    /** @return the deployment serving until now, or null; the slot is empty afterwards */
    @SuppressWarnings("unchecked")
    Deployment<I, O> takeForClose() {
        return (Deployment<I, O>) LIVE.getAndSet(this, (Deployment<I, O>) null);
    }

    void clearFailure() {
        failing = null;
        failures = 0;
        retryAtNanos = 0;
    }
}
