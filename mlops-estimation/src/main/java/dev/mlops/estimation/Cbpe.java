package dev.mlops.estimation;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Confidence-based performance estimation (CBPE), as NannyML does it: estimates a classifier's
 * ROC AUC, F1, precision, recall, specificity, accuracy, confusion matrix and business value on
 * data whose targets are not known yet, from its predicted probabilities. It assumes the
 * probabilities are calibrated (it calibrates them on the reference with isotonic regression when
 * that helps) and that the relation between inputs and target has not changed since the
 * reference (no concept shift). See docs/estimation.md.
 *
 * <pre>{@code
 * FittedCbpe cbpe = Cbpe.builder()
 *         .metrics(CbpeMetric.ROC_AUC, CbpeMetric.F1)
 *         .chunking(Chunking.bySize(5000))
 *         .fit(ModelOutputs.binary(proba, predicted).withTargets(actual).withTimestamps(times));
 * EstimationResult result = cbpe.estimate(ModelOutputs.binary(newProba, newPredicted));
 * }</pre>
 */
public final class Cbpe {
    private Cbpe() {
    }

    /** @return a builder with NannyML's defaults: ten chunks, thresholds at 3 standard deviations */
    public static Builder builder() {
        return new Builder();
    }

    /** What the builder gathered. */
    record Settings(Set<CbpeMetric> metrics, Chunking chunking, ConfusionNormalization confusionNormalization,
                    double[][] valueMatrix, boolean valuePerPrediction, double lowerMultiplier,
                    double upperMultiplier) {
    }

    /** Configures and fits a CBPE estimator; each setter checks its value at once. */
    public static final class Builder {
        private Set<CbpeMetric> metrics = Set.of();
        private Chunking chunking = Chunking.defaultChunking();
        private ConfusionNormalization normalization = ConfusionNormalization.NONE;
        private double[][] valueMatrix;
        private boolean valuePerPrediction;
        private double lowerMultiplier = 3;
        private double upperMultiplier = 3;

        private Builder() {
        }

        /**
         * @param metrics the metrics to estimate, at least one; results keep this order
         * @return this builder
         */
        public Builder metrics(CbpeMetric... metrics) {
            Objects.requireNonNull(metrics, "metrics");
            if (metrics.length == 0) {
                throw new IllegalArgumentException("no metric given; expected at least one of "
                        + Arrays.toString(CbpeMetric.values()));
            }
            LinkedHashSet<CbpeMetric> set = new LinkedHashSet<>();
            for (CbpeMetric m : metrics) {
                set.add(Objects.requireNonNull(m, "metrics[]"));
            }
            this.metrics = Collections.unmodifiableSet(set);
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
         * @param normalization how the confusion matrix's cells are given (counts by default)
         * @return this builder
         */
        public Builder confusionNormalization(ConfusionNormalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        /**
         * @param matrix the value of each confusion cell, {@code matrix[true class][predicted class]}, finite
         *               numbers: binary {@code [[TN, FP], [FN, TP]]}; multiclass one row and one column per
         *               class, in the order of the classes
         * @param perPrediction true to give the value per prediction (each cell divided by its predicted
         *                      class's total, NannyML's {@code per_prediction}); false for the chunk's total
         * @return this builder
         */
        public Builder businessValue(double[][] matrix, boolean perPrediction) {
            Objects.requireNonNull(matrix, "matrix");
            int k = matrix.length;
            for (double[] row : matrix) {
                if (row == null || row.length != k || k < 2) {
                    throw new IllegalArgumentException("business value matrix is " + Arrays.deepToString(matrix)
                            + ", expected a square matrix, one row and column per class ([[TN, FP], [FN, TP]] for binary)");
                }
                for (double v : row) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("business value matrix holds " + v + ", expected finite values");
                    }
                }
            }
            double[][] copy = new double[k][];
            for (int i = 0; i < k; i++) {
                copy[i] = matrix[i].clone();
            }
            this.valueMatrix = copy;
            this.valuePerPrediction = perPrediction;
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
         * Fits on the reference: the period in which the model is known to perform as intended.
         *
         * @param reference the classifier's outputs with targets (and timestamps, if chunking by period)
         * @return the fitted estimator
         * @throws IllegalStateException if no metric was set, or business value without its matrix
         * @throws dev.mlops.api.ValidationException if the reference lacks targets, a class, or rows
         */
        public FittedCbpe fit(ModelOutputs reference) {
            Objects.requireNonNull(reference, "reference");
            if (metrics.isEmpty()) {
                throw new IllegalStateException("no metric set; call metrics(...) before fit");
            }
            if (metrics.contains(CbpeMetric.BUSINESS_VALUE) && valueMatrix == null) {
                throw new IllegalStateException("business_value needs a value matrix; call businessValue(matrix, ...)");
            }
            return CbpeEstimator.fit(new Settings(metrics, chunking, normalization, valueMatrix, valuePerPrediction,
                    lowerMultiplier, upperMultiplier), reference);
        }
    }
}
