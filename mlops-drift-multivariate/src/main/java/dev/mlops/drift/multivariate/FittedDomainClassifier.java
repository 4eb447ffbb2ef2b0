package dev.mlops.drift.multivariate;

import dev.mlops.api.Frame;
import dev.mlops.api.ValidationException;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.estimation.Chunk;
import dev.mlops.estimation.Chunking;
import dev.mlops.quality.Metrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** {@link DomainClassifierDrift} fitted on a reference. */
final class FittedDomainClassifier implements FittedMultivariateDrift {
    static final String METHOD = "domain_classifier_auroc";
    private static final LabelFactory LABELS = new LabelFactory();
    private static final Label REFERENCE = new Label("0");
    private static final Label CHUNK = new Label("1");
    private static final List<String> CLASSES = List.of("0", "1");

    private final Columns columns;
    private final Chunking chunking;
    private final int folds;
    private final int trees;
    private final long seed;
    private final int threads;
    private final double lower;
    private final double upper;
    /** The reference columns: double[] (continuous, NaN missing) or String[] (categorical, null missing). */
    private final Object[] reference;
    private final int referenceRows;
    private final List<ChunkDrift> referenceDrifts;

    private FittedDomainClassifier(Columns columns, Chunking chunking, int folds, int trees, long seed, int threads,
                                   double lower, double upper, Object[] reference, int referenceRows,
                                   List<ChunkDrift> referenceDrifts) {
        this.columns = columns;
        this.chunking = chunking;
        this.folds = folds;
        this.trees = trees;
        this.seed = seed;
        this.threads = threads;
        this.lower = lower;
        this.upper = upper;
        this.reference = reference;
        this.referenceRows = referenceRows;
        this.referenceDrifts = List.copyOf(referenceDrifts);
    }

    static FittedDomainClassifier fit(List<String> names, Chunking chunking, int folds, int trees, long seed,
                                      int threads, double lower, double upper, Frame reference) {
        Columns columns = Columns.of(names, reference);
        columns.check(reference, "reference");
        // first without the reference chunks' values, to compute them with the same settings
        FittedDomainClassifier fitted = new FittedDomainClassifier(columns, chunking, folds, trees, seed, threads,
                lower, upper, read(columns, reference, "reference"), reference.rowCount(), List.of());
        List<Chunk> chunks = Chunks.split(chunking, reference.rowCount(), "reference");
        List<ChunkDrift> drifts = new ArrayList<>();
        for (Chunk c : chunks) {
            int[] labels = new int[reference.rowCount()];
            for (int i = c.startIndex(); i <= c.endIndex(); i++) {
                labels[i] = 1;
            }
            drifts.add(fitted.drift(c, fitted.reference, labels, "reference chunk " + c.key()));
        }
        return new FittedDomainClassifier(columns, chunking, folds, trees, seed, threads, lower, upper,
                fitted.reference, fitted.referenceRows, drifts);
    }

    @Override
    public MultivariateDriftResult calculate(Frame analysis) {
        Objects.requireNonNull(analysis, "analysis");
        columns.check(analysis, "analysis");
        Object[] data = read(columns, analysis, "analysis");
        List<ChunkDrift> drifts = new ArrayList<>();
        for (Chunk c : Chunks.split(chunking, analysis.rowCount(), "analysis")) {
            int rows = referenceRows + c.size();
            Object[] pooled = new Object[reference.length];
            for (int j = 0; j < reference.length; j++) {
                if (reference[j] instanceof double[] r) {
                    double[] p = new double[rows];
                    System.arraycopy(r, 0, p, 0, referenceRows);
                    System.arraycopy((double[]) data[j], c.startIndex(), p, referenceRows, c.size());
                    pooled[j] = p;
                } else {
                    String[] p = new String[rows];
                    System.arraycopy((String[]) reference[j], 0, p, 0, referenceRows);
                    System.arraycopy((String[]) data[j], c.startIndex(), p, referenceRows, c.size());
                    pooled[j] = p;
                }
            }
            int[] labels = new int[rows];
            for (int i = referenceRows; i < rows; i++) {
                labels[i] = 1;
            }
            drifts.add(drift(c, pooled, labels, "analysis chunk " + c.key()));
        }
        return new MultivariateDriftResult(METHOD, columns.names(), referenceRows, referenceDrifts, drifts,
                OptionalDouble.of(lower), OptionalDouble.of(upper));
    }

    @Override
    public MultivariateDriftResult referenceResult() {
        return new MultivariateDriftResult(METHOD, columns.names(), referenceRows, referenceDrifts, List.of(),
                OptionalDouble.of(lower), OptionalDouble.of(upper));
    }

    private static Object[] read(Columns columns, Frame data, String what) {
        Object[] out = new Object[columns.names().size()];
        for (int j = 0; j < out.length; j++) {
            String name = columns.names().get(j);
            out[j] = columns.continuous()[j] ? Columns.numeric(data, name, what) : Columns.strings(data, name);
        }
        return out;
    }

    private ChunkDrift drift(Chunk chunk, Object[] pooled, int[] labels, String what) {
        double auroc = crossValidatedAuroc(pooled, labels, what);
        return new ChunkDrift(chunk, auroc, Double.NaN, Double.NaN, Double.NaN, auroc > upper || auroc < lower);
    }

    /** The ROC AUC of the out-of-fold probabilities of label 1. */
    double crossValidatedAuroc(Object[] pooled, int[] labels, String what) {
        int ones = 0;
        for (int l : labels) {
            ones += l;
        }
        int zeros = labels.length - ones;
        if (Math.min(ones, zeros) < folds) {
            throw new ValidationException("the " + what + " gives " + zeros + " reference rows and " + ones
                    + " chunk rows to tell apart; expected at least " + folds + " of each (one per fold)"
                    + (ones == 0 || zeros == 0 ? ": a classifier needs both labels" : ""));
        }
        List<Example<Label>> examples = examples(pooled, labels);
        int[] fold = StratifiedFolds.testFolds(labels, folds);
        double[] probability = new double[labels.length];
        XGBoostClassificationTrainer trainer = new XGBoostClassificationTrainer(trees, parameters());
        for (int f = 0; f < folds; f++) {
            MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("domain classifier", LABELS),
                    LABELS);
            List<Example<Label>> test = new ArrayList<>();
            List<Integer> testRows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (fold[i] == f) {
                    test.add(examples.get(i));
                    testRows.add(i);
                } else {
                    train.add(examples.get(i));
                }
            }
            Model<Label> model = trainer.train(train);
            List<Prediction<Label>> predictions = model.predict(test);
            for (int t = 0; t < test.size(); t++) {
                Label score = predictions.get(t).getOutputScores().get(CHUNK.getLabel());
                probability[testRows.get(t)] = score == null ? 0 : score.getScore();
            }
        }
        return Metrics.ROC_AUC.compute(ClassificationData.binary(CLASSES, labels, probability));
    }

    /**
     * XGBoost parameters as close to NannyML's LightGBM defaults as XGBoost allows: leaf-wise histogram trees of
     * at most 31 leaves and no depth limit, learning rate 0.1, minimum child weight 0.001, no L1/L2 penalty, no
     * row or column subsampling.
     */
    private Map<String, Object> parameters() {
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "multi:softprob");
        p.put("booster", "gbtree");
        p.put("tree_method", "hist");
        p.put("grow_policy", "lossguide");
        p.put("max_leaves", 31);
        p.put("max_depth", 0);
        p.put("max_bin", 255);
        p.put("eta", 0.1);
        p.put("gamma", 0.0);
        p.put("min_child_weight", 0.001);
        p.put("subsample", 1.0);
        p.put("colsample_bytree", 1.0);
        p.put("lambda", 0.0);
        p.put("alpha", 0.0);
        p.put("nthread", threads);
        p.put("seed", seed);
        p.put("verbosity", 0);
        return p;
    }

    /**
     * One example per row: continuous values as they are, categorical values as the position of the value among
     * the sorted distinct values of the pooled rows (scikit-learn's {@code OrdinalEncoder}); a missing value is
     * left out, which XGBoost treats as missing. Every example carries a constant feature so that a row with every
     * value missing is still an example.
     */
    private static List<Example<Label>> examples(Object[] pooled, int[] labels) {
        int d = pooled.length;
        List<Map<String, Integer>> codes = new ArrayList<>();
        for (Object column : pooled) {
            Map<String, Integer> code = new HashMap<>();
            if (column instanceof String[] s) {
                TreeSet<String> sorted = new TreeSet<>();
                for (String v : s) {
                    if (v != null) {
                        sorted.add(v);
                    }
                }
                for (String v : sorted) {
                    code.put(v, code.size());
                }
            }
            codes.add(code);
        }
        String[] allNames = new String[d + 1];
        for (int j = 0; j < d; j++) {
            allNames[j] = String.format("c%04d", j);
        }
        allNames[d] = "constant";
        List<Example<Label>> out = new ArrayList<>(labels.length);
        String[] names = new String[d + 1];
        double[] values = new double[d + 1];
        for (int i = 0; i < labels.length; i++) {
            int present = 0;
            for (int j = 0; j < d; j++) {
                double v;
                if (pooled[j] instanceof double[] c) {
                    v = c[i];
                } else {
                    String s = ((String[]) pooled[j])[i];
                    v = s == null ? Double.NaN : codes.get(j).get(s);
                }
                if (!Double.isNaN(v)) {
                    names[present] = allNames[j];
                    values[present] = v;
                    present++;
                }
            }
            names[present] = allNames[d];
            values[present] = 1;
            present++;
            String[] n = new String[present];
            double[] v = new double[present];
            System.arraycopy(names, 0, n, 0, present);
            System.arraycopy(values, 0, v, 0, present);
            out.add(new ArrayExample<>(labels[i] == 1 ? CHUNK : REFERENCE, n, v));
        }
        return out;
    }
}
