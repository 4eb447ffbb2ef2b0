package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;
import dev.mlops.estimation.Chunking;
import java.util.List;
import java.util.Objects;

/**
 * Multivariate drift as how well a classifier tells a chunk from the reference: NannyML's
 * {@code DomainClassifierCalculator} (NannyML 0.13.1). For each chunk, the reference rows (label 0)
 * and the chunk's rows (label 1) are pooled, split into {@link Builder#folds 5} stratified folds
 * (scikit-learn's {@code StratifiedKFold} without shuffling), and a gradient-boosted tree classifier
 * is trained on four folds and predicts the fifth; the chunk's value is the ROC AUC of all
 * out-of-fold predictions. For a reference chunk, the rows of the reference outside the chunk are
 * label 0. About 0.5 means the chunk cannot be told from the reference; 1 means it is wholly
 * different. The thresholds are NannyML's constant ones: an alert below 0.45 or above 0.65.
 *
 * <p>The learner differs from NannyML's: XGBoost (through Tribuo) instead of LightGBM, set as close
 * to NannyML's LightGBM defaults as XGBoost allows: 100 trees, learning rate 0.1, histogram trees
 * grown leaf-wise to at most 31 leaves, minimum child weight 0.001, no regularisation, no
 * subsampling, seed 13. Categorical columns are ordinal codes of their sorted values (NannyML's
 * {@code OrdinalEncoder}), used as numbers: XGBoost through Tribuo has no categorical splits as
 * LightGBM does. Missing values (NaN, or a missing category) are left to the trees' missing-value
 * branch, as LightGBM does.
 *
 * <pre>{@code
 * FittedMultivariateDrift drift = DomainClassifierDrift.builder()
 *         .columns("car_value", "salary_range")
 *         .chunking(Chunking.bySize(5000))
 *         .fit(reference);
 * MultivariateDriftResult result = drift.calculate(analysis);
 * }</pre>
 */
public final class DomainClassifierDrift {
    /** NannyML's default lower threshold. */
    public static final double DEFAULT_LOWER_THRESHOLD = 0.45;
    /** NannyML's default upper threshold. */
    public static final double DEFAULT_UPPER_THRESHOLD = 0.65;

    private DomainClassifierDrift() {
    }

    /** @return a builder with NannyML's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings; each setter checks its value at once. */
    public static final class Builder {
        private List<String> columns;
        private Chunking chunking = Chunking.defaultChunking();
        private int folds = 5;
        private int trees = 100;
        private long seed = 13;
        private int threads = 1;
        private double lower = DEFAULT_LOWER_THRESHOLD;
        private double upper = DEFAULT_UPPER_THRESHOLD;

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
         * @param chunking by size or by number (default: 10 chunks, NannyML's); rows are taken in the given order
         * @return this builder
         */
        public Builder chunking(Chunking chunking) {
            this.chunking = Chunks.requireRowChunking(chunking);
            return this;
        }

        /**
         * @param folds cross-validation folds, at least 2 (NannyML's {@code cv_folds_num}, default 5)
         * @return this builder
         */
        public Builder folds(int folds) {
            if (folds < 2) {
                throw new IllegalArgumentException("folds is " + folds + ", expected at least 2");
            }
            this.folds = folds;
            return this;
        }

        /**
         * @param trees boosting rounds (LightGBM's {@code n_estimators}, default 100)
         * @return this builder
         */
        public Builder trees(int trees) {
            if (trees < 1) {
                throw new IllegalArgumentException("trees is " + trees + ", expected at least 1");
            }
            this.trees = trees;
            return this;
        }

        /**
         * @param seed the learner's seed (default 13, NannyML's {@code random_state})
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param threads XGBoost's threads per model (default 1)
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
         * @param lower alert below this AUROC (default 0.45)
         * @param upper alert above this AUROC (default 0.65)
         * @return this builder
         */
        public Builder thresholds(double lower, double upper) {
            if (!(lower >= 0 && lower < upper && upper <= 1)) {
                throw new IllegalArgumentException("thresholds are " + lower + " and " + upper
                        + ", expected 0 <= lower < upper <= 1");
            }
            this.lower = lower;
            this.upper = upper;
            return this;
        }

        /**
         * Keeps the reference and computes the reference chunks' values (one classifier per chunk and fold).
         *
         * @param reference data of a period in which the model worked as intended, rows in time order
         * @return the fitted method
         * @throws IllegalStateException if no columns were given
         * @throws dev.mlops.api.ValidationException if the reference lacks a column, has no rows or an infinite
         *     value, or a chunk gives fewer rows of a label than folds (one label only included)
         */
        public FittedMultivariateDrift fit(Frame reference) {
            Objects.requireNonNull(reference, "reference");
            if (columns == null) {
                throw new IllegalStateException("no columns given; expected columns(...) before fit");
            }
            return FittedDomainClassifier.fit(columns, chunking, folds, trees, seed, threads, lower, upper, reference);
        }
    }
}
