package dev.mlops.rollout;

/**
 * The sufficient statistics of one arm (control or candidate) of a rollout: integer counters and
 * two sums, so statistics of many instances and many intervals add up exactly ({@link #plus}).
 *
 * @param requests requests the arm answered or failed
 * @param errors requests whose model call threw
 * @param losses predictions with a live error (loss) from feedback
 * @param lossSum sum of those losses
 * @param lossSumSquares sum of their squares
 * @param latencies requests counted by the latency tests (those after the control's latency
 *     thresholds were established)
 * @param overP50 of those, how many took longer than the control's running median at the time
 * @param overP99 of those, how many took longer than the control's running 99th percentile
 */
public record ArmStats(long requests, long errors, long losses, double lossSum, double lossSumSquares,
                       long latencies, long overP50, long overP99) {

    /** No observation. */
    public static final ArmStats EMPTY = new ArmStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** Checks that counts are consistent. */
    public ArmStats {
        nonNegative("requests", requests);
        nonNegative("errors", errors);
        nonNegative("losses", losses);
        nonNegative("latencies", latencies);
        nonNegative("over_p50", overP50);
        nonNegative("over_p99", overP99);
        if (errors > requests) {
            throw new IllegalArgumentException("errors (" + errors + ") exceed requests (" + requests + ")");
        }
        if (overP50 > latencies || overP99 > latencies) {
            throw new IllegalArgumentException("latency exceedances (" + overP50 + ", " + overP99
                    + ") exceed the latencies counted (" + latencies + ")");
        }
        if (!Double.isFinite(lossSum) || !Double.isFinite(lossSumSquares) || lossSumSquares < 0) {
            throw new IllegalArgumentException("loss sums must be finite and the sum of squares >= 0, were "
                    + lossSum + " and " + lossSumSquares);
        }
    }

    private static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    /**
     * @param other statistics of another instance or interval
     * @return the sum of both
     */
    public ArmStats plus(ArmStats other) {
        return new ArmStats(requests + other.requests, errors + other.errors, losses + other.losses,
                lossSum + other.lossSum, lossSumSquares + other.lossSumSquares, latencies + other.latencies,
                overP50 + other.overP50, overP99 + other.overP99);
    }
}
