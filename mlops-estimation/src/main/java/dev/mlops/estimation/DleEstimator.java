package dev.mlops.estimation;

import dev.mlops.api.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.tribuo.Example;
import org.tribuo.regression.Regressor;
import org.slf4j.LoggerFactory;

/**
 * NannyML's DLE, fitted: a nanny model per loss, and per metric the reference's sampling-error
 * components and alert thresholds ({@code nannyml/performance_estimation/direct_loss_estimation/}).
 */
final class DleEstimator implements FittedDle {
    private static final Logger LOG = LoggerFactory.getLogger(DleEstimator.class);
    /** The metrics' values are losses: at least 0, no upper limit (NannyML's {@code lower_value_limit=0}). */
    private static final double LOWER_LIMIT = 0;
    private static final double UPPER_LIMIT = Double.POSITIVE_INFINITY;

    private final List<DleMetric> metrics;
    private final Chunking chunking;
    private final NannyFeatures features;
    private final Map<DleMetric.Loss, NannyModel> nannies;
    /** per metric, the population standard deviation and the mean of its per-row sampling-error loss on the reference. */
    private final Map<DleMetric, double[]> samplingComponents;
    private final Map<DleMetric, Thresholds> thresholds;
    private final EstimationResult reference;

    private DleEstimator(List<DleMetric> metrics, Chunking chunking, NannyFeatures features,
                         Map<DleMetric.Loss, NannyModel> nannies, Map<DleMetric, double[]> samplingComponents,
                         Map<DleMetric, Thresholds> thresholds, RegressionOutputs referenceData) {
        this.metrics = metrics;
        this.chunking = chunking;
        this.features = features;
        this.nannies = nannies;
        this.samplingComponents = samplingComponents;
        this.thresholds = thresholds;
        this.reference = run(referenceData, "reference");
    }

    static DleEstimator fit(Dle.Settings settings, RegressionOutputs reference) {
        if (reference.size() == 0) {
            throw new ValidationException("the reference data has no rows; expected rows with targets");
        }
        if (!reference.hasTargets()) {
            throw new ValidationException("the reference data has no targets; expected RegressionOutputs.withTargets(...)"
                    + " on the reference, which DLE learns from");
        }
        checkLogMetrics(settings.metrics(), reference, "reference");
        int[] order = TimeOrder.of(reference.timestampArray());
        double[] y = TimeOrder.permute(reference.targetArray(), order);
        double[] p = TimeOrder.permute(reference.predictedArray(), order);
        List<Chunk> chunks = Chunker.split(settings.chunking(), y.length, TimeOrder.sorted(reference.timestampArray()),
                "reference");
        Map<DleMetric, double[]> components = new EnumMap<>(DleMetric.class);
        Map<DleMetric, Thresholds> thresholds = new EnumMap<>(DleMetric.class);
        for (DleMetric m : settings.metrics()) {
            double[] forSe = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                forSe[i] = m.loss.forSamplingError(y[i], p[i]);
            }
            double mean = mean(forSe, 0, forSe.length - 1);
            components.put(m, new double[] {populationStd(forSe, mean), mean});
            double[] realized = new double[chunks.size()];
            for (int c = 0; c < realized.length; c++) {
                realized[c] = realized(m, y, p, chunks.get(c));
            }
            thresholds.put(m, Thresholds.of(realized, settings.lowerMultiplier(), settings.upperMultiplier(),
                    LOWER_LIMIT, UPPER_LIMIT));
        }
        NannyFeatures features = new NannyFeatures(reference);
        NannyFeatures.Encoded rows = features.encode(reference, order);
        Map<DleMetric.Loss, NannyModel> nannies = new EnumMap<>(DleMetric.Loss.class);
        for (DleMetric m : settings.metrics()) {
            if (!nannies.containsKey(m.loss)) {
                double[] loss = new double[y.length];
                for (int i = 0; i < loss.length; i++) {
                    loss[i] = m.loss.of(y[i], p[i]);
                }
                nannies.put(m.loss, NannyModel.fit(rows, loss, settings.seed(), settings.threads()));
            }
        }
        LOG.debug("DLE fitted on {} reference rows: {} nanny models for {}", y.length, nannies.size(), settings.metrics());
        return new DleEstimator(settings.metrics(), settings.chunking(), features, nannies, components, thresholds,
                reference);
    }

    @Override
    public EstimationResult estimate(RegressionOutputs analysis) {
        java.util.Objects.requireNonNull(analysis, "analysis");
        return run(analysis, "analysis");
    }

    @Override
    public EstimationResult reference() {
        return reference;
    }

    @Override
    public List<DleMetric> metrics() {
        return metrics;
    }

    private EstimationResult run(RegressionOutputs data, String what) {
        if (data.size() == 0) {
            throw new ValidationException("the " + what + " data has no rows; expected at least one");
        }
        features.checkSameFeatures(data, what);
        checkLogMetrics(metrics, data, what);
        int[] order = TimeOrder.of(data.timestampArray());
        Instant[] times = TimeOrder.sorted(data.timestampArray());
        List<Chunk> chunks = Chunker.split(chunking, data.size(), times, what);
        double[] p = TimeOrder.permute(data.predictedArray(), order);
        double[] y = data.hasTargets() ? TimeOrder.permute(data.targetArray(), order) : null;
        List<Example<Regressor>> rows = NannyModel.examples(features.encode(data, order));
        Map<DleMetric.Loss, double[]> predictedLoss = new EnumMap<>(DleMetric.Loss.class);
        nannies.forEach((loss, nanny) -> {
            double[] v = nanny.predict(rows);
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(0, v[i]);    // NannyML clips negative predicted losses to 0
            }
            predictedLoss.put(loss, v);
        });
        Map<String, List<ChunkEstimate>> out = new LinkedHashMap<>();
        for (DleMetric m : metrics) {
            List<ChunkEstimate> list = new ArrayList<>();
            double[] losses = predictedLoss.get(m.loss);
            Thresholds t = thresholds.get(m);
            for (Chunk chunk : chunks) {
                double mean = mean(losses, chunk.startIndex(), chunk.endIndex());
                double value = m.root ? Math.sqrt(mean) : mean;
                double se = samplingError(m, chunk.size());
                OptionalDouble realized = y == null ? OptionalDouble.empty() : OptionalDouble.of(realized(m, y, p, chunk));
                double upper = Math.min(UPPER_LIMIT, value + CbpeEstimator.SAMPLING_ERROR_RANGE * se);
                double lower = Math.max(LOWER_LIMIT, value - CbpeEstimator.SAMPLING_ERROR_RANGE * se);
                list.add(new ChunkEstimate(chunk, m.columnName(), value, se, realized, lower, upper, t.lower(), t.upper(),
                        t.alert(value)));
            }
            out.put(m.columnName(), list);
        }
        return new EstimationResult(chunks, out);
    }

    /**
     * NannyML's {@code sampling_error/regression.py}: std / √n for the means; for the roots,
     * √(std² / (4 n mean)), the delta method's error of the root of a mean.
     */
    private double samplingError(DleMetric m, int n) {
        double[] c = samplingComponents.get(m);
        double std = c[0];
        return m.root ? Math.sqrt(std * std / (4.0 * n * c[1])) : std / Math.sqrt(n);
    }

    /** The metric from the targets of one chunk: the mean loss (its root for RMSE, RMSLE), as scikit-learn's. */
    static double realized(DleMetric m, double[] y, double[] p, Chunk chunk) {
        double sum = 0;
        for (int i = chunk.startIndex(); i <= chunk.endIndex(); i++) {
            sum += m.loss.of(y[i], p[i]);
        }
        double mean = sum / chunk.size();
        return m.root ? Math.sqrt(mean) : mean;
    }

    /** NannyML refuses negative predictions and targets for the log metrics (scikit-learn's MSLE does). */
    private static void checkLogMetrics(List<DleMetric> metrics, RegressionOutputs data, String what) {
        DleMetric log = null;
        for (DleMetric m : metrics) {
            if (m.loss == DleMetric.Loss.SQUARED_LOG) {
                log = m;
                break;
            }
        }
        if (log == null) {
            return;
        }
        checkNotNegative(data.predictedArray(), "predicted", log, what);
        if (data.hasTargets()) {
            checkNotNegative(data.targetArray(), "targets", log, what);
        }
    }

    private static void checkNotNegative(double[] values, String name, DleMetric metric, String what) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new ValidationException("the " + what + " data's " + name + "[" + i + "] is " + values[i]
                        + ", expected a value >= 0: " + metric.columnName() + " takes the logarithm of 1 + value");
            }
        }
    }

    private static double mean(double[] a, int from, int to) {
        double sum = 0;
        for (int i = from; i <= to; i++) {
            sum += a[i];
        }
        return sum / (to - from + 1);
    }

    private static double populationStd(double[] a, double mean) {
        double ss = 0;
        for (double v : a) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / a.length);
    }
}
