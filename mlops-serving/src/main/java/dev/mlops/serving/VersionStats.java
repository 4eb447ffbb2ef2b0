package dev.mlops.serving;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencySnapshot;
import dev.mlops.api.serving.VersionMetrics;
import dev.mlops.core.StripedLongs;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one version inside one service, resolved once when the version is loaded so a
 * request touches them directly. Successful calls are counted exactly in {@link #successes},
 * striped so that request threads do not share a cache line; the latency histogram holds the
 * timed sample of them (every call, or one in {@code latencySampling}). Calls are the
 * successes plus the errors.
 */
final class VersionStats {
    final ModelRef.Version version;
    final LatencyHistogram latency = new LatencyHistogram();
    /** Successful calls (inputs of a batch each count), by thread cell; also what the sampling counts. */
    final StripedLongs successes = new StripedLongs();
    final LongAdder errors = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder shadowCalls = new LongAdder();
    final LongAdder shadowAgreements = new LongAdder();
    final LongAdder shadowErrors = new LongAdder();
    final LongAdder feedbackCount = new LongAdder();
    final DoubleAdder errorSum = new DoubleAdder();

    VersionStats(ModelRef.Version version) {
        this.version = version;
    }

    VersionMetrics snapshot() {
        LatencySnapshot l = latency.snapshot(successes.sum());
        long e = errors.sum();
        long fc = feedbackCount.sum();
        double sum = errorSum.sum();
        return new VersionMetrics(version, l.count() + e, e, fallbacks.sum(), l, shadowCalls.sum(),
                shadowAgreements.sum(), shadowErrors.sum(), fc, fc == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / fc));
    }
}
