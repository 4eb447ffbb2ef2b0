package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;
import dev.mlops.estimation.Chunking;
import java.util.List;
import java.util.Objects;

/**
 * Multivariate drift as the error of reconstructing each row from a PCA of the reference: NannyML's
 * {@code DataReconstructionDriftCalculator} (NannyML 0.13.1), formula by formula.
 *
 * <p>Fitting on the reference: missing continuous values get the reference mean, missing categorical
 * values the most frequent one; categorical values become their share of the reference rows; every
 * column is standardised; PCA keeps the components that explain {@link Builder#varianceToExplain 65%}
 * of the variance. Each row's reconstruction error is the Euclidean distance between the
 * standardised row and its projection back from the components. A chunk's value is the mean error
 * of its rows, with a sampling error of (sample standard deviation) / √rows. The thresholds are the
 * mean ∓ 3 population standard deviations of the reference chunks' values (a lower threshold at or
 * below 0 is dropped); a chunk alerts when its value is not strictly inside them.
 *
 * <pre>{@code
 * FittedMultivariateDrift drift = DataReconstructionDrift.builder()
 *         .columns("car_value", "salary_range", "debt_to_income_ratio")
 *         .chunking(Chunking.bySize(5000))
 *         .fit(reference);
 * MultivariateDriftResult result = drift.calculate(analysis);
 * }</pre>
 */
public final class DataReconstructionDrift {
    /** NannyML's default: components that explain 65% of the variance. */
    public static final double DEFAULT_VARIANCE_TO_EXPLAIN = 0.65;

    private DataReconstructionDrift() {
    }

    /** @return a builder with NannyML's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings; each setter checks its value at once. */
    public static final class Builder {
        private List<String> columns;
        private double share = DEFAULT_VARIANCE_TO_EXPLAIN;
        private int count;
        private Chunking chunking = Chunking.defaultChunking();
        private double lowerMultiplier = 3;
        private double upperMultiplier = 3;

        private Builder() {
        }

        /**
         * @param names the columns to compare: numeric columns are continuous, the others categorical (required)
         * @return this builder
         */
        public Builder columns(String... names) {
            Objects.requireNonNull(names, "names");
            return columns(List.of(names));
        }

        /**
         * @param names the columns to compare (required)
         * @return this builder
         */
        public Builder columns(List<String> names) {
            this.columns = Columns.checkNames(names);
            return this;
        }

        /**
         * @param share keep the fewest components whose explained variance exceeds this share, in (0, 1)
         *     (scikit-learn's {@code n_components} as a float; default 0.65)
         * @return this builder
         */
        public Builder varianceToExplain(double share) {
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("variance to explain is " + share + ", expected a share in (0, 1)");
            }
            this.share = share;
            this.count = 0;
            return this;
        }

        /**
         * @param components a fixed number of components (scikit-learn's {@code n_components} as an int)
         * @return this builder
         */
        public Builder components(int components) {
            if (components < 1) {
                throw new IllegalArgumentException("components is " + components + ", expected at least 1");
            }
            this.count = components;
            this.share = Double.NaN;
            return this;
        }

        /**
         * @param chunking by size or by number (default: 10 chunks, NannyML's); rows are taken in the given order
         * @return this builder
         */
        public Builder chunking(Chunking chunking) {
            this.chunking = Chunks.requireRowChunking(chunking);
            return this;
        }

        /**
         * @param lower multiple of the reference chunks' standard deviation below their mean (default 3)
         * @param upper multiple above their mean (default 3)
         * @return this builder
         */
        public Builder thresholdMultipliers(double lower, double upper) {
            if (!(lower >= 0) || !(upper >= 0) || Double.isInfinite(lower) || Double.isInfinite(upper)) {
                throw new IllegalArgumentException("threshold multipliers are " + lower + " and " + upper
                        + ", expected finite numbers >= 0");
            }
            this.lowerMultiplier = lower;
            this.upperMultiplier = upper;
            return this;
        }

        /**
         * Fits the preprocessing and the PCA on the reference and computes the reference chunks' values
         * and thresholds.
         *
         * @param reference data of a period in which the model worked as intended, rows in time order
         * @return the fitted method
         * @throws IllegalStateException if no columns were given
         * @throws dev.mlops.api.ValidationException if the reference lacks a column, has no rows, has an
         *     infinite value, a column without any value, or a constant column
         */
        public FittedMultivariateDrift fit(Frame reference) {
            Objects.requireNonNull(reference, "reference");
            if (columns == null) {
                throw new IllegalStateException("no columns given; expected columns(...) before fit");
            }
            return FittedReconstruction.fit(this.columns, share, count, chunking, lowerMultiplier, upperMultiplier,
                    reference);
        }
    }
}
