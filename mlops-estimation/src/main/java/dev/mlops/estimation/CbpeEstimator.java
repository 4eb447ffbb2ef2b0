package dev.mlops.estimation;

import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.quality.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** NannyML's CBPE, fitted: per-class calibrators, the metric columns and their alert thresholds. */
final class CbpeEstimator implements FittedCbpe {
    private static final Logger LOG = LoggerFactory.getLogger(CbpeEstimator.class);
    /** NannyML's {@code SAMPLING_ERROR_RANGE}: bands are the estimate plus or minus this many sampling errors. */
    static final double SAMPLING_ERROR_RANGE = 3;

    private final List<String> classes;
    private final boolean binary;
    private final Chunking chunking;
    private final List<MetricColumn> columns;
    private final List<Thresholds> thresholds;
    /** per probability column, the isotonic calibrator, or null when that column is not calibrated. */
    private final IsotonicRegression[] calibrators;
    private final EstimationResult reference;

    private CbpeEstimator(List<String> classes, boolean binary, Chunking chunking, List<MetricColumn> columns,
                          List<Thresholds> thresholds, IsotonicRegression[] calibrators, ModelOutputs referenceData) {
        this.classes = classes;
        this.binary = binary;
        this.chunking = chunking;
        this.columns = columns;
        this.thresholds = thresholds;
        this.calibrators = calibrators;
        this.reference = run(referenceData, "reference");
    }

    static CbpeEstimator fit(Cbpe.Settings settings, ModelOutputs reference) {
        if (reference.size() == 0) {
            throw new ValidationException("the reference data has no rows; expected rows with targets");
        }
        if (!reference.hasTargets()) {
            throw new ValidationException("the reference data has no targets; expected ModelOutputs.withTargets(...)"
                    + " on the reference, which CBPE learns from");
        }
        Rows rows = sortedRows(reference, null);
        boolean binary = reference.isBinary();
        int[] count = new int[reference.classes().size()];
        for (int t : rows.targets) {
            count[t]++;
        }
        for (int c = 0; c < count.length; c++) {
            if (count[c] == 0) {
                throw new ValidationException("the reference targets have no row of class '" + reference.classes().get(c)
                        + "' (" + rows.size() + " rows); expected every class " + reference.classes()
                        + " in the reference");
            }
        }
        List<MetricColumn> columns = binary
                ? MetricColumns.binary(settings.metrics(), rows, settings.confusionNormalization(),
                        settings.valueMatrix(), settings.valuePerPrediction())
                : MetricColumns.multiclass(settings.metrics(), rows, reference.classes(), settings.confusionNormalization(),
                        settings.valueMatrix(), settings.valuePerPrediction());
        // alert thresholds from the realized values of the reference chunks
        List<Chunk> chunks = Chunker.split(settings.chunking(), rows.size(), sortedTimes(reference), "reference");
        List<Thresholds> thresholds = new ArrayList<>();
        for (MetricColumn col : columns) {
            double[] values = new double[chunks.size()];
            for (int i = 0; i < values.length; i++) {
                Chunk ch = chunks.get(i);
                values[i] = col.realized().applyAsDouble(rows.slice(ch.startIndex(), ch.endIndex()));
            }
            thresholds.add(Thresholds.of(values, settings.lowerMultiplier(), settings.upperMultiplier(),
                    col.lowerLimit(), col.upperLimit()));
        }
        IsotonicRegression[] calibrators = new IsotonicRegression[rows.uncalibrated.length];
        for (int c = 0; c < calibrators.length; c++) {
            int[] positive = binary ? rows.targets : rows.targetIs(c);
            double[] score = rows.uncalibrated[c];
            double auc = Metrics.ROC_AUC.compute(ClassificationData.binary(List.of("0", "1"), positive, score));
            if (Calibration.needsCalibration(positive, score, auc)) {
                double[] y = Arrays.stream(positive).asDoubleStream().toArray();
                calibrators[c] = IsotonicRegression.fit(score, y);
            }
        }
        CbpeEstimator fitted = new CbpeEstimator(reference.classes(), binary, settings.chunking(), columns, thresholds,
                calibrators, reference);
        LOG.debug("CBPE fitted on {} reference rows; calibrated classes {}", rows.size(), fitted.calibratedClasses());
        return fitted;
    }

    @Override
    public EstimationResult estimate(ModelOutputs analysis) {
        java.util.Objects.requireNonNull(analysis, "analysis");
        if (analysis.isBinary() != binary || !analysis.classes().equals(classes)) {
            throw new ValidationException("the analysis outputs have classes " + analysis.classes()
                    + ", expected the reference's classes " + classes);
        }
        return run(analysis, "analysis");
    }

    @Override
    public EstimationResult reference() {
        return reference;
    }

    @Override
    public List<String> calibratedClasses() {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < calibrators.length; c++) {
            if (calibrators[c] != null) {
                out.add(binary ? "1" : classes.get(c));
            }
        }
        return out;
    }

    private EstimationResult run(ModelOutputs data, String what) {
        if (data.size() == 0) {
            throw new ValidationException("the " + what + " data has no rows; expected at least one");
        }
        Rows rows = sortedRows(data, calibrators);
        List<Chunk> chunks = Chunker.split(chunking, rows.size(), sortedTimes(data), what);
        Map<String, List<ChunkEstimate>> out = new LinkedHashMap<>();
        for (MetricColumn col : columns) {
            out.put(col.name(), new ArrayList<>());
        }
        for (Chunk chunk : chunks) {
            Rows r = rows.slice(chunk.startIndex(), chunk.endIndex());
            for (int m = 0; m < columns.size(); m++) {
                MetricColumn col = columns.get(m);
                Thresholds t = thresholds.get(m);
                double value = col.estimate().applyAsDouble(r);
                double se = col.samplingError().applyAsDouble(r.size());
                OptionalDouble realized = OptionalDouble.empty();
                if (r.targets != null) {
                    double v = col.realized().applyAsDouble(r);
                    if (!Double.isNaN(v)) {
                        realized = OptionalDouble.of(v);
                    }
                }
                double upper = Math.min(col.upperLimit(), value + SAMPLING_ERROR_RANGE * se);
                double lower = Math.max(col.lowerLimit(), value - SAMPLING_ERROR_RANGE * se);
                out.get(col.name()).add(new ChunkEstimate(chunk, col.name(), value, se, realized, lower, upper,
                        t.lower(), t.upper(), t.alert(value)));
            }
        }
        return new EstimationResult(chunks, out);
    }

    @Override
    public <O> dev.mlops.api.estimation.ExpectedLoss<O> binaryExpectedLoss(
            java.util.function.ToDoubleFunction<? super O> positiveProbability,
            java.util.function.ToIntFunction<? super O> predicted) {
        java.util.Objects.requireNonNull(positiveProbability, "positiveProbability");
        java.util.Objects.requireNonNull(predicted, "predicted");
        if (!binary) {
            throw new IllegalArgumentException("this CBPE estimator's classifier has classes " + classes
                    + "; use multiclassExpectedLoss");
        }
        IsotonicRegression cal = calibrators == null ? null : calibrators[0];
        return output -> {
            double raw = positiveProbability.applyAsDouble(output);
            int cls = predicted.applyAsInt(output);
            if (!(raw >= 0 && raw <= 1)) {
                throw new IllegalArgumentException("positive probability must be in [0, 1], was " + raw);
            }
            if (cls != 0 && cls != 1) {
                throw new IllegalArgumentException("predicted class must be 0 or 1, was " + cls);
            }
            double p = cal == null ? raw : cal.predict(raw);
            return cls == 1 ? 1 - p : p;
        };
    }

    @Override
    public <O> dev.mlops.api.estimation.ExpectedLoss<O> multiclassExpectedLoss(
            CbpeMonitor.ProbabilityReader<? super O> probabilities) {
        java.util.Objects.requireNonNull(probabilities, "probabilities");
        if (binary) {
            throw new IllegalArgumentException("this CBPE estimator's classifier is binary; use binaryExpectedLoss");
        }
        int k = classes.size();
        ThreadLocal<double[]> rows = ThreadLocal.withInitial(() -> new double[k]);
        return output -> {
            double[] row = rows.get();
            int cls = probabilities.read(output, row);
            if (cls < 0 || cls >= k) {
                throw new IllegalArgumentException("predicted class index must be in [0, " + k + "), was " + cls);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                if (!(row[c] >= 0 && row[c] <= 1)) {
                    throw new IllegalArgumentException("probability of class " + classes.get(c)
                            + " must be in [0, 1], was " + row[c]);
                }
                IsotonicRegression cal = calibrators == null ? null : calibrators[c];
                row[c] = cal == null ? row[c] : cal.predict(row[c]);
                sum += row[c];
            }
            return 1 - (sum != 0 ? row[cls] / sum : 1.0 / k);
        };
    }

    /** @return the class labels, in the order of the probability columns (binary: "0", "1") */
    List<String> classes() {
        return classes;
    }

    /** @return true for a binary classifier (one probability column, class 1's) */
    boolean binary() {
        return binary;
    }

    /** @return per probability column, its calibrator or null */
    IsotonicRegression[] calibrators() {
        return calibrators;
    }

    /** @return the result columns, in the builder's order */
    List<MetricColumn> columns() {
        return columns;
    }

    /** @return the alert thresholds, one per column of {@link #columns()} */
    List<Thresholds> thresholds() {
        return thresholds;
    }

    /** The rows in time order (stable) when there are timestamps, with calibrated probabilities. */
    private static Rows sortedRows(ModelOutputs data, IsotonicRegression[] calibrators) {
        int[] order = timeOrder(data);
        double[][] raw = data.probabilityColumns();
        double[][] uncal = new double[raw.length][];
        for (int c = 0; c < raw.length; c++) {
            uncal[c] = permute(raw[c], order);
        }
        int[] predicted = permute(data.predictedIndices(), order);
        int[] targets = data.hasTargets() ? permute(data.targetIndices(), order) : null;
        double[][] cal = calibrators == null ? uncal : calibrate(uncal, calibrators, data.isBinary());
        return new Rows(data.classes().size(), cal, uncal, predicted, targets);
    }

    /**
     * Each column through its calibrator; for multiclass, rows are then scaled to sum to one (a row
     * that sums to zero becomes uniform), as NannyML's {@code _calibrate_predicted_probabilities}.
     */
    static double[][] calibrate(double[][] uncal, IsotonicRegression[] calibrators, boolean binary) {
        double[][] cal = new double[uncal.length][];
        for (int c = 0; c < uncal.length; c++) {
            cal[c] = calibrators[c] == null ? uncal[c].clone() : calibrators[c].predict(uncal[c]);
        }
        if (!binary) {
            int k = cal.length;
            for (int i = 0; i < cal[0].length; i++) {
                double sum = 0;
                for (double[] col : cal) {
                    sum += col[i];
                }
                for (double[] col : cal) {
                    col[i] = sum != 0 ? col[i] / sum : 1.0 / k;
                }
            }
        }
        return cal;
    }

    private static int[] timeOrder(ModelOutputs data) {
        return TimeOrder.of(data.timestampArray());
    }

    private static Instant[] sortedTimes(ModelOutputs data) {
        return TimeOrder.sorted(data.timestampArray());
    }

    private static double[] permute(double[] a, int[] order) {
        return TimeOrder.permute(a, order);
    }

    private static int[] permute(int[] a, int[] order) {
        return TimeOrder.permute(a, order);
    }
}
