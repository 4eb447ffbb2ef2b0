package dev.mlops.api.quality;

/**
 * Latency of single predictions measured in-process with {@code System.nanoTime()} after a
 * warm-up. A measurement, not a guarantee: it depends on the machine and its load.
 *
 * @param warmup calls made before measuring (not measured)
 * @param count calls measured
 * @param p50Nanos median, nearest-rank
 * @param p99Nanos 99th percentile, nearest-rank
 * @param meanNanos mean
 * @param maxNanos maximum
 */
public record LatencyMeasurement(int warmup, int count, long p50Nanos, long p99Nanos, double meanNanos, long maxNanos) {
}
