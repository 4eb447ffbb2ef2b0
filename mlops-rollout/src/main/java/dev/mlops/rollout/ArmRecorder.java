package dev.mlops.rollout;

import dev.mlops.api.ModelRef;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.core.StripedLongs;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts one instance's requests, errors, live losses and latencies per arm, on the request
 * thread, without locks or allocation; {@link #snapshot} gives the {@link ArmStats} to publish.
 *
 * <p>Latency quantiles are compared through exceedances of <b>predictable</b> thresholds: the
 * control's running median and 99th percentile, computed from a log-scale histogram of the
 * control latencies seen <i>before</i> the request (recomputed every {@value #RECOMPUTE_EVERY}
 * control latencies once {@value #LATENCY_BURN_IN} are known, every 1,024 after
 * {@value #RECOMPUTE_SLOWER_AFTER}; counted per request-thread cell, so with one thread exactly
 * so, with several each thread's cell on its own count, and nothing on the request path is
 * shared between threads but the striped histogram). A request of either arm is
 * counted as "over p99" when it took longer than the threshold at that moment. When both arms
 * have the same latency distribution, a request of either arm exceeds a threshold fixed before
 * it with the same probability, so the two exceedance shares have the same mean whatever the
 * thresholds did: the two-proportion test of {@link SequentialComparison} stays valid.
 *
 * <p>Feed it with {@link #latencyListener} on a {@code ModelService} ({@code service.onLatency})
 * and {@link #recordLoss} from feedback. Thread-safe.
 */
public final class ArmRecorder {

    /** Control latencies needed before the latency tests count anything. */
    public static final int LATENCY_BURN_IN = 100;
    /** Thresholds are recomputed after this many control latencies, up to {@link #RECOMPUTE_SLOWER_AFTER}. */
    public static final int RECOMPUTE_EVERY = 64;
    /** After this many control latencies the thresholds are recomputed 16 times less often. */
    public static final int RECOMPUTE_SLOWER_AFTER = 4096;

    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = (64 - SUB_BUCKET_BITS) * SUB_BUCKETS + SUB_BUCKETS;

    /**
     * Stripes of the control's histogram: request threads add to the stripe their thread hashes
     * to ({@link StripedLongs#cell()}), so two threads seldom write one cache line; a
     * recomputation sums the stripes.
     */
    static final int STRIPES = Math.min(8, StripedLongs.CELLS);

    private final Counters control = new Counters();
    private final Counters candidate = new Counters();
    private final AtomicLongArray controlHistogram = new AtomicLongArray(STRIPES * BUCKETS);
    // control latencies per thread cell: each cell decides its recomputations from its own count,
    // so no count is shared between request threads (one thread alone behaves as one counter)
    private final StripedLongs controlLatencies = new StripedLongs();
    // the stripes summed, by the one thread that recomputes (recomputeThresholds is synchronized)
    private final long[] merged = new long[BUCKETS];
    // -1 until the burn-in is over; both written by the thread that recomputes
    private volatile long p50Threshold = -1;
    private volatile long p99Threshold = -1;

    /**
     * One request.
     *
     * @param arm which arm answered
     * @param failed true when the model threw
     * @param nanos the model call's duration
     */
    public void record(Arm arm, boolean failed, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("latency must be >= 0 ns, was " + nanos);
        }
        Counters c = arm == Arm.CONTROL ? control : candidate;
        c.requests.increment();
        if (failed) {
            c.errors.increment();
        }
        long t50 = p50Threshold;
        long t99 = p99Threshold;
        if (t50 >= 0) {
            c.latencies.increment();
            if (nanos > t50) {
                c.overP50.increment();
            }
            if (nanos > t99) {
                c.overP99.increment();
            }
        }
        if (arm == Arm.CONTROL) {
            int cell = StripedLongs.cell();
            controlHistogram.getAndIncrement((cell & (STRIPES - 1)) * BUCKETS + bucket(nanos));
            long n = controlLatencies.addAndGet(cell, 1);
            // a scan of the histogram costs about 2,000 reads: amortized over 64 requests while the
            // thresholds still move, over 1,024 once they have settled
            long every = n < RECOMPUTE_SLOWER_AFTER ? RECOMPUTE_EVERY : 16L * RECOMPUTE_EVERY;
            if (n >= LATENCY_BURN_IN && (n == LATENCY_BURN_IN || n % every == 0)) {
                recomputeThresholds();
            }
        }
    }

    /**
     * The live error of one prediction, once its label arrived.
     *
     * @param arm which arm made the prediction
     * @param loss its error, finite
     */
    public void recordLoss(Arm arm, double loss) {
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("loss must be finite, was " + loss);
        }
        Counters c = arm == Arm.CONTROL ? control : candidate;
        c.lossSum.add(loss);
        c.lossSumSquares.add(loss * loss);
        c.losses.increment();
    }

    /**
     * A listener for {@code ModelService.onLatency} that records the calls of the two versions
     * and ignores every other version (a fallback, a shadow).
     *
     * @param controlVersion the control's version
     * @param candidateVersion the candidate's version
     * @return the listener
     */
    public LatencyListener latencyListener(ModelRef.Version controlVersion, ModelRef.Version candidateVersion) {
        Objects.requireNonNull(controlVersion, "controlVersion");
        Objects.requireNonNull(candidateVersion, "candidateVersion");
        return (version, failed, inputs, nanos) -> {
            if (version.equals(candidateVersion)) {
                record(Arm.CANDIDATE, failed, nanos);
            } else if (version.equals(controlVersion)) {
                record(Arm.CONTROL, failed, nanos);
            }
        };
    }

    /**
     * @param arm an arm
     * @return its statistics so far (each exceedance count read before the count it is part of,
     *     so a snapshot taken while requests run is still consistent)
     */
    public ArmStats snapshot(Arm arm) {
        Counters c = arm == Arm.CONTROL ? control : candidate;
        long over99 = c.overP99.sum();
        long over50 = c.overP50.sum();
        long latencies = c.latencies.sum();
        long losses = c.losses.sum();
        double lossSum = c.lossSum.sum();
        double lossSumSquares = c.lossSumSquares.sum();
        long errors = c.errors.sum();
        long requests = c.requests.sum();
        return new ArmStats(requests, errors, losses, lossSum, lossSumSquares, latencies,
                Math.min(over50, latencies), Math.min(over99, latencies));
    }

    /** @return the control's running median threshold in ns, or -1 during the burn-in */
    public long p50ThresholdNanos() {
        return p50Threshold;
    }

    /** @return the control's running 99th-percentile threshold in ns, or -1 during the burn-in */
    public long p99ThresholdNanos() {
        return p99Threshold;
    }

    private synchronized void recomputeThresholds() {
        java.util.Arrays.fill(merged, 0);
        long total = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            int base = stripe * BUCKETS;
            for (int i = 0; i < BUCKETS; i++) {
                long c = controlHistogram.get(base + i);
                merged[i] += c;
                total += c;
            }
        }
        long rank50 = (long) Math.ceil(0.50 * total);
        long rank99 = (long) Math.ceil(0.99 * total);
        long seen = 0;
        long t50 = -1;
        long t99 = -1;
        for (int i = 0; i < BUCKETS && t99 < 0; i++) {
            seen += merged[i];
            if (t50 < 0 && seen >= rank50) {
                t50 = upperEdge(i);
            }
            if (seen >= rank99) {
                t99 = upperEdge(i);
            }
        }
        p99Threshold = t99;
        p50Threshold = t50;
    }

    /** Log-scale bucket: exact below 32 ns, then 32 sub-buckets per power of two (about 3%). */
    static int bucket(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        int sub = (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** @return the largest value in bucket {@code index} */
    static long upperEdge(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        int sub = index % SUB_BUCKETS;
        long low = ((long) (SUB_BUCKETS + sub)) << (exponent - SUB_BUCKET_BITS);
        long width = 1L << (exponent - SUB_BUCKET_BITS);
        return low + width - 1;
    }

    private static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder losses = new LongAdder();
        final DoubleAdder lossSum = new DoubleAdder();
        final DoubleAdder lossSumSquares = new DoubleAdder();
        final LongAdder latencies = new LongAdder();
        final LongAdder overP50 = new LongAdder();
        final LongAdder overP99 = new LongAdder();
    }
}
