package dev.mlops.quality;

import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.BootstrapOptions;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.Metric;
import dev.mlops.api.quality.MetricEstimate;
import dev.mlops.api.quality.PairedComparison;
import dev.mlops.api.quality.RegressionData;
import dev.mlops.api.quality.Resamplable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap intervals for any metric, and the paired bootstrap of candidate vs
 * champion on the same rows. Resampling draws {@code n} row indices uniformly with replacement
 * from a {@link SplittableRandom} seeded with {@link BootstrapOptions#seed()}, so results are
 * reproducible across runs and machines. The interval's ends are the {@code (1 - c) / 2} and
 * {@code (1 + c) / 2} quantiles of the resampled values with linear interpolation (numpy's
 * default {@code quantile} method). The work is bounded by the resample count, never by time.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    /**
     * @param data evaluation data
     * @param metric the metric
     * @param options resamples, confidence, seed
     * @param <D> data type
     * @return the metric on all rows and its percentile interval
     * @throws ValidationException if the metric is undefined on the full data or on every resample
     */
    public static <D extends Resamplable<D>> MetricEstimate interval(D data, Metric<? super D> metric,
                                                                     BootstrapOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(options, "options");
        double value = metric.compute(data);
        requireFinite(metric.name(), value, "all rows");
        int n = data.size();
        SplittableRandom rng = new SplittableRandom(options.seed());
        double[] values = new double[options.resamples()];
        int valid = 0;
        int[] rows = new int[n];
        for (int b = 0; b < options.resamples(); b++) {
            draw(rng, rows);
            double v = tryCompute(metric, data.select(rows));
            if (!Double.isNaN(v)) {
                values[valid++] = v;
            }
        }
        if (valid == 0) {
            throw new ValidationException(metric.name() + " is undefined on every one of the " + options.resamples()
                    + " resamples of " + n + " rows; no interval can be formed");
        }
        double[] sorted = Arrays.copyOf(values, valid);
        Arrays.sort(sorted);
        double alpha = 1.0 - options.confidence();
        return new MetricEstimate(metric.name(), value, quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2),
                options.confidence(), options.resamples(), options.resamples() - valid, options.seed());
    }

    /**
     * Paired bootstrap: each resample draws one set of rows and computes the metric for both
     * models on them, so row difficulty cancels out of the difference.
     *
     * @param candidate the candidate's outputs with the labels
     * @param champion the champion's outputs on the same rows, same labels, same order
     * @param metric the metric
     * @param options resamples, confidence, seed
     * @param <D> data type
     * @return the oriented improvement, its interval and a one-sided p-value
     * @throws ValidationException if the two do not cover the same rows (sizes or labels differ),
     *     or the metric is undefined on the full data or on every resample
     */
    public static <D extends Resamplable<D>> PairedComparison paired(D candidate, D champion, Metric<? super D> metric,
                                                                     BootstrapOptions options) {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(options, "options");
        requireSameRows(candidate, champion);
        double cand = metric.compute(candidate);
        double champ = metric.compute(champion);
        requireFinite(metric.name(), cand, "the candidate's rows");
        requireFinite(metric.name(), champ, "the champion's rows");
        double sign = metric.greaterIsBetter() ? 1.0 : -1.0;
        int n = candidate.size();
        SplittableRandom rng = new SplittableRandom(options.seed());
        double[] diffs = new double[options.resamples()];
        int valid = 0;
        int notBetter = 0;
        int[] rows = new int[n];
        for (int b = 0; b < options.resamples(); b++) {
            draw(rng, rows);
            double c = tryCompute(metric, candidate.select(rows));
            double h = tryCompute(metric, champion.select(rows));
            if (Double.isNaN(c) || Double.isNaN(h)) {
                continue;
            }
            double d = sign * (c - h);
            diffs[valid++] = d;
            if (d <= 0) {
                notBetter++;
            }
        }
        if (valid == 0) {
            throw new ValidationException(metric.name() + " is undefined on every one of the " + options.resamples()
                    + " resamples of " + n + " rows; no comparison can be made");
        }
        double[] sorted = Arrays.copyOf(diffs, valid);
        Arrays.sort(sorted);
        double alpha = 1.0 - options.confidence();
        double p = (1.0 + notBetter) / (1.0 + valid);
        return new PairedComparison(metric.name(), metric.greaterIsBetter(), cand, champ, sign * (cand - champ),
                quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2), options.confidence(), p,
                options.resamples(), options.resamples() - valid, options.seed());
    }

    /**
     * @param estimates metrics with intervals
     * @return their JSON document ({@code schemaVersion} 1, kind {@code metric-estimates}), to
     *     store with a model version for its model card
     */
    public static String toJson(List<MetricEstimate> estimates) {
        return QualityJson.estimates(List.copyOf(Objects.requireNonNull(estimates, "estimates")));
    }

    /**
     * @param json a document written by {@link #toJson}
     * @return the estimates, in order
     * @throws ValidationException if the document is malformed or of another schemaVersion
     */
    public static List<MetricEstimate> estimatesFromJson(String json) {
        return QualityJson.readEstimates(Objects.requireNonNull(json, "json"));
    }

    static void draw(SplittableRandom rng, int[] rows) {
        int n = rows.length;
        for (int i = 0; i < n; i++) {
            rows[i] = rng.nextInt(n);
        }
    }

    /** numpy.quantile(method="linear") on sorted values. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static <D> double tryCompute(Metric<? super D> metric, D data) {
        try {
            double v = metric.compute(data);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (ValidationException e) {
            return Double.NaN;
        }
    }

    private static void requireFinite(String metric, double v, String where) {
        if (!Double.isFinite(v)) {
            throw new ValidationException(metric + " is " + v + " on " + where + "; a bootstrap needs a finite value");
        }
    }

    private static void requireSameRows(Resamplable<?> candidate, Resamplable<?> champion) {
        if (candidate.size() != champion.size()) {
            throw new ValidationException("candidate has " + candidate.size() + " rows but champion has "
                    + champion.size() + "; a paired comparison needs the same rows");
        }
        if (candidate instanceof ClassificationData a && champion instanceof ClassificationData b) {
            if (!a.classes().equals(b.classes())) {
                throw new ValidationException("candidate classes " + a.classes() + " differ from champion classes "
                        + b.classes());
            }
            firstDifference(a.actual(), b.actual());
        } else if (candidate instanceof RegressionData a && champion instanceof RegressionData b) {
            double[] x = a.actual();
            double[] y = b.actual();
            for (int i = 0; i < x.length; i++) {
                if (Double.compare(x[i], y[i]) != 0) {
                    throw new ValidationException("row " + i + " has actual " + x[i] + " for the candidate but " + y[i]
                            + " for the champion; a paired comparison needs the same rows in the same order");
                }
            }
        }
    }

    private static void firstDifference(int[] x, int[] y) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                throw new ValidationException("row " + i + " has actual class " + x[i] + " for the candidate but " + y[i]
                        + " for the champion; a paired comparison needs the same rows in the same order");
            }
        }
    }
}
