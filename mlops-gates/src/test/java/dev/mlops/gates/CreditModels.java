package dev.mlops.gates;

import dev.mlops.quality.Evaluation;
import dev.mlops.quality.testing.QualityReference;
import dev.mlops.quality.testing.TestFrames;
import dev.mlops.api.Frame;
import dev.mlops.api.quality.ClassificationData;
import dev.mlops.api.quality.FrameEvaluator;
import dev.mlops.api.serving.Model;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Three real models of German credit (1,000 applicants, classes bad/good), evaluated in-sample
 * on the whole file, for gate tests:
 * <ul>
 *   <li>{@link #majority()}: always "good" with probability 0.7 (the share of good applicants),
 *       the kind of first model a team ships;</li>
 *   <li>{@link #logistic()}: scikit-learn's LogisticRegression on the standardized numeric
 *       columns, its {@code predict_proba} recorded in the quality reference file; 0.013 more
 *       accurate than the majority model, which is luck, not a significant improvement;</li>
 *   <li>{@link #naiveBayes()}: categorical naive Bayes with Laplace smoothing on eight
 *       categorical columns, trained here; 0.046 more accurate than the majority model, which
 *       McNemar's test and the paired bootstrap both call significant.</li>
 * </ul>
 */
final class CreditModels {
    static final List<String> CLASSES = List.of("bad", "good");
    private static final List<String> NB_COLUMNS = List.of("checking_status", "credit_history", "savings_status",
            "purpose", "employment", "property_magnitude", "other_payment_plans", "housing");

    private CreditModels() {
    }

    static Frame frame() {
        return TestFrames.germanCredit();
    }

    static FrameEvaluator<ClassificationData> majority() {
        Model<Integer, double[]> m = Model.of(i -> new double[] {0.3, 0.7});
        return Evaluation.classifier(m, "class", CLASSES, r -> r.index(), p -> p);
    }

    static FrameEvaluator<ClassificationData> logistic() {
        double[][] p = QualityReference.matrix(QualityReference.classificationCase("german-credit-logistic")
                .get("probabilities"));
        Model<Integer, double[]> m = Model.of(i -> p[i]);
        return Evaluation.classifier(m, "class", CLASSES, r -> r.index(), x -> x);
    }

    static FrameEvaluator<ClassificationData> naiveBayes() {
        Frame train = frame();
        String[] y = train.strings("class");
        Map<String, Integer> prior = new HashMap<>();
        Map<String, Map<String, Integer>> counts = new HashMap<>(); // "column|class" -> value -> count
        Map<String, Set<String>> values = new HashMap<>();
        for (String c : NB_COLUMNS) {
            String[] col = train.strings(c);
            values.put(c, new HashSet<>(List.of(col)));
            for (int i = 0; i < y.length; i++) {
                counts.computeIfAbsent(c + "|" + y[i], k -> new HashMap<>()).merge(col[i], 1, Integer::sum);
            }
        }
        for (String label : y) {
            prior.merge(label, 1, Integer::sum);
        }
        Model<Map<String, String>, double[]> m = Model.of(row -> {
            double[] logp = new double[CLASSES.size()];
            for (int k = 0; k < logp.length; k++) {
                String cls = CLASSES.get(k);
                int n = prior.getOrDefault(cls, 0);
                logp[k] = Math.log((double) n / y.length);
                for (String c : NB_COLUMNS) {
                    int count = counts.getOrDefault(c + "|" + cls, Map.of()).getOrDefault(row.get(c), 0);
                    logp[k] += Math.log((count + 1.0) / (n + values.get(c).size()));
                }
            }
            double max = Math.max(logp[0], logp[1]);
            double a = Math.exp(logp[0] - max);
            double b = Math.exp(logp[1] - max);
            return new double[] {a / (a + b), b / (a + b)};
        });
        return Evaluation.classifier(m, "class", CLASSES, r -> {
            Map<String, String> x = new HashMap<>();
            NB_COLUMNS.forEach(c -> x.put(c, r.text(c)));
            return x;
        }, p -> p);
    }
}
