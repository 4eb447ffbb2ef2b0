package dev.mlops.rollout;

import dev.mlops.api.ModelRef;
import dev.mlops.api.estimation.ExpectedLoss;
import dev.mlops.api.serving.LatencyListener;
import dev.mlops.api.serving.OutputObserver;
import dev.mlops.core.StripedLongs;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

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
 * <p><b>Predictions</b> are compared the same way: a histogram of the control's predictions over
 * a declared range ({@link #ArmRecorder(double, double)}, default [0, 1]; values outside it count
 * in the edge bins) gives the control's running quartiles, recomputed on the latencies' schedule
 * after a burn-in of {@value #PREDICTION_BURN_IN} control predictions, and each arm counts its
 * predictions above each quartile as it was before the prediction. A prediction that is not a
 * finite number is <b>skipped and counted</b> ({@link ArmStats#invalidPredictions()}): the
 * recorder sits on the request path, where an exception would cost a stack trace per request
 * and the service ignores a throwing observer anyway; the count is published per arm, so an arm
 * answering NaN shows on the rollout's page and in {@code mlops rollout status}.
 *
 * <p>Feed it with {@link #latencyListener} on a {@code ModelService} ({@code service.onLatency}),
 * {@link #recordLoss} from feedback, and for the prediction and estimated-performance guardrails
 * {@link #outputObserver} ({@code monitorOutputs}) or {@link #recordPrediction} and
 * {@link #recordEstimatedLoss} directly. Thread-safe.
 */
public final class ArmRecorder {

    /** Control latencies needed before the latency tests count anything. */
    public static final int LATENCY_BURN_IN = 100;
    /** Thresholds are recomputed after this many control latencies, up to {@link #RECOMPUTE_SLOWER_AFTER}. */
    public static final int RECOMPUTE_EVERY = 64;
    /** After this many control latencies the thresholds are recomputed 16 times less often. */
    public static final int RECOMPUTE_SLOWER_AFTER = 4096;

    /** Control predictions needed before the prediction tests count anything. */
    public static final int PREDICTION_BURN_IN = 100;
    /** Equal-width bins of the control's prediction histogram over the declared range. */
    public static final int PREDICTION_BINS = 1024;

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
    // stripes some request thread has written (bit per stripe), so that a recomputation sums those
    // only: with one or two request threads it reads one or two stripes of eight. Set once per
    // stripe (before the stripe's first write), read on every control request.
    private volatile int usedStripes;

    private final double predictionLow;
    private final double predictionHigh;
    private final double binsPerUnit;
    private final AtomicLongArray predictionHistogram = new AtomicLongArray(STRIPES * PREDICTION_BINS);
    private final StripedLongs controlPredictions = new StripedLongs();
    private final long[] mergedPredictions = new long[PREDICTION_BINS];
    // null until the burn-in is over; replaced whole, so a reader sees one recomputation's three
    private volatile Quartiles quartiles;

    // outputs attributed to the arm whose call the same thread's latency listener heard last
    private volatile boolean attributeOutputs;
    private final ThreadLocal<LastCall> lastCall = ThreadLocal.withInitial(LastCall::new);
    private final LongAdder unattributedOutputs = new LongAdder();
    private final LongAdder observerFailures = new LongAdder();

    /** A recorder whose predictions are expected in [0, 1] (probabilities, scores). */
    public ArmRecorder() {
        this(0, 1);
    }

    /**
     * @param predictionLow the low end of the predictions' declared range
     * @param predictionHigh the high end, larger; the control's quartiles are resolved to
     *     1/{@value #PREDICTION_BINS} of the range, and values outside it count in the edge bins
     */
    public ArmRecorder(double predictionLow, double predictionHigh) {
        if (!Double.isFinite(predictionLow) || !Double.isFinite(predictionHigh) || !(predictionLow < predictionHigh)) {
            throw new IllegalArgumentException("prediction range must be finite with low < high, was [" + predictionLow
                    + ", " + predictionHigh + "]");
        }
        this.predictionLow = predictionLow;
        this.predictionHigh = predictionHigh;
        this.binsPerUnit = PREDICTION_BINS / (predictionHigh - predictionLow);
    }

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
            int stripe = cell & (STRIPES - 1);
            if ((usedStripes & (1 << stripe)) == 0) {
                markUsed(stripe);
            }
            controlHistogram.getAndIncrement(stripe * BUCKETS + bucket(nanos));
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
     * One prediction, for the prediction-drift guardrails. A value that is not a finite number is
     * skipped and counted ({@link ArmStats#invalidPredictions()}), never thrown.
     *
     * @param arm which arm predicted
     * @param prediction the prediction (a score, a probability, a regression value)
     */
    public void recordPrediction(Arm arm, double prediction) {
        Counters c = arm == Arm.CONTROL ? control : candidate;
        if (!Double.isFinite(prediction)) {
            c.invalidPredictions.increment();
            return;
        }
        Quartiles q = quartiles;
        if (q != null) {
            c.predictions.increment();
            if (prediction > q.q25) {
                c.overQ25.increment();
            }
            if (prediction > q.q50) {
                c.overQ50.increment();
            }
            if (prediction > q.q75) {
                c.overQ75.increment();
            }
        }
        if (arm == Arm.CONTROL) {
            int cell = StripedLongs.cell();
            int stripe = cell & (STRIPES - 1);
            if ((usedStripes & (1 << stripe)) == 0) {
                markUsed(stripe);
            }
            predictionHistogram.getAndIncrement(stripe * PREDICTION_BINS + predictionBin(prediction));
            long n = controlPredictions.addAndGet(cell, 1);
            long every = n < RECOMPUTE_SLOWER_AFTER ? RECOMPUTE_EVERY : 16L * RECOMPUTE_EVERY;
            if (n >= PREDICTION_BURN_IN && (n == PREDICTION_BURN_IN || n % every == 0)) {
                recomputeQuartiles();
            }
        }
    }

    /**
     * The estimated loss of one prediction, without its label (see
     * {@link dev.mlops.api.estimation.ExpectedLoss}), for the {@link Guardrail#ESTIMATED_LOSS} guardrail.
     *
     * @param arm which arm made the prediction
     * @param loss its estimated loss, finite
     */
    public void recordEstimatedLoss(Arm arm, double loss) {
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("estimated loss must be finite, was " + loss);
        }
        Counters c = arm == Arm.CONTROL ? control : candidate;
        c.estimateSum.add(loss);
        c.estimateSumSquares.add(loss * loss);
        c.estimates.increment();
    }

    /**
     * A listener for {@code ModelService.onLatency} that records the calls of the two versions
     * and ignores every other version (a fallback, a shadow). Once an {@link #outputObserver} was
     * made, it also notes, per thread, which arm answered the call, for that observer.
     *
     * @param controlVersion the control's version
     * @param candidateVersion the candidate's version
     * @return the listener
     */
    public LatencyListener latencyListener(ModelRef.Version controlVersion, ModelRef.Version candidateVersion) {
        Objects.requireNonNull(controlVersion, "controlVersion");
        Objects.requireNonNull(candidateVersion, "candidateVersion");
        return (version, failed, inputs, nanos) -> {
            Arm arm = null;
            if (version.equals(candidateVersion)) {
                arm = Arm.CANDIDATE;
                record(arm, failed, nanos);
            } else if (version.equals(controlVersion)) {
                arm = Arm.CONTROL;
                record(arm, failed, nanos);
            }
            if (attributeOutputs) {
                LastCall call = lastCall.get();
                call.arm = arm;
                call.outputs = failed || arm == null ? 0 : inputs;
            }
        };
    }

    /**
     * An observer for {@code ModelServiceBuilder.monitorOutputs} that records each answer's
     * prediction (and, with {@link #outputObserver(ToDoubleFunction, ExpectedLoss, ExpectedLoss)},
     * its estimated loss) for the arm that answered. {@code OutputObserver} is not told the
     * version, so the arm is the one whose successful call this recorder's
     * {@link #latencyListener} heard last <b>on the same thread</b>: the service calls its latency
     * listeners right after the model returned and its output observer right after, on the
     * request thread, once per input of a batch. The listener must be subscribed
     * ({@code service.onLatency}) and hear every call (the default, without
     * {@code latencySampling}); an output with no such call before it (a call that was not timed,
     * another version's) is not recorded and is counted in {@link #unattributedOutputs()}. A
     * reading function that throws is counted in {@link #observerFailures()}; the observer never
     * throws.
     *
     * @param prediction reads the prediction (a score, a probability) from an output
     * @param <I> input type
     * @param <O> output type
     * @return the observer
     */
    public <I, O> OutputObserver<I, O> outputObserver(ToDoubleFunction<? super O> prediction) {
        Objects.requireNonNull(prediction, "prediction");
        return observer(prediction, null, null);
    }

    /**
     * As {@link #outputObserver(ToDoubleFunction)}, and also each answer's estimated loss for the
     * {@link Guardrail#ESTIMATED_LOSS} guardrail, from each arm's own estimator (each model's
     * scores calibrated on its own reference).
     *
     * @param prediction reads the prediction from an output
     * @param controlLoss the control's per-output estimated loss
     * @param candidateLoss the candidate's
     * @param <I> input type
     * @param <O> output type
     * @return the observer
     */
    public <I, O> OutputObserver<I, O> outputObserver(ToDoubleFunction<? super O> prediction,
                                                      ExpectedLoss<? super O> controlLoss,
                                                      ExpectedLoss<? super O> candidateLoss) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(controlLoss, "controlLoss");
        Objects.requireNonNull(candidateLoss, "candidateLoss");
        return observer(prediction, controlLoss, candidateLoss);
    }

    private <I, O> OutputObserver<I, O> observer(ToDoubleFunction<? super O> prediction,
                                                 ExpectedLoss<? super O> controlLoss,
                                                 ExpectedLoss<? super O> candidateLoss) {
        attributeOutputs = true;
        return (input, output) -> {
            LastCall call = lastCall.get();
            if (call.outputs <= 0) {
                unattributedOutputs.increment();
                return;
            }
            call.outputs--;
            Arm arm = call.arm;
            try {
                recordPrediction(arm, prediction.applyAsDouble(output));
                if (controlLoss != null) {
                    recordEstimatedLoss(arm, arm == Arm.CONTROL ? controlLoss.expectedLoss(output)
                            : candidateLoss.expectedLoss(output));
                }
            } catch (RuntimeException e) {
                observerFailures.increment();
            }
        };
    }

    /** @return outputs the {@link #outputObserver} could not attribute to an arm, and so did not record */
    public long unattributedOutputs() {
        return unattributedOutputs.sum();
    }

    /** @return outputs whose reading (prediction or estimated loss) threw in the {@link #outputObserver} */
    public long observerFailures() {
        return observerFailures.sum();
    }

    /**
     * @param arm an arm
     * @return its statistics so far (each exceedance count read before the count it is part of,
     *     so a snapshot taken while requests run is still consistent)
     */
    public ArmStats snapshot(Arm arm) {
        Counters c = arm == Arm.CONTROL ? control : candidate;
        long overQ25 = c.overQ25.sum();
        long overQ50 = c.overQ50.sum();
        long overQ75 = c.overQ75.sum();
        long predictions = c.predictions.sum();
        long invalid = c.invalidPredictions.sum();
        long estimates = c.estimates.sum();
        double estimateSum = c.estimateSum.sum();
        double estimateSumSquares = c.estimateSumSquares.sum();
        long over99 = c.overP99.sum();
        long over50 = c.overP50.sum();
        long latencies = c.latencies.sum();
        long losses = c.losses.sum();
        double lossSum = c.lossSum.sum();
        double lossSumSquares = c.lossSumSquares.sum();
        long errors = c.errors.sum();
        long requests = c.requests.sum();
        return new ArmStats(requests, errors, losses, lossSum, lossSumSquares, latencies,
                Math.min(over50, latencies), Math.min(over99, latencies), predictions, Math.min(overQ25, predictions),
                Math.min(overQ50, predictions), Math.min(overQ75, predictions), invalid, estimates, estimateSum,
                estimateSumSquares);
    }

    /**
     * @return the control's running lower quartile, median and upper quartile of the predictions
     *     (upper edges of their histogram bins), or empty during the burn-in
     */
    public java.util.Optional<double[]> predictionQuartiles() {
        Quartiles q = quartiles;
        return q == null ? java.util.Optional.empty() : java.util.Optional.of(new double[] {q.q25, q.q50, q.q75});
    }

    private synchronized void recomputeQuartiles() {
        java.util.Arrays.fill(mergedPredictions, 0);
        long total = 0;
        int used = usedStripes;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            if ((used & (1 << stripe)) == 0) {
                continue;
            }
            int base = stripe * PREDICTION_BINS;
            for (int i = 0; i < PREDICTION_BINS; i++) {
                long c = predictionHistogram.get(base + i);
                mergedPredictions[i] += c;
                total += c;
            }
        }
        long[] ranks = {(long) Math.ceil(0.25 * total), (long) Math.ceil(0.50 * total), (long) Math.ceil(0.75 * total)};
        double[] edges = new double[3];
        long seen = 0;
        int found = 0;
        for (int i = 0; i < PREDICTION_BINS && found < 3; i++) {
            seen += mergedPredictions[i];
            while (found < 3 && seen >= ranks[found]) {
                edges[found++] = predictionUpperEdge(i);
            }
        }
        quartiles = new Quartiles(edges[0], edges[1], edges[2]);
    }

    /** @return the bin of a finite prediction; values outside the declared range count in the edge bins */
    int predictionBin(double prediction) {
        double x = (prediction - predictionLow) * binsPerUnit;
        if (!(x >= 0)) {
            return 0;
        }
        return x >= PREDICTION_BINS ? PREDICTION_BINS - 1 : (int) x;
    }

    /** @return the upper edge of prediction bin {@code index}; the last bin's is the range's high end */
    double predictionUpperEdge(int index) {
        return index == PREDICTION_BINS - 1 ? predictionHigh : predictionLow + (index + 1) / binsPerUnit;
    }

    /** @return the control's running median threshold in ns, or -1 during the burn-in */
    public long p50ThresholdNanos() {
        return p50Threshold;
    }

    /** @return the control's running 99th-percentile threshold in ns, or -1 during the burn-in */
    public long p99ThresholdNanos() {
        return p99Threshold;
    }

    private synchronized void markUsed(int stripe) {
        usedStripes |= 1 << stripe;
    }

    private synchronized void recomputeThresholds() {
        java.util.Arrays.fill(merged, 0);
        long total = 0;
        int used = usedStripes;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            if ((used & (1 << stripe)) == 0) {
                continue;
            }
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
        final LongAdder predictions = new LongAdder();
        final LongAdder overQ25 = new LongAdder();
        final LongAdder overQ50 = new LongAdder();
        final LongAdder overQ75 = new LongAdder();
        final LongAdder invalidPredictions = new LongAdder();
        final LongAdder estimates = new LongAdder();
        final DoubleAdder estimateSum = new DoubleAdder();
        final DoubleAdder estimateSumSquares = new DoubleAdder();
    }

    private record Quartiles(double q25, double q50, double q75) {
    }

    /** The arm of the last call this thread's latency listener heard, and how many of its outputs are still to come. */
    private static final class LastCall {
        Arm arm;
        int outputs;
    }
}
