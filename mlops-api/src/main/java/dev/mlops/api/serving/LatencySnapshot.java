package dev.mlops.api.serving;

/**
 * Latency of successful calls, from a histogram with bounded relative error. A model service
 * times a sample of its calls (one in {@code latencySampling}, see {@code ModelServiceBuilder});
 * the count is exact, the percentiles and the maximum are those of the timed sample.
 *
 * @param count successful calls, every one counted
 * @param p50Nanos median
 * @param p90Nanos 90th percentile
 * @param p99Nanos 99th percentile
 * @param maxNanos maximum
 */
public record LatencySnapshot(long count, long p50Nanos, long p90Nanos, long p99Nanos, long maxNanos) {
}
