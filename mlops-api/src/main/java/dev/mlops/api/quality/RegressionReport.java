package dev.mlops.api.quality;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every regression metric of one evaluation, as scikit-learn defines them.
 *
 * @param count rows evaluated
 * @param mae mean absolute error
 * @param rmse root of the mean squared error
 * @param r2 coefficient of determination; 1 when both residuals and spread are 0, 0 when only
 *     the spread is 0 ({@code force_finite=True}); NaN for a single row (undefined, as scikit-learn)
 * @param mape mean of {@code |y - ŷ| / max(|y|, eps)} with eps = 2.220446049250313e-16, a
 *     fraction, not a percentage
 */
public record RegressionReport(int count, double mae, double rmse, double r2, double mape) {
    /**
     * @return {@code mae}, {@code rmse}, {@code r2} (unless NaN), {@code mape}
     */
    public List<MetricValue> metrics() {
        return Double.isNaN(r2)
                ? List.of(new MetricValue("mae", mae), new MetricValue("rmse", rmse), new MetricValue("mape", mape))
                : List.of(new MetricValue("mae", mae), new MetricValue("rmse", rmse), new MetricValue("r2", r2),
                        new MetricValue("mape", mape));
    }

    /**
     * @param name a metric name as in {@link #metrics()}
     * @return its value, if present
     */
    public Optional<MetricValue> metric(String name) {
        Objects.requireNonNull(name, "name");
        return metrics().stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
