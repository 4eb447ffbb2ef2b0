package dev.mlops.estimation;

/**
 * The regression metrics DLE estimates (NannyML's {@code mae}, {@code mape}, {@code mse},
 * {@code rmse}, {@code msle}, {@code rmsle}). Each is the mean of a per-row loss (its root for RMSE
 * and RMSLE), which a nanny model learns to predict on the reference; MSE and RMSE share one nanny
 * model, as do MSLE and RMSLE. MSLE and RMSLE need predictions and targets of at least 0.
 */
public enum DleMetric {
    /** Mean absolute error: the loss of a row is |y − ŷ|. */
    MAE("mae", Loss.ABSOLUTE, false),
    /** Mean absolute percentage error (a share, not ×100): |y − ŷ| / max(ε, |y|), ε the double's machine epsilon. */
    MAPE("mape", Loss.ABSOLUTE_PERCENTAGE, false),
    /** Mean squared error: (y − ŷ)². */
    MSE("mse", Loss.SQUARED, false),
    /** Root mean squared error: the root of the mean of (y − ŷ)². */
    RMSE("rmse", Loss.SQUARED, true),
    /** Mean squared logarithmic error: (ln(1 + y) − ln(1 + ŷ))². */
    MSLE("msle", Loss.SQUARED_LOG, false),
    /** Root mean squared logarithmic error: the root of the mean of (ln(1 + y) − ln(1 + ŷ))². */
    RMSLE("rmsle", Loss.SQUARED_LOG, true);

    private final String columnName;
    final Loss loss;
    final boolean root;

    DleMetric(String columnName, Loss loss, boolean root) {
        this.columnName = columnName;
        this.loss = loss;
        this.root = root;
    }

    /** @return NannyML's name for the metric, the result column's name ({@code mae}, ...) */
    public String columnName() {
        return columnName;
    }

    /** The per-row loss a nanny model predicts. */
    enum Loss {
        ABSOLUTE,
        ABSOLUTE_PERCENTAGE,
        SQUARED,
        SQUARED_LOG;

        /** numpy's {@code np.finfo(np.float64).eps}, scikit-learn's floor under |y| in MAPE. */
        static final double EPS = Math.ulp(1.0);

        double of(double actual, double predicted) {
            return switch (this) {
                case ABSOLUTE -> Math.abs(actual - predicted);
                case ABSOLUTE_PERCENTAGE -> Math.abs(actual - predicted) / Math.max(EPS, Math.abs(actual));
                case SQUARED -> (actual - predicted) * (actual - predicted);
                case SQUARED_LOG -> {
                    double d = Math.log1p(actual) - Math.log1p(predicted);
                    yield d * d;
                }
            };
        }

        /**
         * The per-row value whose spread on the reference gives the sampling error, as NannyML's
         * {@code sampling_error/regression.py} writes it: for MAPE without the ε floor nor the absolute
         * value of y, for the log losses with {@code log(1 + y)}.
         */
        double forSamplingError(double actual, double predicted) {
            return switch (this) {
                case ABSOLUTE, SQUARED -> of(actual, predicted);
                case ABSOLUTE_PERCENTAGE -> Math.abs(actual - predicted) / actual;
                case SQUARED_LOG -> {
                    double d = Math.log(1 + actual) - Math.log(1 + predicted);
                    yield d * d;
                }
            };
        }
    }
}
