package dev.mlops.estimation;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Direct loss estimation (DLE), as NannyML does it: estimates a regression model's MAE, MAPE, MSE,
 * RMSE, MSLE and RMSLE on data whose targets are not known yet. On the reference, for each metric a
 * "nanny" model (gradient-boosted trees, Tribuo's XGBoost) learns the loss of each row from the
 * monitored model's features and prediction; on new data it predicts each row's loss, and a chunk's
 * estimate is the mean of those (its root for RMSE and RMSLE). It assumes no concept shift: the
 * inputs may drift, but the loss given the inputs must stay what it was in the reference. See
 * docs/estimation.md.
 *
 * <pre>{@code
 * FittedDle dle = Dle.builder()
 *         .metrics(DleMetric.MAE, DleMetric.RMSE)
 *         .chunking(Chunking.bySize(6000))
 *         .fit(RegressionOutputs.of(predicted).withNumericFeature("car_age", age)
 *                 .withCategoricalFeature("fuel", fuel).withTargets(actual).withTimestamps(times));
 * EstimationResult result = dle.estimate(RegressionOutputs.of(newPredicted).withNumericFeature(...)...);
 * }</pre>
 */
public final class Dle {
    private Dle() {
    }

    /** @return a builder with NannyML's defaults: all six metrics, ten chunks, thresholds at 3 standard deviations */
    public static Builder builder() {
        return new Builder();
    }

    /** What the builder gathered. */
    record Settings(List<DleMetric> metrics, Chunking chunking, double lowerMultiplier, double upperMultiplier,
                    long seed, int threads) {
    }

    /** Configures and fits a DLE estimator; each setter checks its value at once. */
    public static final class Builder {
        private List<DleMetric> metrics = List.of(DleMetric.values());
        private Chunking chunking = Chunking.defaultChunking();
        private double lowerMultiplier = 3;
        private double upperMultiplier = 3;
        private long seed = 42;
        private int threads = 1;

        private Builder() {
        }

        /**
         * @param metrics the metrics to estimate, at least one; results keep this order (default: all six)
         * @return this builder
         */
        public Builder metrics(DleMetric... metrics) {
            Objects.requireNonNull(metrics, "metrics");
            if (metrics.length == 0) {
                throw new IllegalArgumentException("no metric given; expected at least one of "
                        + Arrays.toString(DleMetric.values()));
            }
            LinkedHashSet<DleMetric> set = new LinkedHashSet<>();
            for (DleMetric m : metrics) {
                set.add(Objects.requireNonNull(m, "metrics[]"));
            }
            this.metrics = Collections.unmodifiableList(List.copyOf(set));
            return this;
        }

        /**
         * @param chunking how to split the reference and the analysis data into chunks
         * @return this builder
         */
        public Builder chunking(Chunking chunking) {
            this.chunking = Objects.requireNonNull(chunking, "chunking");
            return this;
        }

        /**
         * @param lower how many reference standard deviations below the mean the lower threshold lies (3)
         * @param upper how many above for the upper threshold (3)
         * @return this builder
         */
        public Builder thresholdMultipliers(double lower, double upper) {
            Thresholds.checkMultipliers(lower, upper);
            this.lowerMultiplier = lower;
            this.upperMultiplier = upper;
            return this;
        }

        /**
         * @param seed the nanny models' seed (42); no default setting samples, so it matters only if a
         *             later version samples rows or columns
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param threads the threads each nanny model trains and predicts with (1)
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
            }
            this.threads = threads;
            return this;
        }

        /**
         * Fits on the reference: the period in which the model is known to perform as intended. Trains
         * one nanny model per loss (MSE and RMSE share one, as do MSLE and RMSLE).
         *
         * @param reference the model's predictions, features and targets (and timestamps, if chunking by period)
         * @return the fitted estimator
         * @throws dev.mlops.api.ValidationException if the reference lacks targets or rows, or holds negative
         *         values for a log metric
         */
        public FittedDle fit(RegressionOutputs reference) {
            Objects.requireNonNull(reference, "reference");
            return DleEstimator.fit(new Settings(metrics, chunking, lowerMultiplier, upperMultiplier, seed, threads),
                    reference);
        }
    }
}
