package dev.mlops.serving;

import dev.mlops.api.Subscription;
import dev.mlops.api.serving.LatencyListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LatencyListener}s of one service. The request path reads {@link #current} once
 * per call: null while nobody listens, so an unobserved service pays a volatile read and a
 * null check. Subscribing rebuilds {@code current} (one guarded listener, or a fan-out over an
 * array), so a call never allocates or locks for the listeners, and a listener that throws
 * cannot fail the request.
 */
final class LatencyListeners {
    private static final Logger LOG = LoggerFactory.getLogger(LatencyListeners.class);

    private final String service;
    private final List<LatencyListener> all = new ArrayList<>(); // guarded by this
    private final AtomicBoolean warned = new AtomicBoolean();
    /** What the request path calls; null when there is no listener. */
    volatile LatencyListener current;

    LatencyListeners(String service) {
        this.service = service;
    }

    synchronized Subscription add(LatencyListener listener) {
        Objects.requireNonNull(listener, "listener");
        all.add(listener);
        rebuild();
        return () -> remove(listener);
    }

    private synchronized void remove(LatencyListener listener) {
        // by identity, once: the same listener subscribed twice is told twice until both handles close
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == listener) {
                all.remove(i);
                rebuild();
                return;
            }
        }
    }

    private void rebuild() {
        if (all.isEmpty()) {
            current = null;
        } else if (all.size() == 1) {
            LatencyListener only = all.get(0);
            current = (version, failed, inputs, nanos) -> {
                try {
                    only.timed(version, failed, inputs, nanos);
                } catch (RuntimeException e) {
                    failed(only, e);
                }
            };
        } else {
            LatencyListener[] each = all.toArray(new LatencyListener[0]);
            current = (version, failed, inputs, nanos) -> {
                for (LatencyListener l : each) {
                    try {
                        l.timed(version, failed, inputs, nanos);
                    } catch (RuntimeException e) {
                        failed(l, e);
                    }
                }
            };
        }
    }

    /** Logs the first failure at WARN (a listener that throws would throw on every call), the rest at DEBUG. */
    private void failed(LatencyListener l, RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("model service {}: latency listener {} threw {}; ignored (further failures are logged at DEBUG)",
                    service, l, e.toString(), e);
        } else {
            LOG.debug("model service {}: latency listener {} threw {}", service, l, e.toString());
        }
    }
}
