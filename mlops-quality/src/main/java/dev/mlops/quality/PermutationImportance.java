package dev.mlops.quality;

import dev.mlops.api.Field;
import dev.mlops.api.Frame;
import dev.mlops.api.Names;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.FeatureImportance;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.quality.ImportanceReport;
import dev.mlops.api.quality.Metric;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Permutation feature importance of any model on a labeled frame, as scikit-learn's
 * {@code permutation_importance}: the metric on the frame, then for each feature and repeat the
 * metric with that one column shuffled; the importance is the drop (oriented by the metric's
 * direction), summarized by mean and population standard deviation. Shuffles come from a
 * {@link SplittableRandom} seeded with the given seed (each repeat a fresh Fisher–Yates
 * permutation of the original column), so a report is reproducible; the work is bounded by
 * features × repeats evaluations.
 */
public final class PermutationImportance {
    /** scikit-learn's default number of repeats. */
    public static final int DEFAULT_REPEATS = 5;

    /** Supplies the row order used for one feature and repeat (a permutation of 0..n-1). */
    @FunctionalInterface
    interface Permutations {
        int[] permutation(int feature, int repeat, int rows);
    }

    private PermutationImportance() {
    }

    /**
     * With 5 repeats and seed 42.
     *
     * @param evaluator runs the model on a labeled frame
     * @param labeled the frame with features and label
     * @param features the columns to shuffle, one at a time
     * @param metric the metric the importance is measured with
     * @param <D> evaluation data type
     * @return the importance of every feature
     */
    public static <D> ImportanceReport compute(FrameEvaluator<D> evaluator, Frame labeled, List<String> features,
                                               Metric<? super D> metric) {
        return compute(evaluator, labeled, features, metric, DEFAULT_REPEATS, 42L);
    }

    /**
     * @param evaluator runs the model on a labeled frame
     * @param labeled the frame with features and label
     * @param features the columns to shuffle, one at a time, unique
     * @param metric the metric the importance is measured with
     * @param repeats shuffles per feature, 1 to 10,000
     * @param seed seed of the shuffles
     * @param <D> evaluation data type
     * @return the importance of every feature, in the given order
     */
    public static <D> ImportanceReport compute(FrameEvaluator<D> evaluator, Frame labeled, List<String> features,
                                               Metric<? super D> metric, int repeats, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return compute(evaluator, labeled, features, metric, repeats, seed, (f, r, n) -> shuffled(rng, n));
    }

    static <D> ImportanceReport compute(FrameEvaluator<D> evaluator, Frame labeled, List<String> features,
                                        Metric<? super D> metric, int repeats, long seed, Permutations permutations) {
        Objects.requireNonNull(evaluator, "evaluator");
        Objects.requireNonNull(labeled, "labeled");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(metric, "metric");
        if (repeats < 1 || repeats > 10_000) {
            throw new IllegalArgumentException("repeats is " + repeats + ", expected 1 to 10,000");
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no features to permute");
        }
        if (new HashSet<>(features).size() != features.size()) {
            throw new IllegalArgumentException("features repeat a column: " + features);
        }
        for (String f : features) {
            if (labeled.schema().field(f).isEmpty()) {
                throw new ValidationException("feature " + Names.quote(f) + " is not a column of the frame; it has "
                        + labeled.schema().fields().stream().map(Field::name).toList());
            }
        }
        if (labeled.rowCount() < 2) {
            throw new ValidationException("the frame has " + labeled.rowCount() + " rows; shuffling needs at least two");
        }
        double sign = metric.greaterIsBetter() ? 1.0 : -1.0;
        double baseline = metric.compute(evaluator.evaluate(labeled));
        int n = labeled.rowCount();
        List<FeatureImportance> out = new ArrayList<>();
        for (int fi = 0; fi < features.size(); fi++) {
            String feature = features.get(fi);
            List<Double> imps = new ArrayList<>(repeats);
            for (int r = 0; r < repeats; r++) {
                int[] perm = permutations.permutation(fi, r, n);
                double score = metric.compute(evaluator.evaluate(permuted(labeled, feature, perm)));
                imps.add(sign * (baseline - score));
            }
            double mean = 0;
            for (double v : imps) {
                mean += v;
            }
            mean /= repeats;
            double ss = 0;
            for (double v : imps) {
                ss += (v - mean) * (v - mean);
            }
            out.add(new FeatureImportance(feature, mean, Math.sqrt(ss / repeats), imps));
        }
        return new ImportanceReport(metric.name(), metric.greaterIsBetter(), baseline, n, repeats, seed, out);
    }

    /**
     * @param report a report
     * @return its JSON document ({@code schemaVersion} 1, kind {@code permutation-importance}), to
     *     store with a model version
     */
    public static String toJson(ImportanceReport report) {
        return QualityJson.importance(Objects.requireNonNull(report, "report"));
    }

    /**
     * @param json a document written by {@link #toJson}
     * @return the report
     * @throws ValidationException if the document is malformed or of another schemaVersion
     */
    public static ImportanceReport fromJson(String json) {
        return QualityJson.readImportance(Objects.requireNonNull(json, "json"));
    }

    static int[] shuffled(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The frame with one column's values reordered: row i gets the original value of row perm[i]. */
    static Frame permuted(Frame frame, String column, int[] perm) {
        List<Object> cols = new ArrayList<>();
        for (Field f : frame.schema().fields()) {
            if (f.name().equals(column)) {
                if (f.type().isNumeric()) {
                    double[] v = frame.numeric(column);
                    double[] out = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        out[i] = v[perm[i]];
                    }
                    cols.add(out);
                } else {
                    String[] v = frame.strings(column);
                    String[] out = new String[v.length];
                    for (int i = 0; i < v.length; i++) {
                        out[i] = v[perm[i]];
                    }
                    cols.add(out);
                }
            } else {
                cols.add(f.type().isNumeric() ? frame.numeric(f.name()) : frame.strings(f.name()));
            }
        }
        return Frame.ofColumns(frame.schema(), cols);
    }
}
