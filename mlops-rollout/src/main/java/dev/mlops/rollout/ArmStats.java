package dev.mlops.rollout;

/**
 * The sufficient statistics of one arm (control or candidate) of a rollout: integer counters and
 * sums, so statistics of many instances and many intervals add up exactly ({@link #plus}).
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
 * @param predictions predictions counted by the prediction-drift tests (finite predictions
 *     recorded after the control's prediction quartiles were established)
 * @param overQ25 of those, how many were above the control's running lower quartile at the time
 * @param overQ50 above the control's running median
 * @param overQ75 above the control's running upper quartile
 * @param invalidPredictions predictions that were not finite numbers (NaN, infinite): skipped by
 *     the drift tests, counted here
 * @param estimates predictions with an estimated loss (such as CBPE's per-row expected error)
 * @param estimateSum sum of those estimated losses
 * @param estimateSumSquares sum of their squares
 */
public record ArmStats(long requests, long errors, long losses, double lossSum, double lossSumSquares,
                       long latencies, long overP50, long overP99,
                       long predictions, long overQ25, long overQ50, long overQ75, long invalidPredictions,
                       long estimates, double estimateSum, double estimateSumSquares) {

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
        nonNegative("predictions", predictions);
        nonNegative("over_q25", overQ25);
        nonNegative("over_q50", overQ50);
        nonNegative("over_q75", overQ75);
        nonNegative("invalid_predictions", invalidPredictions);
        nonNegative("estimates", estimates);
        if (errors > requests) {
            throw new IllegalArgumentException("errors (" + errors + ") exceed requests (" + requests + ")");
        }
        if (overP50 > latencies || overP99 > latencies) {
            throw new IllegalArgumentException("latency exceedances (" + overP50 + ", " + overP99
                    + ") exceed the latencies counted (" + latencies + ")");
        }
        if (overQ25 > predictions || overQ50 > predictions || overQ75 > predictions) {
            throw new IllegalArgumentException("prediction exceedances (" + overQ25 + ", " + overQ50 + ", " + overQ75
                    + ") exceed the predictions counted (" + predictions + ")");
        }
        if (!Double.isFinite(lossSum) || !Double.isFinite(lossSumSquares) || lossSumSquares < 0) {
            throw new IllegalArgumentException("loss sums must be finite and the sum of squares >= 0, were "
                    + lossSum + " and " + lossSumSquares);
        }
        if (!Double.isFinite(estimateSum) || !Double.isFinite(estimateSumSquares) || estimateSumSquares < 0) {
            throw new IllegalArgumentException("estimated loss sums must be finite and the sum of squares >= 0, were "
                    + estimateSum + " and " + estimateSumSquares);
        }
    }

    /**
     * Statistics without predictions or estimated losses (what a schema-1 arms document holds).
     *
     * @param requests requests
     * @param errors errors
     * @param losses live losses
     * @param lossSum their sum
     * @param lossSumSquares the sum of their squares
     * @param latencies latencies counted
     * @param overP50 over the control's median
     * @param overP99 over the control's 99th percentile
     */
    public ArmStats(long requests, long errors, long losses, double lossSum, double lossSumSquares, long latencies,
                    long overP50, long overP99) {
        this(requests, errors, losses, lossSum, lossSumSquares, latencies, overP50, overP99, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
    }

    /** @return true when nothing of schema 2 was counted: no prediction, invalid prediction or estimated loss */
    boolean onlySchema1() {
        return predictions == 0 && overQ25 == 0 && overQ50 == 0 && overQ75 == 0 && invalidPredictions == 0
                && estimates == 0 && estimateSum == 0 && estimateSumSquares == 0;
    }

    /**
     * @param other statistics of another instance or interval
     * @return the sum of both
     */
    public ArmStats plus(ArmStats other) {
        return new ArmStats(requests + other.requests, errors + other.errors, losses + other.losses,
                lossSum + other.lossSum, lossSumSquares + other.lossSumSquares, latencies + other.latencies,
                overP50 + other.overP50, overP99 + other.overP99, predictions + other.predictions,
                overQ25 + other.overQ25, overQ50 + other.overQ50, overQ75 + other.overQ75,
                invalidPredictions + other.invalidPredictions, estimates + other.estimates,
                estimateSum + other.estimateSum, estimateSumSquares + other.estimateSumSquares);
    }
}
